"""Deterministic demo data for civil society, made through the domain's own verbs: Vollsmose-style
associations with support and declarations (some due), volunteers (new persons, fictitious) with
certificates in every state, activities across the kinds (core ones tagged to the plan) with a year of
weekly occurrences and anonymous head counts, placements and hours. Dates are relative to today. The
associations, volunteers and activities go through the verbs (a few dozen records); the year of
occurrences, head counts and hours, the bulk of it, is inserted in bulk (caseapp.demo.bulk) and audited
as one event."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from caseapp.clock import local_today
from caseapp.demo.bulk import Rows, record_seeding
from caseapp.domains.community import services
from caseapp.domains.community.models import (
    AGE_BANDS,
    GENDERS,
    Association,
    HeadCount,
    Occurrence,
    VolunteerHours,
)
from caseapp.extensions import db
from caseapp.models.base import utcnow
from caseapp.plan import demo as plan_demo
from caseapp.register.models import Person

ASSOCIATIONS = (
    ("Vollsmose Idrætsforening", "30512478", True, "Fodbold, svømning og motion for børn og voksne."),
    ("Foreningen Bydelsmødre Odense", "35124789", True, "Frivillige bydelsmødre støtter kvinder i boligområdet."),
    ("Lektiehjælpen i Vollsmose", None, True, "Frivillig lektiehjælp for skolebørn to gange om ugen."),
    ("Kulturforeningen Fællesskabet", "29871203", False, "Fællesspisning, fester og kulturarrangementer."),
    ("Fædrenetværket", None, False, "Netværk og samtalegrupper for fædre."),
)
ACTIVITIES = (  # title, kind, association index or None (staff), under 15, recurring, plan delmål
    ("Lektiecafé i Bøgeparken", "lektiecafe", 2, True, True),
    ("Bydelsmødrenes åbne café", "bydelsmoedre", 1, False, True),
    ("Lommepengejob: Grønne hold", "lommepengejob", None, False, True),
    ("Fædregruppe torsdag", "faedregruppe", 4, False, True),
    ("Fodbold for 8–12-årige", "sport", 0, True, True),
    ("Sommerfest i Vollsmose", "event", 3, False, False),
    ("Fællesspisning i beboerhuset", "meeting_place", 3, False, True),
)
WEEKS = 52  # a year of weekly occurrences and volunteer hours
PLAN_TAG = (
    "Sammenhængskraft og medborgerskab",
    "Flere beboere deltager i foreningsliv og frivilligt arbejde",
    "Styrket civilsamfund",
)


def seed(*, staff: dict, count: int, seed: int) -> list[str]:
    if count <= 0 or db.session.scalar(select(Association.id).limit(1)) is not None:
        return []
    rng = random.Random(seed + 15)
    today = local_today()
    coordinator = (staff.get("coordinator") or staff.get("leader") or [None])[0]
    leader = (staff.get("leader") or [coordinator])[0]
    areas = current_app.config["AREAS"]
    associations = []
    for index, (name, cvr, folk, text) in enumerate(ASSOCIATIONS):
        declared = today - timedelta(days=(400 if index == 3 else rng.randint(20, 330))) if index != 4 else None
        associations.append(
            services.create_association(
                {
                    "name": name,
                    "cvr": cvr,
                    "folkeoplysende": folk,
                    "active": True,
                    "declared_on": declared,
                    "description": text,
                },
                coordinator,
            )
        )
    for association in associations:
        for _n in range(rng.randint(1, 3)):
            kind = rng.choice(("advice", "premises", "money", "hours"))
            amount = {"money": float(rng.choice((2500, 5000, 10000))), "hours": float(rng.randint(2, 20))}.get(kind)
            services.add_support(
                association,
                {
                    "kind": kind,
                    "amount": amount,
                    "given_on": today - timedelta(days=rng.randint(5, 300)),
                    "description": "Støtte fra sekretariatet",
                },
                coordinator,
            )
    volunteers = []
    # Volunteers are residents of the register (adults), made a volunteer by the coordinator.
    adults = db.session.scalars(
        select(Person)
        .where(Person.birth_year <= today.year - 18)
        .order_by(Person.created_at, Person.id)
        .limit(min(16, max(6, count // 10)))
    ).all()
    for n, person in enumerate(adults):
        volunteer = services.enlist(
            person,
            {
                "started_on": today - timedelta(days=rng.randint(60, 900)),
                "associations": [str(associations[n % len(associations)].id)],
            },
            coordinator,
        )
        volunteers.append(volunteer)
        state = n % 6  # valid, expiring soon, expired, refused, pending, none
        if state == 0:
            received = today - timedelta(days=rng.randint(30, 500))
            services.add_vetting(
                volunteer,
                {
                    "requested_on": received - timedelta(days=14),
                    "consent_on": received - timedelta(days=12),
                    "received_on": received,
                    "assessment": "no_entries",
                },
                coordinator,
            )
        elif state in (1, 2):
            received = today - timedelta(days=2 * 365 - 20 if state == 1 else 2 * 365 + 40)
            services.add_vetting(
                volunteer,
                {
                    "requested_on": received - timedelta(days=10),
                    "consent_on": received - timedelta(days=9),
                    "received_on": received,
                    "assessment": "no_entries",
                },
                coordinator,
            )
        elif state == 3:
            services.add_vetting(
                volunteer,
                {"requested_on": today - timedelta(days=30), "consent_refused_on": today - timedelta(days=25)},
                coordinator,
            )
        elif state == 4:
            services.add_vetting(volunteer, {"requested_on": today - timedelta(days=5)}, coordinator)
    tags = plan_demo.form_tag(*PLAN_TAG)
    activities = []
    for index, (title, kind, owner, under_15, recurring) in enumerate(ACTIVITIES):
        data = {
            "title": title,
            "kind": kind,
            "area": areas[index % len(areas)],
            "organiser": "association" if owner is not None else "staff",
            "association_id": str(associations[owner].id) if owner is not None else None,
            "for_under_15": under_15,
            "recurring": recurring,
            "starts_on": today - timedelta(days=WEEKS * 7 if recurring else 0) + timedelta(days=0 if recurring else 3),
            "description": None,
        }
        if kind in ("lektiecafe", "bydelsmoedre", "lommepengejob", "faedregruppe"):
            data |= tags
        activities.append(services.create_activity(data, coordinator))
    rows = Rows(Occurrence, HeadCount, VolunteerHours)
    for activity in activities:
        if activity.recurring:
            _weekly_counts(rows, rng, today, activity, coordinator)
    placed = 0
    for n, volunteer in enumerate(volunteers):
        activity = activities[n % len(activities)]
        valid = services.vetting_status(volunteer) == "valid"
        if activity.for_under_15 and not valid:
            if n % 4 == 0 and leader is not None:
                services.place(
                    volunteer,
                    activity,
                    {
                        "role": "Hjælper",
                        "children_contact": True,
                        "override_reason": "Arbejder altid sammen med en godkendt leder; attest er bestilt",
                    },
                    leader,
                )
                placed += 1
            continue
        services.place(
            volunteer, activity, {"role": "Frivillig", "children_contact": activity.for_under_15}, coordinator
        )
        placed += 1
        for week in range(1, WEEKS + 1):  # as log_hours writes them
            rows.add(
                VolunteerHours,
                {
                    "id": uuid.uuid4(),
                    "volunteer_id": volunteer.id,
                    "person_id": volunteer.person_id,
                    "activity_id": activity.id,
                    "given_on": today - timedelta(days=7 * week),
                    "hours": float(rng.choice((1.5, 2, 2.5, 3))),
                    "anonymous": False,
                    "created_by_id": coordinator.id if coordinator else None,
                },
            )
    rows.write()
    record_seeding("community_activity", **{model.__tablename__: rows.count(model) for model in rows.tables})
    db.session.commit()
    return [
        f"seeded {len(associations)} associations, {len(volunteers)} volunteers, {len(activities)} activities, "
        f"{placed} placements"
    ]


def _weekly_counts(rows: Rows, rng: random.Random, today, activity, coordinator) -> None:
    """A year of weekly occurrences with their anonymous head counts, the rows record_occurrence writes."""
    bands = AGE_BANDS[1:3] if activity.for_under_15 else AGE_BANDS[3:5]
    for week in range(1, WEEKS + 1):
        occurrence_id, now = uuid.uuid4(), utcnow()
        total = 0
        for band in bands:
            for gender in GENDERS[:2]:
                for resident in (True, False):
                    number = rng.randint(0, 9) if resident else rng.randint(0, 2)
                    total += number
                    rows.add(
                        HeadCount,
                        {
                            "occurrence_id": occurrence_id,
                            "age_band": band,
                            "gender": gender,
                            "resident": resident,
                            "count": number,
                        },
                    )
        rows.add(
            Occurrence,
            {
                "id": occurrence_id,
                "created_at": now,
                "updated_at": now,
                "activity_id": activity.id,
                "held_on": today - timedelta(days=7 * week),
                "total": total,
                "created_by_id": coordinator.id if coordinator else None,
            },
        )
