"""Who may see and change what in the civil-society domain (DESIGN §2).

Associations, activities and anonymous head counts: read by leaders, social workers, mentors,
course leaders, coordinators and analysts (COMMUNITY_READ); managed by coordinators (COMMUNITY_MANAGE).
Volunteers (a person's name, contact, vetting, placements, hours): coordinators and leaders only
(VOLUNTEERS_READ). A coordinator reaches a person only as a volunteer: the register opens the persons
who are volunteers to coordinators (the person scope below), and coordinators hold no register
permission, so nothing else about any resident reaches them. Analysts see counts and hour totals,
never a name. Overriding the vetting requirement is a leader's (VETTING_OVERRIDE).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from caseapp.domains.community.models import Activity, Association, Volunteer
from caseapp.errors import NotFound
from caseapp.extensions import db
from caseapp.models.base import parse_uuid
from caseapp.register.models import visibility_clause
from caseapp.security.permissions import Permission, can

PURPOSE = "community"
NOT_FOUND = _l("It does not exist, or you do not have access to it.")
P = Permission


def volunteer_people(user) -> Select:
    """The person scope of coordinators: the persons registered as volunteers (and only them)."""
    return select(Volunteer.person_id)


def reads(user) -> bool:
    return can(user, P.COMMUNITY_READ)


def manages(user) -> bool:
    return can(user, P.COMMUNITY_MANAGE)


def reads_volunteers(user) -> bool:
    return can(user, P.VOLUNTEERS_READ)


def overrides_vetting(user) -> bool:
    return can(user, P.VETTING_OVERRIDE)


def associations_visible_to(user) -> Select:
    query = select(Association)
    return query if reads(user) else query.where(False)


def activities_visible_to(user) -> Select:
    query = select(Activity)
    return query if reads(user) else query.where(False)


def volunteers_visible_to(user) -> Select:
    """The one scoping query for volunteers: lists and details both go through it."""
    query = select(Volunteer)
    if not reads_volunteers(user):
        return query.where(False)
    clause = visibility_clause(user, Volunteer.person_id)
    return query if clause is None else query.where(clause)


def _one(query: Select, model, record_id):
    rid = parse_uuid(record_id)
    found = db.session.scalar(query.where(model.id == rid)) if rid else None
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


def visible_association(association_id, user) -> Association:
    return _one(associations_visible_to(user), Association, association_id)


def visible_activity(activity_id, user) -> Activity:
    return _one(activities_visible_to(user), Activity, activity_id)


def visible_volunteer(volunteer_id, user) -> Volunteer:
    return _one(volunteers_visible_to(user), Volunteer, volunteer_id)
