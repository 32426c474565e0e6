"""How each domain takes part in data protection: what it processes and why (art. 30),
and how it exports (art. 15) and erases (art. 17) one person's records.

Models that hold personal data declare `__processing__ = ProcessingRecord(...)`; each domain
declares one `PersonalDataSource` in its `Domain`. The data-protection domain reads only these, so a
new domain joins export, erasure, retention and the records of processing by declaring them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, timedelta

from caseapp.clock import local_today


@dataclass(frozen=True)
class ProcessingRecord:
    """One line of the records of processing, declared on the model it describes."""

    purpose: str
    data_categories: tuple[str, ...]
    subject_categories: tuple[str, ...]
    recipients: tuple[str, ...] = ()
    # The key in config RETENTION that bounds how long these rows are kept, if any.
    retention: str | None = None
    legal_basis: str = "GDPR art. 6(1)(e) and art. 9(2)(g)/(h); Serviceloven; Barnets Lov"


@dataclass(frozen=True)
class ExpiredRecord:
    """A record whose retention period has run out: what `caseapp retention purge` deletes."""

    retention: str  # the RETENTION key whose period ran out
    object_type: str  # e.g. "counselling_case"
    object_id: str
    subject_id: uuid.UUID | None = None


def _no_purge(record: ExpiredRecord) -> None:
    raise NotImplementedError(f"no purge for {record.object_type}: the source lists it as expired but cannot delete it")


@dataclass(frozen=True)
class DisplayNames:
    """How a domain's exported records read in the access document, in the domain's own words
    (lazy strings from its own catalogue), so the data-protection pages need not know any domain."""

    title: object  # the domain, e.g. "Parent counselling"
    kinds: Mapping[str, object] = field(default_factory=dict)  # the "kind" of each exported record
    fields: Mapping[str, object] = field(default_factory=dict)  # field names in the exported records
    codes: Mapping[str, Mapping[str, object]] = field(default_factory=dict)  # {field: {code: label}}
    objects: Mapping[str, object] = field(default_factory=dict)  # audit object types the domain writes


@dataclass(frozen=True)
class PersonalDataSource:
    """A domain's part in subject access and erasure."""

    domain: str
    names: DisplayNames
    # Every record about the person, as JSON-ready dicts (decrypted; no staff names).
    export: Callable[[uuid.UUID], list[dict]]
    # Delete the person's rows, or reduce them to anonymous statistics; returns counts by kind.
    erase: Callable[[uuid.UUID], dict[str, int]]
    # A reason erasure is not allowed now (a legal duty), or None.
    erasure_blocker: Callable[[uuid.UUID], str | None] = field(default=lambda person_id: None)
    # Retention (`caseapp retention purge`, run daily from cron): the domain's records whose period
    # has run out by `today`, found with `retention_cutoff(key, today)` (e.g. cases closed on or
    # before the cutoff). Only what is due: a record not yet due must never be listed.
    expired: Callable[[date], list[ExpiredRecord]] = field(default=lambda today: [])
    # Delete one listed record for real, with its dependent rows (or reduce it to anonymous
    # statistics where a count must survive); flush, do not commit. The caller audits.
    purge: Callable[[ExpiredRecord], None] = field(default=_no_purge)
    # Optional: (record) -> a context manager the retention run enters around every domain's purge of
    # `record`, for a part that must act on what the purge removes (reports keep the counts it made).
    around_purge: Callable[[ExpiredRecord], AbstractContextManager] | None = None


def retention_days(key: str) -> int | None:
    """The configured period (days) for a RETENTION key, or None when none is configured (keep)."""
    from flask import current_app

    return current_app.config.get("RETENTION", {}).get(key)


def retention_cutoff(key: str, today: date | None = None) -> date | None:
    """Records that ended on or before this day are due for deletion; None: no period configured."""
    days = retention_days(key)
    return None if days is None else (today or local_today()) - timedelta(days=days)
