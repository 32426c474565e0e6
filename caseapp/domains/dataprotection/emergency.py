"""Emergency access ("break the glass"): a short, audited grant to a resident outside one's caseload,
reviewed by a leader afterwards."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from caseapp import audit
from caseapp.crypto.blind_index import cpr_index, normalise_cpr
from caseapp.domains.dataprotection.models import (
    BREAK_GLASS_MINUTES,
    MAX_TEXT,
    MIN_REASON,
    REVIEW_OUTCOMES,
    BreakGlassGrant,
    active_grant_clause,
    ordinary_access_only,
)
from caseapp.errors import InvalidInput, NotPermitted, Refused
from caseapp.extensions import db
from caseapp.forms import stripped
from caseapp.models.base import parse_uuid, utcnow
from caseapp.platform.notifications import notify_role
from caseapp.register.models import Person
from caseapp.register.services import get_visible_person
from caseapp.security.permissions import Permission, can


def find_person_anywhere(*, cpr: str | None = None, person_id=None) -> Person | None:
    """A person by CPR or id regardless of the caller's caseload: only for granting emergency access."""
    if cpr and normalise_cpr(cpr):
        return db.session.scalar(select(Person).where(Person.cpr_index == cpr_index(cpr)).limit(1))
    pid = parse_uuid(person_id) if person_id else None
    return db.session.get(Person, pid) if pid else None


def grant_break_glass(user, *, reason: str | None, minutes, cpr: str | None = None, person_id=None) -> BreakGlassGrant:
    """Open one person's records to `user` for a short time in an emergency; audited and reviewed."""
    if not can(user, Permission.BREAK_GLASS):
        raise NotPermitted(_l("Your role may not use emergency access."))
    problems = {}
    reason = stripped(reason)
    if not reason or len(reason) < MIN_REASON:
        problems["reason"] = str(
            _l("Describe the emergency (at least %(n)d characters): a leader will review it.", n=MIN_REASON)
        )
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
        audit.record_kept(
            "breakglass.not_found",
            object_type="person",
            actor=user,
            purpose="break_glass",
            detail={"by": "cpr" if cpr else "id"},
        )
        raise InvalidInput({"cpr": str(_l("No resident is registered with that CPR number."))})
    if get_visible_person(person.id, user) is not None and not _only_by_grant(user, person.id):
        raise Refused(_l("You already have access to this resident; emergency access is not needed."))
    now = utcnow()
    grant = BreakGlassGrant(
        user_id=user.id, person_id=person.id, reason=reason, granted_at=now, expires_at=now + timedelta(minutes=minutes)
    )
    db.session.add(grant)
    db.session.flush()
    audit.record(
        "breakglass.grant",
        object_type="break_glass_grant",
        object_id=grant.id,
        subject_id=person.id,
        purpose="break_glass",
        actor=user,
        detail={"minutes": minutes},
    )
    # Leaders review every emergency access: tell them one waits (never whose records or why).
    notify_role(
        "leader",
        _l("An emergency access waits for your review."),
        "/data-protection/emergency-access/review",
        kind="emergency.review",
        exclude=user.id,
    )
    return grant


def _only_by_grant(user, person_id) -> bool:
    """Whether the user sees the person only because of an active emergency grant."""
    has_grant = db.session.scalar(
        select(BreakGlassGrant.id)
        .where(BreakGlassGrant.user_id == user.id, BreakGlassGrant.person_id == person_id, active_grant_clause())
        .limit(1)
    )
    if has_grant is None:
        return False
    with ordinary_access_only():
        return get_visible_person(person_id, user) is None


def emergency_grant_for(user, person_id) -> BreakGlassGrant | None:
    """The active grant through which `user` sees the person, if that is the only way they see them."""
    if user.has_role("leader"):
        return None
    grant = db.session.scalar(
        select(BreakGlassGrant)
        .where(BreakGlassGrant.user_id == user.id, BreakGlassGrant.person_id == person_id, active_grant_clause())
        .order_by(BreakGlassGrant.expires_at.desc())
        .limit(1)
    )
    return grant if grant is not None and _only_by_grant(user, person_id) else None


def end_grant(grant: BreakGlassGrant, actor) -> None:
    """The user closes their emergency access early."""
    if grant.user_id != actor.id:
        raise Refused(_l("Only the staff member who opened the emergency access can close it."))
    if grant.is_active():
        grant.ended_at = utcnow()
        db.session.flush()
        audit.record(
            "breakglass.end",
            object_type="break_glass_grant",
            object_id=grant.id,
            subject_id=grant.person_id,
            purpose="break_glass",
            actor=actor,
        )


def review_grant(grant: BreakGlassGrant, outcome: str, actor) -> None:
    if outcome not in REVIEW_OUTCOMES:
        raise InvalidInput({"outcome": str(_l("Choose the outcome of the review."))})
    if grant.user_id == actor.id:
        raise Refused(_l("Your own emergency access must be reviewed by another leader."))
    grant.reviewed_at, grant.reviewed_by_id, grant.review_outcome = utcnow(), actor.id, outcome
    db.session.flush()
    audit.record(
        "breakglass.review",
        object_type="break_glass_grant",
        object_id=grant.id,
        subject_id=grant.person_id,
        actor=actor,
        detail={"outcome": outcome},
    )


def grants_query(*, pending: bool = False):
    query = select(BreakGlassGrant).order_by(BreakGlassGrant.granted_at.desc())
    return query.where(BreakGlassGrant.reviewed_at.is_(None)) if pending else query


def pending_review_count() -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(BreakGlassGrant).where(BreakGlassGrant.reviewed_at.is_(None))
        )
        or 0
    )
