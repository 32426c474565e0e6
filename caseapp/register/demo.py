"""Synthetic residents (Faker da_DK) with fake CPR numbers of valid form, households and assignments.

Written in bulk: each batch of residents is sealed in one pass (a data key each, every personal field
encrypted and bound to its row, the CPR and name blind indexes) and inserted with one multi-row INSERT
per table, so 100,000 residents take seconds, not minutes. The values and the encryption are exactly
those the register's own verbs would write; one audit event records the seeding.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from faker import Faker
from flask import current_app

from caseapp import audit
from caseapp.crypto.blind_index import blind_index, name_words, normalise_cpr
from caseapp.crypto.fields import sealed_values
from caseapp.crypto.keystore import SubjectKey, keyring, new_subject_key
from caseapp.demo.bulk import BATCH, Rows
from caseapp.extensions import db
from caseapp.models.base import utcnow
from caseapp.register.models import Assignment, Household, HouseholdMember, Person, PersonNameToken

LANGUAGES = ("dansk", "arabisk", "somali", "tyrkisk", "engelsk")
NOTES = ("", "Foretrækker at blive ringet op om eftermiddagen.", "Tolk ønskes ved møder.")
POOL = 400  # Faker is slow: names and streets are drawn once from it, then combined


def fake_cpr(rng: random.Random, birth: date) -> str:
    """DDMMYY-SSSS whose 7th digit fits the century, as stdnum's dk.cpr reads it."""
    if birth.year < 2000:
        seventh = rng.choice("0123")
    else:
        seventh = rng.choice("5678") if birth.year <= 2057 else "4"
    return f"{birth:%d%m%y}-{seventh}{rng.randint(0, 999):03d}"


def seed(*, staff: dict, count: int, seed: int) -> list[str]:
    """Households of parents and children; every resident assigned to a frontline staff member."""
    if count <= 0:
        return []
    fake = Faker("da_DK")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    first_names = [fake.first_name() for _ in range(POOL)]
    last_names = [fake.last_name() for _ in range(POOL)]
    streets = [fake.street_name() for _ in range(POOL)]
    areas = current_app.config["AREAS"]
    today = date(2026, 1, 1)
    creator = (staff.get("social_worker") or staff.get("leader") or [None])[0]
    creator_id = creator.id if creator is not None else None
    batch = Rows(Person, SubjectKey, PersonNameToken, Household, HouseholdMember, Assignment)
    ring = keyring()
    made = households = 0
    while made < count:
        area = rng.choice(areas)
        last = rng.choice(last_names)
        family = []
        for relation, number, ages in (
            ("parent", 1 if rng.random() < 0.2 else 2, (24, 55)),
            ("child", rng.randint(0, 4), (1, 19)),
        ):
            for _ in range(number):
                if made >= count:
                    break
                birth = today - timedelta(days=rng.randint(ages[0] * 365, ages[1] * 365))
                person_id = _person(batch, ring, rng, rng.choice(first_names), last, birth, area, streets, creator_id)
                family.append((person_id, relation, birth.year))
                made += 1
        _assign(batch, rng, staff, family)
        if len(family) > 1:
            household_id, now = uuid.uuid4(), utcnow()
            batch.add(
                Household,
                {
                    "id": household_id,
                    "version": 1,
                    "area": area,
                    "created_by_id": creator_id,
                    "created_at": now,
                    "updated_at": now,
                },
            )
            for person_id, relation, _year in family:
                batch.add(HouseholdMember, {"household_id": household_id, "person_id": person_id, "relation": relation})
            households += 1
        if len(batch) >= BATCH:  # one commit per batch keeps the transaction small
            batch.write()
            db.session.commit()
    batch.write()
    audit.record("demo.seed", object_type="person", detail={"people": made, "households": households})
    db.session.commit()
    return [f"seeded {made} residents in {households} households"]


def _person(
    batch: Rows,
    ring,
    rng: random.Random,
    first: str,
    last: str,
    birth: date,
    area: str,
    streets: list,
    creator_id: int | None,
) -> uuid.UUID:
    """One resident's row, sealed under a new data key, with its key and name-token rows."""
    person_id = uuid.uuid4()
    key, key_row = new_subject_key(person_id, ring)
    cpr = fake_cpr(rng, birth)
    now = utcnow()
    email_name = f"{first}.{last}".lower().replace(" ", "").replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    batch.add(
        Person,
        sealed_values(
            Person,
            person_id,
            key,
            {
                "id": person_id,
                "version": 1,
                "created_at": now,
                "updated_at": now,
                "created_by_id": creator_id,
                "first_name": first,
                "last_name": last,
                "cpr": cpr,
                "birth_date": birth.isoformat(),
                "phone": f"+45 {rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                "email": f"{email_name}{rng.randint(1, 99)}@example.dk",
                "address": f"{rng.choice(streets)} {rng.randint(1, 120)}, "
                f"{rng.randint(1, 4)}. {rng.choice(('th', 'tv'))}",
                "preferred_language": rng.choice(LANGUAGES),
                "notes": rng.choice(NOTES) or None,
                # The blind indexes under the keyring in hand (cpr_index/name_index look the key up per call).
                "area": area,
                "birth_year": birth.year,
                "cpr_index": blind_index(ring.index_key, "cpr", normalise_cpr(cpr)),
                # a CPR number's last digit is odd for men, even for women; a few residents told us otherwise
                "gender": "other" if cpr.endswith("00") else ("male" if int(cpr[-1]) % 2 else "female"),
            },
        ),
    )
    batch.add(SubjectKey, key_row)
    for word in name_words(first, last):
        batch.add(PersonNameToken, {"person_id": person_id, "token": blind_index(ring.index_key, "name", word)})
    return person_id


def _assign(batch: Rows, rng: random.Random, staff: dict, family: list) -> None:
    """Parents and children to a social worker (counselling); some children over 13 also to a course
    leader. No one to a mentor: a mentee is opened to a mentor only by an active mentoring relationship,
    which the mentoring seeder makes through its own verbs (DESIGN §2)."""
    workers = staff.get("social_worker") or []
    leaders = staff.get("course_leader") or []
    worker = rng.choice(workers) if workers else None
    started = date(2025, 9, 1)
    for person_id, relation, birth_year in family:
        if worker is not None:
            batch.add(Assignment, _assignment(worker.id, person_id, "counselling", started))
        if relation == "child" and 2026 - birth_year >= 13 and rng.random() < 0.3 and leaders:
            batch.add(Assignment, _assignment(rng.choice(leaders).id, person_id, "courses", started))


def _assignment(user_id: int, person_id: uuid.UUID, programme: str, starts_on: date) -> dict:
    return {
        "user_id": user_id,
        "person_id": person_id,
        "programme": programme,
        "starts_on": starts_on,
        "ends_on": None,
        "created_by_id": None,
        "created_at": utcnow(),
    }
