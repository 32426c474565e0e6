"""The verbs of parent counselling. They check the domain's rules, flush and audit; the request commits once.

HTML views and JSON routes call the same functions, so every rule (who may see a case, what a closed
case allows, that a note is corrected only by amendment, optimistic locking) is written here once.

Access (DESIGN §2): a social worker reaches a case through an active `counselling` assignment to the
case's parent (the person the case is registered to); leaders read every case; nobody else reads any.
The parent, not the children, decides: a child may be part of two parents' cases with different
counsellors, and neither counsellor may read the other parent's log through the child.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from caseapp import audit
from caseapp.clock import local_today
from caseapp.domains.counselling.forms import EXPORT_NAMES, PLAN_RECORD
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
    AttendanceRecord,
    CaseChild,
    CaseGoal,
    CounsellingCase,
    CounsellingSession,
    GroupAttendance,
    GroupSession,
    Referral,
    SessionAction,
    SessionAmendment,
    SessionAttendee,
)
from caseapp.errors import InvalidInput
from caseapp.extensions import db
from caseapp.models.base import StaleVersion
from caseapp.models.users import User
from caseapp.plan.serialise import tag_json
from caseapp.plan.tagging import delete_tags, set_tags, tag_input_from, tags_of
from caseapp.privacy import ExpiredRecord, PersonalDataSource, retention_cutoff
from caseapp.register.models import (
    Assignment,
    HouseholdMember,
    Person,
    active_assignment_clause,
    people_visible_to,
    visibility_probe,
)
from caseapp.security.permissions import Permission, can

PROGRAMME = "counselling"
PURPOSE = "counselling"
ADULT_AGE = 18


class NotEditable(PermissionError):
    """The user may read the record but not change it (a leader, or a closed case)."""


# Scoping

def _assigned_people(user) -> Select:
    return select(Assignment.person_id).where(
        Assignment.user_id == user.id, Assignment.programme == PROGRAMME, active_assignment_clause()
    )


def _works_cases(user) -> bool:
    return user.has_role("social_worker") and can(user, Permission.COUNSELLING_EDIT)


def cases_visible_to(user) -> Select:
    """The one scoping query for counselling cases: lists and details both go through it."""
    query = select(CounsellingCase)
    if not can(user, Permission.COUNSELLING_READ):
        return query.where(False)
    if user.has_role("leader"):
        return query
    if _works_cases(user):
        return query.where(CounsellingCase.person_id.in_(_assigned_people(user)))
    return query.where(False)


def assigned_cases(user) -> Select:
    """The cases the user works on themself (their caseload), leaders included only where assigned."""
    if not _works_cases(user):
        return select(CounsellingCase).where(False)
    return select(CounsellingCase).where(CounsellingCase.person_id.in_(_assigned_people(user)))


def _uuid(value) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def get_visible_case(case_id, user, *, with_sessions: bool = False) -> CounsellingCase | None:
    """The case if `user` may see it, else None (the caller answers 404).

    `with_sessions`: its sessions with their attendees, amendments and actions too, a query each
    (for the case page, which shows them all), not three queries per session.
    """
    cid = _uuid(case_id)
    if cid is None:
        return None
    query = cases_visible_to(user).where(CounsellingCase.id == cid)
    if with_sessions:
        sessions = selectinload(CounsellingCase.sessions)
        query = query.options(sessions.selectinload(CounsellingSession.attendees),
                              sessions.selectinload(CounsellingSession.amendments),
                              sessions.selectinload(CounsellingSession.actions))
    return db.session.scalar(query)


def can_edit(user, case: CounsellingCase) -> bool:
    """Social workers edit the cases of the parents they are assigned to; leaders only read."""
    return _works_cases(user) and db.session.scalar(
        _assigned_people(user).where(Assignment.person_id == case.person_id).limit(1)) is not None


def check_editable(user, case: CounsellingCase, *, allow_closed: bool = False) -> None:
    if not can_edit(user, case):
        raise NotEditable("read only")
    if case.status == "closed" and not allow_closed:
        raise InvalidInput({"status": _l("the case is closed: reopen it first")})


def find_in(items, item_id):
    """The member of a case's collection with this id, or None (the caller answers 404)."""
    wanted = _uuid(item_id)
    return next((i for i in items if i.id == wanted), None) if wanted else None


def visible_people(user, ids) -> dict[uuid.UUID, Person]:
    wanted = {i for i in (_uuid(x) for x in ids) if i}
    if not wanted:
        return {}
    query = select(Person).where(Person.id.in_(wanted))
    probe = visibility_probe(user, Person.id)  # a probe for each of the few people asked for
    return {p.id: p for p in db.session.scalars(query if probe is None else query.where(probe))}


def parent_candidates(user) -> list[Person]:
    """Adults the user may see, for the parent field of a new case, sorted by name."""
    limit = local_today().year - ADULT_AGE
    people = db.session.scalars(people_visible_to(user).where(
        (Person.birth_year.is_(None)) | (Person.birth_year <= limit))).all()
    return sorted(people, key=lambda p: (p.full_name.casefold(), str(p.id)))


