"""Civil-society records for tests, made through the same verbs the pages and the API use."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from caseapp.clock import local_today
from caseapp.domains.community import services
from caseapp.domains.community.models import Activity, Volunteer
from caseapp.extensions import db
from caseapp.models.users import User

VOLUNTEER_NAME = ("Frida", "Frivilligsen")


def user(staff) -> User | None:
    return db.session.get(User, staff.id) if staff else None


def association(app, staff=None, **fields) -> str:
    data = {
        "name": "Vollsmose Idrætsforening",
        "folkeoplysende": True,
        "active": True,
        "declared_on": local_today() - timedelta(days=100),
    } | fields
    with app.app_context():
        made = services.create_association(data, user(staff))
        db.session.commit()
        return str(made.id)


def volunteer(app, staff=None, *, first_name=VOLUNTEER_NAME[0], last_name=VOLUNTEER_NAME[1], **fields) -> str:
    data = {
        "first_name": first_name,
        "last_name": last_name,
        "phone": "+45 22 33 44 55",
        "email": "frida@example.dk",
        "area": "Bøgeparken",
    } | fields
    with app.app_context():
        made = services.create_volunteer(data, user(staff))
        db.session.commit()
        return str(made.id)


def vet(app, volunteer_id: str, staff=None, *, received: date | None = None, assessment="no_entries", **fields) -> None:
    received = received or local_today() - timedelta(days=30)
    data = {
        "requested_on": received - timedelta(days=10),
        "consent_on": received - timedelta(days=9),
        "received_on": received,
        "assessment": assessment,
    } | fields
    with app.app_context():
        services.add_vetting(db.session.get(Volunteer, uuid.UUID(volunteer_id)), data, user(staff))
        db.session.commit()


def activity(app, staff=None, **fields) -> str:
    data = {
        "title": "Lektiecafé i Bøgeparken",
        "kind": "lektiecafe",
        "area": "Bøgeparken",
        "organiser": "staff",
        "for_under_15": True,
        "recurring": True,
        "starts_on": local_today() - timedelta(days=60),
    } | fields
    with app.app_context():
        made = services.create_activity(data, user(staff))
        db.session.commit()
        return str(made.id)


def occurrence(app, activity_id: str, staff=None, *, counts=None, day: date | None = None) -> str:
    counts = counts or [
        {"age_band": "6_14", "gender": "female", "resident": True, "count": 4},
        {"age_band": "6_14", "gender": "male", "resident": False, "count": 2},
    ]
    with app.app_context():
        made = services.record_occurrence(
            db.session.get(Activity, uuid.UUID(activity_id)),
            {
                "held_on": day or local_today() - timedelta(days=1),
                "total": sum(c["count"] for c in counts),
                "counts": counts,
            },
            user(staff),
        )
        db.session.commit()
        return str(made.id)


def place(app, volunteer_id: str, activity_id: str, staff, **fields):
    with app.app_context():
        made = services.place(
            db.session.get(Volunteer, uuid.UUID(volunteer_id)),
            db.session.get(Activity, uuid.UUID(activity_id)),
            {"role": "Hjælper", "children_contact": True} | fields,
            user(staff),
        )
        db.session.commit()
        return str(made.id)


def hours(app, volunteer_id: str, activity_id: str, staff=None, amount=2.5, day: date | None = None) -> None:
    with app.app_context():
        services.log_hours(
            db.session.get(Volunteer, uuid.UUID(volunteer_id)),
            db.session.get(Activity, uuid.UUID(activity_id)),
            {"hours": amount, "given_on": day or local_today() - timedelta(days=2)},
            user(staff),
        )
        db.session.commit()
