"""The verbs of the people register. They flush and audit; the request commits once.

Views and API routes both call these, so each rule (validation, blind indexes, assignment
of the creator, optimistic locking) is written once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm.attributes import flag_modified
from stdnum.dk import cpr as stdnum_cpr

from caseapp import audit
from caseapp.clock import local_today
from caseapp.crypto.blind_index import cpr_index, name_index, name_words
from caseapp.domain import role_programmes
from caseapp.errors import InvalidInput
from caseapp.extensions import db
from caseapp.models.base import StaleVersion
from caseapp.privacy import PersonalDataSource
from caseapp.register.labels import EXPORT_NAMES
from caseapp.register.models import (
    Assignment,
    Household,
    HouseholdMember,
    Person,
    PersonNameToken,
    caseload_ids,
    get_visible_person,
    people_visible_to,
    visibility_clause,
    visibility_probe,
)
from caseapp.security.permissions import Permission, can

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "cpr",
    "phone",
    "email",
    "address",
    "area",
    "preferred_language",
    "notes",
    "gender",
)


@dataclass(frozen=True)
class PersonInput:
    """A resident's registered details as a form (or the demo) hands them over: shape already checked."""

    first_name: str | None = None
    last_name: str | None = None
    cpr: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    area: str | None = None
    preferred_language: str | None = None
    notes: str | None = None
    gender: str | None = None  # a code of register.models.GENDERS


def cpr_parts(value: str | None) -> tuple[str | None, date | None]:
    """A valid CPR number as DDMMYY-SSSS and the birth date it carries; (None, None) for none or an invalid one."""
    number = stdnum_cpr.compact(value or "")
    if not number or not stdnum_cpr.is_valid(number):
        return None, None
    return f"{number[:6]}-{number[6:]}", stdnum_cpr.get_birth_date(number)


def _apply(person: Person, details: PersonInput) -> list[str]:
    """Set the details, keep blind indexes and birth data in step; returns the changed field names."""
    changed = []
    cpr, birth = cpr_parts(details.cpr)
    if cpr != person.cpr:
        person.cpr = cpr
        person.cpr_index = cpr_index(cpr) if cpr else None
        if birth:
            person.birth_date, person.birth_year = birth.isoformat(), birth.year
        changed.append("cpr")
    for field in PERSON_FIELDS:
        if field == "cpr":
            continue
        value = (getattr(details, field) or "").strip() or None
        if getattr(person, field) != value:
            setattr(person, field, value)
            changed.append(field)
    if "first_name" in changed or "last_name" in changed:
        wanted = {name_index(w) for w in name_words(person.first_name, person.last_name)}
        person.name_tokens = [t for t in person.name_tokens if t.token in wanted] + [
            PersonNameToken(token=t) for t in wanted - {t.token for t in person.name_tokens}
        ]
    return changed


def build_person(details: PersonInput, created_by_id: int | None) -> Person:
    """A new Person in the session, with its blind indexes; not audited (see create_person)."""
    person = Person(id=uuid.uuid4(), created_by_id=created_by_id)  # an id now: records can link before a flush
    _apply(person, details)
    db.session.add(person)
    return person


def create_person(details: PersonInput, actor) -> Person:
    """Register a resident and assign the creator to them for their programme."""
    person = build_person(details, actor.id)
    db.session.flush()
    programme = next((p for role in sorted(actor.roles) for p in role_programmes(role)), None)
    if programme:
        db.session.add(Assignment(user_id=actor.id, person_id=person.id, programme=programme, created_by_id=actor.id))
    audit.record(
        "person.create",
        object_type="person",
        object_id=person.id,
        subject_id=person.id,
        purpose=programme,
        detail={"fields": sorted(f for f in PERSON_FIELDS if getattr(details, f))},
    )
    return person


def update_person(person: Person, details: PersonInput, version: int, actor) -> list[str]:
    """Apply an edit made on `version`; raises StaleVersion (writing nothing) if someone saved since."""
    if int(version) != person.version:
        raise StaleVersion()
    changed = _apply(person, details)
    if changed:
        db.session.flush()  # the versioned UPDATE: a concurrent save raises StaleDataError here
        audit.record(
            "person.update",
            object_type="person",
            object_id=person.id,
            subject_id=person.id,
            detail={"fields": sorted(changed)},
        )
    return changed


