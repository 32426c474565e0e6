"""Shared column helpers: UTC timestamps, uuid keys and optimistic-locking versions."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from caseapp.crypto.fields import EncryptedText
from caseapp.errors import Conflict


def parse_uuid(value) -> uuid.UUID | None:
    """A uuid from a uuid or its text; None for anything else (the caller answers 404)."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class UUIDPrimaryKey:
    """Client-side uuid keys: known before insert, so encrypted fields can bind to their row."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class Versioned:
    """Optimistic locking: SQLAlchemy adds `WHERE version = :old` to every UPDATE and bumps it."""

    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}

    def check_version(self, version) -> None:
        """Refuse (StaleVersion, a 409) unless the caller read the version the record has now."""
        if version is None or int(version) != self.version:
            raise StaleVersion()


class NoteAmendment:
    """A correction of a saved note (a session's, a meeting's): appended, never replacing the original;
    its text and reason encrypted under the person the note is about, who and when kept."""

    __encryption_subject__ = "subject_id"

    subject_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    text: Mapped[str | None] = mapped_column(EncryptedText)
    reason: Mapped[str | None] = mapped_column(EncryptedText)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StaleVersion(Conflict):
    """The record changed since the user loaded it; nothing was written."""


def codes(text: str | None) -> list[str]:
    """A space-separated code column (a programme's languages, a case's focus areas) as a list."""
    return [c for c in (text or "").split() if c]


def stored_codes(values, allowed) -> str:
    """Codes as a code column stores them: space-separated, in their defined order."""
    return " ".join(code for code in allowed if code in values)
