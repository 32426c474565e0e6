"""Consent (forvaltningsloven § 28): registering and withdrawing it (every share and processing resting
on it ends at once, through the domains' withdrawal hooks), and statistics that outlive erasure."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Load

from caseapp import audit
from caseapp.clock import local_today
from caseapp.domain import consent_purposes, domains
from caseapp.domains.dataprotection.models import (
    AREA,
    MAX_TEXT,
)
from caseapp.errors import InvalidInput
from caseapp.extensions import db
from caseapp.forms import stripped
from caseapp.models.base import StaleVersion, utcnow
from caseapp.privacy.consent import GIVEN_BY, METHODS, Consent
from caseapp.privacy.tallies import add_tally, tallies
from caseapp.register.models import NAME_COLUMNS, Person, is_assigned, visibility_clause
from caseapp.security.permissions import Permission, can


def can_edit_consents(user, person) -> bool:
    """Leaders, and social workers assigned to the person (DESIGN §2, consent.edit)."""
    if not can(user, Permission.CONSENT_EDIT):
        return False
    return user.has_role("leader") or (user.has_role("social_worker") and is_assigned(user, person.id))


def consents_of(person_id) -> list[Consent]:
    return list(
        db.session.scalars(
            select(Consent)
            .where(Consent.person_id == person_id)
            .order_by(Consent.given_on.desc(), Consent.created_at.desc())
        )
    )


def record_consent(person: Person, data: dict, actor) -> Consent:
    """Register a consent; raises InvalidInput (writing nothing) with a message per wrong field."""
    problems = {}
    purpose, given_by, method = data.get("purpose"), data.get("given_by"), data.get("method")
    giver_name, witness = stripped(data.get("giver_name")), stripped(data.get("witness"))
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
    if expires_on is not None and (
        not isinstance(expires_on, date) or (isinstance(given_on, date) and expires_on <= given_on)
    ):
        problems["expires_on"] = _l("The expiry must be after the date it was given.")
    for name, value in (("giver_name", giver_name), ("witness", witness)):
        if value and len(value) > 200:
            problems[name] = _l("At most 200 characters.")
    if problems:
        raise InvalidInput({k: str(v) for k, v in problems.items()})
    consent = Consent(
        person_id=person.id,
        purpose=purpose,
        given_by=given_by,
        giver_name=giver_name if given_by != "person" else None,
        method=method,
        witness=witness if method == "oral_witness" else None,
        given_on=given_on,
        expires_on=expires_on,
        recorded_by_id=actor.id,
    )
    db.session.add(consent)
    db.session.flush()
    audit.record(
        "consent.create",
        object_type="consent",
        object_id=consent.id,
        subject_id=person.id,
        purpose=purpose,
        actor=actor,
        detail={"given_by": given_by, "method": method, "expires": expires_on is not None},
    )
    return consent


def withdraw_consent(consent: Consent, reason: str | None, version, actor) -> int:
    """Withdraw at once, and end every share or processing that rested on it (each domain's hook).

    Returns how many shares or processings ended. Raises StaleVersion if the consent changed since
    `version`, InvalidInput if there is no reason or it was already withdrawn.
    """
    if version is not None and int(version) != consent.version:
        raise StaleVersion()
    reason = stripped(reason)
    if consent.withdrawn_at is not None:
        raise InvalidInput({"reason": str(_l("The consent is already withdrawn."))})
    if not reason:
        raise InvalidInput(
            {"reason": str(_l("Write why the consent was withdrawn: the staff who relied on it will see it."))}
        )
    if len(reason) > MAX_TEXT:
        raise InvalidInput({"reason": str(_l("At most %(n)d characters.", n=MAX_TEXT))})
    consent.withdrawn_at = utcnow()
    consent.withdrawal_reason = reason
    consent.withdrawn_by_id = actor.id
    db.session.flush()  # the versioned UPDATE: a concurrent change raises StaleDataError here
    hooks = [hook for domain in domains() for hook in domain.consent_withdrawal]
    ended = sum(hook(consent.person_id, consent.purpose, reason) or 0 for hook in hooks)
    audit.record(
        "consent.withdraw",
        object_type="consent",
        object_id=consent.id,
        subject_id=consent.person_id,
        purpose=consent.purpose,
        actor=actor,
        detail={"ended": ended},
    )
    return ended


def recent_withdrawals(user, days: int = 30, limit: int = 10) -> list[tuple[Consent, Person]]:
    """Consents withdrawn lately for people the user works with, so they see what changed and why."""
    since = utcnow() - timedelta(days=days)
    query = (
        select(Consent, Person)
        .join(Person, Person.id == Consent.person_id)
        .where(Consent.withdrawn_at >= since)
        .order_by(Consent.withdrawn_at.desc())
        .limit(limit)
        # What the lists show: the resident's name, the purpose, when and why (nothing else decrypted).
        .options(
            Load(Consent).load_only(
                Consent.person_id, Consent.purpose, Consent.withdrawn_at, Consent.withdrawal_reason
            ),
            Load(Person).load_only(*NAME_COLUMNS),
        )
    )
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
