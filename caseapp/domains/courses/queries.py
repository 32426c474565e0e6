"""Read side of youth courses: the course list (own, current first), a course loaded for its page in a
fixed number of queries, rates, today's sessions, the person-page rows and the agenda."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, select
from sqlalchemy.orm import selectinload

from caseapp import audit
from caseapp.clock import local_today
from caseapp.domains.courses import access
from caseapp.domains.courses.access import PURPOSE
from caseapp.domains.courses.models import ATTENDED, Attendance, Course, CourseLeader, CourseSession, Enrolment
from caseapp.domains.courses.services import Standing, standing
from caseapp.extensions import db
from caseapp.models.base import parse_uuid


def audit_list(what: str, **detail) -> None:
    audit.record(f"courses.{what}.list", object_type="course", purpose=PURPOSE, detail=detail or None)


def audit_course_view(course: Course) -> None:
    """A course page names its participants: the view is audited once per participant shown."""
    audit.record("courses.course.view", object_type="course", object_id=course.id, purpose=PURPOSE)
    for e in course.enrolments:
        if e.person_id is not None:
            audit.record(
                "courses.participant.view",
                object_type="course_enrolment",
                object_id=e.id,
                subject_id=e.person_id,
                purpose=PURPOSE,
            )


def course_list(user, q: str | None = None, today: date | None = None) -> Select:
    """Visible courses, current first (running, then coming, then ended), newest start first within each."""
    today = today or local_today()
    query = access.courses_visible_to(user)
    if q:
        query = query.where(Course.title.ilike(f"%{q}%"))
    order = case((Course.ends_on < today, 2), (Course.starts_on > today, 1), else_=0)
    return query.order_by(order, Course.starts_on.desc(), Course.id)


def with_everything(query: Select) -> Select:
    """A course with leaders, sessions, enrolments (with their people, marks and outcomes): a query each."""
    enrolments = selectinload(Course.enrolments)
    return query.options(
        selectinload(Course.leaders).selectinload(CourseLeader.user),
        selectinload(Course.leaders).selectinload(CourseLeader.person),
        selectinload(Course.sessions),
        enrolments.selectinload(Enrolment.person),
        enrolments.selectinload(Enrolment.marks).selectinload(Attendance.amendments),
        enrolments.selectinload(Enrolment.outcomes),
    )


def course_page(course_id, user) -> Course:
    cid = parse_uuid(course_id)
    course = (
        db.session.scalar(with_everything(access.courses_visible_to(user).where(Course.id == cid))) if cid else None
    )
    if course is None:
        from caseapp.errors import NotFound

        raise NotFound(access.NOT_FOUND)
    return course


@dataclass(frozen=True)
class Rates:
    standings: dict  # enrolment id -> Standing
    course_rate: float | None  # attended marks / (held sessions x participants holding a place then)
    completed: int
    participants: int


def rates(course: Course, today: date | None = None) -> Rates:
    today = today or local_today()
    standings: dict = {}
    attended = possible = 0
    held = [s for s in course.sessions if not s.cancelled and s.held_on <= today]
    for e in course.enrolments:
        if e.status == "waiting":
            continue
        result: Standing = standing(e, today)
        standings[e.id] = result
        marks = {m.session_id: m.status for m in e.marks}
        for s in held:
            if e.status == "dropped_out" and e.dropped_on and e.dropped_on <= s.held_on:
                continue
            if e.enrolled_on and e.enrolled_on > s.held_on and s.id not in marks:
                continue
            possible += 1
            attended += marks.get(s.id) in ATTENDED
    participants = sum(1 for e in course.enrolments if e.status != "waiting")
    completed = sum(1 for e in course.enrolments if e.status == "completed")
    return Rates(standings, attended / possible if possible else None, completed, participants)


def sessions_of_user(user, start: date, end: date) -> list[CourseSession]:
    """Sessions (not cancelled) of the courses the user leads between start and end, in time order."""
    if not access.runs_courses(user):
        return []
    return db.session.scalars(
        select(CourseSession)
        .options(selectinload(CourseSession.course))
        .where(
            CourseSession.course_id.in_(access.led_by(user)),
            CourseSession.held_on.between(start, end),
            CourseSession.cancelled.is_(False),
        )
        .order_by(CourseSession.held_on, CourseSession.starts_at)
    ).all()


def own_courses(user) -> list[Course]:
    if not access.runs_courses(user):
        return []
    return db.session.scalars(
        select(Course)
        .where(Course.id.in_(access.led_by(user)))
        .options(
            selectinload(Course.enrolments).selectinload(Enrolment.outcomes),
            selectinload(Course.enrolments).selectinload(Enrolment.person),
        )
        .order_by(Course.starts_on.desc())
    ).all()


def enrolments_of_person(user, person) -> list[Enrolment]:
    """The person's enrolments on courses the user may see."""
    visible = access.courses_visible_to(user).with_only_columns(Course.id)
    return db.session.scalars(
        select(Enrolment)
        .options(selectinload(Enrolment.course))
        .where(Enrolment.person_id == person.id, Enrolment.course_id.in_(visible))
        .order_by(Enrolment.requested_at.desc())
    ).all()


def register_rows(course: Course, session: CourseSession) -> list[tuple[Enrolment, Attendance | None]]:
    """The cohort for one session's register, by name: who holds a place (or held it that day)."""
    rows = []
    for e in course.enrolments:
        keeps = e.status in ("enrolled", "completed") or (
            e.status == "dropped_out" and e.dropped_on and e.dropped_on > session.held_on
        )
        if not keeps:
            continue
        rows.append((e, next((m for m in e.marks if m.session_id == session.id), None)))
    return sorted(rows, key=lambda r: (r[0].person.full_name.casefold() if r[0].person else "~", str(r[0].id)))
