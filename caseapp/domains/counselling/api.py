"""JSON routes of parent counselling under /api/v1/counselling: the same forms validate input and the same
verbs change data as on the pages. 403 for roles without the permission, 404 for records not visible,
409 for a stale version, 422 with field messages for invalid input."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from caseapp import audit
from caseapp.domains.counselling import api_bp as api
from caseapp.domains.counselling import services as svc
from caseapp.domains.counselling.forms import (
    ActionStatusForm,
    AmendmentForm,
    AttendanceForm,
    CaseEditForm,
    CaseOpenForm,
    GoalForm,
    GoalStatusForm,
    GroupRegisterForm,
    GroupSessionForm,
    ReferralForm,
    SessionForm,
    action_form_data,
    attendance_form_data,
    case_form_data,
    goal_form_data,
    referral_form_data,
)
from caseapp.domains.counselling.models import (
    ACTION_OWNERS,
    ACTION_STATUSES,
    CASE_STATUSES,
    CLOSING_REASONS,
    FOCUS_AREAS,
    GOAL_STATUSES,
    INSTITUTION_KINDS,
    REFERRAL_SERVICES,
    REFERRAL_STATUSES,
    SESSION_KINDS,
    CounsellingCase,
)
from caseapp.errors import ApiError
from caseapp.extensions import db
from caseapp.plan.tagging import TAG_SCHEMA
from caseapp.platform.api.helpers import doc, json_body, page_args, paged, run_verb, validate_form
from caseapp.security.permissions import Permission, require

READ, EDIT = Permission.COUNSELLING_READ, Permission.COUNSELLING_EDIT
BASE = "/counselling"

# OpenAPI bodies (what the forms accept).
STR, INT, BOOL, DATE = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}, {"type": "string",
                                                                                      "format": "date"}


def _enum(values) -> dict:
    return {"type": "string", "enum": list(values)}


def _list(values) -> dict:
    return {"type": "array", "items": _enum(values)}


IDS = {"type": "array", "items": {"type": "string", "format": "uuid"}}
CASE_OPEN_BODY = {"type": "object", "required": ["person_id", "focus_areas"], "properties": {
    "person_id": STR, "household_id": STR, "started_on": DATE, "focus_areas": _list(FOCUS_AREAS), "children": IDS,
    "background": STR, **TAG_SCHEMA}}
CASE_PATCH_BODY = {"type": "object", "required": ["version"], "properties": {
    "version": INT, "status": _enum(CASE_STATUSES), "closing_reason": _enum(CLOSING_REASONS), "closing_note": STR,
    "started_on": DATE, "focus_areas": _list(FOCUS_AREAS), "children": IDS, "background": STR, **TAG_SCHEMA}}
GOAL_BODY = {"type": "object", "required": ["description"], "properties": {
    "description": STR, "status": _enum(GOAL_STATUSES), "agreed_on": DATE}}
GOAL_PATCH_BODY = {"type": "object", "required": ["version"], "properties": {
    "version": INT, "description": STR, "status": _enum(GOAL_STATUSES)}}
SESSION_BODY = {"type": "object", "required": ["held_on", "duration_minutes", "kind", "notes"], "properties": {
    "held_on": DATE, "duration_minutes": INT, "kind": _enum(SESSION_KINDS), "attendees": IDS,
    "other_attendees": STR, "topics": _list(FOCUS_AREAS), "notes": STR, "next_follow_up": DATE,
    "actions": {"type": "array", "maxItems": 10, "items": {"type": "object", "properties": {
        "description": STR, "owner": _enum(ACTION_OWNERS), "due_on": DATE}}}}}
AMENDMENT_BODY = {"type": "object", "required": ["text"], "properties": {"text": STR, "reason": STR}}
ACTION_PATCH_BODY = {"type": "object", "required": ["version"], "properties": {
    "version": INT, "status": _enum(ACTION_STATUSES), "due_on": DATE}}
ATTENDANCE_BODY = {"type": "object", "required": ["child_id", "institution_kind", "period_start", "period_end"],
                   "properties": {
                       "version": INT, "child_id": STR, "institution_kind": _enum(INSTITUTION_KINDS),
                       "institution_name": STR, "period_start": DATE, "period_end": DATE,
                       "attendance_percent": {"type": "number"}, "days_absent": INT, "concern": BOOL,
                       "note": STR}}
REFERRAL_BODY = {"type": "object", "required": ["service", "referred_on"], "properties": {
    "version": INT, "service": _enum(REFERRAL_SERVICES), "service_other": STR, "person_id": STR,
    "referred_on": DATE, "status": _enum(REFERRAL_STATUSES), "outcome": STR}}
GROUP_BODY = {"type": "object", "required": ["title", "held_on", "duration_minutes"], "properties": {
    "title": STR, "held_on": DATE, "duration_minutes": INT, "topics": _list(FOCUS_AREAS), "area": STR,
    "description": STR}}
REGISTER_BODY = {"type": "object", "required": ["case_id"], "properties": {"case_id": STR}}
PAGE_PARAMS = [{"name": n, "in": "query", "schema": {"type": "integer"}} for n in ("page", "per_page")]


def _case(case_id) -> CounsellingCase:
    case = svc.get_visible_case(case_id, current_user)
    if case is None:
        raise ApiError(404, "Not found")
    return case


def _member(items, item_id):
    item = svc.find_in(items, item_id)
    if item is None:
        raise ApiError(404, "Not found")
    return item


def _editable(case_id) -> CounsellingCase:
    case = _case(case_id)
    if not svc.can_edit(current_user, case):
        raise ApiError(403, "You may read this case but not change it")
    return case


def _version(data: dict) -> int:
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ApiError(422, "Send the version you last read", {"version": "required, an integer"})
    return version


def _run(verb, what: str = "record"):
    return run_verb(verb, what, forbidden=(svc.NotEditable,))


def _patch(form_class, current: dict, data: dict):
    """Validate the sent fields laid over the record's current values (a partial update)."""
    merged = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in current.items()}
    merged.update(data)
    return validate_form(form_class, merged)


