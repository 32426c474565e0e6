"""Residents (data subjects), households and staff assignments, with the person access policy."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from functools import cache

from sqlalchemy import ForeignKey, Index, Select, String, bindparam, false, or_, select
from sqlalchemy.orm import Mapped, load_only, mapped_column, relationship

from caseapp.clock import local_today
from caseapp.crypto.fields import EncryptedText
from caseapp.domain import person_scopes, role_programmes
from caseapp.extensions import db
from caseapp.models.base import TimestampMixin, UUIDPrimaryKey, Versioned, utcnow
from caseapp.privacy import ProcessingRecord

RELATIONS = ("parent", "guardian", "child", "other")
GENDERS = ("female", "male", "other", "unknown")


class Person(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """A resident the plan works with. Every personal field is encrypted under their own key."""

    __tablename__ = "person"
    __table_args__ = (
        Index("ix_person_created_at", "created_at"),  # lists are newest first
        # A report reads the breakdown keys of every counted person by id: on PostgreSQL an index-only
        # scan of this instead of the wide encrypted rows (the yearly report at 100,000 people 1.4 x faster).
        Index("ix_person_report_keys", "id", "birth_year", "gender", "area"),
    )
    __encryption_subject__ = "id"
    __processing__ = ProcessingRecord(
        purpose="Register of the residents the plan works with, linking every programme's records",
        data_categories=(
            "name",
            "CPR number",
            "birth date",
            "gender",
            "contact details",
            "address",
            "housing section",
            "preferred language",
            "notes",
        ),
        subject_categories=("residents", "children and their parents"),
        recipients=("assigned staff", "leaders"),
    )

    first_name: Mapped[str | None] = mapped_column(EncryptedText)
    last_name: Mapped[str | None] = mapped_column(EncryptedText)
    cpr: Mapped[str | None] = mapped_column(EncryptedText)
    birth_date: Mapped[str | None] = mapped_column(EncryptedText)  # ISO date, encrypted as text
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    email: Mapped[str | None] = mapped_column(EncryptedText)
    address: Mapped[str | None] = mapped_column(EncryptedText)
    preferred_language: Mapped[str | None] = mapped_column(EncryptedText)
    notes: Mapped[str | None] = mapped_column(EncryptedText)
    # Not encrypted: coarse enough for statistics, needed to filter without decrypting.
    area: Mapped[str | None] = mapped_column(String(80), index=True)
    birth_year: Mapped[int | None]
    # A code (female, male, other, unknown; NULL: not stated), for statistics' breakdowns.
    gender: Mapped[str | None] = mapped_column(String(10))
    cpr_index: Mapped[str | None] = mapped_column(String(32), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    name_tokens: Mapped[list[PersonNameToken]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )
    memberships: Mapped[list[HouseholdMember]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)

    @property
    def birth(self) -> date | None:
        return date.fromisoformat(self.birth_date) if self.birth_date else None


# What a list that shows people by name loads of them (`load_only(*NAME_COLUMNS)`): the other encrypted
# fields are not loaded, so not decrypted; read anyway, a field is loaded and opened on first access.
NAME_COLUMNS = (Person.first_name, Person.last_name)


class PersonNameToken(db.Model):
    """Blind index of one word of a person's name, for search without decrypting."""

    __tablename__ = "person_name_token"
    __processing__ = ProcessingRecord(
        purpose="Search in the register without decrypting it (keyed blind index of name words)",
        data_categories=("keyed hash of name words",),
        subject_categories=("residents",),
    )
    __table_args__ = (Index("ix_person_name_token_token", "token"),)

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(32), primary_key=True)

    person: Mapped[Person] = relationship(back_populates="name_tokens")


class Household(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """People living together; a person may belong to several (a child of separated parents)."""

    __tablename__ = "household"

    area: Mapped[str | None] = mapped_column(String(80))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    members: Mapped[list[HouseholdMember]] = relationship(
        back_populates="household", cascade="all, delete-orphan", passive_deletes=True
    )


class HouseholdMember(db.Model):
    __tablename__ = "household_member"
    __processing__ = ProcessingRecord(
        purpose="Who lives together and how they are related, for family-oriented work",
        data_categories=("family relation",),
        subject_categories=("residents", "children and their parents"),
        recipients=("assigned staff", "leaders"),
    )

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    relation: Mapped[str] = mapped_column(String(20))

    household: Mapped[Household] = relationship(back_populates="members")
    person: Mapped[Person] = relationship(back_populates="memberships")


class Assignment(db.Model):
    """A staff member's responsibility for a person in one programme; access follows it."""

    __tablename__ = "assignment"
    __processing__ = ProcessingRecord(
        purpose="Which staff member is responsible for a resident in which programme (access control)",
        data_categories=("programme participation",),
        subject_categories=("residents",),
        recipients=("leaders",),
    )
    __table_args__ = (
        Index("ix_assignment_user_programme", "user_id", "programme", "ends_on"),  # a user's caseload
        Index("ix_assignment_person_user", "person_id", "user_id", "programme"),  # one person's probe
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    programme: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[date] = mapped_column(default=date.today)
    ends_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="assignments")
    user = relationship("User", foreign_keys=[user_id])

    @property
    def is_active(self) -> bool:
        today = local_today()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)


def active_assignment_clause(today: date | None = None):
    today = today or local_today()
    return (Assignment.starts_on <= today) & or_(Assignment.ends_on.is_(None), Assignment.ends_on >= today)


