"""The verbs of a counselling case: opening and changing it, its children, goals, session log with
amendments and agreed actions, attendance follow-up and referrals.

They take the typed input a form made (inputs.py) and check only what needs the database: who may
change the case, what a closed case allows, which people and children are the case's, the version
read. They flush and audit; the request commits once.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import flag_modified

from caseapp import audit
from caseapp.clock import local_today
from caseapp.domains.counselling.access import (
    PROGRAMME,
    assigned_people,
    check_editable,
    visible_people,
    works_cases,
)
from caseapp.domains.counselling.inputs import (
    ActionChanges,
    AmendmentInput,
    AttendanceInput,
    CaseChanges,
    CaseOpening,
    GoalChanges,
    GoalInput,
    ReferralInput,
    SessionInput,
)
from caseapp.domains.counselling.models import (
    FOCUS_AREAS,
    PLAN_RECORD,
    AttendanceRecord,
    CaseChild,
    CaseGoal,
    CounsellingCase,
    CounsellingSession,
    Referral,
    SessionAction,
    SessionAmendment,
    SessionAttendee,
)
from caseapp.domains.counselling.queries import case_people, household_options, record_event
from caseapp.errors import InvalidInput, NotPermitted
from caseapp.extensions import db
from caseapp.models.base import stored_codes
from caseapp.plan.tagging import set_tags
from caseapp.register.models import Assignment


def _apply(record, values: dict) -> list[str]:
    """Set the values that differ from the record's; the names of those changed, sorted."""
    changed = sorted(name for name, value in values.items() if getattr(record, name) != value)
    for name in changed:
        setattr(record, name, values[name])
    return changed


def _ensure_assigned(actor, person_ids) -> None:
    """Assign the actor (programme counselling) to each person not yet assigned to them."""
    have = set(db.session.scalars(assigned_people(actor)))
    for pid in dict.fromkeys(person_ids):
        if pid not in have:
            db.session.add(Assignment(user_id=actor.id, person_id=pid, programme=PROGRAMME, created_by_id=actor.id))
            db.session.flush()
            audit.record(
                "assignment.create",
                object_type="assignment",
                subject_id=pid,
                purpose=PROGRAMME,
                detail={"user_id": actor.id, "by": "counselling.case"},
                actor=actor,
            )


def _check_children(parent_id, children, actor, known=()) -> None:
    """The children are people the actor may see (or already the case's), and not the parent."""
    if parent_id in children:
        raise InvalidInput({"children": _l("the parent cannot be one of the children")})
    seen = visible_people(actor, [c for c in children if c not in known])
    if any(c not in known and c not in seen for c in children):
        raise InvalidInput({"children": _l("one or more children are not among the people you may see")})


# Cases


def open_case(opening: CaseOpening, actor) -> CounsellingCase:
    """Open a case for a parent the actor may see; the actor is assigned to the parent and the children."""
    if not works_cases(actor):
        raise NotPermitted(_l("only social workers open counselling cases"))
    person = visible_people(actor, [opening.person_id]).get(opening.person_id)
    if person is None:
        raise InvalidInput({"person_id": _l("choose a person you may see")})
    households = [hid for hid, _members in household_options(person, actor)]
    household_id = opening.household_id
    if household_id is not None and household_id not in households:
        raise InvalidInput({"household_id": _l("not a household the parent belongs to")})
    if household_id is None and opening.only_household and len(households) == 1:
        household_id = households[0]
    _check_children(person.id, opening.children, actor)
    case = CounsellingCase(
        person_id=person.id,
        household_id=household_id,
        started_on=opening.started_on,
        focus_areas=stored_codes(opening.focus_areas, FOCUS_AREAS),
        background=opening.background,
        created_by_id=actor.id,
    )
    case.children = [CaseChild(person_id=c) for c in opening.children]
    db.session.add(case)
    db.session.flush()
    _ensure_assigned(actor, [person.id, *opening.children])
    if opening.plan_tags is not None:
        set_tags(PLAN_RECORD, case.id, opening.plan_tags)
    given = {
        "household_id": household_id,
        "started_on": True,
        "focus_areas": True,
        "children": opening.children,
        "background": opening.background,
    }
    record_event(
        "case.create",
        case,
        person.id,
        actor,
        fields=sorted(k for k, v in given.items() if v),
        children=len(opening.children),
    )
    return case