def _case_collection(case_id, collection: str, serialise) -> dict:
    """A page of one of a case's own collections (sessions, actions, ...), audited as a list read."""
    case = _case(case_id)
    items = getattr(case, collection)
    page, per_page = page_args()
    chunk = items[(page - 1) * per_page: page * per_page]
    audit.record(f"counselling.{collection.rstrip('s')}.list", object_type="counselling_case", object_id=case.id,
                 subject_id=case.person_id, purpose=svc.PURPOSE, detail={"page": page})
    db.session.commit()
    return {"items": [serialise(i) for i in chunk], "page": page, "per_page": per_page, "total": len(items)}


# Cases

@api.get(f"{BASE}/cases")
@require(READ)
@doc("Counselling cases visible to you (status=open|paused|closed), paged",
     params=[*PAGE_PARAMS, {"name": "status", "in": "query", "schema": _enum(CASE_STATUSES)}])
def counselling_cases():
    query = svc.cases_visible_to(current_user)
    status = request.args.get("status")
    if status:
        if status not in CASE_STATUSES:
            raise ApiError(422, "Unknown status", {"status": f"one of {', '.join(CASE_STATUSES)}"})
        query = query.where(CounsellingCase.status == status)
    body = paged(query.order_by(CounsellingCase.started_on.desc(), CounsellingCase.id), svc.case_summary)
    svc.audit_list("case", page=body["page"], count=len(body["items"]))
    db.session.commit()
    return body


@api.post(f"{BASE}/cases")
@require(EDIT)
@doc("Open a case for a parent you may see; you are assigned to the parent and the children",
     body=CASE_OPEN_BODY, responses={"201": "Created: the case"})
def counselling_case_open():
    form = validate_form(CaseOpenForm, json_body())
    case = _run(lambda: svc.open_case(form.data, current_user))
    return svc.case_detail(case), 201


@api.get(f"{BASE}/cases/<case_id>")
@require(READ)
@doc("One case with its children, goals and counsellors")
def counselling_case_get(case_id):
    case = _case(case_id)
    svc.audit_case_view(case)
    db.session.commit()
    return svc.case_detail(case)


@api.patch(f"{BASE}/cases/<case_id>")
@require(EDIT)
@doc("Change a case (status, closing reason, focus, children, background); send the version you read",
     body=CASE_PATCH_BODY)
def counselling_case_update(case_id):
    case = _editable(case_id)
    data = json_body()
    version = _version(data)
    form = _patch(CaseEditForm, case_form_data(case), data)
    _run(lambda: svc.update_case(case, form.data, version, current_user), "case")
    return svc.case_detail(case)


# Goals

