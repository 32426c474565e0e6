"""Data protection and the plan's measures: an erased participant's attendance and completion stay in the
course's counts and in every measure's rows (anonymous), the access export holds their course records,
retention anonymises ended courses, and each measure's rows() runs on the database."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from caseapp.domain import all_measures
from caseapp.domains.courses import privacy, queries, services
from caseapp.domains.courses.models import Course, Enrolment
from caseapp.extensions import db
from caseapp.models.users import User
from tests.conftest import log_in


def _held_course(app, leader, make_course, make_youth, enrol, n=3):
    course_id = make_course(leader, weeks=2, started_weeks_ago=1, min_pct=50)
    people = make_youth(n)
    ids = enrol(leader, course_id, people)
    with app.app_context():
        course, actor = db.session.get(Course, uuid.UUID(course_id)), db.session.get(User, leader.id)
        past = course.sessions[0]
        for e in course.enrolments:
            services.mark(past, e, "present", actor, today=past.held_on)
        db.session.commit()
    return course_id, people, ids


def _rows(code):
    measure = next(m for m in all_measures() if m.code == code)
    return [r._mapping for r in db.session.execute(measure.rows())]


def test_each_measure_rows_runs_and_counts_under_the_course_tag(app, make_user, make_course, make_youth, enrol):
    leader = make_user("course_leader")
    course_id, people, ids = _held_course(app, leader, make_course, make_youth, enrol)
    with app.app_context():
        actor = db.session.get(User, leader.id)
        course = db.session.get(Course, uuid.UUID(course_id))
        services.drop_out(course.enrolments[2], "Flyttet", actor)
        course.ends_on = date.today() - timedelta(days=1)
        services.record_outcome(course.enrolments[0], 3, "education", None, actor)
        db.session.commit()
        codes = {m.code: m for m in all_measures() if m.code.startswith("courses.")}
        assert {c: codes[c].unit for c in codes} == {
            "courses.enrolment": "persons",
            "courses.attendance": "contacts",
            "courses.completion": "outcomes",
            "courses.later_outcome": "outcomes",
        }
        enrolments = _rows("courses.enrolment")
        assert len(enrolments) == 3
        assert {r["tag_type"] for r in enrolments} == {"course"} and {r["tag_id"] for r in enrolments} == {course_id}
        assert sorted(str(r["outcome"]) for r in enrolments) == ["completed", "completed", "dropped_out"]
        assert {str(r["person_id"]) for r in enrolments} == set(people)
        assert all(r["headcount"] == 1 and r["programme"] == "courses" and r["day"] for r in enrolments)
        attendance = _rows("courses.attendance")
        assert len(attendance) == 3 and all(r["day"] == course.sessions[0].held_on for r in attendance)
        completions = _rows("courses.completion")
        assert len(completions) == 2 and {r["outcome"] for r in completions} == {"completed"}
        outcomes = _rows("courses.later_outcome")
        assert [r["outcome"] for r in outcomes] == ["education"]


def test_an_erased_participants_attendance_stays_in_the_counts(app, client, make_user, make_course, make_youth, enrol):
    leader = make_user("course_leader")
    course_id, people, ids = _held_course(app, leader, make_course, make_youth, enrol)
    with app.app_context():
        before = queries.rates(db.session.get(Course, uuid.UUID(course_id)))
        exported = privacy.export_person(uuid.UUID(people[0]))
        assert exported[0]["kind"] == "course_enrolment" and exported[0]["attendance"][0]["status"] == "present"
    dpo = make_user("leader")
    log_in(client, dpo)
    erasure = client.submit(
        f"/data-protection/people/{people[0]}/erase",
        {"ground": "request", "reason": "Anmodning modtaget pr. brev 3. november", "confirm": "y"},
        token_from=f"/data-protection/people/{people[0]}/erase",
    )
    assert erasure.status_code == 302, erasure.get_data(as_text=True)[:800]
    with app.app_context():
        course = db.session.get(Course, uuid.UUID(course_id))
        after = queries.rates(course)
        assert (after.participants, after.completed, after.course_rate) == (
            before.participants,
            before.completed,
            before.course_rate,
        )
        erased = db.session.get(Enrolment, uuid.UUID(ids[0]))
        assert erased.person_id is None and erased.drop_reason is None and erased.marks
        assert len(_rows("courses.attendance")) == 3
        assert sum(1 for r in _rows("courses.enrolment") if r["person_id"] is None) == 1
        assert privacy.export_person(uuid.UUID(people[0])) == []


def test_retention_anonymises_participants_of_long_ended_courses(app, make_user, make_course, make_youth, enrol):
    leader = make_user("course_leader")
    course_id, people, ids = _held_course(app, leader, make_course, make_youth, enrol, n=2)
    with app.app_context():
        course = db.session.get(Course, uuid.UUID(course_id))
        assert privacy.expired(date.today()) == []  # not yet due
        course.ends_on = date.today() - timedelta(days=4 * 365)
        db.session.commit()
        due = privacy.expired(date.today())
        assert {r.object_id for r in due} == set(ids)
        for record in due:
            privacy.purge(record)
        db.session.commit()
        assert all(e.person_id is None for e in db.session.scalars(select(Enrolment)))
        assert len(_rows("courses.attendance")) == 2
