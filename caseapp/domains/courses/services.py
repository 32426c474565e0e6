"""The verbs of youth courses: courses and their leaders, sessions, enrolment with the waiting list,
the attendance register (one mark at a time, or a whole register answering per mark), the completion
rule, later outcomes. Verbs flush and audit; the request commits once (caseapp.web)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from caseapp import audit
from caseapp.clock import local_today
from caseapp.crypto.blind_index import cpr_index, normalise_cpr
from caseapp.domain import provided
from caseapp.domains.courses.access import PROGRAMME, PURPOSE
from caseapp.domains.courses.models import (
    ACTIVE,
    ATTENDED,
    MARKS,
    OUTCOMES,
    PLAN_RECORD,
    Attendance,
    AttendanceAmendment,
    Course,
    CourseLeader,
    CourseOutcome,
    CourseSession,
    Enrolment,
)
from caseapp.errors import InvalidInput, Refused
from caseapp.extensions import db
from caseapp.models.base import StaleVersion, parse_uuid, utcnow
from caseapp.plan.tagging import set_tags
from caseapp.register import services as register
from caseapp.register.models import Assignment, Person

VETTING_UNCHECKABLE = _l(
    "Child-protection vetting cannot be checked (no part of the system records vetting): "
    "a volunteer cannot lead a course."
)
VETTING_STATES = {
    "missing": _l("The volunteer has no child-protection vetting (børneattest) on record."),
    "expired": _l("The volunteer's child-protection vetting (børneattest) has expired."),
    "refused": _l("The volunteer's child-protection vetting (børneattest) was not approved."),
}


def record(action: str, obj, subject_id=None, **detail) -> None:
    audit.record(
        f"courses.{action}",
        object_type=obj.__tablename__,
        object_id=obj.id,
        subject_id=subject_id,
        purpose=PURPOSE,
        detail=detail or None,
    )


def check_version(obj, version: int | None) -> None:
    if version is not None and version != obj.version:
        raise StaleVersion()


# Courses


@dataclass(frozen=True)
class CourseInput:
    title: str
    description: str
    starts_on: date
    ends_on: date
    capacity: int
    age_min: int | None = None
    age_max: int | None = None
    location: str = ""
    partner_name: str = ""
    partner_kind: str = "none"
    partner_association_id: str | None = None
    target_participants: int | None = None
    target_completions: int | None = None
    min_attendance_pct: int | None = 75
    follow_up_months: str = "3,6"
    plan_tags: object | None = None


@dataclass(frozen=True)
class Pattern:
    """A weekly pattern of sessions: every `weekday` (0 Monday) from the course's start to its end."""

    weekday: int
    starts_at: time
    ends_at: time
    topic: str = ""


def _apply(course: Course, data: CourseInput) -> None:
    if data.ends_on < data.starts_on:
        raise InvalidInput({"ends_on": _l("The course must end on or after its start.")})
    if data.age_min is not None and data.age_max is not None and data.age_max < data.age_min:
        raise InvalidInput({"age_max": _l("The upper age must not be below the lower age.")})
    for name in (
        "title",
        "description",
        "starts_on",
        "ends_on",
        "capacity",
        "age_min",
        "age_max",
        "location",
        "partner_name",
        "partner_kind",
        "partner_association_id",
        "target_participants",
        "target_completions",
        "follow_up_months",
    ):
        setattr(course, name, getattr(data, name))
    if course.partner_kind == "association" and course.partner_association_id:
        names = dict(association_choices())
        if course.partner_association_id in names:
            course.partner_name = names[course.partner_association_id]
    if course.partner_kind != "association":
        course.partner_association_id = None


def association_choices() -> list[tuple[str, str]]:
    """[(id, name)] of the associations a domain offers (provided("associations")), else none."""
    found: list[tuple[str, str]] = []
    for offer in provided("associations"):
        found.extend((str(i), str(n)) for i, n in offer())
    return found


