"""Erasure (GDPR art. 17) across every domain, with crypto-shredding of the person's key.

`erase_person` commits itself, the one verb that does: the key-encryption key that wrapped the person's
data key may only be retired once the erasure is durable."""

from __future__ import annotations

import json

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, text

from caseapp import audit
from caseapp.crypto.blind_index import name_words, normalise_cpr
from caseapp.crypto.keystore import forget_data_key, keyring, rewrap_stragglers, rotate_keys
from caseapp.domain import privacy_sources
from caseapp.domains.dataprotection.models import (
    ERASURE_GROUNDS,
    ErasureRecord,
)
from caseapp.errors import InvalidInput, Refused
from caseapp.extensions import db
from caseapp.forms import stripped
from caseapp.models.base import parse_uuid, utcnow
from caseapp.register.models import Person


def erasure_blockers(person_id) -> list[tuple[str, str]]:
    """(domain, reason) for every legal duty that forbids erasing the person now."""
    found = []
    for source in privacy_sources():
        reason = source.erasure_blocker(person_id)
        if reason:
            found.append((source.domain, str(reason)))
    return found


def _person_references(person_id) -> list[str]:
    """Tables that still hold a row pointing at the person (through a foreign key to person.id)."""
    left = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "person" and fk.column.name == "id" for fk in column.foreign_keys) or (
                table.name == "person" and column.name == "id"
            ):
                count = db.session.scalar(select(func.count()).select_from(table).where(column == person_id))
                if count:
                    left.append(f"{table.name}.{column.name}")
    return left


def _reason_problem(person: Person, reason: str | None) -> str | None:
    if not reason:
        return str(_l("Write why the person is erased (for example the date and channel of their request)."))
    if len(reason) > 500:
        return str(_l("At most %(n)d characters.", n=500))
    words = {w for w in name_words(reason)}
    names = {w for w in name_words(person.first_name, person.last_name) if len(w) > 1}
    cpr_digits = normalise_cpr(person.cpr or "")
    if words & names or (cpr_digits and cpr_digits in normalise_cpr(reason)) or (person.cpr and person.cpr in reason):
        return str(_l("The reason is kept after the erasure: do not write the person's name or CPR number in it."))
    return None


def _keyring_writable(ring) -> bool:
    import os

    return ring.path is None or (os.access(ring.path, os.W_OK) and os.access(ring.path.parent, os.W_OK))


def erase_person(person_id, ground: str, reason: str | None, actor) -> ErasureRecord:
    """Erase a person from every domain and crypto-shred their data key. Commits.

    1. Refused with the reasons if a domain's legal duty forbids it (nothing is written).
    2. Every domain erases its rows or reduces them to anonymous tallies; the person row, with its
       blind indexes (CPR index, name tokens), goes last; their data key (DEK) is deleted.
    3. Every other data key is re-wrapped under a new key-encryption key (KEK) in the same
       transaction, and the keyring file is saved holding both KEKs; then the transaction commits.
    4. The old KEKs are removed from the keyring file (`retire_old_keys`). From then on a database
       backup taken before the erasure is unreadable: its wrapped data keys need a KEK that no longer
       exists anywhere. Take a fresh backup after an erasure: older ones cannot be restored.
    """
    pid = parse_uuid(person_id)
    person = db.session.get(Person, pid) if pid else None
    if person is None:
        raise LookupError("no such person")
    problems = {}
    if ground not in ERASURE_GROUNDS:
        problems["ground"] = str(_l("Choose the ground for the erasure."))
    reason = stripped(reason)
    problem = _reason_problem(person, reason)
    if problem:
        problems["reason"] = problem
    if problems:
        raise InvalidInput(problems)
    blockers = erasure_blockers(pid)
    if blockers:
        audit.record(
            "person.erase_refused",
            object_type="person",
            object_id=pid,
            subject_id=pid,
            actor=actor,
            detail={"domains": [d for d, _r in blockers]},
        )
        db.session.commit()
        raise Refused(*(r for _d, r in blockers))
    ring = keyring()
    if not _keyring_writable(ring):
        raise Refused(
            _l(
                "The keyring file cannot be written, so the person's key cannot be destroyed "
                "in backups too. Ask the administrator to make CASEAPP_KEYS_FILE writable."
            )
        )

    sqlite = db.session.get_bind().dialect.name == "sqlite"
    if sqlite:
        # SQLite would otherwise leave deleted rows (blind indexes among them) readable in free pages.
        db.session.execute(text("PRAGMA secure_delete=ON"))
    sources = sorted(privacy_sources(), key=lambda s: s.domain == "people")  # the person row last
    counts: dict[str, int] = {}
    for source in sources:
        for kind, n in (source.erase(pid) or {}).items():
            counts[f"{source.domain}.{kind}"] = int(n or 0)
    db.session.flush()
    left = _person_references(pid)
    if left:
        db.session.rollback()
        raise Refused(
            _l(
                "The erasure could not complete: records remain in %(tables)s. Nothing was erased; "
                "tell the administrator.",
                tables=", ".join(left),
            )
        )
    forget_data_key(db.session, pid)
    record = ErasureRecord(
        subject_id=pid,
        ground=ground,
        reason=reason,
        erased_by_id=actor.id if actor else None,
        counts=json.dumps(counts, sort_keys=True),
    )
    db.session.add(record)
    rewrapped = rotate_keys(db.session, ring)
    db.session.flush()
    audit.record(
        "person.erase",
        object_type="person",
        object_id=pid,
        subject_id=pid,
        actor=actor,
        purpose="gdpr_art17",
        detail={"ground": ground, "counts": counts, "rewrapped": rewrapped, "kek_id": ring.active_kek_id},
    )
    if ring.path is not None:
        ring.save()  # the new KEK is on disk before any data key depends on it
    db.session.commit()
    retire_old_keys()
    if sqlite:
        # Move the zeroed pages into the database file and empty the write-ahead log, which still
        # holds earlier copies of the pages (PostgreSQL's dead rows hold only ciphertext and keyed
        # hashes, and are cleared by autovacuum).
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.commit()
    return record


def retire_old_keys() -> int:
    """Remove every KEK but the active one from the keyring, once no data key needs them, and mark
    the erasures waiting for it. Also run by `caseapp retention purge`, so a failed attempt is retried."""
    pending = db.session.scalars(select(ErasureRecord).where(ErasureRecord.keys_retired_at.is_(None))).all()
    if not pending:
        return 0
    ring = keyring()
    rewrap_stragglers(db.session, ring)
    db.session.commit()
    retired = ring.retire_all_but_active()
    if ring.path is not None:
        ring.save()
    now = utcnow()
    for record in pending:
        record.keys_retired_at = now
    audit.record(
        "keys.retire", detail={"retired": len(retired), "kek_id": ring.active_kek_id, "erasures": len(pending)}
    )
    db.session.commit()
    return len(retired)


def erasure_for(person_id) -> ErasureRecord | None:
    pid = parse_uuid(person_id)
    return db.session.scalar(select(ErasureRecord).where(ErasureRecord.subject_id == pid)) if pid else None