def household_options(person: Person, user) -> list[tuple[uuid.UUID, list[tuple[Person, str]]]]:
    """The person's households with the members the user may see: [(household id, [(person, relation)])]."""
    result = []
    memberships = db.session.scalars(select(HouseholdMember).where(HouseholdMember.person_id == person.id)).all()
    for membership in memberships:
        members = db.session.scalars(select(HouseholdMember).where(
            HouseholdMember.household_id == membership.household_id)).all()
        seen = visible_people(user, [m.person_id for m in members])
        result.append((membership.household_id,
                       [(seen[m.person_id], m.relation) for m in members if m.person_id in seen]))
    return result


def child_candidates(person: Person, user) -> list[Person]:
    """Children in the parent's households whom the user may see (the children a case can concern)."""
    found: dict[uuid.UUID, Person] = {}
    for _hid, members in household_options(person, user):
        for member, relation in members:
            if relation == "child" and member.id != person.id:
                found[member.id] = member
    return sorted(found.values(), key=lambda p: (p.full_name.casefold(), str(p.id)))


def case_people(case: CounsellingCase, user) -> list[Person]:
    """Who can take part in the case's sessions: the parent, the other adults of the household, the children."""
    ids = [case.person_id]
    if case.household_id:
        ids += list(db.session.scalars(select(HouseholdMember.person_id).where(
            HouseholdMember.household_id == case.household_id)))
    ids += case.child_ids
    seen = visible_people(user, ids) if not user.has_role("leader") else {
        p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(ids)))}
    ordered = list(dict.fromkeys(ids))
    return [seen[i] for i in ordered if i in seen]


def counsellors(case: CounsellingCase) -> list[User]:
    """The assigned counsellors: social workers with an active counselling assignment to the parent."""
    users = db.session.scalars(
        select(User).join(Assignment, Assignment.user_id == User.id)
        .where(Assignment.person_id == case.person_id, Assignment.programme == PROGRAMME,
               active_assignment_clause(), User.active.is_(True))
        .order_by(User.name).distinct()
    ).all()
    return [u for u in users if u.has_role("social_worker")]


# Helpers for rules

def _check_version(record, version) -> None:
    try:
        stale = version is None or int(version) != record.version
    except (TypeError, ValueError):
        stale = True
    if stale:
        raise StaleVersion()


def _code(value, allowed, name: str, problems: dict, *, required: bool = True) -> str | None:
    if value in (None, ""):
        if required:
            problems[name] = _l("this field is required")
        return None
    if value not in allowed:
        problems[name] = _l("must be one of %(values)s", values=", ".join(allowed))
        return None
    return value


def _codes(values, allowed, name: str, problems: dict) -> str:
    if isinstance(values, str):
        values = values.split()
    values = [v for v in (values or []) if v]
    bad = [v for v in values if v not in allowed]
    if bad:
        problems[name] = _l("must be among %(values)s", values=", ".join(allowed))
    return " ".join(v for v in allowed if v in values)


def _text(value) -> str | None:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    return value or None


def _date(value, name: str, problems: dict, *, required: bool = False) -> date | None:
    if value in (None, ""):
        if required:
            problems[name] = _l("this field is required")
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems[name] = _l("not a date (YYYY-MM-DD)")
        return None


def _raise(problems: dict) -> None:
    if problems:
        raise InvalidInput(problems)


def _ensure_assigned(actor, person_ids) -> int:
    """Assign the actor (programme counselling) to each person not yet assigned; returns how many were added."""
    have = set(db.session.scalars(_assigned_people(actor)))
    added = 0
    for pid in dict.fromkeys(person_ids):
        if pid not in have:
            db.session.add(Assignment(user_id=actor.id, person_id=pid, programme=PROGRAMME, created_by_id=actor.id))
            db.session.flush()
            audit.record("assignment.create", object_type="assignment", subject_id=pid, purpose=PROGRAMME,
                         detail={"user_id": actor.id, "by": "counselling.case"}, actor=actor)
            added += 1
    return added


def _audit(action: str, obj, subject_id, actor=None, **detail) -> None:
    audit.record(f"counselling.{action}", object_type=obj.__tablename__, object_id=obj.id, subject_id=subject_id,
                 purpose=PURPOSE, detail=detail or None, actor=actor)


def _children(case_or_none, values, actor, problems: dict) -> list[uuid.UUID]:
    ids = [i for i in (_uuid(v) for v in (values or []) if v) if i]
    if len(ids) != len([v for v in (values or []) if v]):
        problems["children"] = _l("not a list of person ids")
        return []
    known = set(case_or_none.child_ids) if case_or_none else set()
    unseen = [i for i in ids if i not in known and i not in visible_people(actor, ids)]
    if unseen:
        problems["children"] = _l("one or more children are not among the people you may see")
    return list(dict.fromkeys(ids))


# Cases

CASE_FIELDS = ("household_id", "started_on", "focus_areas", "children", "background")