@api.post(f"{BASE}/cases/<case_id>/goals")
@require(EDIT)
@doc("Add an agreed goal", body=GOAL_BODY, responses={"201": "Created: the goal"})
def counselling_goal_add(case_id):
    case = _editable(case_id)
    form = validate_form(GoalForm, json_body())
    goal = _run(lambda: svc.add_goal(case, form.data, current_user))
    return svc.goal_dict(goal), 201


@api.patch(f"{BASE}/cases/<case_id>/goals/<goal_id>")
@require(EDIT)
@doc("Change a goal's text or status; send the version you read", body=GOAL_PATCH_BODY)
def counselling_goal_update(case_id, goal_id):
    case = _editable(case_id)
    goal = _member(case.goals, goal_id)
    data = json_body()
    version = _version(data)
    form = _patch(GoalStatusForm, goal_form_data(goal), data)
    _run(lambda: svc.update_goal(goal, form.data, version, current_user), "goal")
    return svc.goal_dict(goal)


# Sessions and amendments

@api.get(f"{BASE}/cases/<case_id>/sessions")
@require(READ)
@doc("The case's session log, newest first, with amendments and agreed actions, paged", params=PAGE_PARAMS)
def counselling_sessions(case_id):
    return _case_collection(case_id, "sessions", svc.session_dict)


@api.post(f"{BASE}/cases/<case_id>/sessions")
@require(EDIT)
@doc("Log a session with its agreed actions (at most 10)", body=SESSION_BODY, responses={"201": "Created"})
def counselling_session_add(case_id):
    case = _editable(case_id)
    data = json_body()
    if not isinstance(data.get("actions", []), list) or not all(isinstance(a, dict) for a in data.get("actions", [])):
        raise ApiError(422, "Some fields are not valid", {"actions": "a list of {description, owner, due_on}"})
    form = validate_form(SessionForm, data)
    session = _run(lambda: svc.record_session(case, form.data, current_user))
    return svc.session_dict(session), 201


@api.get(f"{BASE}/cases/<case_id>/sessions/<session_id>/amendments")
@require(READ)
@doc("The amendments of a session note, oldest first (the original note is on the session)")
def counselling_amendments(case_id, session_id):
    case = _case(case_id)
    session = _member(case.sessions, session_id)
    audit.record("counselling.amendment.list", object_type="counselling_session", object_id=session.id,
                 subject_id=case.person_id, purpose=svc.PURPOSE)
    db.session.commit()
    return {"session_id": str(session.id), "original": session.notes,
            "items": [svc.amendment_dict(a) for a in session.amendments]}


@api.post(f"{BASE}/cases/<case_id>/sessions/<session_id>/amendments")
@require(EDIT)
@doc("Correct a session note by an amendment; the original stays as it was", body=AMENDMENT_BODY,
     responses={"201": "Created"})
def counselling_amendment_add(case_id, session_id):
    case = _editable(case_id)
    session = _member(case.sessions, session_id)
    form = validate_form(AmendmentForm, json_body())
    amendment = _run(lambda: svc.amend_session(session, form.data, current_user))
    return svc.amendment_dict(amendment), 201


# Actions

@api.get(f"{BASE}/cases/<case_id>/actions")
@require(READ)
@doc("The case's agreed actions by due date, paged", params=PAGE_PARAMS)
def counselling_actions(case_id):
    return _case_collection(case_id, "actions", svc.action_dict)


@api.patch(f"{BASE}/cases/<case_id>/actions/<action_id>")
@require(EDIT)
@doc("Change an action's status or due date; send the version you read", body=ACTION_PATCH_BODY)
def counselling_action_update(case_id, action_id):
    case = _editable(case_id)
    action = _member(case.actions, action_id)
    data = json_body()
    version = _version(data)
    form = _patch(ActionStatusForm, action_form_data(action), data)
    _run(lambda: svc.update_action(action, form.data, version, current_user), "action")
    return svc.action_dict(action)


# Attendance

@api.get(f"{BASE}/cases/<case_id>/attendance")
@require(READ)
@doc("Attendance records of the case's children, by period, paged", params=PAGE_PARAMS)
def counselling_attendance(case_id):
    return _case_collection(case_id, "attendance", svc.attendance_dict)


@api.post(f"{BASE}/cases/<case_id>/attendance")
@require(EDIT)
@doc("Record a child's attendance for a period (a percentage or days absent)", body=ATTENDANCE_BODY,
     responses={"201": "Created"})
