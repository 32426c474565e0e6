"""Readable names for audit codes ("counselling.mywork.list" -> "Parent counselling: list read") and
object types, in Danish and English. A domain adds its own through Domain.extra["audit_actions"]
({code: label}); anything not named is composed from its parts, never shown as a bare code."""

from __future__ import annotations

import json

from flask_babel import lazy_gettext as _l

from caseapp.domain import provided

AREAS = {
    "person": _l("Resident"),
    "household": _l("Household"),
    "assignment": _l("Assignment"),
    "concern": _l("Concern"),
    "counselling": _l("Parent counselling"),
    "consent": _l("Consent"),
    "breakglass": _l("Emergency access"),
    "erasure": _l("Erasure"),
    "retention": _l("Retention"),
    "logreview": _l("Log review"),
    "processing": _l("Records of processing"),
    "plan": _l("The plan"),
    "user": _l("Staff account"),
    "token": _l("API token"),
    "keys": _l("Encryption keys"),
    "login": _l("Sign-in"),
    "logout": _l("Sign-out"),
    "account": _l("Staff account"),
    "audit": _l("Audit log"),
    "agenda": _l("My week"),
    "notification": _l("Notification"),
    "dataprotection": _l("Data protection"),
    "security": _l("Security"),
    "demo": _l("Demo data"),
    "mentoring": _l("Mentoring"),
    "courses": _l("Youth courses"),
    "community": _l("Civil society"),
    "reports": _l("Reports"),
}
VERBS = {
    "view": _l("opened"),
    "list": _l("list read"),
    "search": _l("searched"),
    "create": _l("created"),
    "update": _l("changed"),
    "delete": _l("deleted"),
    "export": _l("exported"),
    "share": _l("shared"),
    "erase": _l("erased"),
    "file": _l("filed"),
    "transition": _l("status changed"),
    "amend": _l("amended"),
    "grant": _l("granted"),
    "review": _l("reviewed"),
    "end": _l("ended"),
    "withdraw": _l("withdrawn"),
    "failed": _l("failed"),
    "lock": _l("locked"),
    "rotate": _l("rotated"),
    "retire": _l("retired"),
    "use": _l("used"),
    "revoke": _l("revoked"),
    "revoke_all": _l("all revoked"),
    "activate": _l("activated"),
    "roles": _l("roles changed"),
    "password_change": _l("password changed"),
    "mark": _l("marked"),
    "purge": _l("purged"),
    "dry_run": _l("trial run"),
    "sample": _l("sample drawn"),
    "seed": _l("seeded"),
    "overview": _l("overview opened"),
    "chronology": _l("chronology opened"),
    "add_member": _l("member added"),
    "remove_member": _l("member removed"),
    "access_export": _l("access request exported"),
    "erase_refused": _l("erasure refused"),
    "not_found": _l("not found"),
    "decrypt_failed": _l("unreadable record"),
    "action_add": _l("action added"),
    "action_done": _l("action done"),
    "share_end": _l("share ended"),
    "shared_list": _l("shared list read"),
    "shared_read": _l("shared concern read"),
    "notification_flag": _l("duty to notify recorded"),
    "notification_sent": _l("notification to the municipality sent"),
    "notification_acknowledged": _l("municipality's acknowledgement recorded"),
}
NAMED = {
    "login": _l("Signed in"),
    "login.failed": _l("Sign-in failed"),
    "logout": _l("Signed out"),
    "account.lock": _l("Staff account locked"),
}
OBJECT_TYPES = {
    **AREAS,
    "api_token": _l("API token"),
    "audit_event": _l("Audit event"),
    "break_glass_grant": _l("Emergency access"),
    "concern_action": _l("Concern action"),
    "concern_share": _l("Concern share"),
    "erasure_record": _l("Erasure"),
    "log_review": _l("Log review"),
    "log_review_item": _l("Log review sample"),
    "plan_agreement": _l("Partial agreement"),
    "records_of_processing": _l("Records of processing"),
    "counselling_case": _l("Counselling case"),
    "counselling_session": _l("Counselling session"),
}


def _declared() -> dict:
    named: dict = {}
    for extra in provided("audit_actions"):
        named.update(extra)
    return named


def action_label(code: str) -> str:
    declared = _declared()
    if code in declared:
        return str(declared[code])
    if code in NAMED:
        return str(NAMED[code])
    parts = code.split(".")
    area = str(AREAS.get(parts[0], parts[0].replace("_", " ").capitalize()))
    if len(parts) == 1:
        return area
    verb = VERBS.get(parts[-1])
    middle = [p.replace("_", " ") for p in parts[1:-1]]
    words = " ".join(middle + [str(verb) if verb else parts[-1].replace("_", " ")])
    return f"{area}: {words}"


def object_label(kind: str | None) -> str:
    if not kind:
        return ""
    return str(OBJECT_TYPES.get(kind, kind.replace("_", " ").capitalize()))


def detail_items(detail) -> list[tuple[str, str]]:
    """The event's non-personal detail as (name, value) pairs for a definition list."""
    if not detail:
        return []
    if isinstance(detail, str):
        try:
            detail = json.loads(detail)
        except ValueError:
            return [("", detail)]
    if not isinstance(detail, dict):
        return [("", str(detail))]
    items = []
    for key, value in detail.items():
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "✓" if value else "–"
        items.append((key.replace("_", " "), str(value)))
    return items
