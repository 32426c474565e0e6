"""Child-protection certificate rules over dates: expiry, status on a day, renewal reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from caseapp.domains.community import vetting as V


@dataclass
class Check:
    requested_on: date
    consent_on: date | None = None
    consent_refused_on: date | None = None
    received_on: date | None = None
    assessment: str | None = None


def cleared(received: date) -> Check:
    return Check(
        requested_on=received - timedelta(days=7),
        consent_on=received - timedelta(days=6),
        received_on=received,
        assessment="no_entries",
    )


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@given(received=days, months=st.integers(min_value=1, max_value=60), offset=st.integers(min_value=0, max_value=2000))
def test_a_certificate_is_valid_exactly_until_the_same_day_months_later(received, months, offset):
    day = received + timedelta(days=offset)
    expiry = V.expires_on(received, months)
    # The expiry is `months` calendar months on: same day of month, or the month's last day.
    assert (expiry.year * 12 + expiry.month) - (received.year * 12 + received.month) == months
    assert expiry.day == received.day or (expiry.day < received.day and (expiry + timedelta(days=1)).day == 1)
    status = V.status_on([cleared(received)], day, months)
    assert status == (V.VALID if day < expiry else V.EXPIRED)


@given(received=days, day=days)
def test_before_it_is_received_a_certificate_covers_nothing(received, day):
    if day < received - timedelta(days=7):
        assert V.status_on([cleared(received)], day, 24) == V.MISSING
    elif day < received:
        assert V.status_on([cleared(received)], day, 24) == V.PENDING


@given(first=days, gap=st.integers(min_value=1, max_value=900), offset=st.integers(min_value=0, max_value=1500))
def test_a_renewal_extends_validity_and_an_old_certificate_never_shortens_it(first, gap, offset):
    second = first + timedelta(days=gap)
    day = first + timedelta(days=offset)
    status = V.status_on([cleared(second), cleared(first)], day, 24)
    valid_by_either = any(r <= day < V.expires_on(r, 24) for r in (first, second))
    assert (status == V.VALID) == valid_by_either


def test_the_default_interval_is_two_years_and_leap_days_fall_back():
    assert V.DEFAULT_MONTHS == 24
    assert V.expires_on(date(2024, 2, 29), 24) == date(2026, 2, 28)
    assert V.expires_on(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert V.status_on([cleared(date(2024, 3, 1))], date(2026, 2, 28), 24) == V.VALID
    assert V.status_on([cleared(date(2024, 3, 1))], date(2026, 3, 1), 24) == V.EXPIRED


def test_statuses_of_refusal_entries_pending_and_none():
    day = date(2026, 6, 1)
    assert V.status_on([], day, 24) == V.MISSING
    assert V.status_on([Check(date(2026, 5, 1))], day, 24) == V.PENDING
    assert V.status_on([Check(date(2026, 5, 1), consent_refused_on=date(2026, 5, 3))], day, 24) == V.REFUSED
    assert (
        V.status_on([Check(date(2026, 5, 1), received_on=date(2026, 5, 9), assessment="entries")], day, 24) == V.ENTRIES
    )
    # Other domains are offered four answers: entries and pending are no valid certificate.
    assert [V.offered_status(s) for s in (V.VALID, V.EXPIRED, V.REFUSED, V.ENTRIES, V.PENDING, V.MISSING)] == [
        "valid",
        "expired",
        "refused",
        "missing",
        "missing",
        "missing",
    ]


def test_the_renewal_reminder_comes_within_the_notice_and_stops_once_renewal_is_requested():
    received = date(2024, 6, 10)
    expiry = V.expires_on(received, 24)
    assert V.renewal_due([cleared(received)], expiry - timedelta(days=61), 24, 60) is None
    assert V.renewal_due([cleared(received)], expiry - timedelta(days=60), 24, 60) == expiry
    assert V.renewal_due([cleared(received)], expiry, 24, 60) is None  # expired: no longer a reminder
    renewing = Check(requested_on=expiry - timedelta(days=30))
    assert V.renewal_due([cleared(received), renewing], expiry - timedelta(days=20), 24, 60) is None


def test_a_yearly_declaration_is_due_twelve_months_after_the_last():
    assert V.declaration_due(date(2025, 12, 2)) == date(2026, 12, 2)
    assert V.declaration_due(None) is None
