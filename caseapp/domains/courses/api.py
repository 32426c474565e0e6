"""JSON routes of youth courses under /api/v1/courses: the pages' forms validate each body and document
it, the same verbs change data. 403 for roles without the permission, 404 for courses not visible,
409 for a stale version, 422 with field messages. A whole register is one request answering per mark."""

from __future__ import annotations

from flask_login import current_user

from caseapp.domains.courses import access, queries, services
from caseapp.domains.courses import api_bp as api
from caseapp.domains.courses.forms import (
    CourseCreateForm,
    CourseEditForm,
    EnrolForm,
    OutcomeForm,
    RegisterForm,
    SessionForm,
    course_form_data,
)
from caseapp.domains.courses.models import ENROLMENT_STATUSES, MARKS, OUTCOMES, PARTNER_KINDS
from caseapp.platform.api.helpers import doc, json_body, page_args, paged, run_verb, validate_form
from caseapp.platform.api.schema import DATE, ID, TEXT, nullable, obj, page_of
from caseapp.security.permissions import Permission, require

READ, RUN = Permission.COURSES_READ, Permission.COURSES_RUN
BASE = "/courses"
COURSE_URL = f"{BASE}/<uuid:course_id>"
PAGE_PARAMS = [{"name": n, "in": "query", "schema": {"type": "integer", "minimum": 1}} for n in ("page", "per_page")]


INT = {"type": "integer"}
COURSE = obj(
    {
        "id": ID,
        "title": TEXT,
        "description": TEXT,
        "starts_on": DATE,
        "ends_on": DATE,
        "capacity": INT,
        "age_min": nullable(INT),
        "age_max": nullable(INT),
        "location": TEXT,
        "partner": obj(
            {"kind": {"type": "string", "enum": list(PARTNER_KINDS)}, "name": TEXT, "association_id": nullable(TEXT)}
        ),
        "target_participants": nullable(INT),
        "target_completions": nullable(INT),
        "min_attendance_pct": nullable(INT),
        "follow_up_months": {"type": "array", "items": INT},
        "participants": INT,
        "completed": INT,
        "waiting": INT,
        "attendance_rate": nullable({"type": "number"}),
        "version": INT,
    }
)
SESSION = obj(
    {
        "id": ID,
        "held_on": DATE,
        "starts_at": TEXT,
        "ends_at": TEXT,
        "topic": TEXT,
        "required": {"type": "boolean"},
        "cancelled": {"type": "boolean"},
    }
)
ENROLMENT = obj(
    {
        "id": ID,
        "person": nullable(obj({"id": ID, "name": TEXT})),
        "status": {"type": "string", "enum": list(ENROLMENT_STATUSES)},
        "waiting_position": nullable(INT),
        "enrolled_on": nullable(DATE),
        "waitlisted_on": nullable(DATE),
        "offered_on": nullable(DATE),
        "completed_on": nullable(DATE),
        "dropped_on": nullable(DATE),
        "attended": INT,
        "sessions_counted": INT,
        "rule_met": {"type": "boolean"},
        "version": INT,
    }
)
MARK = obj({"enrolment_id": ID, "status": nullable({"type": "string", "enum": list(MARKS)})})
MARK_RESULT = {
    "type": "object",
    "required": ["enrolment_id", "saved"],
    "properties": {
        "enrolment_id": TEXT,
        "saved": {"type": "boolean"},
        "status": {"type": "string", "enum": list(MARKS)},
        "version": INT,
        "errors": {"type": "object", "additionalProperties": TEXT},
    },
}
OUTCOME = obj(
    {
        "id": ID,
        "enrolment_id": ID,
        "months": INT,
        "outcome": {"type": "string", "enum": list(OUTCOMES)},
        "recorded_on": DATE,
        "note": nullable(TEXT),
    }
)


def _iso(value):
    return value.isoformat() if value else None


def course_dict(course, rates=None) -> dict:
    rates = rates or queries.rates(course)
    return {
        "id": str(course.id),
        "title": course.title,
        "description": course.description,
        "starts_on": _iso(course.starts_on),
        "ends_on": _iso(course.ends_on),
        "capacity": course.capacity,
        "age_min": course.age_min,
        "age_max": course.age_max,
        "location": course.location,
        "partner": {
            "kind": course.partner_kind,
            "name": course.partner_name,
            "association_id": course.partner_association_id,
        },
        "target_participants": course.target_participants,
        "target_completions": course.target_completions,
        "min_attendance_pct": course.min_attendance_pct,
        "follow_up_months": course.months,
        "participants": rates.participants,
        "completed": rates.completed,
        "waiting": len(services.waiting_list(course)),
        "attendance_rate": rates.course_rate,
        "version": course.version,
    }


