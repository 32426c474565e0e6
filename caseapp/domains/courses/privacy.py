"""Youth courses' part in data protection: access export, erasure and retention.

Erasure and retention anonymise: the participant's link (person_id) and every text about them go;
the enrolment's status and dates, its attendance marks and outcome codes stay unnamed, so a course's
attendance and completion counts, and the plan's indicators over them, still add up.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import delete, select, update

from caseapp.domains.courses.labels import EXPORT_NAMES
from caseapp.domains.courses.models import (
    Attendance,
    AttendanceAmendment,
    Course,
    CourseLeader,
    CourseOutcome,
    Enrolment,
)
from caseapp.extensions import db
from caseapp.privacy import ExpiredRecord, PersonalDataSource, retention_cutoff


def _iso(day):
    return day.isoformat() if day else None


def export_person(person_id: uuid.UUID) -> list[dict]:
    records = []
    for e in db.session.scalars(select(Enrolment).where(Enrolment.person_id == person_id)):
        records.append(
            {
                "kind": "course_enrolment",
                "course": e.course.title,
                "starts_on": _iso(e.course.starts_on),
                "ends_on": _iso(e.course.ends_on),
                "status": e.status,
                "enrolled_on": _iso(e.enrolled_on),
                "waitlisted_on": _iso(e.waitlisted_on),
                "completed_on": _iso(e.completed_on),
                "dropped_on": _iso(e.dropped_on),
                "drop_reason": e.drop_reason,
                "age_reason": e.age_reason,
                "attendance": [
                    {
                        "held_on": _iso(m.session.held_on),
                        "status": m.status,
                        "amendments": [
                            {"before": a.before, "after": a.after, "reason": a.reason} for a in m.amendments
                        ],
                    }
                    for m in e.marks
                ],
                "outcomes": [
                    {"months": o.months, "outcome": o.outcome, "recorded_on": _iso(o.recorded_on), "note": o.note}
                    for o in e.outcomes
                ],
            }
        )
    for leader in db.session.scalars(select(CourseLeader).where(CourseLeader.person_id == person_id)):
        records.append(
            {
                "kind": "course_leadership",
                "course": leader.course.title,
                "vetting_checked_on": _iso(leader.vetting_checked_on),
            }
        )
    return records


def anonymise(enrolment_ids: list) -> dict[str, int]:
    if not enrolment_ids:
        return {"enrolments": 0}
    db.session.flush()
    marks = select(Attendance.id).where(Attendance.enrolment_id.in_(enrolment_ids))
    db.session.execute(
        update(AttendanceAmendment)
        .where(AttendanceAmendment.attendance_id.in_(marks))
        .values(person_id=None, reason=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(CourseOutcome)
        .where(CourseOutcome.enrolment_id.in_(enrolment_ids))
        .values(person_id=None, note=None)
        .execution_options(synchronize_session=False)
    )
    count = (
        db.session.execute(
            update(Enrolment)
            .where(Enrolment.id.in_(enrolment_ids))
            .values(person_id=None, drop_reason=None, age_reason=None)
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0
    )
    db.session.expire_all()
    return {"enrolments": count}


def erase_person(person_id: uuid.UUID) -> dict[str, int]:
    """The person's enrolments become anonymous counts; their volunteer leadership is deleted."""
    ids = list(db.session.scalars(select(Enrolment.id).where(Enrolment.person_id == person_id)))
    counts = anonymise(ids)
    counts["leaderships"] = (
        db.session.execute(delete(CourseLeader).where(CourseLeader.person_id == person_id)).rowcount or 0
    )
    db.session.expire_all()
    return counts


def expired(today: date) -> list[ExpiredRecord]:
    """Named enrolments on courses that ended on or before the cutoff (RETENTION["courses_ended"])."""
    cutoff = retention_cutoff("courses_ended", today)
    if cutoff is None:
        return []
    rows = db.session.execute(
        select(Enrolment.id, Enrolment.person_id)
        .join(Course)
        .where(Course.ends_on <= cutoff, Enrolment.person_id.is_not(None))
    )
    return [ExpiredRecord("courses_ended", "course_enrolment", str(eid), pid) for eid, pid in rows]


def purge(record: ExpiredRecord) -> None:
    anonymise([uuid.UUID(record.object_id)])


SOURCE = PersonalDataSource(
    domain="courses", names=EXPORT_NAMES, export=export_person, erase=erase_person, expired=expired, purge=purge
)
