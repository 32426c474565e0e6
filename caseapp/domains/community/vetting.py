"""Child-protection vetting (børneattest) as rules over dates: when a certificate expires, what a
volunteer's status is on a day, and when the renewal reminder is due. Pure functions: the verbs,
pages, panel, agenda and the `child_vetting` offer all read the status from here."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from flask import current_app

VALID, EXPIRED, REFUSED, ENTRIES, PENDING, MISSING = "valid", "expired", "refused", "entries", "pending", "missing"
STATUSES = (VALID, PENDING, ENTRIES, EXPIRED, REFUSED, MISSING)
DEFAULT_MONTHS = 24  # renewal after two years unless COMMUNITY_VETTING_MONTHS says otherwise
DEFAULT_NOTICE_DAYS = 60


def interval_months() -> int:
    return int(current_app.config.get("COMMUNITY_VETTING_MONTHS", DEFAULT_MONTHS))


def notice_days() -> int:
    return int(current_app.config.get("COMMUNITY_VETTING_NOTICE_DAYS", DEFAULT_NOTICE_DAYS))


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later; the month's last day where it has no such day (29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expires_on(received_on: date, months: int) -> date:
    """The first day a certificate received on `received_on` no longer covers."""
    return add_months(received_on, months)


def _cleared(v, day: date) -> bool:
    return v.received_on is not None and v.assessment == "no_entries" and v.received_on <= day


def current_expiry(vettings, day: date, months: int) -> date | None:
    """When the newest cleared certificate held on `day` expires (None without one)."""
    ends = [expires_on(v.received_on, months) for v in vettings if _cleared(v, day)]
    return max(ends) if ends else None


def status_on(vettings, day: date, months: int) -> str:
    """A volunteer's vetting status on `day` from all their vetting records (any order).

    valid: a certificate without entries received on or before the day and not yet expired. Otherwise
    the newest request decides: consent refused, entries found, or still pending; without any of those,
    expired (an earlier certificate ran out) or missing (never vetted)."""
    known = [v for v in vettings if v.requested_on <= day]
    expiry = current_expiry(known, day, months)
    if expiry is not None and day < expiry:
        return VALID
    if known:
        latest = max(known, key=lambda v: (v.requested_on, v.received_on or date.min, v.consent_refused_on or date.min))
        if latest.consent_refused_on is not None and latest.consent_refused_on <= day:
            return REFUSED
        if latest.assessment == "entries" and latest.received_on is not None and latest.received_on <= day:
            return ENTRIES
        if expiry is not None:
            return EXPIRED
        if latest.received_on is None or latest.received_on > day:  # requested, not yet received that day
            return PENDING
    return EXPIRED if expiry is not None else MISSING


def offered_status(status: str) -> str:
    """The status as other domains are offered it (`child_vetting`): valid, missing, expired or refused.
    A pending check or one with entries is no valid certificate: "missing"."""
    return status if status in (VALID, EXPIRED, REFUSED) else MISSING


def renewal_due(vettings, day: date, months: int, notice: int) -> date | None:
    """The expiry date when a valid certificate expires within `notice` days and no renewal is requested."""
    expiry = current_expiry(vettings, day, months)
    if expiry is None or not day < expiry <= day + timedelta(days=notice):
        return None
    newest_clear = max(v.received_on for v in vettings if _cleared(v, day))
    if any(v.requested_on > newest_clear for v in vettings):
        return None  # a renewal is under way
    return expiry


def declaration_due(declared_on: date | None) -> date | None:
    """When an association's yearly declaration is next due (12 months after the last); None: never declared."""
    return add_months(declared_on, 12) if declared_on else None
