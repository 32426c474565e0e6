"""Danish working days: legal deadlines counted in weekdays skip weekends and public holidays.

The holiday calendar is the `holidays` package's Denmark: the public holidays (Easter, Ascension,
Whit Monday, Christmas, ...) and the three days public offices also close (Constitution Day,
Christmas Eve, New Year's Eve), so a deadline never lands on a day nobody at the municipality works.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

# Days in the package's "optional" category on which Danish public administration is closed.
# (Workers' Day, also "optional", is a working day in most municipalities.)
OFFICES_CLOSED = ("Constitution Day", "Christmas Eve", "New Year's Eve")


@lru_cache(maxsize=64)
def _closed_days(year: int) -> frozenset[date]:
    public = holidays.Denmark(years=year)
    optional = holidays.Denmark(years=year, categories=("optional",))
    closed = set(public)
    for name in OFFICES_CLOSED:
        closed.update(optional.get_named(name, lookup="exact"))
    return frozenset(closed)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _closed_days(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (the start day itself does not count)."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            days -= 1
    return current
