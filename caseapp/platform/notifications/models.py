"""A notification to one staff member; a short-lived saved search (the ids it found, never its terms)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.extensions import db
from caseapp.models.base import utcnow


class Notification(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60))  # e.g. "concern.status", "emergency.review"
    text: Mapped[str] = mapped_column(String(300))  # Danish
    text_en: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (Index("ix_notification_user_read", "user_id", "read_at"),)


class SavedSearch(db.Model):
    """A search's results kept for a short time under an opaque id, so Back returns to them."""

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # "cpr" or "name"
    person_ids: Mapped[str] = mapped_column(Text)  # JSON list of person uuids
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