def create_course(data: CourseInput, actor, pattern: Pattern | None = None) -> Course:
    course = Course(created_by_id=actor.id, min_attendance_pct=data.min_attendance_pct)
    course.id = uuid.uuid4()
    course.record_key = str(course.id)
    _apply(course, data)
    course.leaders.append(CourseLeader(user_id=actor.id))
    db.session.add(course)
    db.session.flush()
    set_tags(PLAN_RECORD, course.record_key, data.plan_tags)
    record("course.create", course, title=course.title)
    if pattern is not None:
        generate_sessions(course, pattern, actor)
    return course


def update_course(course: Course, data: CourseInput, version: int | None, actor) -> None:
    check_version(course, version)
    old_rule = course.min_attendance_pct
    _apply(course, data)
    db.session.flush()
    set_tags(PLAN_RECORD, course.record_key, data.plan_tags)
    record("course.update", course)
    for enrolment in course.enrolments:
        _extend_assignments(course, enrolment)
    if data.min_attendance_pct != old_rule:
        set_rule(course, data.min_attendance_pct, None, actor)
    offer_free_places(course)


def add_staff_leader(course: Course, user, actor) -> CourseLeader:
    if not user.has_role("course_leader"):
        raise InvalidInput({"user_id": _l("Choose a staff member who is a course leader.")})
    if any(leader.user_id == user.id for leader in course.leaders):
        raise Refused(_l("They already lead this course."), fields={"user_id": _l("They already lead this course.")})
    leader = CourseLeader(user_id=user.id)
    course.leaders.append(leader)
    db.session.flush()
    for enrolment in course.enrolments:
        if enrolment.person_id is not None and enrolment.status != "dropped_out":
            _assign(course, enrolment.person_id, user, actor)
    record("leader.add", course, user_id=user.id)
    return leader


def vetting_of(person_id, day: date) -> str | None:
    """ "valid" | "missing" | "expired" | "refused" from the domains that record vetting; None if none does."""
    checks = provided("child_vetting")
    if not checks:
        return None
    answers = [check(person_id, day) for check in checks]
    if "valid" in answers:
        return "valid"
    for state in ("refused", "expired", "missing"):
        if state in answers:
            return state
    return "missing"


def add_volunteer_leader(course: Course, person: Person, actor, today: date | None = None) -> CourseLeader:
    """A volunteer (a person in the register) leads the course only with valid child-protection vetting."""
    today = today or local_today()
    state = vetting_of(person.id, today)
    if state is None:
        raise Refused(VETTING_UNCHECKABLE, fields={"person_id": VETTING_UNCHECKABLE})
    if state != "valid":
        message = VETTING_STATES.get(state, VETTING_STATES["missing"])
        raise Refused(message, fields={"person_id": message})
    if any(leader.person_id == person.id for leader in course.leaders):
        raise Refused(_l("They already lead this course."), fields={"person_id": _l("They already lead this course.")})
    leader = CourseLeader(person_id=person.id, vetting_checked_on=today)
    course.leaders.append(leader)
    db.session.flush()
    audit.record(
        "courses.leader.add_volunteer",
        object_type="course",
        object_id=course.id,
        subject_id=person.id,
        purpose=PURPOSE,
        detail={"vetting": state},
    )
    return leader


# Sessions


@dataclass(frozen=True)
class SessionInput:
    held_on: date
    starts_at: time
    ends_at: time
    topic: str = ""
    required: bool = False


def _check_session(course: Course, data: SessionInput) -> None:
    problems = {}
    if data.ends_at <= data.starts_at:
        problems["ends_at"] = _l("The session must end after it starts.")
    if not course.starts_on <= data.held_on <= course.ends_on:
        problems["held_on"] = _l("The session must fall within the course's dates.")
    if problems:
        raise InvalidInput(problems)