def update_case(case: CounsellingCase, changes: CaseChanges, version: int, actor) -> list[str]:
    """Change status (closing needs a reason), focus, children, background; refuses a stale version."""
    check_editable(actor, case, allow_closed=True)
    case.check_version(version)
    _check_children(case.person_id, changes.children, actor, known=set(case.child_ids))
    if changes.status != case.status:
        case.closed_on = local_today() if changes.status == "closed" else None
    changed = _apply(
        case,
        {
            "status": changes.status,
            "closing_reason": changes.closing_reason,
            "closing_note": changes.closing_note,
            "started_on": changes.started_on,
            "focus_areas": stored_codes(changes.focus_areas, FOCUS_AREAS),
            "background": changes.background,
        },
    )
    if set(changes.children) != set(case.child_ids):
        added = [c for c in changes.children if c not in case.child_ids]
        kept = [c for c in case.children if c.person_id in changes.children]
        case.children = kept + [CaseChild(person_id=c) for c in added]
        _ensure_assigned(actor, added)
        changed.append("children")
    if changed:
        flag_modified(case, "updated_at")  # children are part of the case: bump its version too
        db.session.flush()
        record_event("case.update", case, case.person_id, actor, fields=sorted(changed), status=case.status)
    if changes.plan_tags is not None:  # the tag of the current period; earlier periods' tags stay
        set_tags(PLAN_RECORD, case.id, changes.plan_tags)
    return changed


# Goals


def add_goal(case: CounsellingCase, goal_input: GoalInput, actor) -> CaseGoal:
    check_editable(actor, case)
    goal = CaseGoal(
        case=case,
        subject_id=case.person_id,
        description=goal_input.description,
        status=goal_input.status,
        agreed_on=goal_input.agreed_on or local_today(),
        created_by_id=actor.id,
    )
    db.session.add(goal)
    db.session.flush()
    record_event("goal.create", goal, case.person_id, actor, status=goal.status)
    return goal


def update_goal(goal: CaseGoal, changes: GoalChanges, version: int, actor) -> list[str]:
    check_editable(actor, goal.case)
    goal.check_version(version)
    changed = _apply(goal, {"status": changes.status, "description": changes.description})
    if changed:
        db.session.flush()
        record_event("goal.update", goal, goal.subject_id, actor, fields=changed, status=goal.status)
    return changed


# Sessions, amendments and actions


def record_session(case: CounsellingCase, session_input: SessionInput, actor) -> CounsellingSession:
    """Log a session with its agreed actions; the note is encrypted and can later only be amended."""
    check_editable(actor, case)
    allowed = {p.id for p in case_people(case, actor)}
    if any(a not in allowed for a in session_input.attendees):
        raise InvalidInput({"attendees": _l("attendees must be people of this case")})
    session = CounsellingSession(
        case=case,
        subject_id=case.person_id,
        held_on=session_input.held_on,
        duration_minutes=session_input.duration_minutes,
        kind=session_input.kind,
        topics=stored_codes(session_input.topics, FOCUS_AREAS),
        other_attendees=session_input.other_attendees,
        notes=session_input.notes,
        next_follow_up=session_input.next_follow_up,
        created_by_id=actor.id,
    )
    session.attendees = [SessionAttendee(person_id=a) for a in session_input.attendees]
    session.actions = [
        SessionAction(
            case=case,
            subject_id=case.person_id,
            description=a.description,
            owner=a.owner,
            owner_user_id=actor.id if a.owner == "counsellor" else None,
            due_on=a.due_on,
        )
        for a in session_input.actions
    ]
    db.session.add(session)
    db.session.flush()
    record_event(
        "session.create",
        session,
        case.person_id,
        actor,
        kind=session.kind,
        actions=len(session.actions),
        attendees=len(session.attendees),
    )
    return session


