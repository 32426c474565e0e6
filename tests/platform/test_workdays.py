"""Working days: weekends and Danish public holidays are skipped by legal deadlines."""

from datetime import date

import pytest

from caseapp.workdays import add_working_days, is_working_day


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 4, 2),  # Maundy Thursday
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 14),  # Ascension Day
        date(2026, 5, 25),  # Whit Monday
        date(2026, 6, 5),  # Constitution Day
        date(2026, 12, 24),
        date(2026, 12, 25),
        date(2026, 12, 31),
        date(2027, 1, 1),
        date(2026, 11, 21),  # a Saturday
    ],
)
def test_holidays_and_weekends_are_not_working_days(day):
    assert not is_working_day(day)


def test_an_ordinary_weekday_and_the_abolished_great_prayer_day_are_working_days():
    assert is_working_day(date(2026, 11, 20))
    assert is_working_day(date(2026, 5, 1))  # Workers' Day: municipal offices are open
    assert is_working_day(date(2025, 5, 16))  # store bededag, abolished from 2024


def test_six_working_days_across_easter():
    # Monday 30 March 2026: Maundy Thursday, Good Friday, the weekend and Easter Monday are skipped.
    assert add_working_days(date(2026, 3, 30), 6) == date(2026, 4, 10)


def test_six_working_days_across_christmas_and_new_year():
    assert add_working_days(date(2026, 12, 21), 6) == date(2027, 1, 4)


def test_six_working_days_in_an_ordinary_week():
    assert add_working_days(date(2026, 11, 20), 6) == date(2026, 11, 30)  # a Friday: skips two weekends
