"""Watching measure statuses: ended windows nobody has confirmed, and window ends to come.

When a status window of a measure has ended (as No. 70's suspension of No. 58 ended on
2026-11-10) the catalogue says what follows by its data alone (here: in force). Nobody could
confirm that from a source, so until an administrator records a confirmation, or a new window,
reviewers and administrators see a warning on every page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from rules.catalogue import Catalogue, Measure, Window


@dataclass(frozen=True)
class Unconfirmed:
    measure: Measure
    window: Window  # the window that ended
    status_now: str


@dataclass(frozen=True)
class WatchDate:
    measure: Measure
    window: Window
    days_left: int


def unconfirmed(
    catalogue: Catalogue, today: dt.date, confirmations: Iterable[tuple[str, dt.date]]
) -> list[Unconfirmed]:
    """Measures whose last ended window has neither a later window nor a later confirmation.

    `confirmations` are (measure key, date confirmed) pairs.
    """
    latest: dict[str, dt.date] = {}
    for key, day in confirmations:
        latest[key] = max(day, latest.get(key, day))
    found = []
    for measure in catalogue.measures:
        ended = [w for w in measure.windows if w.end is not None and w.end < today]
        if not ended:
            continue
        last = max(ended, key=lambda w: w.end)  # type: ignore[arg-type,return-value]
        followed = any(w.start > last.end for w in measure.windows)  # type: ignore[operator]
        confirmed = latest.get(measure.key)
        if followed or (confirmed is not None and confirmed > last.end):  # type: ignore[operator]
            continue
        found.append(Unconfirmed(measure, last, measure.status_on(today)))
    return found


def watch_dates(catalogue: Catalogue, today: dt.date, *, days: int = 120) -> list[WatchDate]:
    """Status windows that end within `days` from today, soonest first."""
    soon = [
        WatchDate(measure, window, (window.end - today).days)
        for measure in catalogue.measures
        for window in measure.windows
        if window.end is not None and today <= window.end <= today + dt.timedelta(days=days)
    ]
    return sorted(soon, key=lambda w: (w.days_left, w.measure.key))
