"""Parent counselling (forældrerådgivning): cases, session log with amendments, agreed actions,
goals, attendance follow-up per child, referrals, and parent groups with their register.

Every free-text field is encrypted under the key of the person it is about: the case's parent
(`subject_id`/`person_id`) for the case and its log, the child for their attendance records.
Codes, dates and numbers needed to sort and plan stay in clear.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseapp.clock import local_today
from caseapp.crypto.fields import EncryptedText
from caseapp.extensions import db
from caseapp.models.base import NoteAmendment, TimestampMixin, UUIDPrimaryKey, Versioned, codes, utcnow
from caseapp.privacy import ProcessingRecord

FOCUS_AREAS = ("language", "democracy", "attendance", "parental_responsibility", "other")
CASE_STATUSES = ("open", "paused", "closed")
CLOSING_REASONS = ("goals_met", "family_ended", "moved", "referred_on", "no_contact", "other")
GOAL_STATUSES = ("agreed", "in_progress", "achieved", "dropped")
SESSION_KINDS = ("home_visit", "office", "phone", "group_session", "institution_visit")
ACTION_OWNERS = ("counsellor", "parent", "child", "institution", "other")
ACTION_STATUSES = ("open", "done", "dropped")
INSTITUTION_KINDS = ("day_care", "kindergarten", "school", "youth_education")
REFERRAL_SERVICES = ("health_visitor", "ppr", "family_department", "job_centre", "other")
REFERRAL_STATUSES = ("planned", "sent", "accepted", "declined", "completed", "withdrawn")

_RECIPIENTS = ("assigned social workers", "leaders")
_SUBJECTS = ("parents", "children and their parents")


def _processing(purpose: str, *categories: str, subjects=_SUBJECTS, retention: str | None = None):
    return ProcessingRecord(
        purpose=purpose,
        data_categories=tuple(categories),
        subject_categories=subjects,
        recipients=_RECIPIENTS,
        retention=retention,
    )


PLAN_RECORD = "counselling_case"  # how the plan's tags (caseapp.plan.tagging) name a counselling case


class CounsellingCase(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """A counselling case (forløb) for a parent, optionally their household, about some of their children."""

    __tablename__ = "counselling_case"
    # A counsellor's open cases are found from their assignments: by person, then status. Without the pair,
    # SQLite read every open case of the municipality by the status index and tested each against the
    # caseload, so the landing page's "my work" grew with the register.
    __table_args__ = (Index("ix_counselling_case_person_status", "person_id", "status"),)
    __encryption_subject__ = "person_id"
    __processing__ = _processing(
        "Parent counselling on children's language, democratic formation and attendance",
        "programme participation",
        "case status and focus",
        "counselling background",
        "closing reason",
        retention="counselling_closed",
    )

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("household.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    started_on: Mapped[date] = mapped_column(default=local_today)
    closed_on: Mapped[date | None]
    closing_reason: Mapped[str | None] = mapped_column(String(20))
    focus_areas: Mapped[str] = mapped_column(String(200), default="")
    background: Mapped[str | None] = mapped_column(EncryptedText)
    closing_note: Mapped[str | None] = mapped_column(EncryptedText)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    person = relationship("Person", foreign_keys=[person_id])
    household = relationship("Household", foreign_keys=[household_id])
    children: Mapped[list[CaseChild]] = relationship(
        back_populates="case", cascade="all, delete-orphan", passive_deletes=True
    )
    goals: Mapped[list[CaseGoal]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CaseGoal.agreed_on, CaseGoal.created_at",
    )
    sessions: Mapped[list[CounsellingSession]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CounsellingSession.held_on.desc(), CounsellingSession.created_at.desc()",
    )
    actions: Mapped[list[SessionAction]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SessionAction.due_on, SessionAction.created_at",
    )
    attendance: Mapped[list[AttendanceRecord]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="AttendanceRecord.period_start, AttendanceRecord.created_at",
    )
    referrals: Mapped[list[Referral]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Referral.referred_on.desc(), Referral.created_at.desc()",
    )

    @property
    def focus_list(self) -> list[str]:
        return codes(self.focus_areas)

    @property
    def child_ids(self) -> list[uuid.UUID]:
        return [c.person_id for c in self.children]

    @property
    def next_follow_up(self) -> date | None:
        """The follow-up agreed at the latest session, if any."""
        return self.sessions[0].next_follow_up if self.sessions else None


class CaseChild(db.Model):
    """A child the case concerns."""

    __tablename__ = "counselling_case_child"
    __processing__ = _processing(
        "Which children a counselling case concerns",
        "family relation",
        "programme participation",
        subjects=("children",),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("counselling_case.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    case: Mapped[CounsellingCase] = relationship(back_populates="children")
    person = relationship("Person", foreign_keys=[person_id])


class CaseGoal(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """A goal agreed with the family, with its status."""

    __tablename__ = "counselling_goal"
    __encryption_subject__ = "subject_id"
    __processing__ = _processing("Goals agreed with the family in counselling", "agreed goals")

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("counselling_case.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    description: Mapped[str | None] = mapped_column(EncryptedText)
    status: Mapped[str] = mapped_column(String(12), default="agreed")
    agreed_on: Mapped[date] = mapped_column(default=local_today)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    case: Mapped[CounsellingCase] = relationship(back_populates="goals")


class CounsellingSession(UUIDPrimaryKey, db.Model):
    """One entry of the session log. Never edited: the note is corrected by amendments."""

    __tablename__ = "counselling_session"
    __encryption_subject__ = "subject_id"
    __processing__ = _processing(
        "The counselling session log (chronology)", "session notes", "who attended", "topics discussed"
    )
    __table_args__ = (Index("ix_counselling_session_case_held", "case_id", "held_on"),)

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("counselling_case.id", ondelete="CASCADE"))
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    held_on: Mapped[date]
    duration_minutes: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    topics: Mapped[str] = mapped_column(String(200), default="")
    other_attendees: Mapped[str | None] = mapped_column(EncryptedText)
    notes: Mapped[str | None] = mapped_column(EncryptedText)
    next_follow_up: Mapped[date | None] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[CounsellingCase] = relationship(back_populates="sessions")
    created_by = relationship("User", foreign_keys=[created_by_id])
    attendees: Mapped[list[SessionAttendee]] = relationship(
        back_populates="session", cascade="all, delete-orphan", passive_deletes=True
    )
    amendments: Mapped[list[SessionAmendment]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SessionAmendment.created_at",
    )
    actions: Mapped[list[SessionAction]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SessionAction.due_on, SessionAction.created_at",
    )

    @property
    def topic_list(self) -> list[str]:
        return codes(self.topics)


class SessionAttendee(db.Model):
    """A resident who took part in a session."""

    __tablename__ = "counselling_session_attendee"
    __processing__ = _processing("Who took part in a counselling session", "who attended")

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("counselling_session.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    session: Mapped[CounsellingSession] = relationship(back_populates="attendees")
    person = relationship("Person", foreign_keys=[person_id])


class SessionAmendment(UUIDPrimaryKey, NoteAmendment, db.Model):
    """A correction of a saved session note: appended, never replacing the original; who and when kept."""

    __tablename__ = "counselling_amendment"
    __processing__ = _processing(
        "Corrections of counselling session notes, keeping the original", "session notes", "correction reason"
    )

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("counselling_session.id", ondelete="CASCADE"), index=True)

    session: Mapped[CounsellingSession] = relationship(back_populates="amendments")
    created_by = relationship("User", foreign_keys="SessionAmendment.created_by_id")


class SessionAction(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """An action agreed at a session, with its owner, due date and status."""

    __tablename__ = "counselling_action"
    __encryption_subject__ = "subject_id"
    __processing__ = _processing("Actions agreed with the family in counselling", "agreed actions")
    __table_args__ = (Index("ix_counselling_action_case_status_due", "case_id", "status", "due_on"),)

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("counselling_case.id", ondelete="CASCADE"))
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("counselling_session.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    description: Mapped[str | None] = mapped_column(EncryptedText)
    owner: Mapped[str] = mapped_column(String(20))
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(10), default="open")
    completed_on: Mapped[date | None]

    case: Mapped[CounsellingCase] = relationship(back_populates="actions")
    session: Mapped[CounsellingSession] = relationship(back_populates="actions")
    owner_user = relationship("User", foreign_keys=[owner_user_id])


class AttendanceRecord(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """A child's attendance in an institution over one period: a percentage or days absent."""

    __tablename__ = "counselling_attendance"
    __encryption_subject__ = "child_id"
    __processing__ = _processing(
        "Follow-up of children's attendance in day care, school and youth education",
        "institution",
        "attendance",
        "attendance concern",
        subjects=("children",),
    )
    __table_args__ = (Index("ix_counselling_attendance_case_child", "case_id", "child_id", "period_start"),)

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("counselling_case.id", ondelete="CASCADE"))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    institution_kind: Mapped[str] = mapped_column(String(20))
    institution_name: Mapped[str | None] = mapped_column(EncryptedText)
    period_start: Mapped[date]
    period_end: Mapped[date]
    # Numbers as encrypted text (like a birth date): about one child, read only with the case.
    attendance_percent: Mapped[str | None] = mapped_column(EncryptedText)
    days_absent: Mapped[str | None] = mapped_column(EncryptedText)
    concern: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(EncryptedText)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    case: Mapped[CounsellingCase] = relationship(back_populates="attendance")
    child = relationship("Person", foreign_keys=[child_id])

    @property
    def percent(self) -> float | None:
        return float(self.attendance_percent) if self.attendance_percent not in (None, "") else None

    @property
    def absent(self) -> int | None:
        return int(self.days_absent) if self.days_absent not in (None, "") else None


