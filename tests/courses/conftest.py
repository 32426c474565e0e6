"""Courses and young participants for the tests, made through the same verbs the pages use."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta

import pytest

from caseapp.domains.courses import services
from caseapp.domains.courses.access import PROGRAMME
from caseapp.domains.courses.models import Course
from caseapp.extensions import db
from caseapp.models.users import User
from caseapp.register import services as register
from caseapp.register.models import Person
from tests.people.factories import make_person

FIRST_NAMES = (
    "Ali",
    "Sara",
    "Mikkel",
    "Noor",
    "Emil",
    "Fatima",
    "Jonas",
    "Leyla",
    "Oscar",
    "Amina",
    "Viktor",
    "Hiba",
    "Lucas",
    "Yasmin",
    "Frederik",
    "Zainab",
    "Malthe",
    "Rania",
    "Anton",
    "Maryam",
)


@pytest.fixture
def make_youth(app):
    """make_youth(n, birth_year=...) -> [person ids (str)] of young people in the register."""

    def make(n: int, birth_year: int | None = None, last_name: str = "Jensen") -> list[str]:
        year = birth_year or date.today().year - 16  # born 2000-2036: the CPR's 7th digit 4 says so
        return [
            make_person(
                app,
                first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
                last_name=f"{last_name}{i}",
                cpr=f"{i % 28 + 1:02d}01{year % 100:02d}4{i:03d}",
            )
            for i in range(n)
        ]

    return make


@pytest.fixture
def make_course(app):
    """make_course(leader, capacity=..., weeks=..., started_weeks_ago=...) -> course id (str), weekly sessions."""

    def make(
        leader,
        *,
        capacity: int = 15,
        weeks: int = 6,
        started_weeks_ago: int = 0,
        min_pct: int | None = 75,
        title: str = "Fremtidsværkstedet",
        age=(14, 19),
    ) -> str:
        start = date.today() - timedelta(weeks=started_weeks_ago)
        with app.app_context():
            actor = db.session.get(User, leader.id)
            course = services.create_course(
                services.CourseInput(
                    title=title,
                    description="Uddannelsesvalg og fritidsjob",
                    starts_on=start,
                    ends_on=start + timedelta(weeks=weeks) - timedelta(days=1),
                    capacity=capacity,
                    age_min=age[0],
                    age_max=age[1],
                    location="Beboerhuset",
                    min_attendance_pct=min_pct,
                ),
                actor,
                services.Pattern(start.weekday(), time(16), time(18), "Holdgang"),
            )
            db.session.commit()
            return str(course.id)

    return make


@pytest.fixture
def enrol(app):
    def do(leader, course_id: str, person_ids, **kwargs) -> list[str]:
        with app.app_context():
            actor = db.session.get(User, leader.id)
            course = db.session.get(Course, uuid.UUID(course_id))
            made = [services.enrol(course, db.session.get(Person, uuid.UUID(p)), actor, **kwargs) for p in person_ids]
            db.session.commit()
            return [str(e.id) for e in made]

    return do


@pytest.fixture
def in_caseload(app):
    """in_caseload(staff, person_ids): the people become the staff member's own (a courses assignment, as
    after an earlier course), so the person picker and the API offer them; returns the ids."""

    def do(staff, person_ids) -> list[str]:
        with app.app_context():
            user = db.session.get(User, staff.id)
            for pid in person_ids:
                register.assign(db.session.get(Person, uuid.UUID(pid)), user, PROGRAMME, user)
            db.session.commit()
        return list(person_ids)

    return do
