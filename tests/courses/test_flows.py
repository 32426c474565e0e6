"""Youth courses end to end through the pages and the verbs: a course with sessions, enrolment up to the
waiting list in its order, registers, completion, drop-out with the next offered a place, outcomes."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from caseapp.domains.courses import services
from caseapp.domains.courses.models import Course
from caseapp.extensions import db
from caseapp.register.models import Assignment


def _course(app, course_id):
    return db.session.get(Course, uuid.UUID(course_id))


def test_create_a_course_with_weekly_sessions_through_the_page(client, login_as):
    login_as("course_leader")
    start = date.today()
    response = client.submit(
        "/courses/new",
        {
            "title": "Kodeklubben",
            "description": "Programmering",
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(weeks=4) - timedelta(days=1)).isoformat(),
            "capacity": "12",
            "age_min": "13",
            "age_max": "18",
            "location": "Medborgerhuset",
            "partner_kind": "association",
            "partner_name": "Coding Pirates",
            "min_attendance_pct": "75",
            "follow_up_months": "3,6",
            "pattern_weekday": str(start.weekday()),
            "pattern_starts_at": "16:00",
            "pattern_ends_at": "18:00",
            "pattern_topic": "Holdgang",
        },
        token_from="/courses/new",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kodeklubben" in page and page.count("/register") >= 4


def test_bad_course_input_is_422_with_input_kept_and_nothing_written(app, client, login_as):
    login_as("course_leader")
    response = client.submit(
        "/courses/new",
        {
            "title": "Halvt forløb",
            "starts_on": "2026-05-10",
            "ends_on": "2026-05-01",
            "capacity": "10",
            "partner_kind": "none",
            "follow_up_months": "3,6",
        },
        token_from="/courses/new",
    )
    assert response.status_code == 422
    assert "Halvt forløb" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Course.id)) is None


def test_enrolment_past_capacity_goes_to_the_waiting_list_in_order(app, login_as, make_course, make_youth, enrol):
    leader = login_as("course_leader")
    course_id = make_course(leader, capacity=3)
    people = make_youth(6)
    enrol(leader, course_id, people)
    with app.app_context():
        course = _course(app, course_id)
        assert services.holding_places(course) == 3
        waiting = services.waiting_list(course)
        assert [str(e.person_id) for e in waiting] == people[3:]
        # a place frees: the first waiting is offered it; the leader confirms
        first = next(e for e in course.enrolments if e.status == "enrolled")
        services.drop_out(first, "Flyttet", leader_user(app, leader))
        assert [e.offered_on is not None for e in services.waiting_list(course)] == [True, False, False]
        services.confirm_offer(services.waiting_list(course)[0], leader_user(app, leader))
        db.session.commit()
        course = _course(app, course_id)
        assert services.holding_places(course) == 3
        assert [str(e.person_id) for e in services.waiting_list(course)] == people[4:]


def leader_user(app, staff):
    from caseapp.models.users import User

    return db.session.get(User, staff.id)


def test_outside_the_age_band_needs_a_recorded_reason(app, login_as, make_course, make_youth):
    leader = login_as("course_leader")
    course_id = make_course(leader, age=(14, 15))
    (old,) = make_youth(1, birth_year=date.today().year - 19)
    with app.app_context():
        course, person = _course(app, course_id), db.session.get(services.Person, uuid.UUID(old))
        try:
            services.enrol(course, person, leader_user(app, leader))
            raise AssertionError("enrolled outside the age band without a reason")
        except services.Refused as refused:
            assert "age_reason" in refused.fields
        made = services.enrol(course, person, leader_user(app, leader), age_reason="Søster på holdet")
        assert made.age_reason == "Søster på holdet"


def test_enrolment_assigns_the_leader_until_the_course_ends(app, login_as, make_course, make_youth, enrol):
    leader = login_as("course_leader")
    course_id = make_course(leader)
    (person,) = make_youth(1)
    enrol(leader, course_id, [person])
    with app.app_context():
        course = _course(app, course_id)
        assignment = db.session.scalar(select(Assignment).where(Assignment.person_id == uuid.UUID(person)))
        assert assignment.user_id == leader.id and assignment.programme == "courses"
        assert assignment.ends_on == course.ends_on


def test_register_marks_one_tap_each_and_completion_follows_the_rule(
    app, client, login_as, make_course, make_youth, enrol
):
    leader = login_as("course_leader")
    course_id = make_course(leader, weeks=2, started_weeks_ago=1, min_pct=100)
    ids = enrol(leader, course_id, make_youth(3))
    with app.app_context():
        sessions = [str(s.id) for s in _course(app, course_id).sessions]
    past, current = sessions
    url = f"/courses/{course_id}/sessions/{current}/register"
    token = client.csrf_token(url)
    for eid in ids:
        response = client.post(url, json={"enrolment_id": eid, "status": "present"}, headers={"X-CSRFToken": token})
        assert response.status_code == 200, response.get_data(as_text=True)
    # a change after the session day is an amendment: refused without a reason, kept with one
    past_url = f"/courses/{course_id}/sessions/{past}/register"
    refused = client.post(past_url, json={"enrolment_id": ids[0], "status": "present"}, headers={"X-CSRFToken": token})
    assert refused.status_code == 422 and "reason" in refused.get_json()["error"]["fields"]
    ok = client.post(
        past_url,
        json={"enrolment_id": ids[0], "status": "present", "reason": "Glemt i går"},
        headers={"X-CSRFToken": token},
    )
    assert ok.status_code == 200 and ok.get_json()["enrolment_status"] == "completed"
    # without JavaScript: the button posts the form
    form = client.post(url, data={"enrolment_id": ids[1], "status": "absent", "csrf_token": token})
    assert form.status_code == 302
    with app.app_context():
        statuses = {str(e.id): e.status for e in _course(app, course_id).enrolments}
        assert statuses == {ids[0]: "completed", ids[1]: "enrolled", ids[2]: "enrolled"}
        assert _course(app, course_id).enrolments[0].marks[0].amendments or any(
            m.amendments for e in _course(app, course_id).enrolments for m in e.marks
        )
    page = client.get(f"/courses/{course_id}").get_data(as_text=True)
    assert "2 / 2" in page and "Reglen opfyldt" in page


def test_a_register_without_csrf_is_refused(app, client, login_as, make_course, make_youth, enrol):
    leader = login_as("course_leader")
    course_id = make_course(leader)
    (eid,) = enrol(leader, course_id, make_youth(1))
    with app.app_context():
        sid = str(_course(app, course_id).sessions[0].id)
    response = client.post(
        f"/courses/{course_id}/sessions/{sid}/register", json={"enrolment_id": eid, "status": "present"}
    )
    assert response.status_code in (400, 403)
    with app.app_context():
        assert not _course(app, course_id).enrolments[0].marks


def test_changing_the_rule_recomputes_and_is_audited(app, login_as, make_course, make_youth, enrol):
    leader = login_as("course_leader")
    course_id = make_course(leader, weeks=2, started_weeks_ago=1, min_pct=100)
    ids = enrol(leader, course_id, make_youth(2))
    with app.app_context():
        course, actor = _course(app, course_id), leader_user(app, leader)
        past = course.sessions[0]
        for e in course.enrolments:
            services.mark(past, e, "present", actor, today=past.held_on)
        db.session.commit()
        assert all(e.status == "enrolled" for e in course.enrolments)  # 1 of 2 sessions: 50 %
        services.set_rule(course, 50, None, actor)
        db.session.commit()
        assert all(e.status == "completed" for e in _course(app, course_id).enrolments)
    assert ids
