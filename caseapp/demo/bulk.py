"""Bulk writing for the demo seeders: rows built in Python, inserted with one Core INSERT (executemany)
per table and batch, encrypted columns sealed through `sealed_values` (the flush hook's own sealing),
the data keys of many subjects read in one query per chunk, and one audit event per seeded part.

The domains' verbs check, flush and audit one record at a time, which is right for a request and far
too slow for a register of 100,000 residents (a verb call costs several queries and a flush). The
seeders build the same rows the verbs would write, so the demo reads exactly as if staff had made it.
"""

from __future__ import annotations

import contextlib
import gc
import uuid
from collections.abc import Iterable, Iterator

from sqlalchemy import text

from caseapp import audit
from caseapp.crypto.fields import sealed_values
from caseapp.crypto.keystore import DataKey, data_keys
from caseapp.extensions import db

SEEDING_CACHE_KIB = 131072  # SQLite's page cache while seeding: the register's indexes stay in memory
BATCH = 2000  # rows of the first table per round of INSERTs
KEY_CHUNK = 500  # subjects per key look-up: well under SQLite's bound-parameter limit


class Rows:
    """Rows of several tables written together, in the order the models were given (foreign keys first)."""

    def __init__(self, *models):
        self.tables: dict = {model: [] for model in models}
        self.written: dict = dict.fromkeys(models, 0)

    def __len__(self) -> int:
        return len(next(iter(self.tables.values())))

    def add(self, model, row: dict) -> dict:
        self.tables[model].append(row)
        return row

    def sealed(self, model, key: DataKey, row: dict) -> dict:
        """`row` with its encrypted columns sealed under `key`, bound to the row's own id."""
        return self.add(model, sealed_values(model, row["id"], key, row))

    def write_if_full(self) -> None:
        if len(self) >= BATCH:
            self.write()

    def write(self) -> None:
        """Insert every pending row (in the caller's transaction: the seeder commits)."""
        for model, rows in self.tables.items():
            if rows:
                db.session.execute(model.__table__.insert(), rows)
                self.written[model] += len(rows)
                rows.clear()

    def count(self, model) -> int:
        return self.written[model] + len(self.tables[model])


def keys_of(subject_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, DataKey]:
    """The unwrapped data keys of many subjects (every resident has one), a query per chunk."""
    ids = list(dict.fromkeys(subject_ids))
    found: dict[uuid.UUID, DataKey] = {}
    for start in range(0, len(ids), KEY_CHUNK):
        found.update(data_keys(db.session, ids[start : start + KEY_CHUNK]))
    return found


def record_seeding(object_type: str, **detail) -> None:
    """The seeding of one part audited as one event (counts only, no personal data), as the register's is."""
    audit.record("demo.seed", object_type=object_type, detail=detail)


@contextlib.contextmanager
def seeding() -> Iterator[None]:
    """Around a whole seeding: the objects that exist already (the app, the models, SQLAlchemy's caches)
    frozen out of the garbage collector, which otherwise walks them again and again while the seeders
    allocate millions of short-lived rows (a third of the register seeder's time); on SQLite a larger
    page cache for this connection, so the growing indexes of random uuid keys are not re-read per batch."""
    sqlite = db.engine.dialect.name == "sqlite"
    if sqlite:
        before = db.session.execute(text("PRAGMA cache_size")).scalar()
        db.session.execute(text(f"PRAGMA cache_size=-{SEEDING_CACHE_KIB}"))
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        if sqlite:
            db.session.commit()
            db.session.execute(text(f"PRAGMA cache_size={int(before)}"))
