"""The verbs of data protection: consent, subject access (art. 15), erasure (art. 17), break the glass.

They flush and audit; the request commits once, except `erase_person`, which commits itself because
the key-encryption key that wrapped the person's data key may only be retired once the erasure is
durable (see `erase_person`). HTML views and the JSON API both call these, so each rule is written once.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, text

from caseapp import audit
from caseapp.clock import local_today
from caseapp.crypto.blind_index import name_words, normalise_cpr
from caseapp.crypto.keystore import forget_data_key, keyring, rewrap_stragglers, rotate_keys
from caseapp.domain import DECLARED_PURPOSES, consent_purposes, domains, privacy_sources
from caseapp.domains.dataprotection.models import (
    ERASURE_GROUNDS,
    REVIEW_OUTCOMES,
    BreakGlassGrant,
    ErasureRecord,
    active_grant_clause,
    ordinary_access_only,
)
from caseapp.errors import InvalidInput
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.models.base import StaleVersion, utcnow
from caseapp.privacy import DisplayNames, ExpiredRecord, PersonalDataSource, retention_cutoff
from caseapp.privacy.consent import GIVEN_BY, METHODS, Consent
from caseapp.privacy.tallies import add_tally, tallies
from caseapp.register.models import Person, is_assigned, visibility_clause
from caseapp.register.pages.services import cpr_index, get_visible_person
from caseapp.security.permissions import Permission, can

AREA = "dataprotection"
BREAK_GLASS_MINUTES = (15, 30, 60, 120)
MIN_REASON = 10
MAX_TEXT = 2000


class Refused(ValueError):
    """A rule refused the request; nothing was written. `reasons` say why, in words for the user."""

    def __init__(self, *reasons):
        super().__init__("; ".join(str(r) for r in reasons))
        self.reasons = [str(r) for r in reasons]


def as_uuid(value) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def load_sources() -> list[PersonalDataSource]:
    """Every domain's PersonalDataSource, from the app's domain declarations."""
    return privacy_sources()


# Consent ----------------------------------------------------------------------------------------------

def can_edit_consents(user, person) -> bool:
    """Leaders, and social workers assigned to the person (DESIGN §2, consent.edit)."""
    if not can(user, Permission.CONSENT_EDIT):
        return False
    return user.has_role("leader") or (user.has_role("social_worker") and is_assigned(user, person.id))


def consents_of(person_id) -> list[Consent]:
    return list(db.session.scalars(select(Consent).where(Consent.person_id == person_id)
                                   .order_by(Consent.given_on.desc(), Consent.created_at.desc())))


def _text(value) -> str | None:
    return (value or "").strip() or None


def record_consent(person: Person, data: dict, actor) -> Consent:
    """Register a consent; raises InvalidInput (writing nothing) with a message per wrong field."""
    problems = {}
    purpose, given_by, method = data.get("purpose"), data.get("given_by"), data.get("method")
    giver_name, witness = _text(data.get("giver_name")), _text(data.get("witness"))
    given_on, expires_on = data.get("given_on"), data.get("expires_on")
    if purpose not in consent_purposes():
        problems["purpose"] = _l("Choose what the consent is for.")
    if given_by not in GIVEN_BY:
        problems["given_by"] = _l("Choose who gave the consent.")
    elif given_by != "person" and not giver_name:
        problems["giver_name"] = _l("Write the name of the parent or guardian who gave the consent.")
    if method not in METHODS:
        problems["method"] = _l("Choose how the consent was given.")
    elif method == "oral_witness" and not witness:
        problems["witness"] = _l("An oral consent needs the name of the witness.")
    if not isinstance(given_on, date):
        problems["given_on"] = _l("Write the date the consent was given.")
    elif given_on > local_today():
        problems["given_on"] = _l("The date cannot be in the future.")
    if expires_on is not None and (not isinstance(expires_on, date)
                                   or (isinstance(given_on, date) and expires_on <= given_on)):
        problems["expires_on"] = _l("The expiry must be after the date it was given.")
    for name, value in (("giver_name", giver_name), ("witness", witness)):
        if value and len(value) > 200:
            problems[name] = _l("At most 200 characters.")
    if problems:
        raise InvalidInput({k: str(v) for k, v in problems.items()})
    consent = Consent(person_id=person.id, purpose=purpose, given_by=given_by,
                      giver_name=giver_name if given_by != "person" else None, method=method,
                      witness=witness if method == "oral_witness" else None, given_on=given_on,
                      expires_on=expires_on, recorded_by_id=actor.id)
    db.session.add(consent)
    db.session.flush()
    audit.record("consent.create", object_type="consent", object_id=consent.id, subject_id=person.id,
                 purpose=purpose, actor=actor, detail={"given_by": given_by, "method": method,
                                                      "expires": expires_on is not None})
    return consent


def withdraw_consent(consent: Consent, reason: str | None, version, actor) -> int:
    """Withdraw at once, and end every share or processing that rested on it (each domain's hook).

    Returns how many shares or processings ended. Raises StaleVersion if the consent changed since
    `version`, InvalidInput if there is no reason or it was already withdrawn.
    """
    if version is not None and int(version) != consent.version:
        raise StaleVersion()
    reason = _text(reason)
    if consent.withdrawn_at is not None:
        raise InvalidInput({"reason": str(_l("The consent is already withdrawn."))})
    if not reason:
        raise InvalidInput({"reason": str(_l("Write why the consent was withdrawn: the staff who relied on it "
                                             "will see it."))})
    if len(reason) > MAX_TEXT:
        raise InvalidInput({"reason": str(_l("At most %(n)d characters.", n=MAX_TEXT))})
    consent.withdrawn_at = utcnow()
    consent.withdrawal_reason = reason
    consent.withdrawn_by_id = actor.id
    db.session.flush()  # the versioned UPDATE: a concurrent change raises StaleDataError here
    hooks = [hook for domain in domains() for hook in domain.consent_withdrawal]
    ended = sum(hook(consent.person_id, consent.purpose, reason) or 0 for hook in hooks)
    audit.record("consent.withdraw", object_type="consent", object_id=consent.id, subject_id=consent.person_id,
                 purpose=consent.purpose, actor=actor, detail={"ended": ended})
    return ended


def recent_withdrawals(user, days: int = 30, limit: int = 10) -> list[tuple[Consent, Person]]:
    """Consents withdrawn lately for people the user works with, so they see what changed and why."""
    since = utcnow() - timedelta(days=days)
    query = (select(Consent, Person).join(Person, Person.id == Consent.person_id)
             .where(Consent.withdrawn_at >= since).order_by(Consent.withdrawn_at.desc()).limit(limit))
    clause = visibility_clause(user, Consent.person_id)
    if clause is not None:
        query = query.where(clause)
    return [(c, p) for c, p in db.session.execute(query)]


def consent_statistics() -> dict[str, dict[str, int]]:
    """{purpose: {"given": n, "withdrawn": n}} over all time, erased and purged consents included."""
    stats = {p: {"given": 0, "withdrawn": 0} for p in consent_purposes()}
    for purpose, given, withdrawn in db.session.execute(
        select(Consent.purpose, func.count(), func.count(Consent.withdrawn_at)).group_by(Consent.purpose)
    ):
        stats.setdefault(purpose, {"given": 0, "withdrawn": 0})
        stats[purpose]["given"] += given
        stats[purpose]["withdrawn"] += withdrawn
    for kind in ("given", "withdrawn"):
        for (_period, purpose), count in tallies(AREA, f"consent_{kind}").items():
            stats.setdefault(purpose, {"given": 0, "withdrawn": 0})[kind] += count
    return stats


def _tally_consents(consents) -> None:
    for c in consents:
        add_tally(AREA, "consent_given", str(c.given_on.year), c.purpose)
        if c.withdrawn_at is not None:
            add_tally(AREA, "consent_withdrawn", str(c.withdrawn_at.year), c.purpose)


# Break the glass --------------------------------------------------------------------------------------

def find_person_anywhere(*, cpr: str | None = None, person_id=None) -> Person | None:
    """A person by CPR or id regardless of the caller's caseload: only for granting emergency access."""
    if cpr and normalise_cpr(cpr):
        return db.session.scalar(select(Person).where(Person.cpr_index == cpr_index(cpr)).limit(1))
    pid = as_uuid(person_id) if person_id else None
    return db.session.get(Person, pid) if pid else None


def grant_break_glass(user, *, reason: str | None, minutes, cpr: str | None = None, person_id=None
                      ) -> BreakGlassGrant:
    """Open one person's records to `user` for a short time in an emergency; audited and reviewed."""
    if not can(user, Permission.BREAK_GLASS):
        raise Refused(_l("Your role may not use emergency access."))
    problems = {}
    reason = _text(reason)
    if not reason or len(reason) < MIN_REASON:
        problems["reason"] = str(_l("Describe the emergency (at least %(n)d characters): a leader will review it.",
                                    n=MIN_REASON))
    elif len(reason) > MAX_TEXT:
        problems["reason"] = str(_l("At most %(n)d characters.", n=MAX_TEXT))
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = 0
    if minutes not in BREAK_GLASS_MINUTES:
        problems["minutes"] = str(_l("Choose how long you need access."))
    if not (cpr or person_id):
        problems["cpr"] = str(_l("Write the resident's CPR number."))
    if problems:
        raise InvalidInput(problems)
    person = find_person_anywhere(cpr=cpr, person_id=person_id)
    if person is None:
        audit.record("breakglass.not_found", object_type="person", actor=user, purpose="break_glass",
                     detail={"by": "cpr" if cpr else "id"})
        raise InvalidInput({"cpr": str(_l("No resident is registered with that CPR number."))})
    if get_visible_person(person.id, user) is not None and not _only_by_grant(user, person.id):
        raise Refused(_l("You already have access to this resident; emergency access is not needed."))
    now = utcnow()
    grant = BreakGlassGrant(user_id=user.id, person_id=person.id, reason=reason, granted_at=now,
                            expires_at=now + timedelta(minutes=minutes))
    db.session.add(grant)
    db.session.flush()
    audit.record("breakglass.grant", object_type="break_glass_grant", object_id=grant.id, subject_id=person.id,
                 purpose="break_glass", actor=user, detail={"minutes": minutes})
    return grant


def _only_by_grant(user, person_id) -> bool:
    """Whether the user sees the person only because of an active emergency grant."""
    has_grant = db.session.scalar(select(BreakGlassGrant.id).where(
        BreakGlassGrant.user_id == user.id, BreakGlassGrant.person_id == person_id, active_grant_clause()).limit(1))
    if has_grant is None:
        return False
    with ordinary_access_only():
        return get_visible_person(person_id, user) is None


def emergency_grant_for(user, person_id) -> BreakGlassGrant | None:
    """The active grant through which `user` sees the person, if that is the only way they see them."""
    if user.has_role("leader"):
        return None
    grant = db.session.scalar(select(BreakGlassGrant).where(
        BreakGlassGrant.user_id == user.id, BreakGlassGrant.person_id == person_id, active_grant_clause())
        .order_by(BreakGlassGrant.expires_at.desc()).limit(1))
    return grant if grant is not None and _only_by_grant(user, person_id) else None


def end_grant(grant: BreakGlassGrant, actor) -> None:
    """The user closes their emergency access early."""
    if grant.user_id != actor.id:
        raise Refused(_l("Only the staff member who opened the emergency access can close it."))
    if grant.is_active():
        grant.ended_at = utcnow()
        db.session.flush()
        audit.record("breakglass.end", object_type="break_glass_grant", object_id=grant.id,
                     subject_id=grant.person_id, purpose="break_glass", actor=actor)


def review_grant(grant: BreakGlassGrant, outcome: str, actor) -> None:
    if outcome not in REVIEW_OUTCOMES:
        raise InvalidInput({"outcome": str(_l("Choose the outcome of the review."))})
    if grant.user_id == actor.id:
        raise Refused(_l("Your own emergency access must be reviewed by another leader."))
    grant.reviewed_at, grant.reviewed_by_id, grant.review_outcome = utcnow(), actor.id, outcome
    db.session.flush()
    audit.record("breakglass.review", object_type="break_glass_grant", object_id=grant.id,
                 subject_id=grant.person_id, actor=actor, detail={"outcome": outcome})


def grants_query(*, pending: bool = False):
    query = select(BreakGlassGrant).order_by(BreakGlassGrant.granted_at.desc())
    return query.where(BreakGlassGrant.reviewed_at.is_(None)) if pending else query


def pending_review_count() -> int:
    return db.session.scalar(select(func.count()).select_from(BreakGlassGrant)
                             .where(BreakGlassGrant.reviewed_at.is_(None))) or 0


# Subject access (art. 15) ------------------------------------------------------------------------------

# Keys that would name or point at staff; dropped from every domain's records before export.
_STAFF_KEY = re.compile(r"(^(staff|actor|user|counsellors?|owner|filer|witness_staff)(_.*)?$)|(_by(_id|_name)?$)"
                        r"|(_user_id$)")

ACCESS_ACTIONS = {
    "view": _l("read"), "list": _l("shown in a list"), "search": _l("found by a search"),
    "create": _l("registered"), "update": _l("changed"), "share": _l("shared"), "share_end": _l("share ended"),
    "erase": _l("erased"), "access_export": _l("handed over to you (access request)"),
    "grant": _l("emergency access opened"), "withdraw": _l("withdrawn"), "amend": _l("amended"),
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
        .where(AuditEvent.subject_id == str(person_id)).order_by(AuditEvent.seq)).all()
    # Use under an emergency grant is logged by the domain as an ordinary read; name its purpose.
    windows = [(g.user_id, g.granted_at, g.ended_at or g.expires_at) for g in db.session.scalars(
        select(BreakGlassGrant).where(BreakGlassGrant.person_id == person_id))]
    log = []
    for at, action, object_type, purpose, actor_id in rows:
        if purpose is None and any(u == actor_id and start <= at <= end for u, start, end in windows):
            purpose = "break_glass"
        verb = action.rsplit(".", 1)[-1]
        log.append({"at": at.isoformat(timespec="seconds") + "Z", "action": action,
                    "what": object_type or action.split(".", 1)[0], "description": str(ACCESS_ACTIONS.get(verb, verb)),
                    "purpose": purpose})
    return log


def access_export(person_id, actor, fmt: str) -> dict:
    """Everything held about the person in every domain, their consents and shares, and the dates and
    purposes of each use of their data. Leaders only (the caller checks). Audited."""
    sources = load_sources()
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
    audit.record("person.access_export", object_type="person", object_id=person_id, subject_id=person_id,
                 purpose="gdpr_art15", actor=actor,
                 detail={"format": fmt, "domains": len(domains), "records": sum(len(d["records"]) for d in domains)})
    return export


# Erasure (art. 17) -------------------------------------------------------------------------------------

def erasure_blockers(person_id) -> list[tuple[str, str]]:
    """(domain, reason) for every legal duty that forbids erasing the person now."""
    found = []
    for source in load_sources():
        reason = source.erasure_blocker(person_id)
        if reason:
            found.append((source.domain, str(reason)))
    return found


def _person_references(person_id) -> list[str]:
    """Tables that still hold a row pointing at the person (through a foreign key to person.id)."""
    left = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "person" and fk.column.name == "id" for fk in column.foreign_keys) \
                    or (table.name == "person" and column.name == "id"):
                count = db.session.scalar(select(func.count()).select_from(table).where(column == person_id))
                if count:
                    left.append(f"{table.name}.{column.name}")
    return left


