"""Wrapped data keys, one per data subject. Deleting a subject's row crypto-shreds their data.

Unwrapped keys are kept in two places, both in memory only and never written anywhere:
- the session (one request's transaction), so a subject's key is looked up once per request;
- a small per-process cache (`DataKeyCache`), bounded in number and age, so a page read again
  does not unwrap again. Every erasure and every rotation adds a row to `key_generation`; a
  transaction that is about to use a key from the process cache first reads the newest row, and
  when it changed since the cache last looked, the whole cache is dropped. So a key erased or
  rotated by any process is never used from a cache by a transaction that begins after that
  erasure or rotation committed; in the process that made it, the cache is dropped at once.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache

from flask import current_app
from sqlalchemy import LargeBinary, Select, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from caseapp.crypto.envelope import DataKey, DecryptionError, rewrap_dek, unwrap_dek, wrap_dek
from caseapp.crypto.keyring import Keyring
from caseapp.extensions import db

_SESSION_KEYS = "caseapp.data_keys"  # session.info: subject id -> DataKey, for the transaction
_GENERATION_CHECKED = "caseapp.key_generation_checked"  # session.info: the process cache is current


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class SubjectKey(db.Model):
    """The DEK of one data subject (a person), wrapped by a KEK from the keyring."""

    __tablename__ = "subject_key"

    subject_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kek_id: Mapped[str] = mapped_column(String(40), index=True)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=_now)


class KeyGeneration(db.Model):
    """One row per change after which no process may use a data key it cached before: an erasure
    (a key deleted) or a rotation (every key re-wrapped). The newest row's stamp is the generation."""

    __tablename__ = "key_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random, so a generation never repeats (a restored backup or a reset sequence cannot bring an old one back).
    stamp: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=_now)


class DataKeyCache:
    """Unwrapped data keys of this process: at most `size` of them, none older than `seconds`."""

    def __init__(self, size: int, seconds: float):
        self.size, self.seconds = size, seconds
        self.generation: str | None = None  # the key_generation stamp the entries belong to
        self._keys: OrderedDict[uuid.UUID, tuple[float, DataKey]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._keys)

    def get(self, subject_id: uuid.UUID) -> DataKey | None:
        with self._lock:
            entry = self._keys.get(subject_id)
            if entry is None:
                return None
            if time.monotonic() - entry[0] > self.seconds:
                del self._keys[subject_id]
                return None
            self._keys.move_to_end(subject_id)
            return entry[1]

    def put(self, subject_id: uuid.UUID, key: DataKey) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._keys[subject_id] = (time.monotonic(), key)
            self._keys.move_to_end(subject_id)
            while len(self._keys) > self.size:
                self._keys.popitem(last=False)

    def drop(self, subject_id: uuid.UUID) -> None:
        with self._lock:
            self._keys.pop(subject_id, None)

    def clear(self, generation: str | None = None) -> None:
        with self._lock:
            self._keys.clear()
            self.generation = generation


def keyring() -> Keyring:
    ring = current_app.extensions["caseapp.keyring"]
    ring.refresh()  # another process may have rotated or retired a key since we loaded it
    return ring


def process_cache() -> DataKeyCache:
    """This app's cache of unwrapped keys (made on first use from DATA_KEY_CACHE_SIZE and _SECONDS)."""
    cache = current_app.extensions.get("caseapp.data_key_cache")
    if cache is None:
        config = current_app.config
        cache = DataKeyCache(config.get("DATA_KEY_CACHE_SIZE", 4096), config.get("DATA_KEY_CACHE_SECONDS", 300))
        current_app.extensions["caseapp.data_key_cache"] = cache
    return cache


@cache
def _newest_generation() -> Select:
    # Built once: this read runs in nearly every request that decrypts.
    return select(KeyGeneration.stamp).order_by(KeyGeneration.id.desc()).limit(1)


def _current_generation(session: Session) -> str | None:
    return session.connection().execute(_newest_generation()).scalar()


