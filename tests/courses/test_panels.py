"""What youth courses add to the rest of the app: today's sessions on the course leader's landing page,
the person page's section, the agenda items of a week, and the demo seeder."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from caseapp.domains.courses import DOMAIN, views
from caseapp.domains.courses.models import Course
from caseapp.extensions import db
from caseapp.models.users import User


def test_landing_panel_shows_todays_sessions(client, login_as, make_course):
    leader = login_as("course_leader")
    course_id = make_course(leader, title="Dagens hold")
    page = client.get("/").get_data(as_text=True)
    assert "Dagens hold" in page and f"/courses/{course_id}/sessions/" in page


def test_person_page_section_lists_the_enrolment(client, login_as, make_course, make_youth, enrol):
    leader = login_as("course_leader")
    course_id = make_course(leader, title="Personholdet")
    (person,) = make_youth(1)
    enrol(leader, course_id, [person])
    page = client.get(f"/people/{person}").get_data(as_text=True)
    assert "Personholdet" in page and f"/courses/{course_id}" in page


def test_agenda_lists_the_weeks_sessions(app, make_user, make_course):
    leader = make_user("course_leader")
    other = make_user("course_leader")
    make_course(leader, title="Ugeholdet", weeks=3)
    with app.test_request_context():
        user = db.session.get(User, leader.id)
        items = views.agenda(user, date.today(), date.today() + timedelta(days=6))
        assert len(items) == 1 and "Ugeholdet" in items[0].label and "/register" in items[0].url
        assert views.agenda(db.session.get(User, other.id), date.today(), date.today() + timedelta(days=6)) == []


def test_the_seeder_makes_deterministic_demo_courses(app, make_user, make_youth):
    leader = make_user("course_leader")
    make_youth(12)
    with app.app_context():
        lines = DOMAIN.seeder(staff={"course_leader": [db.session.get(User, leader.id)]}, count=50, seed=3)
        assert lines and "youth courses" in lines[0]
        courses = db.session.scalars(db.select(Course).order_by(Course.starts_on)).all()
        assert len(courses) == 3
        ended, running, coming = courses
        assert any(e.status == "completed" for e in ended.enrolments)
        assert any(o for e in ended.enrolments for o in e.outcomes)
        assert any(e.status == "dropped_out" for e in ended.enrolments)
        assert any(e.status == "waiting" for e in coming.enrolments)
        assert any(m for e in running.enrolments for m in e.marks)
        assert uuid.UUID(str(running.id))