def _reason_problem(person: Person, reason: str | None) -> str | None:
    if not reason:
        return str(_l("Write why the person is erased (for example the date and channel of their request)."))
    if len(reason) > 500:
        return str(_l("At most %(n)d characters.", n=500))
    words = {w for w in name_words(reason)}
    names = {w for w in name_words(person.first_name, person.last_name) if len(w) > 1}
    cpr_digits = normalise_cpr(person.cpr or "")
    if words & names or (cpr_digits and cpr_digits in normalise_cpr(reason)) \
            or (person.cpr and person.cpr in reason):
        return str(_l("The reason is kept after the erasure: do not write the person's name or CPR number in it."))
    return None


def _keyring_writable(ring) -> bool:
    import os

    return ring.path is None or (os.access(ring.path, os.W_OK) and os.access(ring.path.parent, os.W_OK))


def erase_person(person_id, ground: str, reason: str | None, actor) -> ErasureRecord:
    """Erase a person from every domain and crypto-shred their data key. Commits.

    1. Refused with the reasons if a domain's legal duty forbids it (nothing is written).
    2. Every domain erases its rows or reduces them to anonymous tallies; the person row, with its
       blind indexes (CPR index, name tokens), goes last; their data key (DEK) is deleted.
    3. Every other data key is re-wrapped under a new key-encryption key (KEK) in the same
       transaction, and the keyring file is saved holding both KEKs; then the transaction commits.
    4. The old KEKs are removed from the keyring file (`retire_old_keys`). From then on a database
       backup taken before the erasure is unreadable: its wrapped data keys need a KEK that no longer
       exists anywhere. Take a fresh backup after an erasure: older ones cannot be restored.
    """
    pid = as_uuid(person_id)
    person = db.session.get(Person, pid) if pid else None
    if person is None:
        raise LookupError("no such person")
    problems = {}
    if ground not in ERASURE_GROUNDS:
        problems["ground"] = str(_l("Choose the ground for the erasure."))
    reason = _text(reason)
    problem = _reason_problem(person, reason)
    if problem:
        problems["reason"] = problem
    if problems:
        raise InvalidInput(problems)
    blockers = erasure_blockers(pid)
    if blockers:
        audit.record("person.erase_refused", object_type="person", object_id=pid, subject_id=pid, actor=actor,
                     detail={"domains": [d for d, _r in blockers]})
        db.session.commit()
        raise Refused(*(r for _d, r in blockers))
    ring = keyring()
    if not _keyring_writable(ring):
        raise Refused(_l("The keyring file cannot be written, so the person's key cannot be destroyed "
                         "in backups too. Ask the administrator to make CASEAPP_KEYS_FILE writable."))

    sqlite = db.session.get_bind().dialect.name == "sqlite"
    if sqlite:
        # SQLite would otherwise leave deleted rows (blind indexes among them) readable in free pages.
        db.session.execute(text("PRAGMA secure_delete=ON"))
    sources = sorted(load_sources(), key=lambda s: s.domain == "people")  # the person row last
    counts: dict[str, int] = {}
    for source in sources:
        for kind, n in (source.erase(pid) or {}).items():
            counts[f"{source.domain}.{kind}"] = int(n or 0)
    db.session.flush()
    left = _person_references(pid)
    if left:
        db.session.rollback()
        raise Refused(_l("The erasure could not complete: records remain in %(tables)s. Nothing was erased; "
                         "tell the administrator.", tables=", ".join(left)))
    forget_data_key(db.session, pid)
    record = ErasureRecord(subject_id=pid, ground=ground, reason=reason, erased_by_id=actor.id if actor else None,
                           counts=json.dumps(counts, sort_keys=True))
    db.session.add(record)
    rewrapped = rotate_keys(db.session, ring)
    db.session.flush()
    audit.record("person.erase", object_type="person", object_id=pid, subject_id=pid, actor=actor,
                 purpose="gdpr_art17", detail={"ground": ground, "counts": counts, "rewrapped": rewrapped,
                                               "kek_id": ring.active_kek_id})
    if ring.path is not None:
        ring.save()  # the new KEK is on disk before any data key depends on it
    db.session.commit()
    retire_old_keys()
    if sqlite:
        # Move the zeroed pages into the database file and empty the write-ahead log, which still
        # holds earlier copies of the pages (PostgreSQL's dead rows hold only ciphertext and keyed
        # hashes, and are cleared by autovacuum).
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.commit()
    return record