def add_session(course: Course, data: SessionInput, actor) -> CourseSession:
    _check_session(course, data)
    session = CourseSession(
        held_on=data.held_on, starts_at=data.starts_at, ends_at=data.ends_at, topic=data.topic, required=data.required
    )
    course.sessions.append(session)
    db.session.flush()
    record("session.add", session, course_id=str(course.id))
    recompute_course(course)
    return session


def generate_sessions(course: Course, pattern: Pattern, actor) -> list[CourseSession]:
    """One session every `pattern.weekday` from the course's start to its end."""
    if pattern.ends_at <= pattern.starts_at:
        raise InvalidInput({"pattern_ends_at": _l("The session must end after it starts.")})
    day = course.starts_on + timedelta(days=(pattern.weekday - course.starts_on.weekday()) % 7)
    made = []
    existing = {(s.held_on, s.starts_at) for s in course.sessions}
    while day <= course.ends_on:
        if (day, pattern.starts_at) not in existing:
            session = CourseSession(
                held_on=day, starts_at=pattern.starts_at, ends_at=pattern.ends_at, topic=pattern.topic
            )
            course.sessions.append(session)
            made.append(session)
        day += timedelta(days=7)
    if not made:
        raise InvalidInput({"pattern_weekday": _l("No such weekday falls within the course's dates.")})
    db.session.flush()
    record("session.generate", course, sessions=len(made))
    recompute_course(course)
    return made


def set_session_cancelled(session: CourseSession, cancelled: bool, actor) -> None:
    session.cancelled = cancelled
    db.session.flush()
    record("session.cancel" if cancelled else "session.restore", session)
    recompute_course(session.course)


def set_session_required(session: CourseSession, required: bool, actor) -> None:
    if session.required == required:
        return
    session.required = required
    db.session.flush()
    audit.record(
        "courses.rule.change",
        object_type="course",
        object_id=session.course_id,
        purpose=PURPOSE,
        detail={"session_id": str(session.id), "required": required},
    )
    recompute_course(session.course)


# Enrolment and the waiting list


def outside_band(course: Course, person: Person) -> bool:
    return register.outside_ages(register.age_of(person, course.starts_on), course.age_min, course.age_max)


def holding_places(course: Course) -> int:
    return sum(1 for e in course.enrolments if e.status in ACTIVE)


def waiting_list(course: Course) -> list[Enrolment]:
    """The waiting list in its order: who asked first comes first."""
    return sorted((e for e in course.enrolments if e.status == "waiting"), key=lambda e: (e.requested_at, str(e.id)))


def _assign(course: Course, person_id, user, actor) -> None:
    """The leader's assignment to a participant, ending with the course."""
    found = db.session.scalar(
        select(Assignment).where(
            Assignment.user_id == user.id,
            Assignment.person_id == person_id,
            Assignment.programme == PROGRAMME,
            (Assignment.ends_on.is_(None)) | (Assignment.ends_on >= local_today()),
        )
    )
    if found is not None:
        if found.ends_on is not None and found.ends_on < course.ends_on:
            found.ends_on = course.ends_on
        return
    person = db.session.get(Person, person_id)
    register.assign(person, user, PROGRAMME, actor, ends_on=course.ends_on)


def _extend_assignments(course: Course, enrolment: Enrolment) -> None:
    if enrolment.person_id is None:
        return
    for assignment in db.session.scalars(
        select(Assignment).where(
            Assignment.person_id == enrolment.person_id,
            Assignment.programme == PROGRAMME,
            Assignment.user_id.in_([leader.user_id for leader in course.leaders if leader.user_id]),
        )
    ):
        if assignment.ends_on is not None and assignment.ends_on >= local_today():
            assignment.ends_on = max(assignment.ends_on, course.ends_on)


