"""Job mentoring and leisure-job counselling: programmes (configured by leaders), mentors (staff and
volunteers), relationships with their history and plan, goals, meetings with amendments, employers and
leisure-job placements, anonymous guidance tallies, outcomes and their follow-ups.

Free text about a mentee is encrypted under the mentee's key (`subject_id`/`person_id`). Codes, dates
and numbers needed to sort, schedule and count stay in clear.
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

PROGRAMME_KINDS = ("job_mentoring", "education_mentoring", "leisure_job", "pocket_money")
FOCUS_AREAS = ("job", "education", "leisure_job", "cv", "language", "wellbeing")
LANGUAGES = ("da", "en", "ar", "so", "tr", "ur", "fa", "ps", "ti", "pl", "uk")
STATES = ("proposed", "active", "paused", "ended", "declined")
END_REASONS = ("goal_reached", "moved", "dropped_out", "transferred", "no_contact", "other")
GOAL_KINDS = (
    "cv",
    "applications",
    "interview",
    "internship",
    "course",
    "leisure_job",
    "driving_licence",
    "education",
    "other",
)
GOAL_STATUSES = ("planned", "in_progress", "achieved", "dropped")
MEETING_MODES = ("in_person", "phone", "video", "with_employer")
PLACEMENT_END_REASONS = ("season_ended", "quit", "dismissed", "moved", "other")
OUTCOME_KINDS = (
    "job_full_time",
    "job_part_time",
    "flex_job",
    "internship",
    "apprenticeship",
    "education",
    "leisure_job",
)
VERIFICATIONS = ("self_report", "employer", "payslip", "contract")
FOLLOWUP_RESULTS = ("in_job", "in_education", "retained", "changed_job", "left", "no_contact")

PLAN_PROGRAMME = "mentoring_programme"  # how the plan's tags name a programme
PLAN_RELATIONSHIP = "mentoring_relationship"  # and a relationship (its own tags, else its programme's)

_RECIPIENTS = ("the mentee's mentor", "leaders")
_SUBJECTS = ("adult residents in mentoring", "young people in leisure-job counselling")


def _processing(purpose: str, *categories: str, subjects=_SUBJECTS, retention: str | None = "mentoring_ended"):
    return ProcessingRecord(
        purpose=purpose,
        data_categories=tuple(categories),
        subject_categories=subjects,
        recipients=_RECIPIENTS,
        retention=retention,
    )


class MentoringProgramme(Versioned, TimestampMixin, db.Model):
    """A mentoring programme as leaders configure it (no personal data)."""

    __tablename__ = "mentoring_programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    age_min: Mapped[int | None]
    age_max: Mapped[int | None]
    needs_acceptance: Mapped[bool] = mapped_column(default=True)
    followup_months: Mapped[str] = mapped_column(String(40), default="3 6")
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def intervals(self) -> list[int]:
        return [int(m) for m in self.followup_months.split() if m.isdigit()]

    @property
    def age_band(self) -> str:
        if self.age_min is None and self.age_max is None:
            return "–"
        return f"{self.age_min if self.age_min is not None else ''}–{self.age_max if self.age_max is not None else ''}"


class WorkRule(Versioned, TimestampMixin, db.Model):
    """The work rules for young people of an age band, shown when placing one (a configurable text)."""

    __tablename__ = "mentoring_work_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    age_min: Mapped[int]
    age_max: Mapped[int]
    text: Mapped[str] = mapped_column(Text)


class Mentor(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """A mentor profile: a staff member (user with the mentor role) or a volunteer (a person, no login)."""

    __tablename__ = "mentoring_mentor"
    __processing__ = ProcessingRecord(
        purpose="Mentor profiles for matching mentees with mentors",
        data_categories=("languages", "areas of focus", "capacity", "availability"),
        subject_categories=("staff mentors", "volunteer mentors"),
        recipients=("leaders", "staff mentors"),
    )

    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), unique=True)
    capacity: Mapped[int] = mapped_column(default=5)
    languages: Mapped[str] = mapped_column(String(200), default="")
    focus_areas: Mapped[str] = mapped_column(String(200), default="")
    paused_from: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user = relationship("User", foreign_keys=[user_id])
    person = relationship("Person", foreign_keys=[person_id])

    @property
    def is_volunteer(self) -> bool:
        return self.user_id is None

    @property
    def display_name(self) -> str:
        if self.user is not None:
            return self.user.name
        return self.person.full_name if self.person is not None else "–"

    @property
    def language_list(self) -> list[str]:
        return codes(self.languages)

    @property
    def focus_list(self) -> list[str]:
        return codes(self.focus_areas)

    def paused_on(self, day: date) -> bool:
        return self.paused_from is not None and self.paused_from <= day


class Relationship(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """A mentoring relationship (mentorforløb) of a mentee with a mentor in a programme, with its plan."""

    __tablename__ = "mentoring_relationship"
    __encryption_subject__ = "person_id"
    __processing__ = _processing(
        "Mentoring relationships and their plans (job, education, leisure jobs)",
        "programme participation",
        "mentoring plan",
        "state and end reason",
    )
    __table_args__ = (Index("ix_mentoring_relationship_mentor_state", "mentor_id", "state"),)

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    # SET NULL: erasing a volunteer mentor leaves their mentees' records (without the mentor).
    mentor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("mentoring_mentor.id", ondelete="SET NULL"))
    programme_id: Mapped[int] = mapped_column(ForeignKey("mentoring_programme.id"), index=True)
    state: Mapped[str] = mapped_column(String(10), default="proposed", index=True)
    proposed_on: Mapped[date] = mapped_column(default=local_today)
    started_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    end_reason: Mapped[str | None] = mapped_column(String(20))
    decline_reason: Mapped[str | None] = mapped_column(EncryptedText)
    capacity_override: Mapped[bool] = mapped_column(default=False)
    override_reason: Mapped[str | None] = mapped_column(EncryptedText)
    purpose: Mapped[str | None] = mapped_column(EncryptedText)
    mentor_tasks: Mapped[str | None] = mapped_column(EncryptedText)
    contact_every_days: Mapped[int | None]  # the planned contact frequency
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    person = relationship("Person", foreign_keys=[person_id])
    mentor: Mapped[Mentor | None] = relationship(foreign_keys=[mentor_id])
    programme: Mapped[MentoringProgramme] = relationship(foreign_keys=[programme_id])
    changes: Mapped[list[StateChange]] = relationship(
        back_populates="relation", cascade="all, delete-orphan", passive_deletes=True, order_by="StateChange.at"
    )
    goals: Mapped[list[Goal]] = relationship(
        back_populates="relation",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Goal.target_on, Goal.created_at",
    )
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="relation",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Meeting.held_on.desc(), Meeting.created_at.desc()",
    )
    outcomes: Mapped[list[Outcome]] = relationship(
        back_populates="relation", cascade="all, delete-orphan", passive_deletes=True, order_by="Outcome.starts_on"
    )
    placements: Mapped[list[Placement]] = relationship(
        "caseapp.domains.mentoring.models.Placement",
        back_populates="relation",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by=lambda: Placement.starts_on,
    )


class StateChange(db.Model):
    """One change of a relationship's state: the history."""

    __tablename__ = "mentoring_state_change"
    __processing__ = _processing("History of a mentoring relationship's states", "state and end reason")

    id: Mapped[int] = mapped_column(primary_key=True)
    relationship_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_relationship.id", ondelete="CASCADE"), index=True
    )
    from_state: Mapped[str | None] = mapped_column(String(10))
    to_state: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(20))
    on: Mapped[date] = mapped_column(default=local_today)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    relation: Mapped[Relationship] = relationship(back_populates="changes")
    by = relationship("User", foreign_keys=[by_id])


