"""Parent counselling's records as JSON, for the API and for a resident's access export, each with the
schema the API documents for it (OpenAPI 3.0: `nullable`), side by side so they change together."""

from __future__ import annotations

from caseapp.domains.counselling.models import (
    ACTION_OWNERS,
    ACTION_STATUSES,
    CASE_STATUSES,
    CLOSING_REASONS,
    FOCUS_AREAS,
    GOAL_STATUSES,
    INSTITUTION_KINDS,
    PLAN_RECORD,
    REFERRAL_SERVICES,
    REFERRAL_STATUSES,
    SESSION_KINDS,
    AttendanceRecord,
    CaseGoal,
    CounsellingCase,
    CounsellingSession,
    GroupSession,
    Referral,
    SessionAction,
    SessionAmendment,
)
from caseapp.domains.counselling.queries import counsellors, visible_register
from caseapp.plan.serialise import TAGS_JSON, tag_json
from caseapp.plan.tagging import tags_of
from caseapp.platform.api.schema import DATE, ID, STAMP, TEXT, codes, nullable, obj
from caseapp.register.models import Person


def iso(value) -> str | None:
    """A date or time as ISO 8601 text (None stays None)."""
    return value.isoformat() if value is not None else None


def _id(value) -> str | None:
    return None if value is None else str(value)


def _person_ref(person: Person | None) -> dict | None:
    return None if person is None else {"id": str(person.id), "name": person.full_name}


def _staff_ref(user) -> dict | None:
    return None if user is None else {"id": user.id, "name": user.name}


# The schemas (their building blocks: caseapp.platform.api.schema)


INT = {"type": "integer"}
VERSION = {"type": "integer", "minimum": 1}
PERSON_REF = nullable(obj({"id": ID, "name": TEXT}))
STAFF_REF = nullable(obj({"id": INT, "name": TEXT}))
FOCUS_LIST = {"type": "array", "items": codes(FOCUS_AREAS)}


def case_summary(case: CounsellingCase) -> dict:
    return {
        "id": str(case.id),
        "person": _person_ref(case.person),
        "household_id": _id(case.household_id),
        "status": case.status,
        "started_on": iso(case.started_on),
        "closed_on": iso(case.closed_on),
        "focus_areas": case.focus_list,
        "next_follow_up": iso(case.next_follow_up),
        "version": case.version,
    }


CASE_SUMMARY = obj(
    {
        "id": ID,
        "person": PERSON_REF,
        "household_id": nullable(ID),
        "status": codes(CASE_STATUSES),
        "started_on": DATE,
        "closed_on": nullable(DATE),
        "focus_areas": FOCUS_LIST,
        "next_follow_up": nullable(DATE),
        "version": VERSION,
    }
)


def goal_dict(goal: CaseGoal) -> dict:
    return {
        "id": str(goal.id),
        "description": goal.description,
        "status": goal.status,
        "agreed_on": iso(goal.agreed_on),
        "version": goal.version,
    }


GOAL = obj(
    {
        "id": ID,
        "description": nullable(TEXT),
        "status": codes(GOAL_STATUSES),
        "agreed_on": DATE,
        "version": VERSION,
    }
)


def case_detail(case: CounsellingCase, *, staff: bool = True) -> dict:
    data = case_summary(case)
    data.update(
        {
            "closing_reason": case.closing_reason,
            "closing_note": case.closing_note,
            "background": case.background,
            "children": [_person_ref(c.person) for c in case.children],
            "goals": [goal_dict(g) for g in case.goals],
            "created_at": iso(case.created_at),
            "updated_at": iso(case.updated_at),
            "plan_tags": [tag_json(t) for t in tags_of(PLAN_RECORD, case.id)],
        }
    )
    if staff:
        data["counsellors"] = [_staff_ref(u) for u in counsellors(case)]
    return data


CASE = obj(
    {
        **CASE_SUMMARY["properties"],
        "closing_reason": nullable(codes(CLOSING_REASONS)),
        "closing_note": nullable(TEXT),
        "background": nullable(TEXT),
        "children": {"type": "array", "items": PERSON_REF},
        "goals": {"type": "array", "items": GOAL},
        "created_at": STAMP,
        "updated_at": STAMP,
        "plan_tags": TAGS_JSON,
        "counsellors": {"type": "array", "items": STAFF_REF},
    }
)


def action_dict(action: SessionAction, *, staff: bool = True) -> dict:
    data = {
        "id": str(action.id),
        "session_id": str(action.session_id),
        "description": action.description,
        "owner": action.owner,
        "due_on": iso(action.due_on),
        "status": action.status,
        "completed_on": iso(action.completed_on),
        "version": action.version,
    }
    if staff:
        data["owner_user_id"] = action.owner_user_id
    return data


ACTION = obj(
    {
        "id": ID,
        "session_id": ID,
        "description": nullable(TEXT),
        "owner": codes(ACTION_OWNERS),
        "due_on": nullable(DATE),
        "status": codes(ACTION_STATUSES),
        "completed_on": nullable(DATE),
        "version": VERSION,
        "owner_user_id": nullable(INT),
    },
    "owner_user_id",
)