def retire_old_keys() -> int:
    """Remove every KEK but the active one from the keyring, once no data key needs them, and mark
    the erasures waiting for it. Also run by `caseapp retention purge`, so a failed attempt is retried."""
    pending = db.session.scalars(select(ErasureRecord).where(ErasureRecord.keys_retired_at.is_(None))).all()
    if not pending:
        return 0
    ring = keyring()
    rewrap_stragglers(db.session, ring)
    db.session.commit()
    retired = ring.retire_all_but_active()
    if ring.path is not None:
        ring.save()
    now = utcnow()
    for record in pending:
        record.keys_retired_at = now
    audit.record("keys.retire", detail={"retired": len(retired), "kek_id": ring.active_kek_id,
                                        "erasures": len(pending)})
    db.session.commit()
    return len(retired)


def erasure_for(person_id) -> ErasureRecord | None:
    pid = as_uuid(person_id)
    return db.session.scalar(select(ErasureRecord).where(ErasureRecord.subject_id == pid)) if pid else None


# This domain's own part in export, erasure and retention -------------------------------------------------

def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


# How this domain's records read in the access export (every domain names its own; see privacy.py).
EXPORT_NAMES = DisplayNames(
    title=_l("Consents and emergency access"),
    kinds={"consent": _l("Consent"), "emergency_access": _l("Emergency access to your data")},
    fields={"purpose": _l("Purpose"), "given_by": _l("Given by"), "giver_name": _l("Name of the parent or guardian"),
            "method": _l("How it was given"), "witness": _l("Witness"), "given_on": _l("Given"),
            "expires_on": _l("Expires"), "withdrawn_at": _l("Withdrawn"),
            "withdrawal_reason": _l("Reason for withdrawal"), "granted_at": _l("Opened"),
            "expires_at": _l("Closed at the latest"), "reason": _l("Reason")},
    codes={"purpose": DECLARED_PURPOSES, "given_by": GIVEN_BY, "method": METHODS},
    objects={"consent": _l("Consent"), "break_glass_grant": _l("Emergency access")},
)

