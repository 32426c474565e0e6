"""The encrypted column type and the session hooks that seal and open it.

Models declare `EncryptedText` columns and name their data subject in `__encryption_subject__`
("id" for a Person, "person_id" for a record about one). Nothing else encrypts by hand:
before each flush, every changed value is sealed with the subject's DEK and bound to its table,
column and row; when a row is loaded, its values are opened again. A value that reaches the
database unsealed is refused, so plaintext cannot slip through a code path that forgot.
"""

from __future__ import annotations

import logging
import secrets
import uuid

from flask import has_request_context
from markupsafe import Markup
from sqlalchemy import LargeBinary, event, inspect
from sqlalchemy.orm import Session, attributes
from sqlalchemy.types import TypeDecorator

from caseapp.crypto.envelope import DecryptionError
from caseapp.crypto.keystore import data_key, data_keys, transaction_ended


class UnsealedValueError(RuntimeError):
    """An encrypted column was about to be written in plaintext."""


class SealedText(str):
    """A plaintext string that carries its ciphertext: what the column writes."""

    __slots__ = ("ciphertext",)

    def __new__(cls, text: str, ciphertext: bytes):
        obj = super().__new__(cls, text)
        obj.ciphertext = ciphertext
        return obj


class StoredCiphertext(bytes):
    """A value read from an encrypted column, before the load hook opens it."""


log = logging.getLogger("caseapp.crypto")

_UNREADABLE = "caseapp.unreadable"  # session.info: failures not yet written to the audit log


class UnreadableValue(str):
    """What an encrypted field reads as when its ciphertext fails authentication (tampered, copied
    from another row, or its key is gone): a marker with a reference for the operator, never data.

    One such row must not take a list down with it, so loading does not raise: the row shows as
    unreadable, the failure is logged and audited as a security event, and the detail views refuse
    the record (`require_readable`). The marker cannot be written back: the column refuses it.
    """

    __slots__ = ("reference",)

    def __new__(cls, reference: str):
        if has_request_context():
            from flask_babel import gettext

            text = gettext("Unreadable (integrity error, reference %(reference)s)", reference=reference)
        else:
            text = f"Unreadable (integrity error, reference {reference})"
        obj = super().__new__(cls, text)
        obj.reference = reference
        return obj

    def __html__(self) -> Markup:
        return Markup('<span class="unreadable">{}</span>').format(str(self))


class UnreadableRecord(Exception):
    """A record asked for by itself failed to decrypt; the error pages answer with its reference."""

    def __init__(self, reference: str):
        super().__init__(f"record failed its integrity check (reference {reference})")
        self.reference = reference


def unreadable_reference(obj) -> str | None:
    """The operator's reference if any encrypted field of `obj` failed to decrypt, else None."""
    return getattr(obj, "_unreadable_reference", None)


def require_readable(obj):
    """`obj` itself, unless it failed to decrypt: a detail view shows no half of a broken record."""
    reference = unreadable_reference(obj)
    if reference is not None:
        raise UnreadableRecord(reference)
    return obj


def record_unreadable(session: Session) -> int:
    """Write the failures seen in this session to the audit log (the caller commits); how many."""
    pending = session.info.pop(_UNREADABLE, [])
    if pending:
        from caseapp import audit

        for failure in pending:
            audit.record("security.decrypt_failed", **failure)
    return len(pending)