def amend_session(session: CounsellingSession, amendment_input: AmendmentInput, actor) -> SessionAmendment:
    """Correct a saved note by appending an amendment; the original stays as it was, visible."""
    check_editable(actor, session.case, allow_closed=True)
    amendment = SessionAmendment(
        session=session,
        subject_id=session.subject_id,
        text=amendment_input.text,
        reason=amendment_input.reason,
        created_by_id=actor.id,
    )
    db.session.add(amendment)
    db.session.flush()
    record_event("session.amend", amendment, session.subject_id, actor, session_id=str(session.id))
    return amendment


def update_action(action: SessionAction, changes: ActionChanges, version: int, actor) -> list[str]:
    check_editable(actor, action.case)
    action.check_version(version)
    if changes.status != action.status:
        action.completed_on = local_today() if changes.status == "done" else None
    changed = _apply(action, {"status": changes.status, "due_on": changes.due_on})
    if changed:
        db.session.flush()
        record_event("action.update", action, action.subject_id, actor, fields=changed, status=action.status)
    return changed


# Attendance


def _attendance_values(case: CounsellingCase, record: AttendanceInput) -> dict:
    if record.child_id not in case.child_ids:
        raise InvalidInput({"child_id": _l("choose one of the case's children")})
    percent = record.attendance_percent
    # Stored as text (encrypted): one decimal for a percentage, whole days.
    return {
        "child_id": record.child_id,
        "institution_kind": record.institution_kind,
        "institution_name": record.institution_name,
        "period_start": record.period_start,
        "period_end": record.period_end,
        "attendance_percent": None if percent is None else f"{round(percent, 1):g}",
        "days_absent": None if record.days_absent is None else str(record.days_absent),
        "concern": record.concern,
        "note": record.note,
    }


def record_attendance(case: CounsellingCase, attendance: AttendanceInput, actor) -> AttendanceRecord:
    check_editable(actor, case)
    record = AttendanceRecord(case=case, created_by_id=actor.id, **_attendance_values(case, attendance))
    db.session.add(record)
    db.session.flush()
    record_event(
        "attendance.create",
        record,
        record.child_id,
        actor,
        institution_kind=record.institution_kind,
        concern=record.concern,
    )
    return record


def update_attendance(record: AttendanceRecord, attendance: AttendanceInput, version: int, actor) -> list[str]:
    check_editable(actor, record.case)
    record.check_version(version)
    values = _attendance_values(record.case, attendance)
    if values["child_id"] != record.child_id:
        raise InvalidInput({"child_id": _l("a record stays with its child: record a new one instead")})
    changed = _apply(record, values)
    if changed:
        db.session.flush()
        record_event("attendance.update", record, record.child_id, actor, fields=changed)
    return changed


# Referrals


def _referral_values(case: CounsellingCase, referral: ReferralInput) -> dict:
    if referral.person_id is not None and referral.person_id not in {case.person_id, *case.child_ids}:
        raise InvalidInput({"person_id": _l("the parent or one of the case's children")})
    return {
        "service": referral.service,
        "service_other": referral.service_other,
        "person_id": referral.person_id,
        "referred_on": referral.referred_on,
        "status": referral.status,
        "outcome": referral.outcome,
    }


def add_referral(case: CounsellingCase, referral_input: ReferralInput, actor) -> Referral:
    check_editable(actor, case)
    referral = Referral(
        case=case, subject_id=case.person_id, created_by_id=actor.id, **_referral_values(case, referral_input)
    )
    db.session.add(referral)
    db.session.flush()
    record_event("referral.create", referral, case.person_id, actor, service=referral.service, status=referral.status)
    return referral


def update_referral(referral: Referral, referral_input: ReferralInput, version: int, actor) -> list[str]:
    check_editable(actor, referral.case, allow_closed=True)
    referral.check_version(version)
    changed = _apply(referral, _referral_values(referral.case, referral_input))
    if changed:
        db.session.flush()
        record_event("referral.update", referral, referral.subject_id, actor, fields=changed, status=referral.status)
    return changed