def export_person(person_id) -> list[dict]:
    records = [{"kind": "consent", "purpose": c.purpose, "given_by": c.given_by, "giver_name": c.giver_name,
                "method": c.method, "witness": c.witness, "given_on": _iso(c.given_on),
                "expires_on": _iso(c.expires_on), "withdrawn_at": _iso(c.withdrawn_at),
                "withdrawal_reason": c.withdrawal_reason} for c in consents_of(person_id)]
    grants = db.session.scalars(select(BreakGlassGrant).where(BreakGlassGrant.person_id == person_id)
                                .order_by(BreakGlassGrant.granted_at))
    records += [{"kind": "emergency_access", "granted_at": _iso(g.granted_at), "expires_at": _iso(g.expires_at),
                 "reason": g.reason} for g in grants]
    return records


def erase_own(person_id) -> dict[str, int]:
    """Consents become anonymous tallies (the statistics keep adding up); grants are deleted."""
    consents = consents_of(person_id)
    _tally_consents(consents)
    grants = db.session.scalars(select(BreakGlassGrant).where(BreakGlassGrant.person_id == person_id)).all()
    for g in grants:
        add_tally(AREA, "break_glass", g.granted_at.strftime("%Y-%m"))
    db.session.execute(delete(Consent).where(Consent.person_id == person_id))
    db.session.execute(delete(BreakGlassGrant).where(BreakGlassGrant.person_id == person_id))
    return {"consents": len(consents), "emergency_accesses": len(grants)}