def enrol(
    course: Course, person: Person, actor, *, age_reason: str | None = None, today: date | None = None
) -> Enrolment:
    """Enrol the person, or put them on the waiting list when the course is full (or others wait)."""
    today = today or local_today()
    if any(e.person_id == person.id for e in course.enrolments):
        message = _l("They are already enrolled on or waiting for this course.")
        raise Refused(message, fields={"person_id": message})
    reason = (age_reason or "").strip() or None
    if outside_band(course, person) and reason is None:
        message = _l("They are outside the course's age band: record why they are accepted.")
        raise Refused(message, fields={"age_reason": message})
    if course.ends_on < today:
        raise Refused(_l("The course has ended."))
    full = holding_places(course) + sum(1 for e in course.enrolments if e.status == "waiting") >= course.capacity
    enrolment = Enrolment(
        person_id=person.id,
        created_by_id=actor.id,
        age_reason=reason,
        requested_at=utcnow(),
        status="waiting" if full else "enrolled",
    )
    if full:
        enrolment.waitlisted_on = today
    else:
        enrolment.enrolled_on = today
    course.enrolments.append(enrolment)
    db.session.flush()
    for leader in course.leaders:
        if leader.user_id is not None:
            _assign(course, person.id, leader.user, actor)
    record(
        "enrolment.waitlist" if full else "enrolment.enrol",
        enrolment,
        subject_id=person.id,
        course_id=str(course.id),
        outside_age_band=reason is not None,
    )
    return enrolment


def offer_free_places(course: Course, today: date | None = None) -> list[Enrolment]:
    """Offer each free place to the first on the waiting list not yet offered one (the leader confirms)."""
    today = today or local_today()
    waiting = waiting_list(course)
    offered = sum(1 for e in waiting if e.offered_on is not None)
    free = course.capacity - holding_places(course) - offered
    made = []
    for enrolment in (e for e in waiting if e.offered_on is None):
        if free <= 0:
            break
        enrolment.offered_on = today
        free -= 1
        made.append(enrolment)
        record("enrolment.offer", enrolment, subject_id=enrolment.person_id)
    db.session.flush()
    return made


def confirm_offer(enrolment: Enrolment, actor, version: int | None = None, today: date | None = None) -> None:
    """The leader confirms the place offered to someone on the waiting list: they are enrolled."""
    check_version(enrolment, version)
    if enrolment.status != "waiting" or enrolment.offered_on is None:
        raise Refused(_l("No place has been offered to them."))
    enrolment.status = "enrolled"
    enrolment.enrolled_on = today or local_today()
    db.session.flush()
    record("enrolment.confirm", enrolment, subject_id=enrolment.person_id)
    recompute(enrolment)


def decline_offer(enrolment: Enrolment, reason: str, actor, today: date | None = None) -> None:
    """They do not take the offered place: they leave the waiting list and the next is offered it."""
    drop_out(enrolment, reason, actor, today=today)


def drop_out(enrolment: Enrolment, reason: str, actor, version: int | None = None, today: date | None = None) -> None:
    check_version(enrolment, version)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": _l("Say why they left.")})
    if enrolment.status == "dropped_out":
        raise Refused(_l("They have already left the course."))
    today = today or local_today()
    enrolment.status = "dropped_out"
    enrolment.dropped_on = today
    enrolment.drop_reason = reason
    enrolment.completed_on = None
    db.session.flush()
    record("enrolment.drop_out", enrolment, subject_id=enrolment.person_id)
    offer_free_places(enrolment.course, today)


# The attendance register


class MarkProblem(Exception):
    def __init__(self, fields: dict):
        super().__init__(fields)
        self.fields = fields


