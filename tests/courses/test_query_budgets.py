"""Query budgets of the course list, the course page and the register: a fixed number of SQL statements
and one commit per request, the same however many courses, participants and sessions they show."""

from __future__ import annotations

import uuid

import pytest

from caseapp.domains.courses import services
from caseapp.domains.courses.models import Course
from caseapp.extensions import db
from caseapp.models.users import User

BUDGETS = {"list": 6, "course": 16, "register": 14}


def _measure(client, count_queries, url):
    client.get(url)
    with count_queries() as log:
        response = client.get(url)
    assert response.status_code == 200
    return log


def _mark_all(app, leader, course_id):
    with app.app_context():
        course, actor = db.session.get(Course, uuid.UUID(course_id)), db.session.get(User, leader.id)
        for e in course.enrolments:
            if e.status == "enrolled":
                services.mark(course.sessions[0], e, "present", actor, today=course.sessions[0].held_on)
        db.session.commit()
        return str(course.sessions[0].id)


@pytest.mark.parametrize("page", ["list", "course", "register"])
def test_course_pages_keep_their_budget(app, client, login_as, make_course, make_youth, enrol, count_queries, page):
    leader = login_as("course_leader")
    course_id = make_course(leader, capacity=3)
    enrol(leader, course_id, make_youth(1, last_name="Først"))
    session_id = _mark_all(app, leader, course_id)
    url = {
        "list": "/courses/",
        "course": f"/courses/{course_id}",
        "register": f"/courses/{course_id}/sessions/{session_id}/register",
    }[page]
    few = _measure(client, count_queries, url)
    if page == "list":
        for n in range(4):
            make_course(leader, title=f"Hold {n}")
    else:
        enrol(leader, course_id, make_youth(5, last_name="Flere"))  # two enrolled, three waiting
        _mark_all(app, leader, course_id)
    many = _measure(client, count_queries, url)
    few.within(BUDGETS[page], f"GET {url} with one course and participant")
    many.within(len(few), f"GET {url} with more courses and participants (as many as with one)")
    assert many.commits == 1
