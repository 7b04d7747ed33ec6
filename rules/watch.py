"""Watching measure statuses: ended windows nobody has confirmed, and window ends to come.

When a status window of a measure has ended (as No. 70's suspension of No. 58 ended on
2026-11-10) the catalogue says what follows by its data alone (here: in force). Nobody could
confirm that from a source, so until a rules administrator records a confirmation that agrees,
or a new window, it is an assumption (rules.certainty) and everyone sees a warning on every page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from rules.catalogue import Catalogue, Measure, Window
from rules.certainty import Assumption, Confirmation, assumptions_on


@dataclass(frozen=True)
class WatchDate:
    measure: Measure
    window: Window
    days_left: int


def unconfirmed(
    catalogue: Catalogue, today: dt.date, confirmations: Iterable[Confirmation]
) -> list[Assumption]:
    """Measures whose status today rests on an ended window nobody confirmed the end of."""
    return list(assumptions_on(catalogue, today, confirmations).values())


def watch_dates(catalogue: Catalogue, today: dt.date, *, days: int = 120) -> list[WatchDate]:
    """Status windows that end within `days` from today, soonest first."""
    soon = [
        WatchDate(measure, window, (window.end - today).days)
        for measure in catalogue.measures
        for window in measure.windows
        if window.end is not None and today <= window.end <= today + dt.timedelta(days=days)
    ]
    return sorted(soon, key=lambda w: (w.days_left, w.measure.key))
