"""Reference data the export side ships and administrators then keep in Django admin: the
licence kinds (trade/data/licence_kinds.toml) and China's working-day calendar
(trade/data/cn_working_days.toml), loaded once by code and by year."""

from __future__ import annotations

import tomllib
from pathlib import Path

from trade import workdays
from trade.models import (
    CalendarDay,
    CalendarYear,
    LicenceKind,
)

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_shipped_data() -> None:
    """Licence kinds and calendar years shipped in trade/data that the database does not have
    yet (by code and by year): administrators maintain them in Django admin afterwards."""
    with (DATA_DIR / "licence_kinds.toml").open("rb") as fh:
        kinds = tomllib.load(fh)["kinds"]
    for kind in kinds:
        LicenceKind.objects.get_or_create(code=kind["code"], defaults=kind)
    calendar, years = workdays.load_shipped()
    for year in years:
        row, created = CalendarYear.objects.get_or_create(
            year=year["year"], defaults={"source": year["source"], "level": year["level"]}
        )
        if created:
            CalendarDay.objects.bulk_create(
                CalendarDay(year=row, date=day.date, kind=day.kind, name=day.name)
                for day in calendar.exceptions.values()
                if day.date.year == year["year"]
            )


def working_calendar() -> workdays.Calendar:
    """The calendar as administrators keep it in the database."""
    years = list(CalendarYear.objects.values_list("year", flat=True))
    days = [
        workdays.Day(date, kind, name)
        for date, kind, name in CalendarDay.objects.values_list("date", "kind", "name")
    ]
    return workdays.calendar_from_days(years, days)