def _checked_cache(session: Session) -> DataKeyCache:
    """The process cache, dropped first if a key was erased or rotated since it last looked
    (checked once per transaction, and only by a transaction that would use a cached key)."""
    cache = process_cache()
    if not session.info.get(_GENERATION_CHECKED):
        generation = _current_generation(session)
        if generation != cache.generation:
            cache.clear(generation)
        session.info[_GENERATION_CHECKED] = True
    return cache


def transaction_ended(session: Session) -> None:
    """after_commit / after_rollback: the next transaction checks the generation again."""
    session.info.pop(_GENERATION_CHECKED, None)


def data_keys(session: Session, subject_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, DataKey]:
    """The unwrapped DEKs of the subjects that have one: from the transaction, the process cache,
    or else one query for all the rest."""
    known = session.info.setdefault(_SESSION_KEYS, {})
    wanted = set(subject_ids)
    found = {s: known[s] for s in wanted if s in known}
    missing = wanted - found.keys()
    if not missing:
        return found
    cache = process_cache()
    if cache.size > 0 and any(cache.get(s) is not None for s in missing):
        cache = _checked_cache(session)
        for subject_id in list(missing):
            key = cache.get(subject_id)
            if key is not None:
                found[subject_id] = known[subject_id] = key
                missing.discard(subject_id)
    if missing:
        ring = keyring()
        rows = session.connection().execute(
            select(SubjectKey.subject_id, SubjectKey.wrapped).where(SubjectKey.subject_id.in_(missing))
        )
        for subject_id, wrapped in rows:
            key = unwrap_dek(ring, wrapped, str(subject_id))
            found[subject_id] = known[subject_id] = key
            cache.put(subject_id, key)
    return found


def data_key(session: Session, subject_id: uuid.UUID, *, create: bool = False, known_new: bool = False) -> DataKey:
    """The subject's unwrapped DEK; created (and added) if asked and missing.

    `known_new`: the subject is not in the database yet, so there is nothing to look up.
    """
    key = None if known_new else data_keys(session, (subject_id,)).get(subject_id)
    if key is not None:
        return key
    if not create:
        raise DecryptionError("no data key for this subject: the data was erased or never sealed")
    key, row = new_subject_key(subject_id)
    session.add(SubjectKey(**row))
    session.info.setdefault(_SESSION_KEYS, {})[subject_id] = key
    return key


def new_subject_key(subject_id: uuid.UUID, ring: Keyring | None = None) -> tuple[DataKey, dict]:
    """A fresh DEK for a subject not yet in the database, and its subject_key row (for a bulk insert)."""
    key, raw = DataKey.new()
    kek_id, wrapped = wrap_dek(ring or keyring(), raw, str(subject_id))
    return key, {"subject_id": subject_id, "kek_id": kek_id, "wrapped": wrapped, "created_at": _now()}


def new_generation(session: Session, reason: str) -> None:
    """Make every process drop its cached keys (at its next transaction that would use one)."""
    session.add(KeyGeneration(stamp=secrets.token_hex(16), reason=reason))
    process_cache().clear()


def forget_data_key(session: Session, subject_id: uuid.UUID) -> None:
    """Delete the subject's DEK: every ciphertext under it, backups included, becomes unreadable."""
    session.info.setdefault(_SESSION_KEYS, {}).pop(subject_id, None)
    process_cache().drop(subject_id)
    session.execute(db.delete(SubjectKey).where(SubjectKey.subject_id == subject_id))
    new_generation(session, "erasure")


def rotate_keys(session: Session, ring: Keyring) -> int:
    """Make a new KEK active and re-wrap every DEK under it, in the caller's transaction."""
    ring.add_kek()
    count = 0
    for row in session.scalars(select(SubjectKey)):
        row.kek_id, row.wrapped = rewrap_dek(ring, row.wrapped, str(row.subject_id))
        count += 1
    new_generation(session, "rotation")
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
