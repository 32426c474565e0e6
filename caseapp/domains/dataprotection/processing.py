"""Records of processing (GDPR art. 30), generated from the models' `__processing__` declarations and
the configured retention periods, so the document cannot drift from the code."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from caseapp.crypto.fields import encrypted_columns
from caseapp.domain import domains
from caseapp.extensions import db
from caseapp.privacy import ProcessingRecord

# Measures that protect every record (art. 32), as built into the platform.
GENERAL_MEASURES = (
    _l(
        "Personal text fields encrypted with AES-256-GCM under a data key per person (envelope encryption); "
        "key-encryption keys kept in a keyring file outside the database"
    ),
    _l(
        "Erasure destroys the person's data key and retires the key-encryption key that wrapped it, so copies "
        "and backups taken before the erasure become unreadable (crypto-shredding)"
    ),
    _l("Exact-match search through keyed blind indexes (HMAC-SHA256) without decrypting"),
    _l("Role permissions plus a scoping query per model: staff see only the people they are assigned to"),
    _l("Two-factor authentication for administrators, leaders, SSP staff and police liaisons"),
    _l(
        "Every view, list, search, change, share, export and erasure written to a hash-chained audit log, "
        "with a monthly log review by leaders"
    ),
    _l("Sessions time out after 30 minutes idle and 12 hours in all; HTTPS with HSTS in production"),
    _l("Emergency (break-the-glass) access is time-limited, shown in red and reviewed by a leader"),
)


def personal_models() -> list[type]:
    """Every mapped model that holds personal data: an encrypted column, or a link to a person."""
    found = []
    for mapper in db.Model.registry.mappers:
        cls = mapper.class_
        columns = {c.key for c in mapper.column_attrs}
        if encrypted_columns(cls) or "person_id" in columns or getattr(cls, "__processing__", None):
            found.append(cls)
    return sorted(found, key=lambda c: (c.__module__, c.__tablename__))


def _part_of(module: str) -> str:
    """The name of the part of the app (a domain, the register) whose package holds the module."""
    for part in domains():
        if module == part.package or module.startswith(part.package + "."):
            return part.name
    return "platform"


def processing_records() -> list[dict]:
    """One entry per model with personal data, in the order of the domains' modules."""
    periods = current_app.config.get("RETENTION", {})
    entries = []
    for cls in personal_models():
        record: ProcessingRecord | None = getattr(cls, "__processing__", None)
        encrypted = encrypted_columns(cls)
        entries.append(
            {
                "domain": _part_of(cls.__module__),
                "table": cls.__tablename__,
                "declared": record is not None,
                "purpose": record.purpose if record else None,
                "legal_basis": record.legal_basis if record else None,
                "data_categories": list(record.data_categories) if record else [],
                "subject_categories": list(record.subject_categories) if record else [],
                "recipients": list(record.recipients) if record else [],
                "retention": record.retention if record else None,
                "retention_days": periods.get(record.retention) if record and record.retention else None,
                "encrypted_fields": encrypted,
                "measures": (
                    [_("Fields encrypted under the person's own key: %(fields)s", fields=", ".join(encrypted))]
                    if encrypted
                    else []
                ),
            }
        )
    return entries


def processing_document() -> dict:
    return {
        "format": "caseapp-records-of-processing/1",
        "controller": _("The secretariat of the social-housing master plan (boligsocial helhedsplan)"),
        "general_security_measures": [str(m) for m in GENERAL_MEASURES],
        "retention_periods_days": dict(sorted(current_app.config.get("RETENTION", {}).items())),
        "records": processing_records(),
    }
