"""Youth courses (udviklingsforløb for unge): the course, its leaders and sessions, enrolments with the
waiting list, the attendance register with its amendments, and later outcomes.

Enrolment is kept apart from attendance. Free text about a participant (a drop-out reason, the reason
for accepting someone outside the age band, an amendment's reason, an outcome note) is encrypted under
the participant's key. Erasure and retention anonymise a participant (their person link and texts go,
the enrolment's status and attendance marks stay), so a course's counts and the plan's reports still
add up after a person is erased.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseapp.crypto.fields import EncryptedText
from caseapp.extensions import db
from caseapp.models.base import TimestampMixin, UUIDPrimaryKey, Versioned, utcnow
from caseapp.privacy import ProcessingRecord

LEGAL_BASIS = "GDPR art. 6(1)(a) consent, art. 6(1)(e); Serviceloven § 11 (forebyggende indsats)"
PLAN_RECORD = "course"  # how the plan's tags (caseapp.plan.tagging) name a course
PARTNER_KINDS = ("association", "municipal", "none")
ENROLMENT_STATUSES = ("enrolled", "waiting", "completed", "dropped_out")
ACTIVE = ("enrolled", "completed")  # holding a place
MARKS = ("present", "late", "excused", "absent")
ATTENDED = ("present", "late")  # marks that count as attending
OUTCOMES = ("education", "leisure_job", "work", "other")
DEFAULT_FOLLOW_UP_MONTHS = "3,6"


class Course(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """A cohort run over some weeks: no resident is named on it (participants are enrolments)."""

    __tablename__ = "course"
    __table_args__ = (Index("ix_course_dates", "starts_on", "ends_on"),)

    # str(id), written once: what the plan's tags (PlanTag.record_id) and the measures' tag_id hold,
    # the same text on every database (a UUID cast to text differs between SQLite and PostgreSQL).
    record_key: Mapped[str] = mapped_column(String(36), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    partner_name: Mapped[str] = mapped_column(String(200), default="")
    partner_kind: Mapped[str] = mapped_column(String(20), default="none")
    partner_association_id: Mapped[str | None] = mapped_column(String(64))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    capacity: Mapped[int]
    age_min: Mapped[int | None]
    age_max: Mapped[int | None]
    location: Mapped[str] = mapped_column(String(200), default="")
    target_participants: Mapped[int | None]
    target_completions: Mapped[int | None]
    # The completion rule: a minimum share (percent) of the held sessions attended, and/or the sessions
    # marked required attended.
    min_attendance_pct: Mapped[int | None]
    follow_up_months: Mapped[str] = mapped_column(String(40), default=DEFAULT_FOLLOW_UP_MONTHS)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    leaders: Mapped[list[CourseLeader]] = relationship(
        back_populates="course", cascade="all, delete-orphan", passive_deletes=True, order_by="CourseLeader.id"
    )
    sessions: Mapped[list[CourseSession]] = relationship(
        back_populates="course",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(CourseSession.held_on, CourseSession.starts_at)",
    )
    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="course", cascade="all, delete-orphan", passive_deletes=True, order_by="Enrolment.requested_at"
    )

    @property
    def months(self) -> list[int]:
        return sorted({int(m) for m in self.follow_up_months.split(",") if m.strip().isdigit()})


class CourseLeader(db.Model):
    """A leader of a course: a staff member, or a volunteer (a person in the register, vetted)."""

    __tablename__ = "course_leader"
    __processing__ = ProcessingRecord(
        purpose="Who leads a youth course (staff or a vetted volunteer)",
        data_categories=("course leadership",),
        subject_categories=("volunteers",),
        recipients=("course leaders", "leaders"),
        legal_basis=LEGAL_BASIS,
        retention="courses_ended",
    )
    __table_args__ = (Index("ix_course_leader_user", "user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    vetting_checked_on: Mapped[date | None]  # the day a volunteer's vetting was found valid

    course: Mapped[Course] = relationship(back_populates="leaders")
    user = relationship("User")
    person = relationship("Person")


class CourseSession(UUIDPrimaryKey, db.Model):
    """One meeting of the cohort. A cancelled session stays visible and counts for nothing."""

    __tablename__ = "course_session"
    __table_args__ = (Index("ix_course_session_day", "held_on"),)

    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date]
    starts_at: Mapped[time]
    ends_at: Mapped[time]
    topic: Mapped[str] = mapped_column(String(200), default="")
    required: Mapped[bool] = mapped_column(default=False)
    cancelled: Mapped[bool] = mapped_column(default=False)

    course: Mapped[Course] = relationship(back_populates="sessions")


class Enrolment(UUIDPrimaryKey, Versioned, db.Model):
    """A participant's place on a course (or on its waiting list), with each step's date.

    `person_id` is NULL once the participant is erased: the row stays as an anonymous count."""

    __tablename__ = "course_enrolment"
    __encryption_subject__ = "person_id"
    __processing__ = ProcessingRecord(
        purpose="Enrolment of young people on development courses, the waiting list, completion and drop-out",
        data_categories=(
            "course participation",
            "waiting-list place",
            "completion",
            "drop-out reason",
            "reason for accepting outside the age band",
        ),
        subject_categories=("young people",),
        recipients=("the course's leaders", "leaders"),
        legal_basis=LEGAL_BASIS,
        retention="courses_ended",
    )
    __table_args__ = (
        UniqueConstraint("course_id", "person_id", name="uq_course_enrolment_person"),
        Index("ix_course_enrolment_status", "course_id", "status", "requested_at"),
    )

    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)  # the waiting list's order
    enrolled_on: Mapped[date | None]
    waitlisted_on: Mapped[date | None]
    offered_on: Mapped[date | None]  # a freed place offered; the leader confirms
    completed_on: Mapped[date | None]
    dropped_on: Mapped[date | None]
    drop_reason: Mapped[str | None] = mapped_column(EncryptedText)
    age_reason: Mapped[str | None] = mapped_column(EncryptedText)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    course: Mapped[Course] = relationship(back_populates="enrolments")
    person = relationship("Person")
    marks: Mapped[list[Attendance]] = relationship(
        back_populates="enrolment", cascade="all, delete-orphan", passive_deletes=True
    )
    outcomes: Mapped[list[CourseOutcome]] = relationship(
        back_populates="enrolment", cascade="all, delete-orphan", passive_deletes=True, order_by="CourseOutcome.months"
    )


class Attendance(UUIDPrimaryKey, Versioned, db.Model):
    """One participant's mark in one session's register."""

    __tablename__ = "course_attendance"
    __processing__ = ProcessingRecord(
        purpose="The attendance register of youth course sessions",
        data_categories=("attendance at course sessions",),
        subject_categories=("young people",),
        recipients=("the course's leaders", "leaders"),
        legal_basis=LEGAL_BASIS,
        retention="courses_ended",
    )
    __table_args__ = (UniqueConstraint("session_id", "enrolment_id", name="uq_course_attendance_mark"),)

    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course_session.id", ondelete="CASCADE"), index=True)
    enrolment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course_enrolment.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)

    enrolment: Mapped[Enrolment] = relationship(back_populates="marks")
    session: Mapped[CourseSession] = relationship()
    amendments: Mapped[list[AttendanceAmendment]] = relationship(
        back_populates="attendance",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="AttendanceAmendment.at",
    )


class AttendanceAmendment(UUIDPrimaryKey, db.Model):
    """A mark changed after its session's day: the mark before, the mark after and why."""

    __tablename__ = "course_attendance_amendment"
    __encryption_subject__ = "person_id"
    __processing__ = ProcessingRecord(
        purpose="Corrections of the attendance register after the session day, with their reason",
        data_categories=("corrected attendance", "reason for the correction"),
        subject_categories=("young people",),
        recipients=("the course's leaders", "leaders"),
        legal_basis=LEGAL_BASIS,
        retention="courses_ended",
    )

    attendance_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course_attendance.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    before: Mapped[str] = mapped_column(String(10))
    after: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(EncryptedText)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    attendance: Mapped[Attendance] = relationship(back_populates="amendments")


class CourseOutcome(UUIDPrimaryKey, db.Model):
    """Where a participant is some months after the course's end."""

    __tablename__ = "course_outcome"
    __encryption_subject__ = "person_id"
    __processing__ = ProcessingRecord(
        purpose="Follow-up of young people after a course: education, leisure job, work",
        data_categories=("education or work status after the course", "follow-up note"),
        subject_categories=("young people",),
        recipients=("the course's leaders", "leaders"),
        legal_basis=LEGAL_BASIS,
        retention="courses_ended",
    )
    __table_args__ = (UniqueConstraint("enrolment_id", "months", name="uq_course_outcome_months"),)

    enrolment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course_enrolment.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    months: Mapped[int]
    outcome: Mapped[str] = mapped_column(String(20))
    recorded_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(EncryptedText)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    enrolment: Mapped[Enrolment] = relationship(back_populates="outcomes")