class EncryptedText(TypeDecorator):
    """Text encrypted with AES-256-GCM under the data subject's key (see module docstring)."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, SealedText):
            return value.ciphertext
        if isinstance(value, StoredCiphertext):
            return bytes(value)
        raise UnsealedValueError("an encrypted column was written without passing through the ORM session")

    def process_result_value(self, value, dialect):
        return None if value is None else StoredCiphertext(value)


def encrypted_columns(cls) -> list[str]:
    cached = cls.__dict__.get("_encrypted_columns_cache")
    if cached is None:
        cached = [c.key for c in inspect(cls).column_attrs if isinstance(c.columns[0].type, EncryptedText)]
        cls._encrypted_columns_cache = cached
    return cached


def _aad(obj, column: str) -> str:
    return place(obj.__tablename__, column, obj.id)


def place(table: str, column: str, row_id) -> str:
    """The associated data that binds a value to its table, column and row."""
    return f"{table}|{column}|{row_id}"


def sealed_values(model, row_id, key, values: dict) -> dict:
    """`values` for a bulk (Core) insert into `model`, every encrypted column sealed as the flush hook
    would seal it (bound to its table, column and row), the rest as they are."""
    encrypted = set(encrypted_columns(model))
    table = model.__tablename__
    return {
        name: SealedText(value, key.encrypt(value, place(table, name, row_id)))
        if name in encrypted and value is not None
        else value
        for name, value in values.items()
    }


def _subject_id(obj) -> uuid.UUID:
    subject = getattr(obj, obj.__encryption_subject__)
    if subject is None:
        raise UnsealedValueError(f"{type(obj).__name__} has no data subject set; cannot encrypt")
    return subject


def seal_pending(session: Session, flush_context=None, instances=None) -> None:
    """before_flush: give new rows their id and seal every changed encrypted value."""
    new = set(session.new)
    pending = [o for o in (*new, *session.dirty) if hasattr(type(o), "__encryption_subject__")]
    # Subjects first, so a Person and a record about them can be created in one flush.
    pending.sort(key=lambda o: o.__encryption_subject__ != "id")
    for obj in pending:
        if obj.id is None:
            obj.id = uuid.uuid4()
        key = None
        for column in encrypted_columns(type(obj)):
            value = getattr(obj, column)
            if value is None or isinstance(value, SealedText | StoredCiphertext):
                continue
            if not attributes.get_history(obj, column).added:
                continue
            if key is None:
                own = obj.__encryption_subject__ == "id"
                key = data_key(session, _subject_id(obj), create=own, known_new=own and obj in new)
            setattr(obj, column, SealedText(value, key.encrypt(value, _aad(obj, column))))


# session.info: while a query runs, the loaded rows whose values wait to be opened (one list per query).
_LOADING = "caseapp.crypto.loading"


def open_loaded(target, context, attrs=None) -> None:
    """load/refresh: replace stored ciphertext with plaintext, bound to this row and column.

    While a query runs (`open_query_results`), the row waits, so all the rows of one query are opened
    with one key look-up for all their subjects; otherwise it is opened now.
    """
    state = inspect(target)
    batches = state.session.info.get(_LOADING) if state.session is not None else None
    if batches:
        batches[-1].append((target, attrs))
    else:
        _open(state.session, [(target, attrs)])


def _open(session, loaded: list) -> None:
    waiting = []
    for target, attrs in loaded:
        state = inspect(target)
        columns = [
            c
            for c in encrypted_columns(type(target))
            if (attrs is None or c in attrs) and isinstance(state.dict.get(c), StoredCiphertext)
        ]
        if columns:
            waiting.append((target, state, columns))
    if not waiting:
        return
    keys = data_keys(session, {_subject_id(target) for target, _state, _columns in waiting})
    for target, state, columns in waiting:
        key = keys.get(_subject_id(target))
        for column in columns:
            # A record that fails to decrypt fails alone: its value reads as unreadable, the rest as usual.
            try:
                if key is None:
                    raise DecryptionError("no data key for this subject: the data was erased or never sealed")
                plain = key.decrypt(state.dict[column], _aad(target, column))
            except DecryptionError as exc:
                plain = _unreadable(session, target, column, exc)
            attributes.set_committed_value(target, column, plain)


def _loads_encrypted_rows(statement) -> bool:
    """Whether the query returns whole rows of a model with encrypted columns (not just some columns)."""
    descriptions = getattr(statement, "column_descriptions", None) or ()
    return any(
        d.get("entity") is not None
        and d.get("expr") is d.get("entity")
        and hasattr(d["entity"], "__encryption_subject__")
        for d in descriptions
    )


def open_query_results(orm_execute_state):
    """do_orm_execute: run an ORM query that loads encrypted rows, then open them all at once."""
    if not orm_execute_state.is_select or orm_execute_state.execution_options.get("yield_per"):
        return None
    if not _loads_encrypted_rows(orm_execute_state.statement):
        return None
    session = orm_execute_state.session
    batches = session.info.setdefault(_LOADING, [])
    batches.append([])
    try:
        frozen = orm_execute_state.invoke_statement().freeze()
    finally:
        loaded = batches.pop()
    _open(session, loaded)
    return frozen()


def _unreadable(session: Session, target, column: str, exc: DecryptionError) -> UnreadableValue:
    reference = unreadable_reference(target)
    if reference is None:
        reference = secrets.token_hex(5)
        target._unreadable_reference = reference
    # The reason names the place (table, column), never a value; the row id is not personal.
    log.error(
        "security: %s.%s of row %s does not decrypt (reference %s): %s",
        target.__tablename__,
        column,
        target.id,
        reference,
        exc,
    )
    session.info.setdefault(_UNREADABLE, []).append(
        {
            "object_type": target.__tablename__,
            "object_id": target.id,
            "subject_id": getattr(target, target.__encryption_subject__, None),
            "detail": {"column": column, "reference": reference},
        }
    )
    return UnreadableValue(reference)


def render_migration_type(type_, obj, autogen_context):
    """Alembic autogenerate: an encrypted column is plain binary in the schema."""
    if type_ == "type" and isinstance(obj, EncryptedText):
        return "sa.LargeBinary()"
    return False


def register_hooks(model_base) -> None:
    if event.contains(Session, "before_flush", seal_pending):
        return
    event.listen(Session, "before_flush", seal_pending)
    event.listen(Session, "do_orm_execute", open_query_results)
    event.listen(Session, "after_commit", transaction_ended)
    event.listen(Session, "after_rollback", transaction_ended)
    event.listen(model_base, "load", open_loaded, propagate=True)
    event.listen(model_base, "refresh", open_loaded, propagate=True)


__all__ = [
    "DecryptionError",
    "EncryptedText",
    "UnreadableRecord",
    "UnreadableValue",
    "UnsealedValueError",
    "record_unreadable",
    "register_hooks",
    "require_readable",
    "unreadable_reference",
]