class Goal(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    __tablename__ = "mentoring_goal"
    __encryption_subject__ = "subject_id"
    __processing__ = _processing("Goals agreed in mentoring", "agreed goals", "progress notes")

    relationship_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_relationship.id", ondelete="CASCADE"), index=True
    )
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(EncryptedText)
    target_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(12), default="planned")
    progress: Mapped[str | None] = mapped_column(EncryptedText)  # progress notes, newest appended
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    relation: Mapped[Relationship] = relationship(back_populates="goals")


class Meeting(UUIDPrimaryKey, db.Model):
    """A mentoring meeting. Never edited: the note is corrected by amendments."""

    __tablename__ = "mentoring_meeting"
    __encryption_subject__ = "subject_id"
    __processing__ = _processing("Mentoring meetings (log)", "meeting notes", "goals worked on")
    __table_args__ = (Index("ix_mentoring_meeting_rel_held", "relationship_id", "held_on"),)

    relationship_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("mentoring_relationship.id", ondelete="CASCADE"))
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    held_on: Mapped[date]
    duration_minutes: Mapped[int]
    mode: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(EncryptedText)
    goal_ids: Mapped[str] = mapped_column(String(400), default="")  # the relationship's goals touched
    next_meeting_on: Mapped[date | None] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    relation: Mapped[Relationship] = relationship(back_populates="meetings")
    amendments: Mapped[list[MeetingAmendment]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="MeetingAmendment.created_at",
    )

    @property
    def goal_list(self) -> list[str]:
        return codes(self.goal_ids)