def can_edit(user, person: Person) -> bool:
    return can(user, Permission.PEOPLE_EDIT) and get_visible_person(person.id, user) is not None


def can_read_cpr(user) -> bool:
    return can(user, Permission.CPR_READ)


def caseload_query(user, *, everyone: bool = False, area: str | None = None) -> Select:
    """The user's own caseload (active assignments), or everyone they may see; newest first."""
    query = people_visible_to(user) if everyone else select(Person).where(Person.id.in_(caseload_ids(user)))
    if area:
        query = query.where(Person.area == area)
    return query.order_by(Person.created_at.desc(), Person.id)


def search(user, *, cpr: str | None = None, name: str | None = None) -> Select:
    """Exact CPR, or every name word matching, through blind indexes; scoped by visible_to."""
    if cpr:
        # One indexed look-up of the blind index narrows to at most a row or two: probe that row's own
        # assignments (and grants) by index instead of selecting the user's whole caseload for IN.
        query = select(Person).where(Person.cpr_index == cpr_index(cpr))
        probe = visibility_probe(user, Person.id)
        if probe is not None:
            query = query.where(probe)
        kind = "cpr"
    else:
        query = people_visible_to(user)
        words = name_words(name)
        if not words:
            return query.where(False)
        tokens = [name_index(w) for w in words]
        matching = (
            select(PersonNameToken.person_id)
            .where(PersonNameToken.token.in_(tokens))
            .group_by(PersonNameToken.person_id)
            .having(func.count() == len(tokens))
        )
        query = query.where(Person.id.in_(matching))
        kind = "name"
    # The audit names the kind of search, never the term.
    audit.record("person.search", object_type="person", detail={"by": kind})
    return query.order_by(Person.created_at.desc(), Person.id)


def picker_rows(people, on: date | None = None) -> list[tuple[str, str, int | None, str | None]]:
    """People for the shared person picker (macros/forms.html person_picker): (id, name, age, housing
    section), sorted by name. The caller chose the people (those the user may see) and audits the list."""
    day = on or local_today()
    rows = [(str(p.id), p.full_name, age_of(p, day), p.area) for p in people]
    return sorted(rows, key=lambda row: (row[1].casefold(), row[0]))


def age_of(person: Person, on: date | None = None) -> int | None:
    """Whole years on `on` (today) from the birth date, else the year of birth; None when neither is known."""
    day = on or local_today()
    born = person.birth
    if born is not None:
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return day.year - person.birth_year if person.birth_year else None


def outside_ages(age: int | None, low: int | None, high: int | None) -> bool:
    """Whether a known age is outside an age band [low, high] (either end may be open): the pickers' warning
    and the forms' confirmation. An unknown age is never outside."""
    return age is not None and ((low is not None and age < low) or (high is not None and age > high))


def audit_view(person: Person, *, purpose: str | None = None) -> None:
    audit.record("person.view", object_type="person", object_id=person.id, subject_id=person.id, purpose=purpose)


# Households


def create_household(members: list[tuple[Person, str]], actor, area: str | None = None) -> Household:
    household = Household(area=area, created_by_id=actor.id)
    for person, relation in members:
        household.members.append(HouseholdMember(person=person, relation=relation))
    db.session.add(household)
    db.session.flush()
    audit.record("household.create", object_type="household", object_id=household.id, detail={"members": len(members)})
    return household


def add_member(household: Household, person: Person, relation: str, version: int) -> None:
    if int(version) != household.version:
        raise StaleVersion()
    if any(m.person_id == person.id for m in household.members):
        raise InvalidInput({"person_id": _l("Already a member of this household.")})
    household.members.append(HouseholdMember(person=person, relation=relation))
    flag_modified(household, "updated_at")  # membership is part of the household: bump its version
    db.session.flush()
    audit.record(
        "household.add_member",
        object_type="household",
        object_id=household.id,
        subject_id=person.id,
        detail={"relation": relation},
    )


def remove_member(household: Household, person_id, version: int) -> None:
    if int(version) != household.version:
        raise StaleVersion()
    household.members = [m for m in household.members if m.person_id != person_id]
    flag_modified(household, "updated_at")
    db.session.flush()
    audit.record("household.remove_member", object_type="household", object_id=household.id, subject_id=person_id)


