"""Completion agrees with the rule over random registers (property test of the one evaluator), and the
persisted statuses agree with it after marks are saved through the verbs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseapp.domains.courses import services
from caseapp.domains.courses.models import ATTENDED, MARKS
from caseapp.extensions import db
from caseapp.models.users import User


@dataclass
class FakeSession:
    id: int
    held_on: date
    cancelled: bool
    required: bool


def _by_hand(min_pct, sessions, marks) -> bool:
    """The rule as written in the issue, counted the simplest way."""
    counting = [s for s in sessions if not s.cancelled]
    if not counting or (min_pct is None and not any(s.required for s in counting)):
        return False
    attended = [s for s in counting if marks.get(s.id) in ATTENDED]
    share_ok = min_pct is None or len(attended) / len(counting) >= min_pct / 100
    return share_ok and all(marks.get(s.id) in ATTENDED for s in counting if s.required)


@settings(max_examples=300, deadline=None)
@given(
    min_pct=st.one_of(st.none(), st.integers(0, 100)),
    rows=st.lists(
        st.tuples(st.booleans(), st.booleans(), st.one_of(st.none(), st.sampled_from(MARKS))), min_size=0, max_size=14
    ),
)
def test_evaluate_agrees_with_the_rule(min_pct, rows):
    today = date(2026, 6, 1)
    sessions = [
        FakeSession(i, today - timedelta(days=7 * i), cancelled, required)
        for i, (cancelled, required, _mark) in enumerate(rows)
    ]
    marks = {i: mark for i, (_c, _r, mark) in enumerate(rows) if mark is not None}
    result = services.evaluate(min_pct, sessions, marks, today)
    assert result.met == _by_hand(min_pct, sessions, marks)
    assert result.attended == sum(1 for s in sessions if not s.cancelled and marks.get(s.id) in ATTENDED)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    registers=st.lists(st.lists(st.sampled_from(MARKS), min_size=4, max_size=4), min_size=4, max_size=4),
    min_pct=st.integers(0, 100),
)
def test_saved_statuses_agree_with_the_rule(app, make_user, registers, min_pct):
    """Four participants, four held sessions marked at random through the verb: completed iff the rule holds."""
    leader = make_user("course_leader")
    from tests.people.factories import make_person

    people = [make_person(app, first_name="Ung", last_name=f"P{i}", cpr=f"0101104{i:03d}") for i in range(4)]
    start = date.today() - timedelta(weeks=4)
    with app.app_context():
        actor = db.session.get(User, leader.id)
        course = services.create_course(
            services.CourseInput(
                title="Egenskab",
                description="",
                starts_on=start,
                ends_on=start + timedelta(days=22),
                capacity=10,
                min_attendance_pct=min_pct,
            ),
            actor,
            services.Pattern(start.weekday(), services.time(16), services.time(17)),
        )
        enrolments = [
            services.enrol(course, db.session.get(services.Person, uuid.UUID(p)), actor, today=start) for p in people
        ]
        for e, register in zip(enrolments, registers, strict=True):
            for session, mark in zip(course.sessions, register, strict=True):
                services.mark(session, e, mark, actor, today=session.held_on)
        db.session.commit()
        for e, register in zip(enrolments, registers, strict=True):
            attended = sum(1 for m in register if m in ATTENDED)
            assert (e.status == "completed") == (attended * 100 >= min_pct * 4), (register, min_pct, e.status)
        db.session.rollback()
