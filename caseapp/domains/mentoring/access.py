"""Who may see and change what in mentoring (DESIGN §2); every list and look-up scopes here.

A mentor sees the relationships they are the mentor of (proposals to them included, declined ones not)
and nothing else; leaders read every relationship and manage programmes, mentor profiles and matching;
no other role reads any mentoring record. Work on a relationship (meetings, goals, jobs, outcomes,
follow-ups) is the staff mentor's; a leader records it for a volunteer mentor, who has no login.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from caseapp import audit
from caseapp.crypto.fields import require_readable
from caseapp.domains.mentoring.models import Meeting, Mentor, Outcome, Placement, Relationship
from caseapp.errors import NotFound, NotPermitted
from caseapp.extensions import db
from caseapp.models.base import parse_uuid
from caseapp.security.permissions import Permission, can

PROGRAMME = "mentoring"  # the assignment programme that opens a mentee to their mentor (DESIGN §2)
PURPOSE = "mentoring"  # the audit purpose of every mentoring read and write
NOT_FOUND = _l("It does not exist, or you do not have access to it.")
OPEN_STATES = ("active", "paused")


def is_leader(user) -> bool:
    return can(user, Permission.MENTORING_MANAGE)


def works_as_mentor(user) -> bool:
    return can(user, Permission.MENTORING_WORK)


def own_mentor_ids(user) -> Select:
    return select(Mentor.id).where(Mentor.user_id == user.id)


def relationships_visible_to(user) -> Select:
    """The one scoping query for relationships: lists and details both go through it."""
    query = select(Relationship)
    if not can(user, Permission.MENTORING_READ):
        return query.where(False)
    if is_leader(user):
        return query
    if works_as_mentor(user):
        return query.where(Relationship.mentor_id.in_(own_mentor_ids(user)), Relationship.state != "declined")
    return query.where(False)


def own_relationships(user) -> Select:
    """The relationships the user is the mentor of (their caseload), declined proposals left out."""
    if not works_as_mentor(user):
        return select(Relationship).where(False)
    return select(Relationship).where(
        Relationship.mentor_id.in_(own_mentor_ids(user)), Relationship.state != "declined"
    )


def visible_relationship(relationship_id, user, *, with_records: bool = False) -> Relationship:
    """The relationship, or NotFound (404) when the user may not see it: its existence is not confirmed.

    `with_records`: its meetings with their amendments and its outcomes with their follow-ups, a query
    each (for the pages that show them all), not one per meeting or outcome."""
    rid = parse_uuid(relationship_id)
    query = relationships_visible_to(user).where(Relationship.id == rid)
    if with_records:
        query = query.options(
            selectinload(Relationship.meetings).selectinload(Meeting.amendments),
            selectinload(Relationship.outcomes).selectinload(Outcome.followups),
            selectinload(Relationship.goals),
            selectinload(Relationship.changes),
            selectinload(Relationship.placements).selectinload(Placement.employer),
        )
    found = db.session.scalar(query) if rid else None
    if found is None:
        raise NotFound(NOT_FOUND)
    return require_readable(found)


def mentors_visible_to(user) -> Select:
    """The one scoping query for mentor profiles: a leader reads all; a staff mentor their own and the
    volunteers' they recorded (a volunteer's profile is a person's data like any other)."""
    query = select(Mentor)
    if is_leader(user):
        return query
    if works_as_mentor(user):
        volunteer_recorded = Mentor.user_id.is_(None) & (Mentor.created_by_id == user.id)
        return query.where((Mentor.user_id == user.id) | volunteer_recorded)
    return query.where(False)


def visible_mentor(mentor_id, user) -> Mentor:
    """The mentor profile, or NotFound (404) when the user may not see it."""
    mid = parse_uuid(mentor_id)
    found = db.session.scalar(mentors_visible_to(user).where(Mentor.id == mid)) if mid else None
    if found is None:
        raise NotFound(NOT_FOUND)
    return require_readable(found)


def is_own(user, rel: Relationship) -> bool:
    return rel.mentor is not None and rel.mentor.user_id == user.id


def can_work(user, rel: Relationship) -> bool:
    """The relationship's staff mentor; a leader for a volunteer mentor's relationship."""
    if works_as_mentor(user) and is_own(user, rel):
        return True
    return is_leader(user) and (rel.mentor is None or rel.mentor.is_volunteer)


def check_work(user, rel: Relationship) -> None:
    if not can_work(user, rel):
        raise NotPermitted(_l("You may read this relationship but not record work in it"))


def workable_relationship(relationship_id, user) -> Relationship:
    rel = visible_relationship(relationship_id, user)
    check_work(user, rel)
    return rel


def member(items, item_id):
    wanted = parse_uuid(item_id)
    found = next((i for i in items if i.id == wanted), None) if wanted else None
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


def record_event(action: str, obj, subject_id=None, actor=None, **detail) -> None:
    """Audit a read or write of one mentoring record (`mentoring.<action>`); details name no values."""
    audit.record(
        f"mentoring.{action}",
        object_type=obj.__tablename__,
        object_id=obj.id,
        subject_id=subject_id,
        purpose=PURPOSE,
        detail=detail or None,
        actor=actor,
    )


def audit_list(what: str, actor=None, **detail) -> None:
    audit.record(
        f"mentoring.{what}.list", object_type=f"mentoring_{what}", purpose=PURPOSE, detail=detail or None, actor=actor
    )