def _reach(user) -> tuple[list[str], list[Select]]:
    """The programmes through which the user's roles reach people by assignment, and the extra ways
    their roles reach people, declared by the domain that grants them (the concerns domain lets SSP
    staff see every concern subject): selects of person ids."""
    programmes = [p for role in sorted(user.roles) for p in role_programmes(role)]
    scopes = [scope(user) for role in sorted(user.roles) for scope in person_scopes(role)]
    return programmes, scopes


def visibility_clause(user, person_id=None):
    """A WHERE clause: `person_id` (a column, default Person.id) is someone `user` may see;
    None when they see everyone (leaders).

    The user's caseload is selected once through the assignment index and matched with IN, so a
    list costs in proportion to the caseload, never to the size of the register.
    """
    if user.has_role("leader"):
        return None
    person_id = Person.id if person_id is None else person_id
    programmes, parts = _reach(user)
    if programmes:
        parts.insert(
            0,
            select(Assignment.person_id).where(
                Assignment.user_id == user.id, Assignment.programme.in_(programmes), active_assignment_clause()
            ),
        )
    if not parts:
        return false()
    return or_(*(person_id.in_(part) for part in parts))


def caseload_ids(user) -> Select:
    """The ids of the people assigned to `user` now whom they may see: the user's own assignments, those
    in their roles' programmes or of someone a domain's scope lets them reach (a leader: all of them).

    One select of the assignment index: PostgreSQL joins the register from it, where the caseload
    selected from `people_visible_to` made it filter every resident by visibility's OR."""
    mine = select(Assignment.person_id).where(Assignment.user_id == user.id, active_assignment_clause())
    if user.has_role("leader"):
        return mine
    programmes, scopes = _reach(user)
    reached = [Assignment.programme.in_(programmes)] if programmes else []
    reached += [Assignment.person_id.in_(scope) for scope in scopes]  # scopes select from other tables
    return mine.where(or_(*reached) if reached else false())


def visibility_probe(user, person_id):
    """A WHERE clause: the one person `person_id` (a value, or a column of a row the outer query
    has already narrowed to a few) is someone `user` may see; None when they see everyone.

    Each part is an EXISTS that looks up this person's own assignments (and grants, concerns) by
    index, so a detail view costs the same whatever the size of the user's caseload or the register.
    Lists use `visibility_clause`: one pass over the caseload instead of one probe per row.
    """
    if user.has_role("leader"):
        return None
    programmes, scopes = _reach(user)
    parts = [query.where(query.selected_columns[0] == person_id).exists() for query in scopes]
    if programmes:
        parts.insert(
            0,
            select(Assignment.id)
            .where(
                Assignment.person_id == person_id,
                Assignment.user_id == user.id,
                Assignment.programme.in_(programmes),
                active_assignment_clause(),
            )
            .exists(),
        )
    return or_(*parts) if parts else false()


def people_visible_to(user) -> Select:
    """The one scoping query for people: lists and details both go through it."""
    clause = visibility_clause(user)
    query = select(Person)
    return query if clause is None else query.where(clause)


@cache
def _assigned_person() -> Select:
    """The person, if the user has an active assignment to them in one of the programmes: the first part
    of `visibility_probe` alone, as a statement built once with bind parameters (a detail view's usual case)."""
    assigned = (
        select(Assignment.id)
        .where(
            Assignment.person_id == bindparam("assigned_id"),
            Assignment.user_id == bindparam("user_id"),
            Assignment.programme.in_(bindparam("programmes", expanding=True)),
            Assignment.starts_on <= bindparam("today"),
            or_(Assignment.ends_on.is_(None), Assignment.ends_on >= bindparam("until")),
        )
        .exists()
    )
    return select(Person).where(Person.id == bindparam("person_id"), assigned)


def get_visible_person(person_id, user) -> Person | None:
    """The person if `user` may see them, else None (the caller answers 404): one probe by index.

    The probe is "assigned, or reached through a domain's scope". Its first part alone, a statement built
    once, answers the usual case without building the whole probe per request; only a person not assigned
    to the user costs the whole probe (a second statement), with the same answer as the probe alone.
    """
    try:
        pid = person_id if isinstance(person_id, uuid.UUID) else uuid.UUID(str(person_id))
    except ValueError:
        return None
    if not user.has_role("leader"):
        roles = sorted(user.roles)
        programmes = [p for role in roles for p in role_programmes(role)]
        if programmes:
            today = local_today()
            params = {"person_id": pid, "assigned_id": pid, "user_id": user.id, "programmes": programmes}
            person = db.session.scalar(_assigned_person(), {**params, "today": today, "until": today})
            if person is not None or not any(person_scopes(role) for role in roles):
                return person
    probe = visibility_probe(user, pid)
    query = select(Person).where(Person.id == pid)
    return db.session.scalar(query if probe is None else query.where(probe))


def is_assigned(user, person_id, programme: str | None = None) -> bool:
    query = select(Assignment.id).where(
        Assignment.user_id == user.id, Assignment.person_id == person_id, active_assignment_clause()
    )
    if programme:
        query = query.where(Assignment.programme == programme)
    return db.session.scalar(query.limit(1)) is not None


def listed():
    """The loader option of the register's lists (pages, API summaries, pickers): the name and the
    unencrypted columns they show, so nothing else is decrypted."""
    return load_only(*NAME_COLUMNS, Person.birth_year, Person.area, Person.gender)