class Referral(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """A referral to a municipal service, with its status and outcome."""

    __tablename__ = "counselling_referral"
    __encryption_subject__ = "subject_id"
    __processing__ = _processing("Referrals from counselling to municipal services", "referral", "outcome")

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("counselling_case.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    # Who is referred (the parent or one of the children); None: the family as a whole.
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    service: Mapped[str] = mapped_column(String(20))
    service_other: Mapped[str | None] = mapped_column(String(120))
    referred_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(12), default="planned")
    outcome: Mapped[str | None] = mapped_column(EncryptedText)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    case: Mapped[CounsellingCase] = relationship(back_populates="referrals")
    person = relationship("Person", foreign_keys=[person_id])


class GroupSession(UUIDPrimaryKey, TimestampMixin, db.Model):
    """A parent-group meeting (forældregruppe). Its title and description name no resident."""

    __tablename__ = "counselling_group_session"

    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(index=True)
    duration_minutes: Mapped[int]
    topics: Mapped[str] = mapped_column(String(200), default="")
    area: Mapped[str | None] = mapped_column(String(80))
    description: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    register: Mapped[list[GroupAttendance]] = relationship(
        back_populates="group_session", cascade="all, delete-orphan", passive_deletes=True
    )
    created_by = relationship("User", foreign_keys=[created_by_id])

    @property
    def topic_list(self) -> list[str]:
        return codes(self.topics)


class GroupAttendance(db.Model):
    """One present parent in a group session's register, linked to their counselling case."""

    __tablename__ = "counselling_group_attendance"
    __processing__ = _processing(
        "Attendance register of parent groups", "participation in parent groups", subjects=("parents",)
    )

    group_session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("counselling_group_session.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("counselling_case.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    group_session: Mapped[GroupSession] = relationship(back_populates="register")
    case = relationship("CounsellingCase", foreign_keys=[case_id])


__all__ = [
    "AttendanceRecord",
    "CaseChild",
    "CaseGoal",
    "CounsellingCase",
    "CounsellingSession",
    "GroupAttendance",
    "GroupSession",
    "Referral",
    "SessionAction",
    "SessionAmendment",
    "SessionAttendee",
]
