"""Retention: delete for real what has passed its configured period (`caseapp retention purge`).

Each domain lists its due records (`PersonalDataSource.expired`) and deletes one at a time
(`PersonalDataSource.purge`). The run is idempotent: what was deleted is no longer listed, so a
second run the same day finds nothing, and it is safe to run daily from cron. Each deletion and
the run itself are audited; a dry run lists without deleting (and is audited as such).
"""

from __future__ import annotations

from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date

from caseapp import audit
from caseapp.clock import local_today
from caseapp.domain import privacy_sources
from caseapp.domains.dataprotection.erasures import retire_old_keys
from caseapp.extensions import db
from caseapp.privacy import ExpiredRecord, PersonalDataSource


@dataclass(frozen=True)
class Due:
    domain: str
    record: ExpiredRecord


def due(today: date | None = None) -> list[Due]:
    """Every record in every domain whose retention period has run out by `today`."""
    today = today or local_today()
    return [Due(source.domain, record) for source in privacy_sources() for record in source.expired(today)]


def purge(today: date | None = None, *, dry_run: bool = False) -> list[Due]:
    """Delete what is due (or, with dry_run, only list it). Commits after each domain's deletions,
    so a failure part-way leaves finished domains purged and the rest for the next run."""
    today = today or local_today()
    items = due(today)
    counts = Counter(f"{item.domain}.{item.record.object_type}" for item in items)
    if dry_run:
        audit.record("retention.dry_run", detail={"due": dict(counts), "today": today.isoformat()})
        db.session.commit()
        return items
    sources: dict[str, PersonalDataSource] = {s.domain: s for s in privacy_sources()}
    watchers = [s.around_purge for s in sources.values() if s.around_purge is not None]
    for item in items:
        record = item.record
        with ExitStack() as around:
            for watch in watchers:
                around.enter_context(watch(record))
            sources[item.domain].purge(record)
            db.session.flush()
        audit.record(
            "retention.delete",
            object_type=record.object_type,
            object_id=record.object_id,
            subject_id=record.subject_id,
            purpose=record.retention,
        )
        db.session.commit()
    audit.record("retention.purge", detail={"deleted": dict(counts), "today": today.isoformat()})
    db.session.commit()
    retire_old_keys()  # finishes any erasure whose key retirement failed earlier
    return items
