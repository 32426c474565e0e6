"""Data-protection records: proof of erasures, emergency (break-the-glass) access, and log review.

A break-the-glass grant widens a user's access to one person for a short time: the person scope
registered here (`register_person_scope`, for every role) adds the person to what
`visibility_clause(user)` admits while the grant is active. Other domains that check their own
assignments can ask `has_break_glass(user, person_id)`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseapp.crypto.fields import EncryptedText
from caseapp.extensions import db
from caseapp.models.base import UUIDPrimaryKey, utcnow
from caseapp.privacy import ProcessingRecord
from caseapp.security.roles import ROLES

# GDPR art. 17(1): the grounds a leader chooses from when erasing a person (labels in the blueprint).
ERASURE_GROUNDS = ("request", "consent_withdrawn", "unlawful", "legal_obligation", "registered_in_error", "retention")
REVIEW_OUTCOMES = ("justified", "follow_up")


class ErasureRecord(UUIDPrimaryKey, db.Model):
    """That a person was erased, when, by whom and why; no personal value of theirs survives here."""

    __tablename__ = "erasure_record"
    __processing__ = ProcessingRecord(
        purpose="Document erasures (accountability, GDPR art. 5(2) and art. 17)",
        data_categories=(
            "the erased person's random id (no longer linked to any data)",
            "erasure ground",
            "counts of erased records",
        ),
        subject_categories=("former residents in the register",),
        recipients=("leaders",),
        legal_basis="GDPR art. 6(1)(c) and art. 5(2)",
    )

    subject_id: Mapped[uuid.UUID] = mapped_column(index=True)
    ground: Mapped[str] = mapped_column(String(30))
    # Checked before erasure to hold none of the person's name words or CPR number.
    reason: Mapped[str] = mapped_column(String(500))
    erased_at: Mapped[datetime] = mapped_column(default=utcnow)
    erased_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON {"domain.kind": n}
    # When the key-encryption keys that wrapped the person's data key left the keyring
    # (from then on a backup taken before the erasure cannot be decrypted); None: still to do.
    keys_retired_at: Mapped[datetime | None]

    erased_by = relationship("User", foreign_keys=[erased_by_id])


AREA = "dataprotection"  # the domain's name in the audit log and the anonymous tallies
BREAK_GLASS_MINUTES = (15, 30, 60, 120)
MIN_REASON = 10
MAX_TEXT = 2000


class BreakGlassGrant(UUIDPrimaryKey, db.Model):
    """Emergency access of one user to one person outside their caseload, for a short time."""

    __tablename__ = "break_glass_grant"
    __encryption_subject__ = "person_id"
    __processing__ = ProcessingRecord(
        purpose="Emergency access to a resident outside the user's caseload, reviewed by leaders",
        data_categories=("the emergency the access was needed for",),
        subject_categories=("residents",),
        recipients=("leaders",),
        retention="break_glass",
    )
    __table_args__ = (Index("ix_break_glass_grant_user_expires", "user_id", "expires_at"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(EncryptedText)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    reviewed_at: Mapped[datetime | None] = mapped_column(index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    review_outcome: Mapped[str | None] = mapped_column(String(20))

    user = relationship("User", foreign_keys=[user_id])
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])

    def is_active(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.ended_at is None and self.granted_at <= now < self.expires_at


def active_grant_clause(now: datetime | None = None):
    now = now or utcnow()
    return BreakGlassGrant.ended_at.is_(None) & (BreakGlassGrant.granted_at <= now) & (BreakGlassGrant.expires_at > now)


_ORDINARY_ONLY: ContextVar[bool] = ContextVar("caseapp_ordinary_access_only", default=False)


def break_glass_scope(user):
    """The persons `user` holds an active emergency grant for (a person scope, see models.people)."""
    if _ORDINARY_ONLY.get():
        return select(BreakGlassGrant.person_id).where(false())
    return select(BreakGlassGrant.person_id).where(BreakGlassGrant.user_id == user.id, active_grant_clause())


@contextmanager
def ordinary_access_only() -> Iterator[None]:
    """Within this block, access is decided without emergency grants (to tell whether one is in use)."""
    token = _ORDINARY_ONLY.set(True)
    try:
        yield
    finally:
        _ORDINARY_ONLY.reset(token)


def active_grant(user, person_id) -> BreakGlassGrant | None:
    return db.session.scalar(
        select(BreakGlassGrant)
        .where(BreakGlassGrant.user_id == user.id, BreakGlassGrant.person_id == person_id, active_grant_clause())
        .order_by(BreakGlassGrant.expires_at.desc())
        .limit(1)
    )


def has_break_glass(user, person_id) -> bool:
    """Whether `user` may open `person_id`'s records now because of an emergency grant."""
    return active_grant(user, person_id) is not None


# Granting checks the BREAK_GLASS permission; the scope only has to follow the grants.
PERSON_SCOPES = {role: (break_glass_scope,) for role in ROLES}


class LogReviewItem(db.Model):
    """One access event in a month's review sample, and whether a leader has checked it."""

    __tablename__ = "log_review_item"
    __table_args__ = (UniqueConstraint("month", "audit_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), index=True)  # "2026-11"
    # The audit event this item is about (for a pattern: its first event). Audit retention
    # deletes the item with its event.
    audit_seq: Mapped[int] = mapped_column(ForeignKey("audit_event.seq", ondelete="CASCADE"), index=True)
    # Why it was picked: many_persons, out_of_hours, break_glass, sample (the order they are shown).
    pattern: Mapped[str] = mapped_column(String(20))
    rank: Mapped[int] = mapped_column(default=0)
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON, counts only
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(String(20))

    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])


__all__ = [
    "BreakGlassGrant",
    "ERASURE_GROUNDS",
    "ErasureRecord",
    "LogReviewItem",
    "REVIEW_OUTCOMES",
    "active_grant",
    "break_glass_scope",
    "has_break_glass",
]
