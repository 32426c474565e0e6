"""The audit hash chain: chain[n] = HMAC(audit_key, chain[n-1] || canonical(event n)).

The audit key lives in the keyring file, so someone who can write the table cannot recompute
the chain after changing, removing or reordering a row.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask import current_app, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import event as orm_events
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.models.base import utcnow

GENESIS = "0" * 64
# One lock id for the whole chain on PostgreSQL; SQLite serialises writers by itself.
_PG_CHAIN_LOCK = 0x6361_7365_6170_70


def _canonical(values: dict) -> bytes:
    def norm(v):
        return v.isoformat(timespec="microseconds") if isinstance(v, datetime) else v

    return json.dumps(
        {k: norm(values[k]) for k in AuditEvent.CHAINED_FIELDS},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()


def _link(key: bytes, previous: str, values: dict) -> str:
    return hmac.new(key, previous.encode() + _canonical(values), hashlib.sha256).hexdigest()


def _actor(actor):
    """The explicit actor, else the logged-in user, else the system (CLI, cron)."""
    if actor is None and has_request_context() and getattr(current_user, "is_authenticated", False):
        actor = current_user
    return (actor.id, " ".join(sorted(actor.roles))) if actor is not None else (None, "system")


def record(
    action: str,
    *,
    object_type: str | None = None,
    object_id=None,
    subject_id=None,
    purpose: str | None = None,
    detail: dict | None = None,
    actor=None,
    outlasts_failure: bool = False,
) -> AuditEvent:
    """Add one event to the current transaction; it is chained and written when the transaction commits.

    `detail` must be non-personal: names of fields changed, counts, states, never values.
    `outlasts_failure`: the event is written even if the request fails and its work is rolled back
    (the token use that made the request is on record whatever it answered).
    Events are chained at commit rather than here so that the chain's lock (SQLite's write lock, the
    advisory lock on PostgreSQL) is held only while the transaction commits, never while a page renders.
    """
    actor_id, roles = _actor(actor)
    event = AuditEvent(
        at=utcnow(),
        actor_id=actor_id,
        actor_roles=roles,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        subject_id=None if subject_id is None else str(subject_id),
        purpose=purpose,
        detail=json.dumps(detail or {}, sort_keys=True, ensure_ascii=False),
        ip=request.remote_addr if has_request_context() else None,
        request_id=g.get("request_id") if has_request_context() else None,
    )
    event.outlasts_failure = outlasts_failure
    session = db.session()
    if session.get_transaction() is None:
        session.begin()  # so that a rollback before any SQL still drops the event (the rollback hook runs)
    session.info.setdefault(_PENDING, []).append(event)
    return event


# Events recorded in the session's transaction: not yet written, and written but not yet committed.
_PENDING = "caseapp.audit.pending"
_WRITTEN = "caseapp.audit.written"


def write_pending(session: Session | None = None) -> None:
    """Chain and insert the events recorded in the transaction so far: the lock taken once, the
    chain's end read once, one INSERT for all of them. Runs by itself before every commit and
    before any read of the log in the same transaction (so a transaction reads its own events)."""
    session = session or db.session
    events = session.info.get(_PENDING)
    if not events:
        return
    connection = session.connection()
    dialect = connection.dialect.name
    lock, end, insert = _chain_statements()
    if dialect == "postgresql":
        connection.execute(lock["postgresql"], {"k": _PG_CHAIN_LOCK})
    elif dialect == "sqlite":
        connection.execute(lock["sqlite"])
    last = connection.execute(end).first()
    seq, previous = (last.seq, last.chain) if last else (0, GENESIS)
    key = _audit_key()
    rows = []
    for event in events:
        seq += 1
        event.seq = seq
        values = {f: getattr(event, f) for f in AuditEvent.CHAINED_FIELDS}
        event.chain = previous = _link(key, previous, values)
        rows.append({**values, "chain": event.chain})
    connection.execute(insert, rows)
    session.info[_PENDING] = []
    session.info.setdefault(_WRITTEN, []).extend(events)


@cache
def _chain_statements():
    """The chain's lock (per dialect), its end and the INSERT, built once: every audited request runs them."""
    lock = {
        "postgresql": text("SELECT pg_advisory_xact_lock(:k)"),
        # Take SQLite's write lock before reading the chain's end, so two processes cannot both append seq+1.
        # (A primary-key probe that matches nothing: it locks without scanning the table.)
        "sqlite": text("UPDATE audit_event SET seq = seq WHERE seq = 0"),
    }
    end = select(AuditEvent.seq, AuditEvent.chain).order_by(AuditEvent.seq.desc()).limit(1)
    return lock, end, AuditEvent.__table__.insert()


