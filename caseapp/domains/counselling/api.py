"""JSON routes of parent counselling under /api/v1/counselling: the pages' forms validate each body and
document it, the same verbs change data. 403 for roles without the permission, 404 for records not
visible, 409 for a stale version, 422 with field messages for invalid input."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from caseapp.domains.counselling import access, cases, queries
from caseapp.domains.counselling import api_bp as api
from caseapp.domains.counselling import serialise as out
from caseapp.domains.counselling.forms import (
    ActionStatusForm,
    AmendmentForm,
    AttendanceEditForm,
    AttendanceForm,
    CaseEditForm,
    CaseOpenForm,
    GoalForm,
    GoalStatusForm,
    GroupRegisterForm,
    GroupSessionForm,
    ReferralEditForm,
    ReferralForm,
    SessionForm,
    action_form_data,
    attendance_form_data,
    case_form_data,
    goal_form_data,
    referral_form_data,
)
from caseapp.domains.counselling.groups import create_group_session, register_parent, unregister_parent
from caseapp.domains.counselling.inputs import Registration
from caseapp.domains.counselling.models import CASE_STATUSES
from caseapp.errors import InvalidInput
from caseapp.platform.api.helpers import doc, json_body, page_args, paged, run_verb, validate_form
from caseapp.platform.api.schema import page_of
from caseapp.security.permissions import Permission, require

READ, EDIT = Permission.COUNSELLING_READ, Permission.COUNSELLING_EDIT
BASE = "/counselling"
CASE_URL = f"{BASE}/cases/<uuid:case_id>"
PAGE_PARAMS = [{"name": n, "in": "query", "schema": {"type": "integer", "minimum": 1}} for n in ("page", "per_page")]


def _patch(form_class, current: dict, data: dict):
    """Validate the sent fields laid over the record's current values (a partial update). The version
    is not taken from the record: the body says which version it changes."""
    merged = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in current.items() if k != "version"}
    return validate_form(form_class, {**merged, **data})


def _case_collection(case_id, collection: str, serialise) -> dict:
    """A page of one of a case's own collections (sessions, actions, ...), audited as a list read."""
    page, per_page = page_args()
    items, total = queries.case_collection(access.visible_case(case_id, current_user), collection, page, per_page)
    return {"items": [serialise(i) for i in items], "page": page, "per_page": per_page, "total": total}


# Cases


@api.get(f"{BASE}/cases")
@require(READ)
@doc(
    "Counselling cases visible to you (status=open|paused|closed), paged",
    params=[*PAGE_PARAMS, {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(CASE_STATUSES)}}],
    responses={"200": ("A page of cases", page_of(out.CASE_SUMMARY))},
)
def counselling_cases():
    status = request.args.get("status") or None
    if status is not None and status not in CASE_STATUSES:
        raise InvalidInput({"status": f"one of {', '.join(CASE_STATUSES)}"})
    body = paged(queries.case_list(current_user, status), out.case_summary)
    queries.audit_list("case", page=body["page"], count=len(body["items"]))
    return body


@api.post(f"{BASE}/cases")
@require(EDIT)
@doc(
    "Open a case for a parent you may see; you are assigned to the parent and the children. Without a "
    "household_id the case takes the parent's household when they have exactly one",
    form=CaseOpenForm,
    responses={"201": ("Created: the case", out.CASE)},
)
def counselling_case_open():
    form = validate_form(CaseOpenForm, json_body())
    return out.case_detail(cases.open_case(form.to_input(), current_user)), 201


@api.get(CASE_URL)
@require(READ)
@doc("One case with its children, goals and counsellors", responses={"200": ("The case", out.CASE)})
def counselling_case_get(case_id):
    case = access.visible_case(case_id, current_user)
    queries.audit_case_view(case)
    return out.case_detail(case)


@api.patch(CASE_URL)
@require(EDIT)
@doc(
    "Change a case (status, closing reason, focus, children, background): the fields sent, on the version you read",
    form=CaseEditForm,
    responses={"200": ("The case", out.CASE)},
)
def counselling_case_update(case_id):
    case = access.editable_case(case_id, current_user)
    form = _patch(CaseEditForm, case_form_data(case), json_body())
    run_verb(lambda: cases.update_case(case, form.to_input(), form.version.data, current_user), "case")
    return out.case_detail(case)


# Goals


@api.post(f"{CASE_URL}/goals")
@require(EDIT)
@doc("Add an agreed goal", form=GoalForm, responses={"201": ("Created: the goal", out.GOAL)})
def counselling_goal_add(case_id):
    case = access.editable_case(case_id, current_user)
    form = validate_form(GoalForm, json_body())
    return out.goal_dict(cases.add_goal(case, form.to_input(), current_user)), 201


