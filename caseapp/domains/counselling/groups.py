"""The verbs of parent groups (forældrecaféer): a meeting, and its register of parents present, each
linked to their case. A meeting names no resident; the register is scoped by the cases it links to."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from caseapp.domains.counselling.access import check_editable, get_visible_case, works_cases
from caseapp.domains.counselling.inputs import GroupSessionInput, Registration
from caseapp.domains.counselling.models import FOCUS_AREAS, GroupAttendance, GroupSession
from caseapp.domains.counselling.queries import record_event
from caseapp.errors import InvalidInput, NotPermitted
from caseapp.extensions import db
from caseapp.models.base import stored_codes


def create_group_session(meeting: GroupSessionInput, actor) -> GroupSession:
    if not works_cases(actor):
        raise NotPermitted(_l("only social workers hold parent groups"))
    group = GroupSession(
        title=meeting.title,
        held_on=meeting.held_on,
        duration_minutes=meeting.duration_minutes,
        topics=stored_codes(meeting.topics, FOCUS_AREAS),
        area=meeting.area,
        description=meeting.description,
        created_by_id=actor.id,
    )
    db.session.add(group)
    db.session.flush()
    record_event("group.create", group, actor=actor)
    return group


def register_parent(group: GroupSession, registration: Registration, actor) -> GroupAttendance:
    """Mark the case's parent present at a group meeting, linked to their case."""
    case = get_visible_case(registration.case_id, actor)
    if case is None:
        raise InvalidInput({"case_id": _l("choose one of your cases")})
    check_editable(actor, case)
    if any(row.case_id == case.id for row in group.register):
        raise InvalidInput({"case_id": _l("already in the register")})
    row = GroupAttendance(group_session=group, case_id=case.id, person_id=case.person_id, recorded_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    record_event("group.register", group, case.person_id, actor, case_id=str(case.id))
    return row


def unregister_parent(group: GroupSession, registration: Registration, actor) -> None:
    case = get_visible_case(registration.case_id, actor)
    row = next((r for r in group.register if case is not None and r.case_id == case.id), None)
    if row is None:
        raise InvalidInput({"case_id": _l("not in the register")})
    check_editable(actor, case, allow_closed=True)
    group.register.remove(row)
    db.session.flush()
    record_event("group.unregister", group, case.person_id, actor, case_id=str(case.id))
