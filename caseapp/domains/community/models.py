"""Civil society: associations and the support they get, volunteers (persons in the register, no login)
with their child-protection vetting (børneattest), placements and hours, and activities whose
occurrences carry anonymous head counts.

Only dates, an assessment, who assessed and a note are stored about a vetting: never the certificate.
A volunteer's name and contact are the register's (Person); free text about a volunteer is encrypted
under their key. Head counts name nobody: age band, gender and resident-or-not, with a number.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseapp.clock import local_today
from caseapp.crypto.fields import EncryptedText
from caseapp.extensions import db
from caseapp.models.base import TimestampMixin, UUIDPrimaryKey, Versioned
from caseapp.privacy import ProcessingRecord

SUPPORT_KINDS = ("advice", "premises", "money", "hours")
ASSESSMENTS = ("no_entries", "entries")
# Activity kinds; the well-evidenced core activities of the master plans are tagged as such (CORE_KINDS).
ACTIVITY_KINDS = (
    "bydelsmoedre",
    "lektiecafe",
    "lommepengejob",
    "faedregruppe",
    "sport",
    "culture",
    "event",
    "meeting_place",
    "other",
)
CORE_KINDS = frozenset({"bydelsmoedre", "lektiecafe", "lommepengejob", "faedregruppe"})
AGE_BANDS = ("0_5", "6_14", "15_17", "18_29", "30_64", "65_plus")
GENDERS = ("female", "male", "other")
ORGANISERS = ("association", "staff")

PLAN_RECORD = "community_activity"  # how the plan's tags name an activity
ASSOCIATION_RECORD = "community_association"

_VOLUNTEER_PROCESSING = dict(subject_categories=("volunteers",), recipients=("coordinators", "leaders"))


class Association(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """A local association (forening) the secretariat supports."""

    __tablename__ = "community_association"
    __table_args__ = (Index("ix_community_association_name", "name"),)

    name: Mapped[str] = mapped_column(String(200))
    # str(id), as the plan's tags and the measures name the record (the same text on every database).
    tag_key: Mapped[str] = mapped_column(String(36), unique=True)
    cvr: Mapped[str | None] = mapped_column(String(8))
    folkeoplysende: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    # The contact person is one of the association's volunteers (so coordinators may see them).
    contact_volunteer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("community_volunteer.id", ondelete="SET NULL")
    )
    # The association's yearly declaration that it follows the child-protection certificate rules.
    declared_on: Mapped[date | None] = mapped_column(index=True)
    description: Mapped[str | None] = mapped_column(String(2000))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    contact = relationship("Volunteer", foreign_keys=[contact_volunteer_id])
    support: Mapped[list[Support]] = relationship(
        back_populates="association",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Support.given_on.desc(), Support.created_at.desc()",
    )


class Support(UUIDPrimaryKey, TimestampMixin, db.Model):
    """Support given to an association: advice, premises, money (kr.) or hours."""

    __tablename__ = "community_support"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_not_negative"),)

    association_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("community_association.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[float | None] = mapped_column(Numeric(12, 2, asdecimal=False))
    given_on: Mapped[date] = mapped_column(default=local_today)
    description: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    association: Mapped[Association] = relationship(back_populates="support")


class Volunteer(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """A person in the register who volunteers: their associations, placements, hours and vetting."""

    __tablename__ = "community_volunteer"
    __processing__ = ProcessingRecord(
        purpose="Coordinating volunteers in the area's associations and activities",
        data_categories=("name", "contact details", "associations", "activities helped", "volunteer hours"),
        retention="community_volunteer_ended",
        **_VOLUNTEER_PROCESSING,
    )

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), unique=True)
    started_on: Mapped[date] = mapped_column(default=local_today)
    ended_on: Mapped[date | None] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    person = relationship("Person", foreign_keys=[person_id])
    memberships: Mapped[list[VolunteerAssociation]] = relationship(
        back_populates="volunteer", cascade="all, delete-orphan", passive_deletes=True
    )
    vettings: Mapped[list[Vetting]] = relationship(
        back_populates="volunteer",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Vetting.requested_on.desc(), Vetting.created_at.desc()",
    )
    placements: Mapped[list[Placement]] = relationship(
        "caseapp.domains.community.models.Placement",
        back_populates="volunteer",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by=lambda: Placement.placed_on.desc(),
    )

    @property
    def active(self) -> bool:
        return self.ended_on is None or self.ended_on >= local_today()


class VolunteerAssociation(db.Model):
    __tablename__ = "community_volunteer_association"
    __processing__ = ProcessingRecord(
        purpose="Which associations a volunteer helps", data_categories=("associations",), **_VOLUNTEER_PROCESSING
    )

    volunteer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("community_volunteer.id", ondelete="CASCADE"), primary_key=True
    )
    association_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("community_association.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    volunteer: Mapped[Volunteer] = relationship(back_populates="memberships")
    association: Mapped[Association] = relationship()


class Vetting(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """One child-protection check (børneattest): its dates, the assessment, who assessed, and a note.
    The certificate itself is never stored (there is no column that could hold it)."""

    __tablename__ = "community_vetting"
    __encryption_subject__ = "person_id"
    __processing__ = ProcessingRecord(
        purpose="Child-protection vetting of volunteers working with children under 15 (børneattest)",
        data_categories=("dates of request, consent and receipt", "assessment: entries or none", "note"),
        legal_basis="GDPR art. 6(1)(c) and art. 10; Lov om indhentelse af børneattest; Bekendtgørelse om børneattester",
        retention="community_volunteer_ended",
        **_VOLUNTEER_PROCESSING,
    )
    __table_args__ = (Index("ix_community_vetting_volunteer", "volunteer_id", "requested_on"),)

    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("community_volunteer.id", ondelete="CASCADE"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    requested_on: Mapped[date]
    consent_on: Mapped[date | None]
    consent_refused_on: Mapped[date | None]
    received_on: Mapped[date | None]
    assessment: Mapped[str | None] = mapped_column(String(20))
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(EncryptedText)

    volunteer: Mapped[Volunteer] = relationship(back_populates="vettings")
    assessed_by = relationship("User", foreign_keys=[assessed_by_id])


class Activity(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """An activity or event in the area, organised by an association or by staff."""

    __tablename__ = "community_activity"
    __table_args__ = (Index("ix_community_activity_starts_on", "starts_on"),)

    title: Mapped[str] = mapped_column(String(200))
    tag_key: Mapped[str] = mapped_column(String(36), unique=True)  # str(id): see Association.tag_key
    kind: Mapped[str] = mapped_column(String(20), index=True)
    area: Mapped[str | None] = mapped_column(String(80))
    organiser: Mapped[str] = mapped_column(String(20), default="staff")
    association_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("community_association.id", ondelete="SET NULL"), index=True
    )
    organiser_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    for_under_15: Mapped[bool] = mapped_column(Boolean, default=False)
    recurring: Mapped[bool] = mapped_column(Boolean, default=False)
    starts_on: Mapped[date] = mapped_column(default=local_today)
    ends_on: Mapped[date | None]
    description: Mapped[str | None] = mapped_column(String(2000))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    association = relationship("Association", foreign_keys=[association_id])
    organiser_user = relationship("User", foreign_keys=[organiser_user_id])
    occurrences: Mapped[list[Occurrence]] = relationship(
        back_populates="activity",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Occurrence.held_on.desc(), Occurrence.created_at.desc()",
    )

    @property
    def core(self) -> bool:
        return self.kind in CORE_KINDS


class Occurrence(UUIDPrimaryKey, TimestampMixin, db.Model):
    """One occurrence of an activity (each meeting of a recurring one), with its anonymous head count."""

    __tablename__ = "community_occurrence"
    __table_args__ = (
        Index("ix_community_occurrence_activity_day", "activity_id", "held_on"),
        CheckConstraint("total >= 0", name="total_not_negative"),
    )

    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("community_activity.id", ondelete="CASCADE"))
    held_on: Mapped[date] = mapped_column(index=True)
    total: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    activity: Mapped[Activity] = relationship(back_populates="occurrences")
    counts: Mapped[list[HeadCount]] = relationship(
        back_populates="occurrence", cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )


class HeadCount(db.Model):
    """An anonymous count: how many of one age band, gender and residency came to an occurrence."""

    __tablename__ = "community_headcount"
    __table_args__ = (
        UniqueConstraint("occurrence_id", "age_band", "gender", "resident", name="uq_community_headcount_cell"),
        CheckConstraint("count >= 0", name="count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurrence_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("community_occurrence.id", ondelete="CASCADE"))
    age_band: Mapped[str] = mapped_column(String(10))
    gender: Mapped[str] = mapped_column(String(10))
    resident: Mapped[bool] = mapped_column(Boolean)
    count: Mapped[int] = mapped_column(Integer)

    occurrence: Mapped[Occurrence] = relationship(back_populates="counts")


class Placement(UUIDPrimaryKey, TimestampMixin, db.Model):
    """A volunteer placed on an activity. A role with direct contact with children under 15 needs valid
    vetting, or a leader's override with its reason recorded here."""

    __tablename__ = "community_placement"
    __encryption_subject__ = "person_id"
    __processing__ = ProcessingRecord(
        purpose="Which activities a volunteer helps, and any override of the vetting requirement",
        data_categories=("activities helped", "role", "override reason"),
        **_VOLUNTEER_PROCESSING,
    )
    __table_args__ = (
        UniqueConstraint("volunteer_id", "activity_id", name="uq_community_placement"),
        Index("ix_community_placement_activity", "activity_id"),
    )

    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("community_volunteer.id", ondelete="CASCADE"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("community_activity.id", ondelete="CASCADE"))
    role: Mapped[str | None] = mapped_column(String(100))
    children_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    placed_on: Mapped[date] = mapped_column(default=local_today)
    vetting_status: Mapped[str] = mapped_column(String(10))  # the status when placed
    override_reason: Mapped[str | None] = mapped_column(EncryptedText)
    override_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    volunteer: Mapped[Volunteer] = relationship(back_populates="placements")
    activity: Mapped[Activity] = relationship()


class VolunteerHours(UUIDPrimaryKey, db.Model):
    """Hours a volunteer gave an activity on a day. On erasure the person's rows become anonymous monthly
    totals (volunteer and person NULL, `anonymous` true), so the activity's hours survive."""

    __tablename__ = "community_hours"
    __processing__ = ProcessingRecord(
        purpose="Hours volunteers give activities (anonymous totals after erasure)",
        data_categories=("volunteer hours",),
        **_VOLUNTEER_PROCESSING,
    )
    __table_args__ = (
        CheckConstraint("hours > 0", name="hours_positive"),
        Index("ix_community_hours_volunteer_day", "volunteer_id", "given_on"),
        Index("ix_community_hours_activity", "activity_id"),
    )

    volunteer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("community_volunteer.id", ondelete="SET NULL"))
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("community_activity.id", ondelete="CASCADE"))
    given_on: Mapped[date]
    hours: Mapped[float] = mapped_column(Numeric(7, 2, asdecimal=False))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    activity: Mapped[Activity] = relationship()