@api.patch(f"{CASE_URL}/goals/<uuid:goal_id>")
@require(EDIT)
@doc(
    "Change a goal's text or status: the fields sent, on the version you read",
    form=GoalStatusForm,
    responses={"200": ("The goal", out.GOAL)},
)
def counselling_goal_update(case_id, goal_id):
    case = access.editable_case(case_id, current_user)
    goal = access.member(case.goals, goal_id)
    form = _patch(GoalStatusForm, goal_form_data(goal), json_body())
    run_verb(lambda: cases.update_goal(goal, form.to_input(), form.version.data, current_user), "goal")
    return out.goal_dict(goal)


# Sessions and amendments


@api.get(f"{CASE_URL}/sessions")
@require(READ)
@doc(
    "The case's session log, newest first, with amendments and agreed actions, paged",
    params=PAGE_PARAMS,
    responses={"200": ("A page of sessions", page_of(out.SESSION))},
)
def counselling_sessions(case_id):
    return _case_collection(case_id, "sessions", out.session_dict)


@api.post(f"{CASE_URL}/sessions")
@require(EDIT)
@doc(
    "Log a session with its agreed actions (at most 10)",
    form=SessionForm,
    responses={"201": ("Created: the session", out.SESSION)},
)
def counselling_session_add(case_id):
    case = access.editable_case(case_id, current_user)
    data = json_body()
    actions = data.get("actions", [])
    if not isinstance(actions, list) or not all(isinstance(a, dict) for a in actions):
        raise InvalidInput({"actions": "a list of {description, owner, due_on}"})
    form = validate_form(SessionForm, data)
    return out.session_dict(cases.record_session(case, form.to_input(), current_user)), 201


@api.get(f"{CASE_URL}/sessions/<uuid:session_id>/amendments")
@require(READ)
@doc(
    "The amendments of a session note, oldest first (the original note is on the session)",
    responses={"200": ("The original note and its amendments", out.AMENDMENTS)},
)
def counselling_amendments(case_id, session_id):
    case = access.visible_case(case_id, current_user)
    session = access.member(case.sessions, session_id)
    amendments = queries.session_amendments(case, session)
    return {
        "session_id": str(session.id),
        "original": session.notes,
        "items": [out.amendment_dict(a) for a in amendments],
    }


@api.post(f"{CASE_URL}/sessions/<uuid:session_id>/amendments")
@require(EDIT)
@doc(
    "Correct a session note by an amendment; the original stays as it was",
    form=AmendmentForm,
    responses={"201": ("Created: the amendment", out.AMENDMENT)},
)
def counselling_amendment_add(case_id, session_id):
    case = access.editable_case(case_id, current_user)
    session = access.member(case.sessions, session_id)
    form = validate_form(AmendmentForm, json_body())
    return out.amendment_dict(cases.amend_session(session, form.to_input(), current_user)), 201


# Actions


@api.get(f"{CASE_URL}/actions")
@require(READ)
@doc(
    "The case's agreed actions by due date, paged",
    params=PAGE_PARAMS,
    responses={"200": ("A page of actions", page_of(out.ACTION))},
)
def counselling_actions(case_id):
    return _case_collection(case_id, "actions", out.action_dict)


@api.patch(f"{CASE_URL}/actions/<uuid:action_id>")
@require(EDIT)
@doc(
    "Change an action's status or due date: the fields sent, on the version you read",
    form=ActionStatusForm,
    responses={"200": ("The action", out.ACTION)},
)
def counselling_action_update(case_id, action_id):
    case = access.editable_case(case_id, current_user)
    action = access.member(case.actions, action_id)
    form = _patch(ActionStatusForm, action_form_data(action), json_body())
    run_verb(lambda: cases.update_action(action, form.to_input(), form.version.data, current_user), "action")
    return out.action_dict(action)


# Attendance


@api.get(f"{CASE_URL}/attendance")
@require(READ)
@doc(
    "Attendance records of the case's children, by period, paged",
    params=PAGE_PARAMS,
    responses={"200": ("A page of attendance records", page_of(out.ATTENDANCE))},
)
def counselling_attendance(case_id):
    return _case_collection(case_id, "attendance", out.attendance_dict)


@api.post(f"{CASE_URL}/attendance")
@require(EDIT)
@doc(
    "Record a child's attendance for a period (a percentage or days absent)",
    form=AttendanceForm,
    responses={"201": ("Created: the attendance record", out.ATTENDANCE)},
)
def counselling_attendance_add(case_id):
    case = access.editable_case(case_id, current_user)
    form = validate_form(AttendanceForm, json_body())
    return out.attendance_dict(cases.record_attendance(case, form.to_input(), current_user)), 201