def amendment_dict(amendment: SessionAmendment, *, staff: bool = True) -> dict:
    data = {
        "id": str(amendment.id),
        "session_id": str(amendment.session_id),
        "text": amendment.text,
        "reason": amendment.reason,
        "created_at": iso(amendment.created_at),
    }
    if staff:
        data["created_by"] = _staff_ref(amendment.created_by)
    return data


AMENDMENT = obj(
    {
        "id": ID,
        "session_id": ID,
        "text": nullable(TEXT),
        "reason": nullable(TEXT),
        "created_at": STAMP,
        "created_by": STAFF_REF,
    },
    "created_by",
)
AMENDMENTS = obj({"session_id": ID, "original": nullable(TEXT), "items": {"type": "array", "items": AMENDMENT}})


def session_dict(session: CounsellingSession, *, staff: bool = True) -> dict:
    data = {
        "id": str(session.id),
        "case_id": str(session.case_id),
        "held_on": iso(session.held_on),
        "duration_minutes": session.duration_minutes,
        "kind": session.kind,
        "topics": session.topic_list,
        "attendees": [_person_ref(a.person) for a in session.attendees],
        "other_attendees": session.other_attendees,
        "notes": session.notes,
        "next_follow_up": iso(session.next_follow_up),
        "created_at": iso(session.created_at),
        "amendments": [amendment_dict(a, staff=staff) for a in session.amendments],
        "actions": [action_dict(a, staff=staff) for a in session.actions],
    }
    if staff:
        data["created_by"] = _staff_ref(session.created_by)
    return data


SESSION = obj(
    {
        "id": ID,
        "case_id": ID,
        "held_on": DATE,
        "duration_minutes": {"type": "integer", "minimum": 1, "maximum": 720},
        "kind": codes(SESSION_KINDS),
        "topics": FOCUS_LIST,
        "attendees": {"type": "array", "items": PERSON_REF},
        "other_attendees": nullable(TEXT),
        "notes": nullable(TEXT),
        "next_follow_up": nullable(DATE),
        "created_at": STAMP,
        "amendments": {"type": "array", "items": AMENDMENT},
        "actions": {"type": "array", "items": ACTION},
        "created_by": STAFF_REF,
    },
    "created_by",
)


def attendance_dict(record: AttendanceRecord) -> dict:
    return {
        "id": str(record.id),
        "case_id": str(record.case_id),
        "child": _person_ref(record.child),
        "institution_kind": record.institution_kind,
        "institution_name": record.institution_name,
        "period_start": iso(record.period_start),
        "period_end": iso(record.period_end),
        "attendance_percent": record.percent,
        "days_absent": record.absent,
        "concern": record.concern,
        "note": record.note,
        "version": record.version,
    }


ATTENDANCE = obj(
    {
        "id": ID,
        "case_id": ID,
        "child": PERSON_REF,
        "institution_kind": codes(INSTITUTION_KINDS),
        "institution_name": nullable(TEXT),
        "period_start": DATE,
        "period_end": DATE,
        "attendance_percent": nullable({"type": "number", "minimum": 0, "maximum": 100}),
        "days_absent": nullable({"type": "integer", "minimum": 0}),
        "concern": {"type": "boolean"},
        "note": nullable(TEXT),
        "version": VERSION,
    }
)


def referral_dict(referral: Referral) -> dict:
    return {
        "id": str(referral.id),
        "case_id": str(referral.case_id),
        "service": referral.service,
        "service_other": referral.service_other,
        "person": _person_ref(referral.person),
        "referred_on": iso(referral.referred_on),
        "status": referral.status,
        "outcome": referral.outcome,
        "version": referral.version,
    }


REFERRAL = obj(
    {
        "id": ID,
        "case_id": ID,
        "service": codes(REFERRAL_SERVICES),
        "service_other": nullable(TEXT),
        "person": PERSON_REF,
        "referred_on": DATE,
        "status": codes(REFERRAL_STATUSES),
        "outcome": nullable(TEXT),
        "version": VERSION,
    }
)


def group_dict(group: GroupSession, user) -> dict:
    rows, others = visible_register(group, user)
    return {
        "id": str(group.id),
        "title": group.title,
        "held_on": iso(group.held_on),
        "duration_minutes": group.duration_minutes,
        "topics": group.topic_list,
        "area": group.area,
        "description": group.description,
        "register": [{"case_id": str(r.case_id), "person_id": str(r.person_id)} for r in rows],
        "other_participants": others,
    }


GROUP = obj(
    {
        "id": ID,
        "title": TEXT,
        "held_on": DATE,
        "duration_minutes": {"type": "integer", "minimum": 1, "maximum": 720},
        "topics": FOCUS_LIST,
        "area": nullable(TEXT),
        "description": nullable(TEXT),
        "register": {"type": "array", "items": obj({"case_id": ID, "person_id": ID})},
        "other_participants": {
            "type": "integer",
            "minimum": 0,
            "description": "register entries of cases you may not see",
        },
    }
)
