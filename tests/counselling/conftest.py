"""Families and counselling cases for the tests, made through the same services the pages use."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from caseapp.domains.counselling import services
from caseapp.extensions import db
from caseapp.models.users import User
from caseapp.register.models import Household, HouseholdMember
from tests.people.factories import make_person

ROLES_WITHOUT_COUNSELLING = ("mentor", "course_leader", "ssp", "police", "coordinator", "analyst", "admin")


@pytest.fixture
def make_family(app):
    """make_family(staff=None) -> {"parent", "child", "household"} ids; staff (if given) assigned to both
    for counselling, the way a leader or the register's creator would have done."""

    def make(staff=None, first="Amira", child_first="Yusuf"):
        assign = [(staff, "counselling")] if staff else []
        parent = make_person(app, first_name=first, last_name="Hansen", cpr="0101901234", assign_to=assign)
        child = make_person(app, first_name=child_first, last_name="Hansen", cpr="0101154123", assign_to=assign)
        with app.app_context():
            household = Household(area="Bøgeparken")
            household.members = [HouseholdMember(person_id=_uuid(parent), relation="parent"),
                                 HouseholdMember(person_id=_uuid(child), relation="child")]
            db.session.add(household)
            db.session.commit()
            return {"parent": parent, "child": child, "household": str(household.id)}

    return make


def _uuid(text):
    import uuid

    return uuid.UUID(text)


@pytest.fixture
def make_case(app):
    """make_case(staff, family, session=True) -> case id (str), opened by `staff` through the service,
    with a home visit carrying an action when session=True."""

    def make(staff, family, *, session: bool = True, notes: str = "Mor fortæller om sprogstimulering derhjemme."):
        with app.app_context():
            actor = db.session.get(User, staff.id)
            case = services.open_case({"person_id": family["parent"], "focus_areas": ["language", "attendance"],
                                       "children": [family["child"]], "background": "Ønsker hjælp til lektier."},
                                      actor)
            if session:
                services.record_session(case, {
                    "held_on": date.today(), "duration_minutes": 60, "kind": "home_visit",
                    "attendees": [family["parent"]], "topics": ["language"], "notes": notes,
                    "next_follow_up": date.today() + timedelta(days=1),
                    "actions": [{"description": "Ring til børnehaven", "owner": "counsellor",
                                 "due_on": date.today() + timedelta(days=1)}],
                }, actor)
            db.session.commit()
            return str(case.id)

    return make