@api.patch(f"{CASE_URL}/attendance/<uuid:record_id>")
@require(EDIT)
@doc(
    "Change an attendance record: the fields sent, on the version you read",
    form=AttendanceEditForm,
    responses={"200": ("The attendance record", out.ATTENDANCE)},
)
def counselling_attendance_update(case_id, record_id):
    case = access.editable_case(case_id, current_user)
    record = access.member(case.attendance, record_id)
    form = _patch(AttendanceEditForm, attendance_form_data(record), json_body())
    run_verb(
        lambda: cases.update_attendance(record, form.to_input(), form.version.data, current_user), "attendance record"
    )
    return out.attendance_dict(record)


# Referrals


@api.get(f"{CASE_URL}/referrals")
@require(READ)
@doc(
    "The case's referrals to municipal services, newest first, paged",
    params=PAGE_PARAMS,
    responses={"200": ("A page of referrals", page_of(out.REFERRAL))},
)
def counselling_referrals(case_id):
    return _case_collection(case_id, "referrals", out.referral_dict)


@api.post(f"{CASE_URL}/referrals")
@require(EDIT)
@doc("Refer to a municipal service", form=ReferralForm, responses={"201": ("Created: the referral", out.REFERRAL)})
def counselling_referral_add(case_id):
    case = access.editable_case(case_id, current_user)
    form = validate_form(ReferralForm, json_body())
    return out.referral_dict(cases.add_referral(case, form.to_input(), current_user)), 201


@api.patch(f"{CASE_URL}/referrals/<uuid:referral_id>")
@require(EDIT)
@doc(
    "Change a referral (status, outcome ...): the fields sent, on the version you read",
    form=ReferralEditForm,
    responses={"200": ("The referral", out.REFERRAL)},
)
def counselling_referral_update(case_id, referral_id):
    case = access.editable_case(case_id, current_user)
    referral = access.member(case.referrals, referral_id)
    form = _patch(ReferralEditForm, referral_form_data(referral), json_body())
    run_verb(lambda: cases.update_referral(referral, form.to_input(), form.version.data, current_user), "referral")
    return out.referral_dict(referral)


# Parent groups

GROUP_URL = f"{BASE}/groups/<uuid:group_id>"


@api.get(f"{BASE}/groups")
@require(READ)
@doc(
    "Parent-group meetings, newest first, with the register entries of cases visible to you, paged",
    params=PAGE_PARAMS,
    responses={"200": ("A page of group meetings", page_of(out.GROUP))},
)
def counselling_groups():
    body = paged(access.groups_visible_to(current_user), lambda g: out.group_dict(g, current_user))
    queries.audit_list("group", page=body["page"])
    return body


@api.post(f"{BASE}/groups")
@require(EDIT)
@doc(
    "Record a parent-group meeting (no names of residents in title or description)",
    form=GroupSessionForm,
    responses={"201": ("Created: the group meeting", out.GROUP)},
)
def counselling_group_add():
    form = validate_form(GroupSessionForm, json_body())
    return out.group_dict(create_group_session(form.to_input(), current_user), current_user), 201


@api.get(GROUP_URL)
@require(READ)
@doc(
    "One parent-group meeting with the register entries of cases visible to you",
    responses={"200": ("The group meeting", out.GROUP)},
)
def counselling_group_get(group_id):
    group = access.visible_group(group_id, current_user)
    queries.audit_group_view(group)
    return out.group_dict(group, current_user)


@api.post(f"{GROUP_URL}/register")
@require(EDIT)
@doc(
    "Mark the parent of one of your cases present",
    form=GroupRegisterForm,
    responses={"201": ("Registered: the group meeting", out.GROUP)},
)
def counselling_group_register(group_id):
    group = access.visible_group(group_id, current_user)
    form = validate_form(GroupRegisterForm, json_body())
    register_parent(group, form.to_input(), current_user)
    return out.group_dict(group, current_user), 201


@api.delete(f"{GROUP_URL}/register/<uuid:case_id>")
@require(EDIT)
@doc("Remove a parent from the register", responses={"200": ("Removed: the group meeting", out.GROUP)})
def counselling_group_unregister(group_id, case_id):
    group = access.visible_group(group_id, current_user)
    access.visible_case(case_id, current_user)
    unregister_parent(group, Registration(case_id=case_id), current_user)
    return out.group_dict(group, current_user)