def _check_mark(
    session: CourseSession, enrolment: Enrolment, status: str, reason: str | None, today: date
) -> Attendance | None:
    """The existing mark, after checking the new one may be made; MarkProblem says why not."""
    if status not in MARKS:
        raise MarkProblem({"status": _l("Choose present, late, excused or absent.")})
    if enrolment.course_id != session.course_id:
        raise MarkProblem({"enrolment_id": _l("They are not on this course.")})
    if enrolment.status not in ACTIVE and not (
        enrolment.status == "dropped_out" and enrolment.dropped_on and enrolment.dropped_on > session.held_on
    ):
        raise MarkProblem({"enrolment_id": _l("They hold no place on the course.")})
    if session.cancelled:
        raise MarkProblem({"session": _l("The session is cancelled.")})
    if session.held_on > today:
        raise MarkProblem({"session": _l("The session has not taken place yet.")})
    existing = next((m for m in enrolment.marks if m.session_id == session.id), None)
    late_edit = session.held_on < today and (existing is None or existing.status != status)
    if late_edit and not (reason or "").strip():
        raise MarkProblem({"reason": _l("A change after the session's day is an amendment: say why.")})
    return existing


def mark(
    session: CourseSession,
    enrolment: Enrolment,
    status: str,
    actor,
    *,
    reason: str | None = None,
    today: date | None = None,
) -> Attendance:
    """Save one mark (flush and audit); a change after the session's day keeps the mark before as an
    amendment with its reason. Raises InvalidInput naming what is wrong; nothing is written then."""
    today = today or local_today()
    try:
        existing = _check_mark(session, enrolment, status, reason, today)
    except MarkProblem as problem:
        raise InvalidInput(problem.fields) from None
    amended = session.held_on < today
    if existing is None:
        existing = Attendance(session_id=session.id, status=status, marked_by_id=actor.id)
        enrolment.marks.append(existing)
        before = "none"
    elif existing.status == status:
        return existing
    else:
        before = existing.status
        existing.status, existing.marked_by_id, existing.marked_at = status, actor.id, utcnow()
    db.session.flush()
    if amended:
        db.session.add(
            AttendanceAmendment(
                attendance_id=existing.id,
                person_id=enrolment.person_id,
                before=before,
                after=status,
                reason=reason.strip(),
                author_id=actor.id,
            )
        )
        db.session.flush()
    record(
        "attendance.amend" if amended else "attendance.mark",
        existing,
        subject_id=enrolment.person_id,
        status=status,
        before=before,
    )
    recompute(enrolment)
    return existing


@dataclass(frozen=True)
class MarkInput:
    enrolment_id: str
    status: str
    reason: str | None = None


def mark_register(session: CourseSession, marks: list[MarkInput], actor, today: date | None = None) -> list[dict]:
    """A whole register in one go, answering per mark: a mark that fails is reported and changes
    nothing; every other mark is saved."""
    by_id = {str(e.id): e for e in session.course.enrolments}
    results = []
    for item in marks:
        enrolment = by_id.get(str(item.enrolment_id))
        if enrolment is None:
            results.append(
                {
                    "enrolment_id": item.enrolment_id,
                    "saved": False,
                    "errors": {"enrolment_id": str(_l("They are not on this course."))},
                }
            )
            continue
        try:
            saved = mark(session, enrolment, item.status, actor, reason=item.reason, today=today)
        except InvalidInput as refused:
            results.append(
                {
                    "enrolment_id": item.enrolment_id,
                    "saved": False,
                    "errors": {k: str(v) for k, v in refused.fields.items()},
                }
            )
            continue
        results.append(
            {"enrolment_id": item.enrolment_id, "saved": True, "status": saved.status, "version": saved.version}
        )
    return results


# Completion


@dataclass(frozen=True)
class Standing:
    """A participant against the completion rule, with the numbers behind it."""

    attended: int  # present or late at sessions that count
    counted: int  # sessions that count (not cancelled), held or still to come
    held: int  # sessions that count and have taken place
    required_missed: tuple  # required sessions not attended
    met: bool

    @property
    def share(self) -> float:
        return self.attended / self.counted if self.counted else 0.0

    @property
    def rate(self) -> float | None:
        """Attendance so far: attended of the sessions held."""
        return self.attended / self.held if self.held else None


