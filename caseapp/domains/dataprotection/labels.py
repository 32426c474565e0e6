"""Display names for the data-protection pages and the subject-access document (Danish by default).

The export document renders every domain's records generically, in the words each domain gives in
its PersonalDataSource's DisplayNames. A name nobody gives is shown humanised ("due_on" -> "Due on").
"""

import re
from datetime import date, datetime

from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l

from caseapp.domain import DECLARED_PURPOSES, privacy_sources
from caseapp.domains.dataprotection.logreview import PATTERNS
from caseapp.privacy import DisplayNames
from caseapp.privacy.consent import GIVEN_BY, METHODS

GROUNDS = {
    "request": _l("The person asked for erasure (art. 17(1)(a)-(c))"),
    "consent_withdrawn": _l("Consent withdrawn and no other legal basis (art. 17(1)(b))"),
    "unlawful": _l("The data were processed unlawfully (art. 17(1)(d))"),
    "legal_obligation": _l("A legal obligation requires erasure (art. 17(1)(e))"),
    "registered_in_error": _l("The person was registered in error"),
    "retention": _l("The retention period has run out"),
}
OUTCOMES = {"justified": _l("Justified"), "follow_up": _l("Needs follow-up")}

# Parts of the system that hold personal data without taking part in export (records of processing).
OTHER_PARTS = {"users": _l("Staff accounts"), "audit": _l("Access log"), "keystore": _l("Encryption keys")}
GENERIC_FIELDS = {"id": _l("Reference"), "kind": _l("Kind"), "record": _l("Record")}
AUDIT_PURPOSES = {
    "dataprotection": _l("Data protection"),
    "gdpr_art15": _l("Your access request"),
    "gdpr_art17": _l("Erasure"),
    "break_glass": _l("Emergency access"),
    "consent_withdrawn": _l("Consent withdrawn"),
}

CONSENT_STATUS = {
    "active": _l("In force"),
    "withdrawn": _l("Withdrawn"),
    "expired": _l("Expired"),
    "future": _l("Not yet in force"),
}

LABELS = {
    "purposes": DECLARED_PURPOSES,
    "given_by": GIVEN_BY,
    "methods": METHODS,
    "grounds": GROUNDS,
    "outcomes": OUTCOMES,
    "patterns": PATTERNS,
    "consent_status": CONSENT_STATUS,
}


def _names(domain: str | None) -> DisplayNames | None:
    return next((s.names for s in privacy_sources() if s.domain == domain), None)


def domain_title(domain: str):
    names = _names(domain)
    return names.title if names else OTHER_PARTS.get(domain, domain)


def field_label(key: str, domain: str | None = None):
    names = _names(domain)
    return (names and names.fields.get(key)) or GENERIC_FIELDS.get(key) or key.replace("_", " ").capitalize()


def kind_label(kind: str | None, domain: str | None = None):
    names = _names(domain)
    return (names and names.kinds.get(kind)) or field_label(kind or "record", domain)


def object_label(object_type: str):
    """An audit object type in words, as the domain that writes it names it."""
    for source in privacy_sources():
        if object_type in source.names.objects:
            return source.names.objects[object_type]
    return field_label(object_type)


def purpose_label(purpose: str | None):
    if not purpose:
        return "–"
    named = domain_title(purpose) if _names(purpose) else purpose
    return AUDIT_PURPOSES.get(purpose) or DECLARED_PURPOSES.get(purpose) or named


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?$")


def readable(value, key: str | None = None, domain: str | None = None):
    """A value from an export as people read it: codes named (in the domain's words), dates and times
    formatted, yes/no, a dash for nothing."""
    names = _names(domain)
    codes = names.codes.get(key, {}) if names and key else {}
    if isinstance(value, str) and value in codes:
        return codes[value]
    if value is None or value == "" or value == []:
        return "–"
    if value is True:
        return _l("Yes")
    if value is False:
        return _l("No")
    if isinstance(value, str) and _DATE.match(value):
        return format_date(date.fromisoformat(value))
    if isinstance(value, str) and _DATETIME.match(value):
        return format_datetime(datetime.fromisoformat(value.rstrip("Z")), "short")
    if isinstance(value, list | tuple):
        return ", ".join(str(readable(v, key, domain)) for v in value)
    return value
