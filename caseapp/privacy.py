"""How each domain takes part in data protection: what it processes and why (art. 30),
and how it exports (art. 15) and erases (art. 17) one person's records.

Models that hold personal data declare `__processing__ = ProcessingRecord(...)`; each domain
registers one `PersonalDataSource` in its services module. The data-protection domain reads
only these, so a new domain joins export, erasure and the records of processing by declaring them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field


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
class PersonalDataSource:
    """A domain's part in subject access and erasure."""

    domain: str
    # Every record about the person, as JSON-ready dicts (decrypted; no staff names).
    export: Callable[[uuid.UUID], list[dict]]
    # Delete the person's rows, or reduce them to anonymous statistics; returns counts by kind.
    erase: Callable[[uuid.UUID], dict[str, int]]
    # A reason erasure is not allowed now (a legal duty), or None.
    erasure_blocker: Callable[[uuid.UUID], str | None] = field(default=lambda person_id: None)


SOURCES: list[PersonalDataSource] = []


def register_source(source: PersonalDataSource) -> PersonalDataSource:
    if all(s.domain != source.domain for s in SOURCES):
        SOURCES.append(source)
    return source