def session_dict(s) -> dict:
    return {
        "id": str(s.id),
        "held_on": _iso(s.held_on),
        "starts_at": s.starts_at.strftime("%H:%M"),
        "ends_at": s.ends_at.strftime("%H:%M"),
        "topic": s.topic,
        "required": s.required,
        "cancelled": s.cancelled,
    }


def enrolment_dict(e, position=None) -> dict:
    st = services.standing(e)
    return {
        "id": str(e.id),
        "person": {"id": str(e.person_id), "name": e.person.full_name} if e.person else None,
        "status": e.status,
        "waiting_position": position,
        "enrolled_on": _iso(e.enrolled_on),
        "waitlisted_on": _iso(e.waitlisted_on),
        "offered_on": _iso(e.offered_on),
        "completed_on": _iso(e.completed_on),
        "dropped_on": _iso(e.dropped_on),
        "attended": st.attended,
        "sessions_counted": st.counted,
        "rule_met": st.met,
        "version": e.version,
    }


def outcome_dict(o) -> dict:
    return {
        "id": str(o.id),
        "enrolment_id": str(o.enrolment_id),
        "months": o.months,
        "outcome": o.outcome,
        "recorded_on": _iso(o.recorded_on),
        "note": o.note,
    }


def _page(items: list, serialise) -> dict:
    page, per_page = page_args()
    chosen = items[(page - 1) * per_page : page * per_page]
    return {"items": [serialise(i) for i in chosen], "page": page, "per_page": per_page, "total": len(items)}


@api.get(BASE)
@require(READ)
@doc(
    "Youth courses visible to you (your own; leaders: all), current first, paged",
    params=PAGE_PARAMS,
    responses={"200": ("A page of courses", page_of(COURSE))},
)
def courses_list():
    body = paged(queries.with_everything(queries.course_list(current_user)), course_dict)
    queries.audit_list("course", page=body["page"], count=len(body["items"]))
    return body


@api.post(BASE)
@require(RUN)
@doc(
    "Create a course you lead; a weekly pattern (pattern_weekday 0-6, times) generates its sessions",
    form=CourseCreateForm,
    responses={"201": ("Created: the course", COURSE)},
)
def courses_create():
    if not access.runs_courses(current_user):
        from caseapp.errors import NotPermitted

        raise NotPermitted()
    form = validate_form(CourseCreateForm, json_body())
    course = services.create_course(form.to_input(), current_user, form.pattern())
    return course_dict(course), 201


@api.get(COURSE_URL)
@require(READ)
@doc("One course with its numbers", responses={"200": ("The course", COURSE)})
def courses_get(course_id):
    course = queries.course_page(course_id, current_user)
    queries.audit_list("course", course_id=str(course.id))
    return course_dict(course)


@api.patch(COURSE_URL)
@require(RUN)
@doc(
    "Change a course: the fields sent, on the version you read (a changed minimum share recomputes completion)",
    form=CourseEditForm,
    responses={"200": ("The course", COURSE)},
)
def courses_update(course_id):
    course = access.runnable_course(course_id, current_user)
    current = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v)
        for k, v in course_form_data(course).items()
        if k != "version" and v is not None
    }
    form = validate_form(CourseEditForm, {**current, **json_body()})
    run_verb(lambda: services.update_course(course, form.to_input(), form.version.data, current_user), "course")
    return course_dict(course)


@api.get(f"{COURSE_URL}/sessions")
@require(READ)
@doc(
    "The course's sessions (cancelled ones included, marked), paged",
    params=PAGE_PARAMS,
    responses={"200": ("A page of sessions", page_of(SESSION))},
)
def courses_sessions(course_id):
    course = access.visible_course(course_id, current_user)
    return _page(list(course.sessions), session_dict)


