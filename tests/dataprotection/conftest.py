"""Residents with records in every domain, and helpers to read the database raw, for the data-protection tests."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from caseapp.domains.dataprotection import consents, emergency
from caseapp.extensions import db
from caseapp.models.users import User
from tests.people.factories import make_person

# Values that must not survive an erasure anywhere.
PERSON = {
    "first_name": "Zainab",
    "last_name": "Kjærsgaard-Nielsen",
    "cpr": "1203104327",
    "phone": "+45 61 62 63 64",
    "email": "zainab.kn@example.dk",
    "address": "Lærkeparken 44, st. th.",
    "area": "Lærkeparken",
    "notes": "Kontakt helst via storesøster",
}
GIVER = "Fatima Kjærsgaard-Nielsen"
WITNESS = "Bodil Vidnesen"
SESSION_NOTES = "Mor fortæller om søvnproblemer og skolevægring hos Zainab"
CONCERN_TEXT = "Zainab er set sammen med ældre drenge ved stationen sent om aftenen"


def user(staff) -> User:
    return db.session.get(User, staff.id)


def add_consent(app, person_id: str, staff, purpose: str = "share_ssp", **extra) -> str:
    data = {
        "purpose": purpose,
        "given_by": "parent",
        "giver_name": GIVER,
        "method": "oral_witness",
        "witness": WITNESS,
        "given_on": date.today() - timedelta(days=30),
        "expires_on": None,
    } | extra
    with app.app_context():
        from caseapp.register.models import Person

        consent = consents.record_consent(db.session.get(Person, uuid.UUID(person_id)), data, user(staff))
        db.session.commit()
        return str(consent.id)


@pytest.fixture
def everywhere(app, make_user):
    """A resident with records in every domain: person, household, consents, a counselling case with a
    session, a concern shared with police on consent, an emergency access. Returns ids and the staff."""
    from caseapp.domains.concerns import services as concerns
    from caseapp.domains.concerns.models import Concern, local_today
    from caseapp.domains.counselling import cases as counselling
    from caseapp.domains.counselling.inputs import CaseOpening, SessionInput
    from caseapp.register.models import Household, HouseholdMember

    worker = make_user("social_worker", name="Karoline Sagsbehandlersen", email="karoline@kommune.dk")
    ssp = make_user("ssp", name="Sigurd Ssp-Medarbejdersen", email="sigurd@kommune.dk")
    mentor = make_user("mentor", name="Mette Mentorsen", email="mette@kommune.dk")
    other = make_person(
        app, first_name="Omar", last_name="Andersen", cpr="0202804321", assign_to=[(worker, "counselling")]
    )
    person_id = make_person(app, creator=worker, assign_to=[(worker, "counselling")], **PERSON)
    consent_id = add_consent(app, person_id, worker)
    add_consent(
        app, person_id, worker, purpose="photos", given_by="person", giver_name=None, method="signed_form", witness=None
    )
    with app.app_context():
        household = Household(area="Lærkeparken")
        household.members = [
            HouseholdMember(person_id=uuid.UUID(person_id), relation="child"),
            HouseholdMember(person_id=uuid.UUID(other), relation="parent"),
        ]
        db.session.add(household)
        case = counselling.open_case(
            CaseOpening(
                person_id=uuid.UUID(person_id),
                started_on=date.today(),
                focus_areas=("language",),
                background="Familien ønsker støtte",
                only_household=True,
            ),
            user(worker),
        )
        counselling.record_session(
            case,
            SessionInput(
                held_on=date.today(),
                duration_minutes=45,
                kind="home_visit",
                attendees=(uuid.UUID(person_id),),
                topics=("language",),
                notes=SESSION_NOTES,
            ),
            user(worker),
        )
        concern = concerns.file_concern(
            {
                "person_id": person_id,
                "observed_on": local_today() - timedelta(days=2),
                "area": "Lærkeparken",
                "source": "own_observation",
                "category": "wellbeing",
                "severity": "medium",
                "summary": "Bekymring om aftenaktivitet",
                "description": CONCERN_TEXT,
            },
            user(worker),
        )
        db.session.flush()
        concerns.transition(concern, "in_triage", "Drøftes i SSP", user(ssp), concern.version)
        share = concerns.share_concern(
            concern,
            recipient="police",
            legal_basis="consent",
            purpose="Koordinering",
            parts=["summary"],
            expires_on=local_today() + timedelta(days=30),
            actor=user(ssp),
        )
        db.session.commit()
        ids = {
            "person": person_id,
            "other": other,
            "consent": consent_id,
            "case": str(case.id),
            "concern": str(concern.id),
            "share": str(share.id),
        }
        assert db.session.get(Concern, concern.id) is not None
    with app.app_context():
        emergency.grant_break_glass(
            user(mentor), reason="Akut: barnet er forsvundet, skal finde kontaktperson", minutes=30, cpr=PERSON["cpr"]
        )
        db.session.commit()
    return {"ids": ids, "worker": worker, "ssp": ssp, "mentor": mentor}


def all_rows() -> list[tuple[str, tuple]]:
    """Every row of every table, read with raw SQL (no ORM, no decryption)."""
    rows = []
    tables = [t.name for t in db.metadata.sorted_tables] + ["alembic_version"]
    for table in tables:
        for row in db.session.execute(text(f'SELECT * FROM "{table}"')):
            rows.append((table, tuple(row)))
    return rows


def as_text(value) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("latin-1")
    return "" if value is None else str(value)
