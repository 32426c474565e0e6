"""Wrapped data keys, one per data subject. Deleting a subject's row crypto-shreds their data."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import LargeBinary, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from caseapp.crypto.envelope import DataKey, DecryptionError, rewrap_dek, unwrap_dek, wrap_dek
from caseapp.crypto.keyring import Keyring
from caseapp.extensions import db

_CACHE = "caseapp.data_keys"


class SubjectKey(db.Model):
    """The DEK of one data subject (a person), wrapped by a KEK from the keyring."""

    __tablename__ = "subject_key"

    subject_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kek_id: Mapped[str] = mapped_column(String(40), index=True)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=lambda: datetime.now(UTC).replace(tzinfo=None))


def keyring() -> Keyring:
    ring = current_app.extensions["caseapp.keyring"]
    ring.refresh()  # another process may have rotated or retired a key since we loaded it
    return ring


def data_key(session: Session, subject_id: uuid.UUID, *, create: bool = False, known_new: bool = False) -> DataKey:
    """The subject's unwrapped DEK, cached for the session; created (and added) if asked and missing.

    `known_new`: the subject is not in the database yet, so there is nothing to look up.
    """
    cache = session.info.setdefault(_CACHE, {})
    key = cache.get(subject_id)
    if key is not None:
        return key
    row = None
    if not known_new:
        row = session.connection().execute(
            select(SubjectKey.wrapped).where(SubjectKey.subject_id == subject_id)
        ).first()
    if row is not None:
        key = unwrap_dek(keyring(), row[0], str(subject_id))
    elif create:
        key, raw = DataKey.new()
        kek_id, wrapped = wrap_dek(keyring(), raw, str(subject_id))
        session.add(SubjectKey(subject_id=subject_id, kek_id=kek_id, wrapped=wrapped))
    else:
        raise DecryptionError("no data key for this subject: the data was erased or never sealed")
    cache[subject_id] = key
    return key


def forget_data_key(session: Session, subject_id: uuid.UUID) -> None:
    """Delete the subject's DEK: every ciphertext under it, backups included, becomes unreadable."""
    session.info.setdefault(_CACHE, {}).pop(subject_id, None)
    session.execute(db.delete(SubjectKey).where(SubjectKey.subject_id == subject_id))


def rotate_keys(session: Session, ring: Keyring) -> int:
    """Make a new KEK active and re-wrap every DEK under it, in the caller's transaction."""
    ring.add_kek()
    count = 0
    for row in session.scalars(select(SubjectKey)):
        row.kek_id, row.wrapped = rewrap_dek(ring, row.wrapped, str(row.subject_id))
        count += 1
    return count


def rewrap_stragglers(session: Session, ring: Keyring) -> int:
    """Re-wrap under the active KEK every DEK still wrapped by an older one, in the caller's transaction.

    Run before `ring.retire_all_but_active()`: a process that had not yet seen a new active key may
    have wrapped a new subject's key under the old one meanwhile.
    """
    count = 0
    for row in session.scalars(select(SubjectKey).where(SubjectKey.kek_id != ring.active_kek_id)):
        row.kek_id, row.wrapped = rewrap_dek(ring, row.wrapped, str(row.subject_id))
        count += 1
    return count