def _before_log_read(orm_execute_state) -> None:
    """do_orm_execute: a statement on the log (its first entity) sees the transaction's own events."""
    if orm_execute_state.session.info.get(_PENDING) and orm_execute_state.bind_mapper is AuditEvent.__mapper__:
        write_pending(orm_execute_state.session)


def _before_commit(session: Session) -> None:
    write_pending(session)


def _after_commit(session: Session) -> None:
    session.info.pop(_WRITTEN, None)


def _after_rollback(session: Session) -> None:
    """What a rolled-back transaction recorded is gone with it, except the events that outlast a
    failure: they stay pending, for the next commit (see `caseapp.http.end_transaction`)."""
    recorded = session.info.pop(_WRITTEN, []) + session.info.get(_PENDING, [])
    session.info[_PENDING] = [e for e in recorded if e.outlasts_failure]


def has_pending(session: Session | None = None) -> bool:
    """True when recorded events wait for a commit (after a rollback: those that outlast a failure)."""
    return bool((session or db.session).info.get(_PENDING))


def register_hooks() -> None:
    if orm_events.contains(Session, "before_commit", _before_commit):
        return
    orm_events.listen(Session, "before_commit", _before_commit)
    orm_events.listen(Session, "after_commit", _after_commit)
    orm_events.listen(Session, "after_rollback", _after_rollback)
    orm_events.listen(Session, "do_orm_execute", _before_log_read)


def _audit_key() -> bytes:
    return current_app.extensions["caseapp.keyring"].audit_key


@dataclass
class ChainBreak:
    seq: int
    reason: str


def verify_chain(batch: int = 5000) -> tuple[int, ChainBreak | None]:
    """Recompute the chain; returns (events checked, first break or None)."""
    key = _audit_key()
    previous, expected_seq, checked = GENESIS, 1, 0
    last_seq = 0
    first = db.session.scalar(select(func.min(AuditEvent.seq)))
    if first is not None and first > 1:
        # Events before `first` were deleted by retention; the purge event anchors the rest.
        anchor = purge_anchor(first - 1)
        if anchor is None:
            return 0, ChainBreak(1, f"events 1 to {first - 1} are missing and no retention purge accounts for them")
        previous, expected_seq, last_seq = anchor, first, first - 1
    while True:
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.seq > last_seq).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            break
        for row in rows:
            if row.seq != expected_seq:
                return checked, ChainBreak(expected_seq, f"event {expected_seq} is missing (next is {row.seq})")
            values = {f: getattr(row, f) for f in AuditEvent.CHAINED_FIELDS}
            if not hmac.compare_digest(_link(key, previous, values), row.chain):
                return checked, ChainBreak(row.seq, f"event {row.seq} was changed or its chain value does not follow")
            previous, expected_seq, checked, last_seq = row.chain, expected_seq + 1, checked + 1, row.seq
        db.session.expunge_all()
    return checked, None


PURGE_ACTION = "audit.purge"


def purge_anchor(through_seq: int) -> str | None:
    """The chain value of the last event a retention purge deleted, as that (chained) purge event recorded it."""
    for detail in db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == PURGE_ACTION).order_by(AuditEvent.seq.desc())
    ):
        values = json.loads(detail)
        if values.get("through_seq") == through_seq:
            return values.get("anchor")
    return None


def new_request_id() -> str:
    return str(uuid.uuid4())


def count_events() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0
