"""Subject access (GDPR art. 15): everything every domain holds about a person, their consents, and the
dates and purposes of each use of their data, without staff names."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from caseapp import audit
from caseapp.domain import privacy_sources
from caseapp.domains.dataprotection.models import (
    BreakGlassGrant,
)
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.models.base import utcnow

# Keys that would name or point at staff; dropped from every domain's records before export.
_STAFF_KEY = re.compile(
    r"(^(staff|actor|user|counsellors?|owner|filer|witness_staff)(_.*)?$)|(_by(_id|_name)?$)"
    r"|(_user_id$)"
)

ACCESS_ACTIONS = {
    "view": _l("read"),
    "list": _l("shown in a list"),
    "search": _l("found by a search"),
    "create": _l("registered"),
    "update": _l("changed"),
    "share": _l("shared"),
    "share_end": _l("share ended"),
    "erase": _l("erased"),
    "access_export": _l("handed over to you (access request)"),
    "grant": _l("emergency access opened"),
    "withdraw": _l("withdrawn"),
    "amend": _l("amended"),
}


def _without_staff(value):
    if isinstance(value, dict):
        return {k: _without_staff(v) for k, v in value.items() if not _STAFF_KEY.search(str(k))}
    if isinstance(value, list | tuple):
        return [_without_staff(v) for v in value]
    return value


def access_log(person_id) -> list[dict]:
    """When the person's data was used and why, from the audit log: never who did it."""
    rows = db.session.execute(
        select(AuditEvent.at, AuditEvent.action, AuditEvent.object_type, AuditEvent.purpose, AuditEvent.actor_id)
        .where(AuditEvent.subject_id == str(person_id))
        .order_by(AuditEvent.seq)
    ).all()
    # Use under an emergency grant is logged by the domain as an ordinary read; name its purpose.
    windows = [
        (g.user_id, g.granted_at, g.ended_at or g.expires_at)
        for g in db.session.scalars(select(BreakGlassGrant).where(BreakGlassGrant.person_id == person_id))
    ]
    log = []
    for at, action, object_type, purpose, actor_id in rows:
        if purpose is None and any(u == actor_id and start <= at <= end for u, start, end in windows):
            purpose = "break_glass"
        verb = action.rsplit(".", 1)[-1]
        log.append(
            {
                "at": at.isoformat(timespec="seconds") + "Z",
                "action": action,
                "what": object_type or action.split(".", 1)[0],
                "description": str(ACCESS_ACTIONS.get(verb, verb)),
                "purpose": purpose,
            }
        )
    return log


def access_export(person_id, actor, fmt: str) -> dict:
    """Everything held about the person in every domain, their consents and shares, and the dates and
    purposes of each use of their data. Leaders only (the caller checks). Audited."""
    sources = privacy_sources()
    domains = []
    for source in sources:
        records = _without_staff(source.export(person_id) or [])
        domains.append({"domain": source.domain, "records": records})
    export = {
        "format": "caseapp-subject-access/1",
        "generated_at": utcnow().isoformat(timespec="seconds") + "Z",
        "person_id": str(person_id),
        "domains": domains,
        "access_log": access_log(person_id),
    }
    audit.record(
        "person.access_export",
        object_type="person",
        object_id=person_id,
        subject_id=person_id,
        purpose="gdpr_art15",
        actor=actor,
        detail={"format": fmt, "domains": len(domains), "records": sum(len(d["records"]) for d in domains)},
    )
    return export