def open_case(data: dict, actor) -> CounsellingCase:
    """Open a case for a parent the actor may see; the actor is assigned to the parent and the children."""
    if not _works_cases(actor):
        raise NotEditable("only social workers open counselling cases")
    problems: dict[str, str] = {}
    person_id = _uuid(data.get("person_id"))
    person = visible_people(actor, [person_id]).get(person_id) if person_id else None
    if person is None:
        problems["person_id"] = _l("choose a person you may see")
    household_id = _uuid(data.get("household_id")) if data.get("household_id") else None
    if person is not None:
        households = [hid for hid, _m in household_options(person, actor)]
        if data.get("household_id") and household_id not in households:
            problems["household_id"] = _l("not a household the parent belongs to")
        elif "household_id" not in data and len(households) == 1:
            household_id = households[0]  # the API may leave it out; the page always says which (or none)
    started_on = _date(data.get("started_on"), "started_on", problems) or local_today()
    focus = _codes(data.get("focus_areas"), FOCUS_AREAS, "focus_areas", problems)
    if not focus and "focus_areas" not in problems:
        problems["focus_areas"] = _l("choose at least one focus area")
    children = _children(None, data.get("children"), actor, problems)
    if person_id in children:
        problems["children"] = _l("the parent cannot be one of the children")
    _raise(problems)
    case = CounsellingCase(person_id=person.id, household_id=household_id, started_on=started_on,
                           focus_areas=focus, background=_text(data.get("background")), created_by_id=actor.id)
    case.children = [CaseChild(person_id=c) for c in children]
    db.session.add(case)
    db.session.flush()
    _ensure_assigned(actor, [person.id, *children])
    _audit("case.create", case, person.id, actor, fields=sorted(k for k in CASE_FIELDS if data.get(k)),
           children=len(children))
    _tag(case, data)
    return case


def _tag(case: CounsellingCase, data: dict) -> None:
    """The case's tag in the plan's current period, as the form chose it (tags of earlier periods stay)."""
    tags = tag_input_from(data)
    if tags is not None:
        set_tags(PLAN_RECORD, case.id, tags)


def update_case(case: CounsellingCase, data: dict, version, actor) -> list[str]:
    """Change status (closing needs a reason), focus, children, background; refuses a stale version."""
    check_editable(actor, case, allow_closed=True)
    _check_version(case, version)
    problems: dict[str, str] = {}
    changed: list[str] = []
    status = _code(data.get("status", case.status), CASE_STATUSES, "status", problems)
    reason = _code(data.get("closing_reason") or None, CLOSING_REASONS, "closing_reason", problems, required=False)
    if status == "closed" and not reason:
        problems["closing_reason"] = _l("give the reason the case is closed")
    started_on = _date(data.get("started_on", case.started_on), "started_on", problems, required=True)
    focus = _codes(data.get("focus_areas", case.focus_list), FOCUS_AREAS, "focus_areas", problems)
    if not focus and "focus_areas" not in problems:
        problems["focus_areas"] = _l("choose at least one focus area")
    children = _children(case, data.get("children", [str(c) for c in case.child_ids]), actor, problems)
    if case.person_id in children:
        problems["children"] = _l("the parent cannot be one of the children")
    _raise(problems)
    if status != case.status:
        changed.append("status")
        case.status = status
        case.closed_on = local_today() if status == "closed" else None
    new_reason = reason if status == "closed" else None
    if new_reason != case.closing_reason:
        changed.append("closing_reason")
        case.closing_reason = new_reason
    note = _text(data.get("closing_note", case.closing_note)) if status == "closed" else None
    if note != case.closing_note:
        changed.append("closing_note")
        case.closing_note = note
    for name, value in (("started_on", started_on), ("focus_areas", focus),
                        ("background", _text(data.get("background", case.background)))):
        if getattr(case, name) != value:
            setattr(case, name, value)
            changed.append(name)
    if set(children) != set(case.child_ids):
        added = [c for c in children if c not in case.child_ids]
        case.children = [c for c in case.children if c.person_id in children] + [
            CaseChild(person_id=c) for c in added]
        _ensure_assigned(actor, added)
        changed.append("children")
    if changed:
        flag_modified(case, "updated_at")  # children are part of the case: bump its version too
        db.session.flush()
        _audit("case.update", case, case.person_id, actor, fields=sorted(changed), status=case.status)
    _tag(case, data)
    return changed


def audit_case_view(case: CounsellingCase, actor=None) -> None:
    _audit("case.view", case, case.person_id, actor)


def audit_list(what: str, actor=None, **detail) -> None:
    audit.record(f"counselling.{what}.list", object_type=f"counselling_{what}", purpose=PURPOSE,
                 detail=detail or None, actor=actor)


# Goals