def households_visible_to(user) -> Select:
    """Households with at least one member the user may see; members they may not see stay hidden."""
    clause = visibility_clause(user, HouseholdMember.person_id)
    query = select(Household)
    if clause is not None:
        query = query.where(Household.id.in_(select(HouseholdMember.household_id).where(clause)))
    return query.order_by(Household.created_at.desc(), Household.id)


def get_visible_household(household_id, user) -> Household | None:
    """The household if one of its members is visible to `user` (a probe per member, by index)."""
    try:
        hid = uuid.UUID(str(household_id))
    except ValueError:
        return None
    query = select(Household).where(Household.id == hid)
    probe = visibility_probe(user, HouseholdMember.person_id)
    if probe is not None:
        query = query.where(
            select(HouseholdMember.person_id).where(HouseholdMember.household_id == Household.id, probe).exists()
        )
    return db.session.scalar(query)


def visible_members(household: Household, user) -> list[HouseholdMember]:
    clause = visibility_probe(user, HouseholdMember.person_id)
    if clause is None:
        return list(household.members)
    allowed = set(
        db.session.scalars(
            select(HouseholdMember.person_id).where(HouseholdMember.household_id == household.id, clause)
        )
    )
    return [m for m in household.members if m.person_id in allowed]


# Assignments


def assign(
    person: Person, user, programme: str, actor, starts_on: date | None = None, ends_on: date | None = None
) -> Assignment:
    assignment = Assignment(
        person_id=person.id,
        user_id=user.id,
        programme=programme,
        starts_on=starts_on or local_today(),
        ends_on=ends_on,
        created_by_id=actor.id,
    )
    db.session.add(assignment)
    db.session.flush()
    audit.record(
        "assignment.create",
        object_type="assignment",
        object_id=assignment.id,
        subject_id=person.id,
        purpose=programme,
        detail={"user_id": user.id},
    )
    return assignment


def end_assignment(assignment: Assignment, actor, ends_on: date | None = None) -> None:
    assignment.ends_on = ends_on or local_today()
    audit.record(
        "assignment.end",
        object_type="assignment",
        object_id=assignment.id,
        subject_id=assignment.person_id,
        purpose=assignment.programme,
    )


def openings(person: Person, limit: int = 20) -> list[tuple]:
    """Who opened the person's page and when (for leaders), newest first, from the audit log."""
    from caseapp.models.audit import AuditEvent
    from caseapp.models.users import User

    rows = db.session.execute(
        select(AuditEvent.at, User.name, AuditEvent.actor_roles, AuditEvent.purpose)
        .join(User, User.id == AuditEvent.actor_id, isouter=True)
        .where(AuditEvent.subject_id == str(person.id), AuditEvent.action == "person.view")
        .order_by(AuditEvent.seq.desc())
        .limit(limit)
    ).all()
    return list(rows)


# Data protection: the people register's part in subject access and erasure.


def export_person(person_id: uuid.UUID) -> list[dict]:
    person = db.session.get(Person, person_id)
    if person is None:
        return []
    record = {
        "kind": "person",
        **{f: getattr(person, f) for f in PERSON_FIELDS},
        "birth_date": person.birth_date,
        "registered": person.created_at.isoformat(),
    }
    households = [
        {"kind": "household_membership", "household_id": str(m.household_id), "relation": m.relation}
        for m in person.memberships
    ]
    assignments = [
        {
            "kind": "assignment",
            "programme": a.programme,
            "starts_on": a.starts_on.isoformat(),
            "ends_on": a.ends_on.isoformat() if a.ends_on else None,
        }
        for a in person.assignments
    ]
    return [record, *households, *assignments]


def erase_person(person_id: uuid.UUID) -> dict[str, int]:
    """Delete the person; name tokens, memberships and assignments go with them (ON DELETE CASCADE)."""
    deleted = db.session.execute(db.delete(Person).where(Person.id == person_id)).rowcount
    return {"person": deleted}


SOURCE = PersonalDataSource(domain="people", names=EXPORT_NAMES, export=export_person, erase=erase_person)
