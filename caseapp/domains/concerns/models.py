"""Crime-prevention concerns (SSP): the concern, its triage history, actions, shares and the duty to notify.

Written text about the young person (summary, description, transition notes, amendments, actions,
share purposes) is encrypted under the subject's key. Filed texts and transition notes are written
once: a correction is an amendment beside the original, never an edit in place (enforced below).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseapp.clock import local_today
from caseapp.crypto.fields import EncryptedText
from caseapp.extensions import db
from caseapp.models.base import TimestampMixin, UUIDPrimaryKey, Versioned, utcnow
from caseapp.privacy import ProcessingRecord

LEGAL_BASIS = (
    "GDPR art. 6(1)(e), art. 9(2)(g) and art. 10 with databeskyttelsesloven § 8; "
    "retsplejeloven § 115; Barnets Lov § 133"
)

# Codes only; their display names are in caseapp/blueprints/concerns/labels.py.
SOURCES = ("own_observation", "resident", "school", "institution", "police", "other")
CATEGORIES = (
    "school_absence",
    "crime",
    "violence",
    "substance_use",
    "radicalisation",
    "gang",
    "wellbeing",
    "neighbourhood_conflict",
    "other",
)
SEVERITIES = ("low", "medium", "high", "acute")
STATES = ("new", "in_triage", "in_ssp", "action_agreed", "closed")
# Each allowed step and the roles that may take it. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    ("new", "in_triage"): frozenset({"ssp"}),
    ("in_triage", "in_ssp"): frozenset({"ssp"}),
    ("in_triage", "closed"): frozenset({"ssp"}),
    ("in_ssp", "action_agreed"): frozenset({"ssp"}),
    ("in_ssp", "closed"): frozenset({"ssp"}),
    ("action_agreed", "in_ssp"): frozenset({"ssp"}),
    ("action_agreed", "closed"): frozenset({"ssp"}),
}
OUTCOMES = ("no_further_action", "resolved", "referred_municipality", "referred_police", "moved_away", "other")
RECIPIENTS = ("police", "municipality", "school")
# Recipients that are roles in this system and read shares here; the others receive them outside it.
RECIPIENT_ROLES = frozenset({"police"})
LEGAL_BASES = ("ssp_115", "consent", "mandatory_notification")
# The consent purpose (caseapp.privacy.consent) a share on consent rests on, by recipient.
CONSENT_PURPOSE_FOR = {"police": "share_ssp", "school": "share_school", "municipality": "share_municipality"}
PARTS = ("summary", "category_severity", "description", "actions", "cpr")
AMENDABLE = ("summary", "description", "note")
ELSEWHERE = "elsewhere"  # an area outside the estate's housing sections

MAX_SHARE_DAYS = 365  # a share lasts at most a year
SUMMARY_LENGTH = 300

# The municipality must confirm receipt of a notification within six weekdays (Barnets Lov).
ACKNOWLEDGE_WITHIN_WEEKDAYS = 6


class ImmutableRecord(RuntimeError):
    """A written-once field was about to be changed in place; amend it instead."""


class Concern(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """A reported worry about a young person (bekymringshenvendelse)."""

    __tablename__ = "concern"
    __encryption_subject__ = "person_id"
    __processing__ = ProcessingRecord(
        purpose="Early detection of and crime prevention for young people in SSP cooperation",
        data_categories=(
            "worry about a young person: category, severity, description",
            "suspected crime",
            "where and when it was observed",
            "whether the child or parents know",
        ),
        subject_categories=("children and young people", "their parents"),
        recipients=("SSP staff", "leaders", "police liaison, municipality or school under a recorded share"),
        legal_basis=LEGAL_BASIS,
        retention="concerns_closed",
    )
    __table_args__ = (Index("ix_concern_state_severity", "state", "severity"),)
    # Written once at filing; corrections are ConcernAmendment rows.
    __immutable__ = ("person_id", "filed_by_id", "summary", "description")

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    observed_on: Mapped[date]
    area: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(30))
    severity: Mapped[str] = mapped_column(String(10))
    summary: Mapped[str] = mapped_column(EncryptedText)
    description: Mapped[str] = mapped_column(EncryptedText)
    child_knows: Mapped[bool] = mapped_column(default=False)
    parents_know: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(20), default="new")
    state_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str | None] = mapped_column(String(30))

    person = relationship("Person")
    filed_by = relationship("User", foreign_keys=[filed_by_id])
    involved: Mapped[list[ConcernInvolved]] = relationship(
        back_populates="concern", cascade="all, delete-orphan", passive_deletes=True
    )
    transitions: Mapped[list[ConcernTransition]] = relationship(
        back_populates="concern", cascade="all, delete-orphan", passive_deletes=True, order_by="ConcernTransition.at"
    )
    amendments: Mapped[list[ConcernAmendment]] = relationship(
        back_populates="concern", cascade="all, delete-orphan", passive_deletes=True, order_by="ConcernAmendment.at"
    )
    actions: Mapped[list[ConcernAction]] = relationship(
        back_populates="concern", cascade="all, delete-orphan", passive_deletes=True, order_by="ConcernAction.due_on"
    )
    shares: Mapped[list[ConcernShare]] = relationship(
        back_populates="concern", cascade="all, delete-orphan", passive_deletes=True, order_by="ConcernShare.shared_at"
    )
    notification: Mapped[ConcernNotification | None] = relationship(
        back_populates="concern", cascade="all, delete-orphan", passive_deletes=True, uselist=False
    )

    def amendments_of(self, field: str, transition_id: uuid.UUID | None = None) -> list[ConcernAmendment]:
        return [a for a in self.amendments if a.field == field and a.transition_id == transition_id]

    def current(self, field: str) -> str:
        """The text as it stands: the latest amendment, else what was filed."""
        amended = self.amendments_of(field)
        return amended[-1].text if amended else getattr(self, field)

    @property
    def is_open(self) -> bool:
        return self.state != "closed"

    def next_states(self, user) -> list[str]:
        return [to for (frm, to), roles in TRANSITIONS.items() if frm == self.state and user.roles & roles]


class ConcernInvolved(db.Model):
    """Another person linked to a concern (optional)."""

    __tablename__ = "concern_involved"
    __processing__ = ProcessingRecord(
        purpose="Link others involved in a concern to it, for SSP coordination",
        data_categories=("involvement in a concern",),
        subject_categories=("children and young people",),
        recipients=("SSP staff", "leaders"),
        legal_basis=LEGAL_BASIS,
        retention="concerns_closed",
    )

    concern_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("concern.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    concern: Mapped[Concern] = relationship(back_populates="involved")
    person = relationship("Person")


class ConcernTransition(UUIDPrimaryKey, db.Model):
    """One step in the concern's state machine, with who, when and why. Never changed."""

    __tablename__ = "concern_transition"
    __encryption_subject__ = "person_id"
    __processing__ = ProcessingRecord(
        purpose="The triage history of a concern: each decision with its reason",
        data_categories=("triage decisions and notes",),
        subject_categories=("children and young people",),
        recipients=("SSP staff", "leaders"),
        legal_basis=LEGAL_BASIS,
        retention="concerns_closed",
    )
    __immutable__ = ("concern_id", "person_id", "from_state", "to_state", "outcome", "note", "actor_id", "at")

    concern_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("concern.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(EncryptedText)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    concern: Mapped[Concern] = relationship(back_populates="transitions")
    actor = relationship("User")


class ConcernAmendment(UUIDPrimaryKey, db.Model):
    """A correction of the summary, the description or a transition note; the original stays."""

    __tablename__ = "concern_amendment"
    __encryption_subject__ = "person_id"
    __processing__ = ProcessingRecord(
        purpose="Corrections of what was written about a concern, keeping the original",
        data_categories=("corrected concern texts",),
        subject_categories=("children and young people",),
        recipients=("SSP staff", "leaders", "the filer"),
        legal_basis=LEGAL_BASIS,
        retention="concerns_closed",
    )
    __immutable__ = ("concern_id", "person_id", "field", "transition_id", "text", "author_id", "at")

    concern_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("concern.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(20))
    transition_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("concern_transition.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(EncryptedText)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    concern: Mapped[Concern] = relationship(back_populates="amendments")
    author = relationship("User")


class ConcernAction(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """Something agreed in SSP: what, who owns it, by when."""

    __tablename__ = "concern_action"
    __encryption_subject__ = "person_id"
    __processing__ = ProcessingRecord(
        purpose="Actions agreed in SSP for a young person, with owner and due date",
        data_categories=("agreed actions",),
        subject_categories=("children and young people",),
        recipients=("SSP staff", "leaders", "police liaison under a recorded share"),
        legal_basis=LEGAL_BASIS,
        retention="concerns_closed",
    )

    concern_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("concern.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(EncryptedText)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    due_on: Mapped[date]
    done_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    concern: Mapped[Concern] = relationship(back_populates="actions")
    owner = relationship("User", foreign_keys=[owner_id])

    @property
    def overdue(self) -> bool:
        return self.done_at is None and self.due_on < local_today()


class ConcernShare(UUIDPrimaryKey, db.Model):
    """A disclosure of chosen parts of a concern to a recipient, on a legal basis, until an expiry."""

    __tablename__ = "concern_share"
    __encryption_subject__ = "person_id"
    __processing__ = ProcessingRecord(
        purpose="Record of each disclosure of a concern: recipient, legal basis, purpose, parts and expiry",
        data_categories=("disclosure records", "purpose of the disclosure"),
        subject_categories=("children and young people",),
        recipients=("SSP staff", "leaders", "the recipient, for its own shares"),
        legal_basis=LEGAL_BASIS,
        retention="concerns_closed",
    )
    __table_args__ = (Index("ix_concern_share_active", "recipient", "ended_at", "expires_on"),)
    __immutable__ = (
        "concern_id",
        "person_id",
        "recipient",
        "legal_basis",
        "consent_purpose",
        "purpose",
        "parts_text",
        "shared_by_id",
        "shared_at",
        "expires_on",
    )

    concern_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("concern.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    recipient: Mapped[str] = mapped_column(String(20))
    legal_basis: Mapped[str] = mapped_column(String(30))
    consent_purpose: Mapped[str | None] = mapped_column(String(40))
    purpose: Mapped[str] = mapped_column(EncryptedText)
    parts_text: Mapped[str] = mapped_column("parts", String(120))
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    shared_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_on: Mapped[date]
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    end_reason: Mapped[str | None] = mapped_column(EncryptedText)

    concern: Mapped[Concern] = relationship(back_populates="shares")
    shared_by = relationship("User", foreign_keys=[shared_by_id])

    @property
    def parts(self) -> frozenset[str]:
        return frozenset(self.parts_text.split())

    @parts.setter
    def parts(self, value) -> None:
        self.parts_text = " ".join(p for p in PARTS if p in set(value))

    @property
    def is_active(self) -> bool:
        return self.ended_at is None and self.expires_on >= local_today()

    @property
    def status(self) -> str:
        if self.ended_at is not None:
            return "ended"
        return "active" if self.expires_on >= local_today() else "expired"


class ConcernNotification(UUIDPrimaryKey, db.Model):
    """The duty to notify the municipality (underretning): who holds it, when sent, when acknowledged."""

    __tablename__ = "concern_notification"
    __processing__ = ProcessingRecord(
        purpose="Follow up the duty to notify the municipality about a child who may need support",
        data_categories=("that a notification was due, sent and acknowledged",),
        subject_categories=("children and young people",),
        recipients=("SSP staff", "leaders", "the filer"),
        legal_basis=LEGAL_BASIS,
        retention="concerns_closed",
    )

    concern_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("concern.id", ondelete="CASCADE"), unique=True)
    duty_holder_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    flagged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    flagged_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_on: Mapped[date]
    sent_at: Mapped[datetime | None]
    sent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    acknowledge_due_on: Mapped[date | None]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    concern: Mapped[Concern] = relationship(back_populates="notification")
    duty_holder = relationship("User", foreign_keys=[duty_holder_id])

    @property
    def status(self) -> str:
        """not_sent, sent or acknowledged."""
        if self.acknowledged_at is not None:
            return "acknowledged"
        return "sent" if self.sent_at is not None else "not_sent"

    @property
    def overdue(self) -> bool:
        today = local_today()
        if self.acknowledged_at is not None:
            return False
        if self.sent_at is None:
            return self.due_on < today
        return self.acknowledge_due_on is not None and self.acknowledge_due_on < today


@event.listens_for(Concern, "before_update")
@event.listens_for(ConcernTransition, "before_update")
@event.listens_for(ConcernAmendment, "before_update")
@event.listens_for(ConcernShare, "before_update")
def _refuse_rewrite(mapper, connection, target) -> None:
    """Written-once fields stay as written: the flush fails and nothing is saved."""
    state = inspect(target)
    changed = [name for name in target.__immutable__ if state.attrs[name].history.has_changes()]
    if changed:
        raise ImmutableRecord(f"{type(target).__name__}: {', '.join(changed)} cannot be changed, only amended")