def add_goal(case: CounsellingCase, data: dict, actor) -> CaseGoal:
    check_editable(actor, case)
    problems: dict[str, str] = {}
    description = _text(data.get("description"))
    if not description:
        problems["description"] = _l("describe the goal")
    status = _code(data.get("status") or "agreed", GOAL_STATUSES, "status", problems)
    agreed_on = _date(data.get("agreed_on"), "agreed_on", problems) or local_today()
    _raise(problems)
    goal = CaseGoal(case=case, subject_id=case.person_id, description=description, status=status,
                    agreed_on=agreed_on, created_by_id=actor.id)
    db.session.add(goal)
    db.session.flush()
    _audit("goal.create", goal, case.person_id, actor, status=status)
    return goal


def update_goal(goal: CaseGoal, data: dict, version, actor) -> list[str]:
    check_editable(actor, goal.case)
    _check_version(goal, version)
    problems: dict[str, str] = {}
    status = _code(data.get("status", goal.status), GOAL_STATUSES, "status", problems)
    description = _text(data.get("description", goal.description))
    if not description:
        problems["description"] = _l("describe the goal")
    _raise(problems)
    changed = [n for n, v in (("status", status), ("description", description)) if getattr(goal, n) != v]
    if changed:
        goal.status, goal.description = status, description
        db.session.flush()
        _audit("goal.update", goal, goal.subject_id, actor, fields=changed, status=status)
    return changed


# Sessions, amendments and actions

def _action_rows(rows, problems: dict) -> list[dict]:
    result = []
    for index, row in enumerate(rows or []):
        if not isinstance(row, dict):
            problems[f"actions-{index}"] = _l("an action is an object with description, owner and due_on")
            continue
        if not any(_text(row.get(k)) if isinstance(row.get(k), str) else row.get(k)
                   for k in ("description", "owner", "due_on")):
            continue  # a blank row of the form
        description = _text(row.get("description"))
        if not description:
            problems[f"actions-{index}-description"] = _l("describe the action")
        owner = _code(row.get("owner"), ACTION_OWNERS, f"actions-{index}-owner", problems)
        due_on = _date(row.get("due_on"), f"actions-{index}-due_on", problems, required=True)
        result.append({"description": description, "owner": owner, "due_on": due_on})
    return result


def record_session(case: CounsellingCase, data: dict, actor) -> CounsellingSession:
    """Log a session with its agreed actions; the note is encrypted and can later only be amended."""
    check_editable(actor, case)
    problems: dict[str, str] = {}
    held_on = _date(data.get("held_on"), "held_on", problems, required=True)
    if held_on and held_on > local_today():
        problems["held_on"] = _l("a session cannot be logged before it is held")
    try:
        duration = int(data.get("duration_minutes"))
        if not 1 <= duration <= 720:
            raise ValueError
    except (TypeError, ValueError):
        problems["duration_minutes"] = _l("minutes between 1 and 720")
        duration = 0
    kind = _code(data.get("kind"), SESSION_KINDS, "kind", problems)
    topics = _codes(data.get("topics"), FOCUS_AREAS, "topics", problems)
    notes = _text(data.get("notes"))
    if not notes:
        problems["notes"] = _l("write what was talked about")
    follow_up = _date(data.get("next_follow_up"), "next_follow_up", problems)
    if follow_up and held_on and follow_up < held_on:
        problems["next_follow_up"] = _l("the follow-up is before the session")
    allowed = {p.id for p in case_people(case, actor)}
    attendees = [_uuid(a) for a in (data.get("attendees") or []) if a]
    if any(a is None or a not in allowed for a in attendees):
        problems["attendees"] = _l("attendees must be people of this case")
    actions = _action_rows(data.get("actions"), problems)
    _raise(problems)
    session = CounsellingSession(
        case=case, subject_id=case.person_id, held_on=held_on, duration_minutes=duration, kind=kind, topics=topics,
        other_attendees=_text(data.get("other_attendees")), notes=notes, next_follow_up=follow_up,
        created_by_id=actor.id,
    )
    session.attendees = [SessionAttendee(person_id=a) for a in dict.fromkeys(attendees)]
    session.actions = [
        SessionAction(case=case, subject_id=case.person_id, description=a["description"], owner=a["owner"],
                      owner_user_id=actor.id if a["owner"] == "counsellor" else None, due_on=a["due_on"])
        for a in actions
    ]
    db.session.add(session)
    db.session.flush()
    _audit("session.create", session, case.person_id, actor, kind=kind, actions=len(actions),
           attendees=len(session.attendees))
    return session


def amend_session(session: CounsellingSession, data: dict, actor) -> SessionAmendment:
    """Correct a saved note by appending an amendment; the original stays as it was, visible."""
    check_editable(actor, session.case, allow_closed=True)
    problems: dict[str, str] = {}
    text = _text(data.get("text"))
    if not text:
        problems["text"] = _l("write the correction")
    _raise(problems)
    amendment = SessionAmendment(session=session, subject_id=session.subject_id, text=text,
                                 reason=_text(data.get("reason")), created_by_id=actor.id)
    db.session.add(amendment)
    db.session.flush()
    _audit("session.amend", amendment, session.subject_id, actor, session_id=str(session.id))
    return amendment


