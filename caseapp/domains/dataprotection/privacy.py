"""Data protection's own part in export, erasure and retention: its consents and emergency grants."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from caseapp import audit
from caseapp.domain import DECLARED_PURPOSES
from caseapp.domains.dataprotection.consents import _tally_consents, consents_of
from caseapp.domains.dataprotection.models import (
    AREA,
    BreakGlassGrant,
)
from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.privacy import DisplayNames, ExpiredRecord, PersonalDataSource, retention_cutoff
from caseapp.privacy.consent import GIVEN_BY, METHODS, Consent
from caseapp.privacy.tallies import add_tally, tallies


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


# How this domain's records read in the access export (every domain names its own; see privacy.py).
EXPORT_NAMES = DisplayNames(
    title=_l("Consents and emergency access"),
    kinds={"consent": _l("Consent"), "emergency_access": _l("Emergency access to your data")},
    fields={
        "purpose": _l("Purpose"),
        "given_by": _l("Given by"),
        "giver_name": _l("Name of the parent or guardian"),
        "method": _l("How it was given"),
        "witness": _l("Witness"),
        "given_on": _l("Given"),
        "expires_on": _l("Expires"),
        "withdrawn_at": _l("Withdrawn"),
        "withdrawal_reason": _l("Reason for withdrawal"),
        "granted_at": _l("Opened"),
        "expires_at": _l("Closed at the latest"),
        "reason": _l("Reason"),
    },
    codes={"purpose": DECLARED_PURPOSES, "given_by": GIVEN_BY, "method": METHODS},
    objects={"consent": _l("Consent"), "break_glass_grant": _l("Emergency access")},
)


def export_person(person_id) -> list[dict]:
    records = [
        {
            "kind": "consent",
            "purpose": c.purpose,
            "given_by": c.given_by,
            "giver_name": c.giver_name,
            "method": c.method,
            "witness": c.witness,
            "given_on": _iso(c.given_on),
            "expires_on": _iso(c.expires_on),
            "withdrawn_at": _iso(c.withdrawn_at),
            "withdrawal_reason": c.withdrawal_reason,
        }
        for c in consents_of(person_id)
    ]
    grants = db.session.scalars(
        select(BreakGlassGrant).where(BreakGlassGrant.person_id == person_id).order_by(BreakGlassGrant.granted_at)
    )
    records += [
        {
            "kind": "emergency_access",
            "granted_at": _iso(g.granted_at),
            "expires_at": _iso(g.expires_at),
            "reason": g.reason,
        }
        for g in grants
    ]
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
        rows = db.session.execute(
            select(Consent.id, Consent.person_id).where(
                (Consent.withdrawn_at < end_of_cutoff) | (Consent.expires_on <= cutoff)
            )
        )
        found += [ExpiredRecord("consent_ended", "consent", str(cid), pid) for cid, pid in rows]
    cutoff = retention_cutoff("break_glass", today)
    if cutoff is not None:
        end_of_cutoff = datetime.combine(cutoff + timedelta(days=1), datetime.min.time())
        rows = db.session.execute(
            select(BreakGlassGrant.id, BreakGlassGrant.person_id).where(BreakGlassGrant.expires_at < end_of_cutoff)
        )
        found += [ExpiredRecord("break_glass", "break_glass_grant", str(gid), pid) for gid, pid in rows]
    cutoff = retention_cutoff("audit_events", today)
    if cutoff is not None:
        newest = db.session.scalar(select(func.max(AuditEvent.seq)))
        last = db.session.scalar(
            select(func.max(AuditEvent.seq)).where(
                AuditEvent.at < datetime.combine(cutoff + timedelta(days=1), datetime.min.time())
            )
        )
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
    audit.record(
        PURGE_ACTION,
        object_type="audit_event",
        detail={"through_seq": through_seq, "anchor": anchor, "deleted": deleted},
    )


SOURCE = PersonalDataSource(
    domain=AREA, names=EXPORT_NAMES, export=export_person, erase=erase_own, expired=expired_own, purge=purge_own
)


def breakglass_statistics() -> int:
    """Emergency accesses ever granted, erased and purged ones included."""
    live = db.session.scalar(select(func.count()).select_from(BreakGlassGrant)) or 0
    return live + sum(tallies(AREA, "break_glass").values())
