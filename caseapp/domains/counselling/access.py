"""Who may see and change what in parent counselling (DESIGN §2); every list and look-up scopes here.

A social worker reaches a case through an active `counselling` assignment to the case's parent (the
person the case is registered to); leaders read every case; nobody else reads any. The parent, not the
children, decides: a child may be part of two parents' cases with different counsellors, and neither
counsellor may read the other parent's log through the child.
"""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from caseapp.crypto.fields import require_readable
from caseapp.domains.counselling.models import CounsellingCase, CounsellingSession, GroupSession
from caseapp.errors import NotFound, NotPermitted, Refused
from caseapp.extensions import db
from caseapp.models.base import parse_uuid
from caseapp.register.models import Assignment, Person, active_assignment_clause, visibility_probe
from caseapp.security.permissions import Permission, can

PROGRAMME = "counselling"  # the assignment programme that opens a parent's case to a social worker
PURPOSE = "counselling"  # the audit purpose of every counselling read and write
CLOSED = _l("the case is closed: reopen it first")
# Said for what is missing and for what the user may not see alike, so nothing's existence is confirmed.
NOT_FOUND = _l("It does not exist, or you do not have access to it.")


def assigned_people(user) -> Select:
    """Ids of the people the user is assigned to for counselling (active assignments only)."""
    return select(Assignment.person_id).where(
        Assignment.user_id == user.id, Assignment.programme == PROGRAMME, active_assignment_clause()
    )


def works_cases(user) -> bool:
    """Social workers open and work cases (and hold parent groups); leaders only read."""
    return user.has_role("social_worker") and can(user, Permission.COUNSELLING_EDIT)


def cases_visible_to(user) -> Select:
    """The one scoping query for counselling cases: lists and details both go through it."""
    query = select(CounsellingCase)
    if not can(user, Permission.COUNSELLING_READ):
        return query.where(False)
    if user.has_role("leader"):
        return query
    if works_cases(user):
        return query.where(CounsellingCase.person_id.in_(assigned_people(user)))
    return query.where(False)


def assigned_cases(user) -> Select:
    """The cases the user works on themself (their caseload), leaders included only where assigned."""
    if not works_cases(user):
        return select(CounsellingCase).where(False)
    return select(CounsellingCase).where(CounsellingCase.person_id.in_(assigned_people(user)))


def get_visible_case(case_id, user, *, with_sessions: bool = False) -> CounsellingCase | None:
    """The case if `user` may see it, else None.

    `with_sessions`: its sessions with their attendees, amendments and actions too, a query each
    (for the case page, which shows them all), not three queries per session.
    """
    cid = parse_uuid(case_id)
    if cid is None:
        return None
    query = cases_visible_to(user).where(CounsellingCase.id == cid)
    if with_sessions:
        sessions = selectinload(CounsellingCase.sessions)
        query = query.options(
            sessions.selectinload(CounsellingSession.attendees),
            sessions.selectinload(CounsellingSession.amendments),
            sessions.selectinload(CounsellingSession.actions),
        )
    return db.session.scalar(query)


def visible_case(case_id, user, *, with_sessions: bool = False) -> CounsellingCase:
    """The case, or NotFound (404) when the user may not see it: its existence is not confirmed."""
    case = get_visible_case(case_id, user, with_sessions=with_sessions)
    if case is None:
        raise NotFound(NOT_FOUND)
    return require_readable(case)


def editable_case(case_id, user) -> CounsellingCase:
    """The case the user may change: NotFound if they may not see it, NotPermitted if they only read it."""
    case = visible_case(case_id, user)
    if not can_edit(user, case):
        raise NotPermitted(_l("You may read this case but not change it"))
    return case


def can_edit(user, case: CounsellingCase) -> bool:
    """Social workers edit the cases of the parents they are assigned to; leaders only read."""
    return (
        works_cases(user)
        and db.session.scalar(assigned_people(user).where(Assignment.person_id == case.person_id).limit(1)) is not None
    )


def check_editable(user, case: CounsellingCase, *, allow_closed: bool = False) -> None:
    """Refuse a change: NotPermitted for a reader; Refused for a closed case (unless the change is one a
    closed case takes: reopening it, amending its log, following up a referral)."""
    if not can_edit(user, case):
        raise NotPermitted(_l("You may read this case but not change it"))
    if case.status == "closed" and not allow_closed:
        raise Refused(CLOSED, fields={"status": CLOSED})


def member(items, item_id):
    """The member of a case's collection with this id, or NotFound (404)."""
    wanted = parse_uuid(item_id)
    found = next((i for i in items if i.id == wanted), None) if wanted else None
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


def visible_people(user, ids) -> dict[uuid.UUID, Person]:
    wanted = {i for i in (parse_uuid(x) for x in ids) if i}
    if not wanted:
        return {}
    query = select(Person).where(Person.id.in_(wanted))
    probe = visibility_probe(user, Person.id)  # a probe for each of the few people asked for
    return {p.id: p for p in db.session.scalars(query if probe is None else query.where(probe))}


def groups_visible_to(user) -> Select:
    """Group meetings themselves name no resident: every counselling reader sees them (registers are scoped)."""
    query = select(GroupSession)
    if not can(user, Permission.COUNSELLING_READ):
        return query.where(False)
    return query.order_by(GroupSession.held_on.desc(), GroupSession.created_at.desc())


def visible_group(group_id, user) -> GroupSession:
    """The group meeting, or NotFound (404)."""
    gid = parse_uuid(group_id)
    group = db.session.scalar(groups_visible_to(user).where(GroupSession.id == gid)) if gid else None
    if group is None:
        raise NotFound(NOT_FOUND)
    return group