def update_action(action: SessionAction, data: dict, version, actor) -> list[str]:
    check_editable(actor, action.case)
    _check_version(action, version)
    problems: dict[str, str] = {}
    status = _code(data.get("status", action.status), ACTION_STATUSES, "status", problems)
    due_on = _date(data.get("due_on", action.due_on), "due_on", problems, required=True)
    _raise(problems)
    changed = []
    if status != action.status:
        action.status = status
        action.completed_on = local_today() if status == "done" else None
        changed.append("status")
    if due_on != action.due_on:
        action.due_on = due_on
        changed.append("due_on")
    if changed:
        db.session.flush()
        _audit("action.update", action, action.subject_id, actor, fields=changed, status=status)
    return changed


# Attendance

def _attendance_values(case: CounsellingCase, data: dict, problems: dict, current=None) -> dict:
    def get(name):
        return data.get(name, getattr(current, name) if current is not None else None)

    child_id = _uuid(get("child_id"))
    if child_id is None or child_id not in case.child_ids:
        problems["child_id"] = _l("choose one of the case's children")
    kind = _code(get("institution_kind"), INSTITUTION_KINDS, "institution_kind", problems)
    start = _date(get("period_start"), "period_start", problems, required=True)
    end = _date(get("period_end"), "period_end", problems, required=True)
    if start and end and end < start:
        problems["period_end"] = _l("the period ends before it starts")
    percent = get("attendance_percent")
    absent = get("days_absent")
    percent_text = absent_text = None
    if percent not in (None, ""):
        try:
            value = round(float(percent), 1)
            if not 0 <= value <= 100:
                raise ValueError
            percent_text = f"{value:g}"
        except (TypeError, ValueError):
            problems["attendance_percent"] = _l("a percentage between 0 and 100")
    if absent not in (None, ""):
        try:
            days = int(absent)
            if not 0 <= days <= 366:
                raise ValueError
            absent_text = str(days)
        except (TypeError, ValueError):
            problems["days_absent"] = _l("a whole number of days between 0 and 366")
    if percent in (None, "") and absent in (None, ""):
        problems["attendance_percent"] = _l("give the attendance as a percentage or the days absent")
    concern = get("concern")
    return {"child_id": child_id, "institution_kind": kind, "institution_name": _text(get("institution_name")),
            "period_start": start, "period_end": end, "attendance_percent": percent_text,
            "days_absent": absent_text, "concern": concern in (True, "y", "true", "on", "1", 1),
            "note": _text(get("note"))}


def record_attendance(case: CounsellingCase, data: dict, actor) -> AttendanceRecord:
    check_editable(actor, case)
    problems: dict[str, str] = {}
    values = _attendance_values(case, data, problems)
    _raise(problems)
    record = AttendanceRecord(case=case, created_by_id=actor.id, **values)
    db.session.add(record)
    db.session.flush()
    _audit("attendance.create", record, record.child_id, actor, institution_kind=record.institution_kind,
           concern=record.concern)
    return record


def update_attendance(record: AttendanceRecord, data: dict, version, actor) -> list[str]:
    check_editable(actor, record.case)
    _check_version(record, version)
    problems: dict[str, str] = {}
    values = _attendance_values(record.case, data, problems, current=record)
    _raise(problems)
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    if "child_id" in changed:
        raise InvalidInput({"child_id": _l("a record stays with its child: record a new one instead")})
    for name in changed:
        setattr(record, name, values[name])
    if changed:
        db.session.flush()
        _audit("attendance.update", record, record.child_id, actor, fields=sorted(changed))
    return changed


def attendance_by_child(case: CounsellingCase, user) -> list[tuple[Person, list[AttendanceRecord]]]:
    """Each child of the case with their records in period order (children with none included)."""
    people = {p.id: p for p in case_people(case, user)}
    result = []
    for child_id in case.child_ids:
        if child_id in people:
            records = [r for r in case.attendance if r.child_id == child_id]
            result.append((people[child_id], sorted(records, key=lambda r: (r.period_start, r.period_end))))
    return result


# Referrals

def _referral_values(case: CounsellingCase, data: dict, problems: dict, current=None) -> dict:
    def get(name):
        return data.get(name, getattr(current, name) if current is not None else None)

    service = _code(get("service"), REFERRAL_SERVICES, "service", problems)
    other = _text(get("service_other"))
    if service == "other" and not other:
        problems["service_other"] = _l("name the service")
    person_id = _uuid(get("person_id")) if get("person_id") else None
    if get("person_id") and person_id not in {case.person_id, *case.child_ids}:
        problems["person_id"] = _l("the parent or one of the case's children")
    return {"service": service, "service_other": other if service == "other" else None, "person_id": person_id,
            "referred_on": _date(get("referred_on"), "referred_on", problems, required=True),
            "status": _code(get("status") or "planned", REFERRAL_STATUSES, "status", problems),
            "outcome": _text(get("outcome"))}