class MeetingAmendment(UUIDPrimaryKey, NoteAmendment, db.Model):
    __tablename__ = "mentoring_meeting_amendment"
    __processing__ = _processing(
        "Corrections of mentoring meeting notes, keeping the original", "meeting notes", "correction reason"
    )

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("mentoring_meeting.id", ondelete="CASCADE"), index=True)

    meeting: Mapped[Meeting] = relationship(back_populates="amendments")


class Employer(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """An employer of the register (companies offering leisure jobs and jobs)."""

    __tablename__ = "mentoring_employer"
    __processing__ = ProcessingRecord(
        purpose="Register of employers offering leisure jobs and jobs",
        data_categories=("contact person's name", "work contact details"),
        subject_categories=("employers' contact persons",),
        recipients=("mentors", "leaders"),
    )

    company: Mapped[str] = mapped_column(String(200))
    contact_person: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    branch: Mapped[str | None] = mapped_column(String(120))
    cvr: Mapped[str | None] = mapped_column(String(8))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class Placement(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """A leisure job held by a mentee, with the parents' contact and consent for anyone under 18."""

    __tablename__ = "mentoring_placement"
    __encryption_subject__ = "person_id"
    __processing__ = _processing(
        "Leisure-job placements of young people", "employer", "working hours", "parent contact and consent"
    )

    relationship_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_relationship.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    employer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("mentoring_employer.id"), index=True)
    starts_on: Mapped[date]
    hours_per_week: Mapped[int]
    ended_on: Mapped[date | None]
    end_reason: Mapped[str | None] = mapped_column(String(20))
    became_permanent: Mapped[bool] = mapped_column(default=False)
    bridged_to_job: Mapped[bool] = mapped_column(default=False)
    parent_contact: Mapped[str | None] = mapped_column(EncryptedText)
    parent_consent: Mapped[bool] = mapped_column(default=False)
    parent_consent_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    relation: Mapped[Relationship] = relationship(back_populates="placements")
    employer: Mapped[Employer] = relationship(foreign_keys=[employer_id])


class GuidanceTally(UUIDPrimaryKey, TimestampMixin, db.Model):
    """Open guidance contacts: an anonymous head count per place and date (a school visit with 14 pupils)."""

    __tablename__ = "mentoring_guidance_tally"

    programme_id: Mapped[int] = mapped_column(ForeignKey("mentoring_programme.id"), index=True)
    place: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(index=True)
    headcount: Mapped[int]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    programme: Mapped[MentoringProgramme] = relationship(foreign_keys=[programme_id])


class Outcome(UUIDPrimaryKey, TimestampMixin, db.Model):
    """What a mentee went on to (a job, an education, a leisure job), and how it was verified."""

    __tablename__ = "mentoring_outcome"
    __encryption_subject__ = "subject_id"
    __processing__ = _processing(
        "Outcomes of mentoring (job, education) and how they were verified",
        "employment and education outcome",
        "verification",
    )

    relationship_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_relationship.id", ondelete="CASCADE"), index=True
    )
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[date]
    verified_by: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(EncryptedText)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    relation: Mapped[Relationship] = relationship(back_populates="outcomes")
    followups: Mapped[list[FollowUp]] = relationship(
        back_populates="outcome", cascade="all, delete-orphan", passive_deletes=True, order_by="FollowUp.due_on"
    )


class FollowUp(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """A follow-up of an outcome after some months: due from its date; recording it answers whether the
    mentee is still in the job or education, and what changed."""

    __tablename__ = "mentoring_followup"
    __encryption_subject__ = "subject_id"
    __processing__ = _processing("Follow-up of mentoring outcomes after 3 and 6 months", "employment status")
    __table_args__ = (Index("ix_mentoring_followup_due", "recorded_on", "due_on"),)

    outcome_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("mentoring_outcome.id", ondelete="CASCADE"), index=True)
    relationship_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("mentoring_relationship.id", ondelete="CASCADE"), index=True
    )
    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    months: Mapped[int]
    due_on: Mapped[date]
    recorded_on: Mapped[date | None]
    still_there: Mapped[bool | None]
    result: Mapped[str | None] = mapped_column(String(20))
    what_changed: Mapped[str | None] = mapped_column(EncryptedText)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    outcome: Mapped[Outcome] = relationship(back_populates="followups")
    relation = relationship("Relationship", foreign_keys=[relationship_id])

    def is_due(self, today: date) -> bool:
        return self.recorded_on is None and self.due_on <= today


__all__ = [
    "Employer",
    "FollowUp",
    "Goal",
    "GuidanceTally",
    "Meeting",
    "MeetingAmendment",
    "Mentor",
    "MentoringProgramme",
    "Outcome",
    "Placement",
    "Relationship",
    "StateChange",
    "WorkRule",
]
