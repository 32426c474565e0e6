"""The audit table is append-only: the database refuses UPDATE and DELETE on it (triggers set by
the migrations), except along one controlled path, the retention purge of old events.

PostgreSQL: the trigger lets a DELETE (or TRUNCATE) through only in a transaction that has set
`caseapp.audit_purge` to `on` with SET LOCAL, which ends with the transaction. SQLite has no
session settings: the purge drops the triggers and re-creates them from their own stored SQL
inside its transaction, so a failure rolls both back together.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import delete, text
from sqlalchemy.orm import Session

from caseapp.models.audit import AuditEvent

PURGE_SETTING = "caseapp.audit_purge"


@contextmanager
def lifted(session: Session) -> Iterator[None]:
    """Within the session's current transaction, let rows of audit_event be deleted."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text(f"SET LOCAL {PURGE_SETTING} = 'on'"))
        try:
            yield
        finally:
            session.execute(text(f"SET LOCAL {PURGE_SETTING} = 'off'"))
        return
    if dialect != "sqlite":
        raise RuntimeError(f"no append-only guard for {dialect}")
    # pysqlite opens a transaction only before DML, not DDL: a DELETE that matches nothing opens it,
    # so the DROP below is part of this transaction and a rollback restores the triggers.
    session.execute(text("DELETE FROM audit_event WHERE 0"))
    triggers = session.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'")
    ).all()
    for name, _sql in triggers:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for _name, sql in triggers:
        session.execute(text(sql))


def delete_through(session: Session, through_seq: int) -> int:
    """Delete the events up to `through_seq` (the retention purge's one way in). Returns how many."""
    with lifted(session):
        return session.execute(delete(AuditEvent).where(AuditEvent.seq <= through_seq)).rowcount