def add_referral(case: CounsellingCase, data: dict, actor) -> Referral:
    check_editable(actor, case)
    problems: dict[str, str] = {}
    values = _referral_values(case, data, problems)
    _raise(problems)
    referral = Referral(case=case, subject_id=case.person_id, created_by_id=actor.id, **values)
    db.session.add(referral)
    db.session.flush()
    _audit("referral.create", referral, case.person_id, actor, service=referral.service, status=referral.status)
    return referral


def update_referral(referral: Referral, data: dict, version, actor) -> list[str]:
    check_editable(actor, referral.case, allow_closed=True)
    _check_version(referral, version)
    problems: dict[str, str] = {}
    values = _referral_values(referral.case, data, problems, current=referral)
    _raise(problems)
    changed = [name for name, value in values.items() if getattr(referral, name) != value]
    for name in changed:
        setattr(referral, name, values[name])
    if changed:
        db.session.flush()
        _audit("referral.update", referral, referral.subject_id, actor, fields=sorted(changed),
               status=referral.status)
    return changed


# Parent groups

def groups_visible_to(user) -> Select:
    """Group meetings themselves name no resident: every counselling reader sees them (registers are scoped)."""
    query = select(GroupSession)
    if not can(user, Permission.COUNSELLING_READ):
        return query.where(False)
    return query.order_by(GroupSession.held_on.desc(), GroupSession.created_at.desc())


def get_visible_group(group_id, user) -> GroupSession | None:
    gid = _uuid(group_id)
    return db.session.scalar(groups_visible_to(user).where(GroupSession.id == gid)) if gid else None


def create_group_session(data: dict, actor) -> GroupSession:
    if not _works_cases(actor):
        raise NotEditable("only social workers hold parent groups")
    problems: dict[str, str] = {}
    title = _text(data.get("title"))
    if not title:
        problems["title"] = _l("give the meeting a title")
    held_on = _date(data.get("held_on"), "held_on", problems, required=True)
    try:
        duration = int(data.get("duration_minutes"))
        if not 1 <= duration <= 720:
            raise ValueError
    except (TypeError, ValueError):
        problems["duration_minutes"] = _l("minutes between 1 and 720")
        duration = 0
    topics = _codes(data.get("topics"), FOCUS_AREAS, "topics", problems)
    _raise(problems)
    group = GroupSession(title=title, held_on=held_on, duration_minutes=duration, topics=topics,
                         area=_text(data.get("area")), description=_text(data.get("description")),
                         created_by_id=actor.id)
    db.session.add(group)
    db.session.flush()
    audit.record("counselling.group.create", object_type="counselling_group_session", object_id=group.id,
                 purpose=PURPOSE, actor=actor)
    return group


def visible_register(group: GroupSession, user) -> tuple[list[GroupAttendance], int]:
    """The register entries whose case the user may see, and how many others there are."""
    visible = set(db.session.scalars(cases_visible_to(user).with_only_columns(CounsellingCase.id)))
    mine = [row for row in group.register if row.case_id in visible]
    return mine, len(group.register) - len(mine)


