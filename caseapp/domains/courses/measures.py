"""What youth courses offer the plan's indicators (caseapp.domain.Measure): a SELECT each, one row per
record, tagged under the course's plan tag (PlanTag record_type "course", record_id the course's key).
Anonymised participants' rows stay, with person_id NULL, so counts survive erasure."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, case, cast, literal, select

from caseapp.domain import Measure
from caseapp.domains.courses.labels import OUTCOME_LABELS
from caseapp.domains.courses.models import (
    ATTENDED,
    PLAN_RECORD,
    Attendance,
    Course,
    CourseOutcome,
    CourseSession,
    Enrolment,
)


def _common(course_key):
    return (
        literal(PLAN_RECORD, String).label("tag_type"),
        course_key.label("tag_id"),
        literal("courses", String).label("programme"),
        literal(1).label("headcount"),
    )


def enrolment_rows():
    """Participations: everyone who held a place (not the waiting list), on the day they were enrolled."""
    outcome = case(
        (Enrolment.status == "completed", "completed"), (Enrolment.status == "dropped_out", "dropped_out"), else_=None
    )
    common = _common(Course.record_key)
    return (
        select(
            cast(Enrolment.id, String).label("record_id"),
            Enrolment.person_id.label("person_id"),
            Enrolment.enrolled_on.label("day"),
            common[0],
            common[1],
            common[2],
            outcome.label("outcome"),
            common[3],
        )
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.status != "waiting", Enrolment.enrolled_on.is_not(None))
    )


def attendance_rows():
    """Attendances: a participant present (or late) at a session that was not cancelled."""
    common = _common(Course.record_key)
    return (
        select(
            cast(Attendance.id, String).label("record_id"),
            Enrolment.person_id.label("person_id"),
            CourseSession.held_on.label("day"),
            common[0],
            common[1],
            common[2],
            literal(None, String).label("outcome"),
            common[3],
        )
        .join(Enrolment, Enrolment.id == Attendance.enrolment_id)
        .join(CourseSession, CourseSession.id == Attendance.session_id)
        .join(Course, Course.id == CourseSession.course_id)
        .where(Attendance.status.in_(ATTENDED), CourseSession.cancelled.is_(False))
    )


def completion_rows():
    common = _common(Course.record_key)
    return (
        select(
            cast(Enrolment.id, String).label("record_id"),
            Enrolment.person_id.label("person_id"),
            Enrolment.completed_on.label("day"),
            common[0],
            common[1],
            common[2],
            literal("completed", String).label("outcome"),
            common[3],
        )
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.status == "completed")
    )


def outcome_rows():
    """Later outcomes (education, leisure job, work, other), on the day recorded."""
    common = _common(Course.record_key)
    return (
        select(
            cast(CourseOutcome.id, String).label("record_id"),
            Enrolment.person_id.label("person_id"),
            CourseOutcome.recorded_on.label("day"),
            common[0],
            common[1],
            common[2],
            CourseOutcome.outcome.label("outcome"),
            common[3],
        )
        .join(Enrolment, Enrolment.id == CourseOutcome.enrolment_id)
        .join(Course, Course.id == Enrolment.course_id)
    )


MEASURES = (
    Measure(
        "courses.enrolment",
        _l("Participants in youth courses"),
        "persons",
        enrolment_rows,
        outcomes={"completed": _l("Completed the course"), "dropped_out": _l("Dropped out")},
    ),
    Measure("courses.attendance", _l("Attendances at youth course sessions"), "contacts", attendance_rows),
    Measure(
        "courses.completion",
        _l("Youth course completions"),
        "outcomes",
        completion_rows,
        outcomes={"completed": _l("Completed the course")},
    ),
    Measure(
        "courses.later_outcome", _l("Outcomes after youth courses"), "outcomes", outcome_rows, outcomes=OUTCOME_LABELS
    ),
)