def evaluate(min_pct: int | None, sessions, marks: dict, today: date) -> Standing:
    """The rule over one participant's marks ({session_id: status}): attended at least `min_pct` percent
    of the sessions that count (cancelled ones do not), and every required one that counts."""
    counting = [s for s in sessions if not s.cancelled]
    attended = sum(1 for s in counting if marks.get(s.id) in ATTENDED)
    held = sum(1 for s in counting if s.held_on <= today)
    missed = tuple(s for s in counting if s.required and marks.get(s.id) not in ATTENDED)
    has_rule = min_pct is not None or any(s.required for s in counting)
    share_ok = min_pct is None or (bool(counting) and attended * 100 >= min_pct * len(counting))
    return Standing(attended, len(counting), held, missed, has_rule and bool(counting) and share_ok and not missed)


def standing(enrolment: Enrolment, today: date | None = None) -> Standing:
    course = enrolment.course
    return evaluate(
        course.min_attendance_pct,
        course.sessions,
        {m.session_id: m.status for m in enrolment.marks},
        today or local_today(),
    )


def recompute(enrolment: Enrolment, today: date | None = None) -> None:
    """Set completed/enrolled from the rule (only for those holding a place)."""
    if enrolment.status not in ACTIVE:
        return
    result = standing(enrolment, today)
    if result.met and enrolment.status != "completed":
        enrolment.status = "completed"
        days = [m.session.held_on for m in enrolment.marks if m.status in ATTENDED]
        enrolment.completed_on = max(days) if days else (today or local_today())
        record("enrolment.complete", enrolment, subject_id=enrolment.person_id)
    elif not result.met and enrolment.status == "completed":
        enrolment.status = "enrolled"
        enrolment.completed_on = None
        record("enrolment.uncomplete", enrolment, subject_id=enrolment.person_id)


def recompute_course(course: Course, today: date | None = None) -> None:
    for enrolment in course.enrolments:
        recompute(enrolment, today)
    db.session.flush()


def set_rule(course: Course, min_pct: int | None, required_ids, actor) -> None:
    """Change the completion rule; every participant is recomputed and the change audited (before, after)."""
    if min_pct is not None and not 0 <= min_pct <= 100:
        raise InvalidInput({"min_attendance_pct": _l("A share between 0 and 100 percent.")})
    before = {
        "min_attendance_pct": course.min_attendance_pct,
        "required": sorted(str(s.id) for s in course.sessions if s.required),
    }
    course.min_attendance_pct = min_pct
    if required_ids is not None:
        wanted = {str(i) for i in required_ids}
        unknown = wanted - {str(s.id) for s in course.sessions}
        if unknown:
            raise InvalidInput({"required_sessions": _l("Choose sessions of this course.")})
        for s in course.sessions:
            s.required = str(s.id) in wanted
    after = {"min_attendance_pct": min_pct, "required": sorted(str(s.id) for s in course.sessions if s.required)}
    if min_pct is None and not after["required"]:
        raise InvalidInput({"min_attendance_pct": _l("Set a minimum share, required sessions, or both.")})
    before_done = {str(e.id) for e in course.enrolments if e.status == "completed"}
    recompute_course(course)
    after_done = {str(e.id) for e in course.enrolments if e.status == "completed"}
    audit.record(
        "courses.rule.change",
        object_type="course",
        object_id=course.id,
        purpose=PURPOSE,
        detail={
            "before": before,
            "after": after,
            "completed_before": len(before_done),
            "completed_after": len(after_done),
        },
    )