@api.post(f"{COURSE_URL}/sessions")
@require(RUN)
@doc("Add one session", form=SessionForm, responses={"201": ("Created: the session", SESSION)})
def courses_session_add(course_id):
    course = access.runnable_course(course_id, current_user)
    form = validate_form(SessionForm, json_body())
    return session_dict(services.add_session(course, form.to_input(), current_user)), 201


@api.get(f"{COURSE_URL}/enrolments")
@require(READ)
@doc(
    "The course's enrolments: participants, then the waiting list in its order, paged",
    params=PAGE_PARAMS,
    responses={"200": ("A page of enrolments", page_of(ENROLMENT))},
)
def courses_enrolments(course_id):
    course = queries.course_page(course_id, current_user)
    queries.audit_course_view(course)
    waiting = services.waiting_list(course)
    rows = [(e, None) for e in course.enrolments if e.status != "waiting"] + [(e, n) for n, e in enumerate(waiting, 1)]
    return _page(rows, lambda row: enrolment_dict(*row))


@api.post(f"{COURSE_URL}/enrolments")
@require(RUN)
@doc(
    "Enrol a person the caller may see (or put them on the waiting list when the course is full); someone "
    "outside the age band needs age_reason. A young person not yet visible is found by CPR on the page",
    form=EnrolForm,
    responses={"201": ("Created: the enrolment", ENROLMENT)},
)
def courses_enrol(course_id):
    course = access.runnable_course(course_id, current_user)
    form = validate_form(EnrolForm, json_body())
    person = services.person_to_enrol(form.person_id.data, current_user)
    enrolment = services.enrol(course, person, current_user, age_reason=form.age_reason.data)
    waiting = services.waiting_list(course)
    return enrolment_dict(enrolment, waiting.index(enrolment) + 1 if enrolment in waiting else None), 201


@api.get(f"{COURSE_URL}/sessions/<uuid:session_id>/attendance")
@require(READ)
@doc(
    "A session's register: every participant with their mark (null: not marked)",
    responses={
        "200": (
            "The register",
            {
                "type": "object",
                "required": ["session", "marks"],
                "properties": {"session": SESSION, "marks": {"type": "array", "items": MARK}},
            },
        )
    },
)
def courses_attendance(course_id, session_id):
    course = queries.course_page(course_id, current_user)
    session = access.session_of(course, session_id)
    queries.audit_course_view(course)
    rows = queries.register_rows(course, session)
    return {
        "session": session_dict(session),
        "marks": [{"enrolment_id": str(e.id), "status": m.status if m else None} for e, m in rows],
    }


@api.post(f"{COURSE_URL}/sessions/<uuid:session_id>/attendance")
@require(RUN)
@doc(
    "Save a whole register in one request, answering per mark: a mark that fails validation is reported "
    "(saved: false, errors) and every other mark is saved. A change after the session's day needs a reason",
    form=RegisterForm,
    responses={
        "200": (
            "Each mark's result",
            {
                "type": "object",
                "required": ["results"],
                "properties": {"results": {"type": "array", "items": MARK_RESULT}},
            },
        )
    },
)
def courses_attendance_save(course_id, session_id):
    course = access.runnable_course(course_id, current_user)
    session = access.session_of(course, session_id)
    form = validate_form(RegisterForm, json_body())
    return {"results": services.mark_register(session, form.to_input(), current_user)}


@api.get(f"{COURSE_URL}/outcomes")
@require(READ)
@doc(
    "Later outcomes recorded for the course's participants, paged",
    params=PAGE_PARAMS,
    responses={"200": ("A page of outcomes", page_of(OUTCOME))},
)
def courses_outcomes(course_id):
    course = queries.course_page(course_id, current_user)
    queries.audit_course_view(course)
    return _page([o for e in course.enrolments for o in e.outcomes], outcome_dict)


@api.post(f"{COURSE_URL}/outcomes")
@require(RUN)
@doc(
    "Record where a participant is some months (one of the course's follow-up points) after the end",
    form=OutcomeForm,
    responses={"201": ("Created: the outcome", OUTCOME)},
)
def courses_outcome_record(course_id):
    course = access.runnable_course(course_id, current_user)
    form = validate_form(OutcomeForm, json_body())
    enrolment = access.enrolment_of(course, form.enrolment_id.data)
    return outcome_dict(
        services.record_outcome(enrolment, form.months.data, form.outcome.data, form.note.data, current_user)
    ), 201
