"""Who may see and change what in youth courses (DESIGN §2); every list and look-up scopes here.

A course leader reads and runs the courses they lead (a CourseLeader row naming them) and reads those
courses' participants; leaders read every course; every other role gets 404. A course leader's
assignment to a participant (programme "courses") comes with the enrolment and ends with the course,
so the participant's person page opens to them for the course's duration.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from caseapp.domains.courses.models import Course, CourseLeader, CourseSession, Enrolment
from caseapp.errors import NotFound, NotPermitted
from caseapp.extensions import db
from caseapp.models.base import parse_uuid
from caseapp.security.permissions import Permission, can

PROGRAMME = "courses"  # the assignment programme that opens a participant to a course leader
PURPOSE = "courses"  # the audit purpose of every course read and write
NOT_FOUND = _l("It does not exist, or you do not have access to it.")


def runs_courses(user) -> bool:
    return user.has_role("course_leader") and can(user, Permission.COURSES_RUN)


def led_by(user) -> Select:
    """Ids of the courses the user leads."""
    return select(CourseLeader.course_id).where(CourseLeader.user_id == user.id)


def courses_visible_to(user) -> Select:
    """The one scoping query for courses: lists and details go through it."""
    query = select(Course)
    if not can(user, Permission.COURSES_READ):
        return query.where(False)
    if user.has_role("leader"):
        return query
    if runs_courses(user):
        return query.where(Course.id.in_(led_by(user)))
    return query.where(False)


def visible_course(course_id, user) -> Course:
    """The course, or NotFound (404) when the user may not see it: its existence is not confirmed."""
    cid = parse_uuid(course_id)
    course = db.session.scalar(courses_visible_to(user).where(Course.id == cid)) if cid else None
    if course is None:
        raise NotFound(NOT_FOUND)
    return course


def can_run(user, course: Course) -> bool:
    return runs_courses(user) and any(leader.user_id == user.id for leader in course.leaders)


def runnable_course(course_id, user) -> Course:
    """The course the user may change: NotFound if they may not see it, NotPermitted if they only read it."""
    course = visible_course(course_id, user)
    if not can_run(user, course):
        raise NotPermitted(_l("You may read this course but not change it"))
    return course


def session_of(course: Course, session_id) -> CourseSession:
    sid = parse_uuid(session_id)
    found = next((s for s in course.sessions if s.id == sid), None) if sid else None
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


def enrolment_of(course: Course, enrolment_id) -> Enrolment:
    eid = parse_uuid(enrolment_id)
    found = next((e for e in course.enrolments if e.id == eid), None) if eid else None
    if found is None:
        raise NotFound(NOT_FOUND)
    return found