# Later outcomes


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def record_outcome(
    enrolment: Enrolment, months: int, outcome: str, note: str | None, actor, today: date | None = None
) -> CourseOutcome:
    today = today or local_today()
    problems = {}
    if outcome not in OUTCOMES:
        problems["outcome"] = _l("Choose education, leisure job, work or other.")
    if months not in enrolment.course.months:
        problems["months"] = _l("Choose one of the course's follow-up points.")
    if enrolment.status == "waiting":
        problems["enrolment_id"] = _l("They never held a place on the course.")
    if problems:
        raise InvalidInput(problems)
    found = next((o for o in enrolment.outcomes if o.months == months), None)
    if found is None:
        found = CourseOutcome(months=months, person_id=enrolment.person_id)
        enrolment.outcomes.append(found)
    found.outcome, found.note, found.recorded_on, found.recorded_by_id = (
        outcome,
        (note or "").strip() or None,
        today,
        actor.id,
    )
    db.session.flush()
    record("outcome.record", found, subject_id=enrolment.person_id, months=months, outcome=outcome)
    return found


@dataclass(frozen=True)
class DueFollowUp:
    enrolment: Enrolment
    months: int
    due_on: date


def due_follow_ups(courses, today: date | None = None, within_days: int = 14) -> list[DueFollowUp]:
    """Follow-ups due (or overdue) within `within_days` for the participants who held a place."""
    today = today or local_today()
    found = []
    for course in courses:
        for m in course.months:
            due_on = add_months(course.ends_on, m)
            if due_on > today + timedelta(days=within_days):
                continue
            for e in course.enrolments:
                if (
                    e.status in ("enrolled", "completed")
                    and e.person_id is not None
                    and all(o.months != m for o in e.outcomes)
                ):
                    found.append(DueFollowUp(e, m, due_on))
    return sorted(found, key=lambda f: (f.due_on, str(f.enrolment.id)))


# Look-ups for pages


def enrolment_choices(course: Course, user, found=()) -> list[Person]:
    """The person picker's people: those the leader may see (their caseload, e.g. earlier participants)
    and those their CPR look-up found (`found`: ids, see `find_by_cpr`), without those already on the course."""
    taken = {e.person_id for e in course.enrolments if e.person_id is not None}
    query = register.people_visible_to(user)
    if taken:
        query = query.where(Person.id.not_in(taken))
    people = list(db.session.scalars(query.limit(500)))
    seen = {p.id for p in people} | taken
    people += [p for p in (db.session.get(Person, pid) for pid in found if pid not in seen) if p is not None]
    return people


def find_by_cpr(user, cpr: str) -> Person | None:
    """A course leader's one way to a young person outside their caseload: the full CPR number (from the
    enrolment slip) finds exactly one person or no one, never a list, so nobody can browse the register.
    Audited with the person found (or that no one was), never the number; kept if the request fails."""
    digits = normalise_cpr(cpr)
    found = (
        db.session.scalars(select(Person).where(Person.cpr_index == cpr_index(digits)).limit(2)).all()
        if len(digits) == 10
        else []
    )
    person = found[0] if len(found) == 1 else None
    audit.record_kept(
        "courses.enrolment.search",
        object_type="person",
        object_id=person.id if person else None,
        subject_id=person.id if person else None,
        purpose=PURPOSE,
        detail={"by": "cpr", "found": person is not None},
        actor=user,
    )
    return person


def person_to_enrol(person_id, user, found=()) -> Person:
    """The person a leader enrols: one they may see, or one their CPR look-up found (`found`: those ids)."""
    pid = parse_uuid(person_id)
    person = None
    if pid is not None:
        person = db.session.get(Person, pid) if pid in found else register.get_visible_person(pid, user)
    if person is None:
        raise InvalidInput({"person_id": _l("Choose a person from the list, or find them by CPR number.")})
    return person


def registered_person(person_id) -> Person:
    """A person of the register by id (a volunteer leader: add_volunteer_leader checks their vetting)."""
    pid = parse_uuid(person_id)
    person = db.session.get(Person, pid) if pid else None
    if person is None:
        raise InvalidInput({"person_id": _l("Choose a person from the register.")})
    return person


def session_moment(session: CourseSession) -> datetime:
    return datetime.combine(session.held_on, session.starts_at)