def expired_own(today: date) -> list[ExpiredRecord]:
    """Ended consents and emergency grants past their period, and audit events past theirs."""
    found = []
    cutoff = retention_cutoff("consent_ended", today)
    if cutoff is not None:
        end_of_cutoff = datetime.combine(cutoff + timedelta(days=1), datetime.min.time())
        rows = db.session.execute(select(Consent.id, Consent.person_id).where(
            (Consent.withdrawn_at < end_of_cutoff) | (Consent.expires_on <= cutoff)))
        found += [ExpiredRecord("consent_ended", "consent", str(cid), pid) for cid, pid in rows]
    cutoff = retention_cutoff("break_glass", today)
    if cutoff is not None:
        end_of_cutoff = datetime.combine(cutoff + timedelta(days=1), datetime.min.time())
        rows = db.session.execute(select(BreakGlassGrant.id, BreakGlassGrant.person_id)
                                  .where(BreakGlassGrant.expires_at < end_of_cutoff))
        found += [ExpiredRecord("break_glass", "break_glass_grant", str(gid), pid) for gid, pid in rows]
    cutoff = retention_cutoff("audit_events", today)
    if cutoff is not None:
        newest = db.session.scalar(select(func.max(AuditEvent.seq)))
        last = db.session.scalar(select(func.max(AuditEvent.seq)).where(
            AuditEvent.at < datetime.combine(cutoff + timedelta(days=1), datetime.min.time())))
        if last is not None and newest is not None:
            last = min(last, newest - 1)  # the newest event stays: the chain continues from it
            first = db.session.scalar(select(func.min(AuditEvent.seq)))
            if first is not None and last >= first:
                found.append(ExpiredRecord("audit_events", "audit_event", f"{first}-{last}"))
    return found


