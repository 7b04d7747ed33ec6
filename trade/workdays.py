"""Chinese working days: public holidays and the weekend days worked in exchange (调休).

MOFCOM decides a dual-use export licence application within 45 working days of accepting it
(Dual-Use Items Export Control Regulations). Counting them needs the holiday calendar, which
the State Council announces year by year: it is data (trade/data/cn_working_days.toml, loaded
into the database where administrators keep it), never code. A date counted into a year the
calendar does not know is an estimate, and the result says so.

Plain Python (no Django).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "cn_working_days.toml"


class CalendarError(ValueError):
    """The calendar data is inconsistent; the message says where."""


@dataclass(frozen=True)
class Day:
    date: dt.date
    kind: str  # "holiday" | "workday" (a weekend day worked in exchange)
    name: str = ""


@dataclass(frozen=True)
class Calendar:
    """The known years and their exceptions to "Monday to Friday are working days"."""

    years: frozenset[int]
    exceptions: Mapping[dt.date, Day]

    def is_working_day(self, day: dt.date) -> bool:
        exception = self.exceptions.get(day)
        if exception is not None:
            return exception.kind == "workday"
        return day.weekday() < 5

    def knows(self, day: dt.date) -> bool:
        return day.year in self.years


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    # False when the count ran through a year the calendar does not know (weekends only).
    certain: bool
    unknown_years: tuple[int, ...] = ()


def add_working_days(calendar: Calendar, start: dt.date, days: int) -> Deadline:
    """The date `days` working days after `start` (the day after `start` is the first one
    counted, as a time limit running from a filing is counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    counted = 0
    unknown: set[int] = set()
    while counted < days:
        current += dt.timedelta(days=1)
        if not calendar.knows(current):
            unknown.add(current.year)
        if calendar.is_working_day(current):
            counted += 1
    return Deadline(current, certain=not unknown, unknown_years=tuple(sorted(unknown)))


def working_days_between(calendar: Calendar, start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if calendar.is_working_day(current):
            count += 1
    return count


def calendar_from_days(years: Iterable[int], days: Iterable[Day]) -> Calendar:
    exceptions: dict[dt.date, Day] = {}
    for day in days:
        if day.kind not in ("holiday", "workday"):
            raise CalendarError(f"{day.date}: kind must be holiday or workday, not {day.kind!r}")
        if day.date in exceptions:
            raise CalendarError(f"{day.date} is listed twice")
        if day.kind == "workday" and day.date.weekday() < 5:
            raise CalendarError(f"{day.date} is a weekday: only weekend days are worked in lieu")
        exceptions[day.date] = day
    return Calendar(years=frozenset(years), exceptions=exceptions)


def load_shipped(path: Path = DATA_FILE) -> tuple[Calendar, list[dict[str, Any]]]:
    """(calendar, the years as data: year, source, level) from the shipped file."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    years, days = [], []
    for entry in data.get("years", ()):
        year = int(entry["year"])
        years.append({"year": year, "source": entry.get("source", ""), "level": entry["level"]})
        for holiday in entry.get("holidays", ()):
            first = holiday.get("start", holiday.get("date"))
            last = holiday.get("end", first)
            current = first
            while current <= last:
                days.append(Day(current, "holiday", holiday.get("name", "")))
                current += dt.timedelta(days=1)
        for worked in entry.get("working_weekend_days", ()):
            days.append(Day(worked, "workday", "调休 worked in lieu"))
    for day in days:
        if day.date.year not in {y["year"] for y in years}:
            raise CalendarError(f"{day.date} is outside the years it is listed under")
    return calendar_from_days([y["year"] for y in years], days), years
