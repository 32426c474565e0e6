"""The consent register: who agreed to what, how, until when, and when it was withdrawn.

Other domains ask `has_active_consent(person_id, purpose)` before processing or sharing on the
basis of consent (the concerns domain's share "on consent" asks for `share_ssp`, `share_school`
or `share_municipality`). Withdrawal (caseapp.domains.dataprotection.consents.withdraw_consent)
takes effect at once: from that moment `has_active_consent` answers False, and every share or
processing resting on the consent is ended by the withdrawal hooks the domains declare
(`Domain.consent_withdrawal`). Each domain declares the purposes it asks consent for
(`Domain.consent_purposes`).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.clock import local_today
from caseapp.crypto.fields import EncryptedText
from caseapp.domain import consent_purposes
from caseapp.extensions import db
from caseapp.models.base import TimestampMixin, UUIDPrimaryKey, Versioned
from caseapp.privacy import ProcessingRecord

GIVEN_BY: dict[str, object] = {
    "person": _l("The person themself"),
    "parent": _l("A parent (for a child)"),
    "guardian": _l("A guardian (for a child)"),
}
METHODS: dict[str, object] = {
    "signed_form": _l("Signed form"),
    "oral_witness": _l("Oral, with a witness"),
}


class Consent(UUIDPrimaryKey, Versioned, TimestampMixin, db.Model):
    """One consent for one purpose. Never deleted while it matters: withdrawal is recorded, not erased."""

    __tablename__ = "consent"
    __encryption_subject__ = "person_id"
    __processing__ = ProcessingRecord(
        purpose="Document the consents that processing and sharing rest on, and their withdrawal",
        data_categories=(
            "consent purpose and dates",
            "name of the parent or guardian who consented",
            "name of the witness",
            "reason for withdrawal",
        ),
        subject_categories=("residents", "children and their parents"),
        recipients=("assigned staff", "leaders"),
        retention="consent_ended",
    )
    __table_args__ = (Index("ix_consent_person_purpose", "person_id", "purpose"),)

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(40))
    given_by: Mapped[str] = mapped_column(String(20))
    # Who consented on a child's behalf; the witness of an oral consent.
    giver_name: Mapped[str | None] = mapped_column(EncryptedText)
    method: Mapped[str] = mapped_column(String(20))
    witness: Mapped[str | None] = mapped_column(EncryptedText)
    given_on: Mapped[date]
    expires_on: Mapped[date | None]
    withdrawn_at: Mapped[datetime | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(EncryptedText)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    def is_active(self, on: date | None = None) -> bool:
        on = on or local_today()
        return self.withdrawn_at is None and self.given_on <= on and (self.expires_on is None or self.expires_on >= on)

    @property
    def status(self) -> str:
        """active, withdrawn, expired or future."""
        today = local_today()
        if self.withdrawn_at is not None:
            return "withdrawn"
        if self.expires_on is not None and self.expires_on < today:
            return "expired"
        if self.given_on > today:
            return "future"
        return "active"


def active_consent_clause(on: date | None = None):
    on = on or local_today()
    return (
        Consent.withdrawn_at.is_(None)
        & (Consent.given_on <= on)
        & or_(Consent.expires_on.is_(None), Consent.expires_on >= on)
    )


def active_consent(person_id: uuid.UUID, purpose: str, on: date | None = None) -> Consent | None:
    """The person's active consent for the purpose (the most recently given), or None."""
    purposes = consent_purposes()
    if purpose not in purposes:
        raise ValueError(f"unknown consent purpose {purpose!r}; one of {', '.join(purposes)}")
    return db.session.scalar(
        select(Consent)
        .where(Consent.person_id == person_id, Consent.purpose == purpose, active_consent_clause(on))
        .order_by(Consent.given_on.desc(), Consent.created_at.desc())
        .limit(1)
    )


def has_active_consent(person_id: uuid.UUID, purpose: str, on: date | None = None) -> bool:
    """Whether processing or sharing for `purpose` may rest on the person's consent today."""
    return active_consent(person_id, purpose, on) is not None


__all__ = ["Consent", "GIVEN_BY", "METHODS", "active_consent", "active_consent_clause", "has_active_consent"]