def register_parent(group: GroupSession, case_id, actor) -> GroupAttendance:
    """Mark the case's parent present at a group meeting, linked to their case."""
    case = get_visible_case(case_id, actor)
    if case is None:
        raise InvalidInput({"case_id": _l("choose one of your cases")})
    check_editable(actor, case)
    if any(row.case_id == case.id for row in group.register):
        raise InvalidInput({"case_id": _l("already in the register")})
    row = GroupAttendance(group_session=group, case_id=case.id, person_id=case.person_id, recorded_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record("counselling.group.register", object_type="counselling_group_session", object_id=group.id,
                 subject_id=case.person_id, purpose=PURPOSE, detail={"case_id": str(case.id)}, actor=actor)
    return row


def unregister_parent(group: GroupSession, case_id, actor) -> None:
    case = get_visible_case(case_id, actor)
    row = next((r for r in group.register if case is not None and r.case_id == case.id), None)
    if row is None:
        raise InvalidInput({"case_id": _l("not in the register")})
    check_editable(actor, case, allow_closed=True)
    group.register.remove(row)
    db.session.flush()
    audit.record("counselling.group.unregister", object_type="counselling_group_session", object_id=group.id,
                 subject_id=case.person_id, purpose=PURPOSE, detail={"case_id": str(case.id)}, actor=actor)


def group_attendance_of(case: CounsellingCase) -> list[GroupAttendance]:
    return db.session.scalars(
        select(GroupAttendance).join(GroupSession).where(GroupAttendance.case_id == case.id)
        .options(selectinload(GroupAttendance.group_session)).order_by(GroupSession.held_on.desc())
    ).all()


# My work

def week_end(today: date) -> date:
    return today + timedelta(days=6 - today.weekday())


@dataclass
class MyWork:
    open_cases: list[CounsellingCase] = field(default_factory=list)
    follow_ups: list[tuple[CounsellingCase, date]] = field(default_factory=list)
    due_actions: list[SessionAction] = field(default_factory=list)
    overdue_actions: list[SessionAction] = field(default_factory=list)
    today: date = field(default_factory=date.today)


def my_work(user, today: date | None = None) -> MyWork:
    """The counsellor's open cases, follow-ups due by the end of this week (overdue ones too), and their
    cases' open actions: due this week, and overdue."""
    today = today or local_today()
    end = week_end(today)
    work = MyWork(today=today)
    work.open_cases = db.session.scalars(
        assigned_cases(user).where(CounsellingCase.status == "open").order_by(CounsellingCase.started_on)
        .options(selectinload(CounsellingCase.person))).all()
    ids = [c.id for c in work.open_cases]
    if not ids:
        return work
    by_id = {c.id: c for c in work.open_cases}
    latest: dict[uuid.UUID, date | None] = {}
    for case_id, follow_up in db.session.execute(
        select(CounsellingSession.case_id, CounsellingSession.next_follow_up)
        .where(CounsellingSession.case_id.in_(ids))
        .order_by(CounsellingSession.held_on.desc(), CounsellingSession.created_at.desc())
    ):
        latest.setdefault(case_id, follow_up)
    work.follow_ups = sorted(((by_id[cid], d) for cid, d in latest.items() if d and d <= end),
                             key=lambda item: item[1])
    actions = db.session.scalars(
        select(SessionAction).where(SessionAction.case_id.in_(ids), SessionAction.status == "open",
                                    SessionAction.due_on <= end)
        .order_by(SessionAction.due_on, SessionAction.created_at)
    ).all()
    work.overdue_actions = [a for a in actions if a.due_on < today]
    work.due_actions = [a for a in actions if a.due_on >= today]
    return work


# Serialising (API and subject-access export)

def _iso(value):
    return value.isoformat() if value is not None else None


def _person_ref(person: Person | None) -> dict | None:
    return None if person is None else {"id": str(person.id), "name": person.full_name}


def case_summary(case: CounsellingCase) -> dict:
    return {
        "id": str(case.id), "person": _person_ref(case.person), "household_id": _iso_id(case.household_id),
        "status": case.status, "started_on": _iso(case.started_on), "closed_on": _iso(case.closed_on),
        "focus_areas": case.focus_list, "next_follow_up": _iso(case.next_follow_up), "version": case.version,
    }


def _iso_id(value) -> str | None:
    return None if value is None else str(value)


def case_detail(case: CounsellingCase, *, staff: bool = True) -> dict:
    data = case_summary(case)
    data.update({
        "closing_reason": case.closing_reason, "closing_note": case.closing_note, "background": case.background,
        "children": [_person_ref(c.person) for c in case.children],
        "goals": [goal_dict(g) for g in case.goals],
        "created_at": _iso(case.created_at), "updated_at": _iso(case.updated_at),
        "plan_tags": [tag_json(t) for t in tags_of(PLAN_RECORD, case.id)],
    })
    if staff:
        data["counsellors"] = [{"id": u.id, "name": u.name} for u in counsellors(case)]
    return data


def goal_dict(goal: CaseGoal) -> dict:
    return {"id": str(goal.id), "description": goal.description, "status": goal.status,
            "agreed_on": _iso(goal.agreed_on), "version": goal.version}


def action_dict(action: SessionAction, *, staff: bool = True) -> dict:
    data = {"id": str(action.id), "session_id": str(action.session_id), "description": action.description,
            "owner": action.owner, "due_on": _iso(action.due_on), "status": action.status,
            "completed_on": _iso(action.completed_on), "version": action.version}
    if staff:
        data["owner_user_id"] = action.owner_user_id
    return data


def amendment_dict(amendment: SessionAmendment, *, staff: bool = True) -> dict:
    data = {"id": str(amendment.id), "session_id": str(amendment.session_id), "text": amendment.text,
            "reason": amendment.reason, "created_at": _iso(amendment.created_at)}
    if staff:
        data["created_by"] = ({"id": amendment.created_by.id, "name": amendment.created_by.name}
                              if amendment.created_by else None)
    return data


def session_dict(session: CounsellingSession, *, staff: bool = True) -> dict:
    data = {
        "id": str(session.id), "case_id": str(session.case_id), "held_on": _iso(session.held_on),
        "duration_minutes": session.duration_minutes, "kind": session.kind, "topics": session.topic_list,
        "attendees": [_person_ref(a.person) for a in session.attendees],
        "other_attendees": session.other_attendees, "notes": session.notes,
        "next_follow_up": _iso(session.next_follow_up), "created_at": _iso(session.created_at),
        "amendments": [amendment_dict(a, staff=staff) for a in session.amendments],
        "actions": [action_dict(a, staff=staff) for a in session.actions],
    }
    if staff:
        data["created_by"] = ({"id": session.created_by.id, "name": session.created_by.name}
                              if session.created_by else None)
    return data


def attendance_dict(record: AttendanceRecord) -> dict:
    return {
        "id": str(record.id), "case_id": str(record.case_id), "child": _person_ref(record.child),
        "institution_kind": record.institution_kind, "institution_name": record.institution_name,
        "period_start": _iso(record.period_start), "period_end": _iso(record.period_end),
        "attendance_percent": record.percent, "days_absent": record.absent, "concern": record.concern,
        "note": record.note, "version": record.version,
    }


def referral_dict(referral: Referral) -> dict:
    return {
        "id": str(referral.id), "case_id": str(referral.case_id), "service": referral.service,
        "service_other": referral.service_other, "person": _person_ref(referral.person),
        "referred_on": _iso(referral.referred_on), "status": referral.status, "outcome": referral.outcome,
        "version": referral.version,
    }


def group_dict(group: GroupSession, user) -> dict:
    rows, others = visible_register(group, user)
    return {
        "id": str(group.id), "title": group.title, "held_on": _iso(group.held_on),
        "duration_minutes": group.duration_minutes, "topics": group.topic_list, "area": group.area,
        "description": group.description,
        "register": [{"case_id": str(r.case_id), "person_id": str(r.person_id)} for r in rows],
        "other_participants": others,
    }


# Data protection: subject access, erasure, retention

def export_person(person_id: uuid.UUID) -> list[dict]:
    """Everything counselling holds about the person, decrypted, without staff names."""
    records: list[dict] = []
    for case in db.session.scalars(select(CounsellingCase).where(CounsellingCase.person_id == person_id)):
        data = case_detail(case, staff=False)
        data["sessions"] = [session_dict(s, staff=False) for s in case.sessions]
        data["referrals"] = [referral_dict(r) for r in case.referrals]
        data["group_sessions"] = [{"title": g.group_session.title, "held_on": _iso(g.group_session.held_on)}
                                  for g in group_attendance_of(case)]
        records.append({"kind": "counselling_case", "role": "parent", **data})
    child_cases = db.session.scalars(select(CounsellingCase).join(CaseChild).where(CaseChild.person_id == person_id))
    for case in child_cases:
        records.append({"kind": "counselling_case", "role": "child", "id": str(case.id), "status": case.status,
                        "started_on": _iso(case.started_on), "closed_on": _iso(case.closed_on),
                        "focus_areas": case.focus_list})
    for record in db.session.scalars(select(AttendanceRecord).where(AttendanceRecord.child_id == person_id)):
        records.append({"kind": "counselling_attendance", **attendance_dict(record)})
    for referral in db.session.scalars(select(Referral).where(Referral.person_id == person_id,
                                                              Referral.subject_id != person_id)):
        records.append({"kind": "counselling_referral", **referral_dict(referral)})
    attended = db.session.scalars(select(CounsellingSession).join(SessionAttendee).where(
        SessionAttendee.person_id == person_id, CounsellingSession.subject_id != person_id))
    for session in attended:
        records.append({"kind": "counselling_session_attendance", "held_on": _iso(session.held_on),
                        "session_kind": session.kind})
    return records


def erase_person(person_id: uuid.UUID) -> dict[str, int]:
    """Delete the person's counselling data: their cases with everything in them, and the traces of
    them in other families' cases (child links, attendance, referrals, session and group attendance)."""
    counts = {}

    def remove(kind, statement):
        counts[kind] = db.session.execute(statement).rowcount or 0

    remove("group_attendance", delete(GroupAttendance).where(GroupAttendance.person_id == person_id))
    for case_id in db.session.scalars(select(CounsellingCase.id).where(CounsellingCase.person_id == person_id)):
        delete_tags(PLAN_RECORD, case_id)
    remove("cases", delete(CounsellingCase).where(CounsellingCase.person_id == person_id))
    remove("attendance", delete(AttendanceRecord).where(AttendanceRecord.child_id == person_id))
    remove("referrals", delete(Referral).where(Referral.person_id == person_id))
    remove("case_children", delete(CaseChild).where(CaseChild.person_id == person_id))
    remove("session_attendance", delete(SessionAttendee).where(SessionAttendee.person_id == person_id))
    db.session.expire_all()
    return counts


def expired_cases(today: date) -> list[ExpiredRecord]:
    """Closed cases whose retention period (RETENTION["counselling_closed"]) has run out."""
    cutoff = retention_cutoff("counselling_closed", today)
    if cutoff is None:
        return []
    rows = db.session.execute(select(CounsellingCase.id, CounsellingCase.person_id).where(
        CounsellingCase.status == "closed", CounsellingCase.closed_on <= cutoff))
    return [ExpiredRecord("counselling_closed", "counselling_case", str(cid), pid) for cid, pid in rows]


def purge_case(record: ExpiredRecord) -> None:
    delete_tags(PLAN_RECORD, record.object_id)
    db.session.execute(delete(CounsellingCase).where(CounsellingCase.id == uuid.UUID(record.object_id)))
    db.session.flush()
    db.session.expire_all()


SOURCE = PersonalDataSource(domain="counselling", names=EXPORT_NAMES, export=export_person,
                            erase=erase_person, expired=expired_cases, purge=purge_case)
