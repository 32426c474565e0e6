"""Read-side helpers: the scoped lists with what their rows show loaded in a fixed number of queries,
and the audit of volunteer reads (their names and contact are personal data)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from caseapp import audit
from caseapp.clock import local_today
from caseapp.crypto.blind_index import name_index, name_words
from caseapp.domains.community import access
from caseapp.domains.community import vetting as V
from caseapp.domains.community.models import (
    Activity,
    Association,
    Occurrence,
    Placement,
    Vetting,
    Volunteer,
    VolunteerAssociation,
)
from caseapp.extensions import db
from caseapp.register.models import Person, PersonNameToken


def association_list(user, q: str | None = None):
    query = access.associations_visible_to(user).options(
        selectinload(Association.contact).selectinload(Volunteer.person)
    )
    if q:
        query = query.where(Association.name.ilike(f"%{q}%"))
    return query.order_by(Association.active.desc(), Association.name, Association.id)


def activity_list(user, q: str | None = None, kind: str | None = None):
    query = access.activities_visible_to(user).options(selectinload(Activity.association))
    if q:
        query = query.where(Activity.title.ilike(f"%{q}%"))
    if kind:
        query = query.where(Activity.kind == kind)
    return query.order_by(Activity.starts_on.desc(), Activity.title, Activity.id)


def _volunteer_options():
    return (
        selectinload(Volunteer.person),
        selectinload(Volunteer.memberships).selectinload(VolunteerAssociation.association),
        selectinload(Volunteer.vettings),
    )


def volunteer_list(user, q: str | None = None, association_id=None):
    """Volunteers the user may read; `q` finds them by a word of their name (blind index, no decryption)."""
    query = access.volunteers_visible_to(user).options(*_volunteer_options())
    if q:
        tokens = [name_index(w) for w in name_words(q)]
        for token in tokens:
            query = query.where(
                Volunteer.person_id.in_(select(PersonNameToken.person_id).where(PersonNameToken.token == token))
            )
    if association_id:
        query = query.where(
            Volunteer.id.in_(
                select(VolunteerAssociation.volunteer_id).where(VolunteerAssociation.association_id == association_id)
            )
        )
    return query.order_by(Volunteer.ended_on.is_not(None), Volunteer.created_at.desc(), Volunteer.id)


def volunteer_detail(volunteer_id, user) -> Volunteer:
    volunteer = access.visible_volunteer(volunteer_id, user)
    db.session.scalars(
        select(Placement).where(Placement.volunteer_id == volunteer.id).options(selectinload(Placement.activity))
    ).all()
    return volunteer


def audit_volunteers(volunteers, *, where: str) -> None:
    if volunteers:
        audit.record(
            "community.volunteer.list",
            object_type="community_volunteer",
            purpose=access.PURPOSE,
            detail={"count": len(volunteers), "where": where},
        )


def audit_volunteer(volunteer, *, what: str = "view") -> None:
    audit.record(
        f"community.volunteer.{what}",
        object_type="community_volunteer",
        object_id=volunteer.id,
        subject_id=volunteer.person_id,
        purpose=access.PURPOSE,
    )


def statuses(volunteers, day: date | None = None) -> dict:
    """{volunteer id: (status, expiry)} from their loaded vettings."""
    day = day or local_today()
    months = V.interval_months()
    return {v.id: (V.status_on(v.vettings, day, months), V.current_expiry(v.vettings, day, months)) for v in volunteers}


def vetting_attention(day: date | None = None) -> list[tuple[Volunteer, str, date | None]]:
    """Active volunteers placed in contact with children whose certificate is expired, refused, missing,
    or expiring within the notice period without a renewal requested: (volunteer, status, expiry)."""
    day = day or local_today()
    months, notice = V.interval_months(), V.notice_days()
    query = (
        select(Volunteer)
        .where(or_(Volunteer.ended_on.is_(None), Volunteer.ended_on >= day))
        .where(
            Volunteer.id.in_(select(Placement.volunteer_id).where(Placement.children_contact.is_(True)))
            | Volunteer.id.in_(select(Vetting.volunteer_id))
        )
        .options(selectinload(Volunteer.person), selectinload(Volunteer.vettings))
        .order_by(Volunteer.created_at, Volunteer.id)
    )
    found = []
    for volunteer in db.session.scalars(query):
        status = V.status_on(volunteer.vettings, day, months)
        due = V.renewal_due(volunteer.vettings, day, months, notice)
        if status in (V.EXPIRED, V.REFUSED, V.MISSING, V.ENTRIES) or due is not None:
            found.append((volunteer, status, due or V.current_expiry(volunteer.vettings, day, months)))
    return found


def occurrences_between(start: date, end: date) -> list[Occurrence]:
    return list(
        db.session.scalars(
            select(Occurrence)
            .where(Occurrence.held_on >= start, Occurrence.held_on <= end)
            .options(selectinload(Occurrence.activity))
            .order_by(Occurrence.held_on)
        )
    )


def activities_in_week(start: date, end: date) -> list[Activity]:
    """Activities running in the period: one-off ones starting in it, recurring ones spanning it."""
    return list(
        db.session.scalars(
            select(Activity)
            .where(Activity.starts_on <= end, or_(Activity.ends_on.is_(None), Activity.ends_on >= start))
            .where(or_(Activity.recurring.is_(True), Activity.starts_on >= start))
            .order_by(Activity.starts_on, Activity.title)
        )
    )


def week_of(day: date) -> tuple[date, date]:
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def volunteer_of_person(person_id) -> Volunteer | None:
    return db.session.scalar(select(Volunteer).where(Volunteer.person_id == person_id).options(*_volunteer_options()))


def person_exists(person_id) -> bool:
    return db.session.get(Person, person_id) is not None