def purge_own(record: ExpiredRecord) -> None:
    if record.object_type == "consent":
        consent = db.session.get(Consent, uuid.UUID(record.object_id))
        if consent is not None:
            _tally_consents([consent])
            db.session.delete(consent)
    elif record.object_type == "break_glass_grant":
        grant = db.session.get(BreakGlassGrant, uuid.UUID(record.object_id))
        if grant is not None:
            add_tally(AREA, "break_glass", grant.granted_at.strftime("%Y-%m"))
            db.session.delete(grant)
    elif record.object_type == "audit_event":
        _purge_audit_events(int(record.object_id.split("-")[1]))
    else:
        raise ValueError(f"not a data-protection record: {record.object_type}")
    db.session.flush()


def _purge_audit_events(through_seq: int) -> None:
    """Delete events up to `through_seq`; a chained purge event keeps the rest verifiable from there."""
    from caseapp.audit.append_only import delete_through
    from caseapp.audit.chain import PURGE_ACTION

    anchor = db.session.scalar(select(AuditEvent.chain).where(AuditEvent.seq == through_seq))
    if anchor is None:
        return
    deleted = delete_through(db.session, through_seq)
    audit.record(PURGE_ACTION, object_type="audit_event",
                 detail={"through_seq": through_seq, "anchor": anchor, "deleted": deleted})


SOURCE = PersonalDataSource(domain=AREA, names=EXPORT_NAMES, export=export_person, erase=erase_own,
                            expired=expired_own, purge=purge_own)


def breakglass_statistics() -> int:
    """Emergency accesses ever granted, erased and purged ones included."""
    live = db.session.scalar(select(func.count()).select_from(BreakGlassGrant)) or 0
    return live + sum(tallies(AREA, "break_glass").values())


__all__ = ["InvalidInput", "Refused", "access_export", "consents_of", "erase_person", "grant_break_glass",
           "record_consent", "withdraw_consent"]