def counselling_attendance_add(case_id):
    case = _editable(case_id)
    form = validate_form(AttendanceForm, json_body())
    record = _run(lambda: svc.record_attendance(case, form.data, current_user))
    return svc.attendance_dict(record), 201


@api.patch(f"{BASE}/cases/<case_id>/attendance/<record_id>")
@require(EDIT)
@doc("Change an attendance record; send the version you read", body=ATTENDANCE_BODY)
def counselling_attendance_update(case_id, record_id):
    case = _editable(case_id)
    record = _member(case.attendance, record_id)
    data = json_body()
    version = _version(data)
    form = _patch(AttendanceForm, attendance_form_data(record), data)
    _run(lambda: svc.update_attendance(record, form.data, version, current_user), "attendance record")
    return svc.attendance_dict(record)


# Referrals

@api.get(f"{BASE}/cases/<case_id>/referrals")
@require(READ)
@doc("The case's referrals to municipal services, newest first, paged", params=PAGE_PARAMS)
def counselling_referrals(case_id):
    return _case_collection(case_id, "referrals", svc.referral_dict)


@api.post(f"{BASE}/cases/<case_id>/referrals")
@require(EDIT)
@doc("Refer to a municipal service", body=REFERRAL_BODY, responses={"201": "Created"})
def counselling_referral_add(case_id):
    case = _editable(case_id)
    form = validate_form(ReferralForm, json_body())
    referral = _run(lambda: svc.add_referral(case, form.data, current_user))
    return svc.referral_dict(referral), 201


@api.patch(f"{BASE}/cases/<case_id>/referrals/<referral_id>")
@require(EDIT)
@doc("Change a referral (status, outcome ...); send the version you read", body=REFERRAL_BODY)
def counselling_referral_update(case_id, referral_id):
    case = _editable(case_id)
    referral = _member(case.referrals, referral_id)
    data = json_body()
    version = _version(data)
    form = _patch(ReferralForm, referral_form_data(referral), data)
    _run(lambda: svc.update_referral(referral, form.data, version, current_user), "referral")
    return svc.referral_dict(referral)


# Parent groups

def _group(group_id):
    group = svc.get_visible_group(group_id, current_user)
    if group is None:
        raise ApiError(404, "Not found")
    return group


@api.get(f"{BASE}/groups")
@require(READ)
@doc("Parent-group meetings, newest first, with the register entries of cases visible to you, paged",
     params=PAGE_PARAMS)
def counselling_groups():
    body = paged(svc.groups_visible_to(current_user), lambda g: svc.group_dict(g, current_user))
    svc.audit_list("group", page=body["page"])
    db.session.commit()
    return body


@api.post(f"{BASE}/groups")
@require(EDIT)
@doc("Record a parent-group meeting (no names of residents in title or description)", body=GROUP_BODY,
     responses={"201": "Created"})
def counselling_group_add():
    form = validate_form(GroupSessionForm, json_body())
    group = _run(lambda: svc.create_group_session(form.data, current_user))
    return svc.group_dict(group, current_user), 201


@api.get(f"{BASE}/groups/<group_id>")
@require(READ)
@doc("One parent-group meeting with the register entries of cases visible to you")
def counselling_group_get(group_id):
    group = _group(group_id)
    audit.record("counselling.group.view", object_type="counselling_group_session", object_id=group.id,
                 purpose=svc.PURPOSE)
    db.session.commit()
    return svc.group_dict(group, current_user)


@api.post(f"{BASE}/groups/<group_id>/register")
@require(EDIT)
@doc("Mark the parent of one of your cases present", body=REGISTER_BODY, responses={"201": "Registered"})
def counselling_group_register(group_id):
    group = _group(group_id)
    form = validate_form(GroupRegisterForm, json_body())
    _run(lambda: svc.register_parent(group, form.case_id.data, current_user))
    return svc.group_dict(group, current_user), 201


@api.delete(f"{BASE}/groups/<group_id>/register/<case_id>")
@require(EDIT)
@doc("Remove a parent from the register", responses={"200": "Removed"})
def counselling_group_unregister(group_id, case_id):
    group = _group(group_id)
    if svc.get_visible_case(case_id, current_user) is None:
        raise ApiError(404, "Not found")
    _run(lambda: svc.unregister_parent(group, case_id, current_user))
    return svc.group_dict(group, current_user)
