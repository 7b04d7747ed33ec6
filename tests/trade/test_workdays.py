"""Chinese working days: the 45-working-day decision date of a licence application."""

from __future__ import annotations

import datetime as dt

import pytest

from trade.workdays import (
    CalendarError,
    Day,
    add_working_days,
    calendar_from_days,
    load_shipped,
    working_days_between,
)

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it

CALENDAR, YEARS = load_shipped()


def test_the_shipped_calendar_knows_2025_and_2026_with_their_sources():
    assert [(y["year"], y["level"]) for y in YEARS] == [(2025, "V2"), (2026, "V2")]
    assert all("国务院办公厅" in y["source"] for y in YEARS)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-10-01", False),  # National Day
        ("2026-10-10", True),  # a Saturday worked in exchange
        ("2026-10-11", False),  # an ordinary Sunday
        ("2026-10-12", True),  # an ordinary Monday
        ("2026-02-14", True),  # Saturday before the Spring Festival, worked
        ("2026-02-16", False),  # Spring Festival (a Monday)
    ],
)
def test_holidays_and_weekend_days_worked_in_exchange(day, working):
    assert CALENDAR.is_working_day(dt.date.fromisoformat(day)) is working


def test_45_working_days_from_a_filing_skip_the_national_day_week():
    # Filed Friday 2026-09-18. Counted: Sunday 20 (worked in exchange) and 21-24 Sept (5),
    # 28-30 Sept (8), 8-9 Oct (10), Saturday 10 Oct (11), then five a week from 12 Oct: the
    # 45th is Thursday 26 November. Plain weekdays alone would give 20 November.
    deadline = add_working_days(CALENDAR, dt.date(2026, 9, 18), 45)
    assert deadline.certain is True
    assert working_days_between(CALENDAR, dt.date(2026, 9, 18), deadline.date) == 45
    assert deadline.date == dt.date(2026, 11, 26)


def test_a_count_into_an_unknown_year_is_an_estimate_and_says_so():
    deadline = add_working_days(CALENDAR, dt.date(2026, 12, 1), 45)
    assert (deadline.certain, deadline.unknown_years) == (False, (2027,))


def test_one_working_day_after_a_friday_is_the_monday():
    assert add_working_days(CALENDAR, dt.date(2026, 11, 27), 1).date == dt.date(2026, 11, 30)


def test_a_weekday_cannot_be_a_day_worked_in_exchange():
    with pytest.raises(CalendarError, match="only weekend days"):
        calendar_from_days([2026], [Day(dt.date(2026, 11, 25), "workday")])


def test_a_day_listed_twice_is_an_error():
    with pytest.raises(CalendarError, match="listed twice"):
        calendar_from_days(
            [2026], [Day(dt.date(2026, 10, 1), "holiday"), Day(dt.date(2026, 10, 1), "holiday")]
        )
