"""Synthetic residents (Faker da_DK) with fake CPR numbers of valid form, households and assignments."""

from __future__ import annotations

import random
from datetime import date, timedelta

from faker import Faker
from flask import current_app

from caseapp.extensions import db
from caseapp.register import services
from caseapp.register.models import Assignment

BATCH = 500


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
    areas = current_app.config["AREAS"]
    today = date(2026, 1, 1)
    creator = (staff.get("social_worker") or staff.get("leader") or [None])[0]
    made = households = committed = 0
    while made < count:
        area = rng.choice(areas)
        last = fake.last_name()
        family = []
        for _ in range(1 if rng.random() < 0.2 else 2):
            if made >= count:
                break
            birth = today - timedelta(days=rng.randint(24 * 365, 55 * 365))
            family.append((_person(fake, rng, fake.first_name(), last, birth, area, creator), "parent"))
            made += 1
        for _ in range(rng.randint(0, 4)):
            if made >= count:
                break
            birth = today - timedelta(days=rng.randint(1 * 365, 19 * 365))
            family.append((_person(fake, rng, fake.first_name(), last, birth, area, creator), "child"))
            made += 1
        _assign(rng, staff, family)
        if len(family) > 1 and creator is not None:
            services.create_household(family, creator, area=area)
            households += 1
        if made - committed >= BATCH:
            # Bounded memory for large seeds: drop the batch from the session (and its key cache).
            db.session.commit()
            # Staff stay in the session: the next batch (and the later seeders) still use them.
            keep = {id(u) for users in staff.values() for u in users}
            for obj in [o for o in db.session if id(o) not in keep]:
                if obj in db.session:  # expunging a person takes their name tokens with it
                    db.session.expunge(obj)
            db.session.info.pop("caseapp.data_keys", None)
            committed = made
    db.session.commit()
    return [f"seeded {made} residents in {households} households"]


def _person(fake: Faker, rng: random.Random, first: str, last: str, birth: date, area: str, creator):
    details = services.PersonInput(
        first_name=first, last_name=last, cpr=fake_cpr(rng, birth),
        phone=fake.phone_number(), email=fake.email(), address=fake.street_address(),
        area=area, preferred_language=rng.choice(["dansk", "arabisk", "somali", "tyrkisk", "engelsk"]),
        notes=rng.choice(["", "Foretrækker at blive ringet op om eftermiddagen.", "Tolk ønskes ved møder."]),
    )
    return services.build_person(details, creator.id if creator else None)


def _assign(rng: random.Random, staff: dict, family: list) -> None:
    """Parents to a social worker (counselling); children over 13 to a mentor or course leader."""
    workers = staff.get("social_worker") or []
    mentors = staff.get("mentor") or []
    leaders = staff.get("course_leader") or []
    worker = rng.choice(workers) if workers else None
    for person, relation in family:
        if worker is not None:
            db.session.add(Assignment(user_id=worker.id, person_id=person.id, programme="counselling",
                                      starts_on=date(2025, 9, 1)))
        age = 2026 - (person.birth_year or 2000)
        if relation == "child" and age >= 13 and rng.random() < 0.6:
            pool, programme = (mentors, "mentoring") if rng.random() < 0.5 else (leaders, "courses")
            if pool:
                db.session.add(Assignment(user_id=rng.choice(pool).id, person_id=person.id, programme=programme,
                                          starts_on=date(2025, 9, 1)))
