"""Status certainty: which measure statuses on a date are assumptions rather than known facts.

The catalogue states a measure's status on any date from its data: its effective date and its
status windows (No. 70's suspension of No. 58 until 2026-11-10, for instance). After a window
ends, the data says what follows (No. 58 in force), but no source confirmed it. Such a status is
an *assumption* until a rules administrator records a confirmation dated after the window ended
that agrees with the catalogue (CONTROL_CATALOGUE.md §5). A confirmation that contradicts the
catalogue does not make the status certain: the catalogue has to change first.

Plain Python (no Django): the evaluator, the watch and the web layer all ask this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rules.catalogue import Catalogue, Measure, Window


@dataclass(frozen=True)
class Confirmation:
    """A rules administrator's record that a measure's status was checked against a source."""

    measure: str
    confirmed_on: dt.date
    status: str


@dataclass(frozen=True)
class Assumption:
    """The status of `measure` on a day rests on `ended`, a window nobody confirmed the end of."""

    measure: Measure
    ended: Window
    status: str  # the status the catalogue gives, which the result assumes

    @property
    def never_applied(self) -> bool:
        """The measure was suspended from before it took effect until this window ended."""
        return self.measure.never_applied_before == self.ended.end

    def sentence(self, catalogue: Catalogue) -> str:
        """The assumption in plain English words that state facts (for the `screen` output and
        other programs; pages show the translated sentence from rules.labels)."""
        name = _short_name(self.measure)
        basis = catalogue.measures_by_key.get(self.ended.basis)
        if basis is not None:
            by = f" by {_short_name(basis)}"
        else:
            by = f" by {self.ended.basis}" if self.ended.basis else ""
        end = self.ended.end.isoformat() if self.ended.end else ""
        status = self.status.replace("_", " ")
        if self.status == "expired":
            return (
                f"{name}: its stated term ended on {end}; no extension is recorded. "
                "This result assumes it has expired."
            )
        if self.ended.status == "suspended" and self.never_applied:
            return (
                f"{name} has never applied in practice: its suspension{by} ended on {end}; "
                f"what followed is not recorded. This result assumes it is {status}."
            )
        if self.ended.status == "suspended":
            return (
                f"{name} was suspended{by} until {end}; what followed is not recorded. "
                f"This result assumes it is {status} again."
            )
        return (
            f"{name}: its status window ({self.ended.status.replace('_', ' ')}) ended on {end}; "
            f"what followed is not recorded. This result assumes it is {status}."
        )


def _short_name(measure: Measure) -> str:
    return f"{measure.instrument_en} ({measure.key})"


def assumptions_on(
    catalogue: Catalogue, day: dt.date, confirmations: Iterable[Confirmation] = ()
) -> dict[str, Assumption]:
    """Measure key → assumption, for every measure whose status on `day` is an assumption."""
    agreeing = _latest_agreeing(catalogue, confirmations)
    found = {}
    for measure in catalogue.measures:
        ended = measure.ended_window(day)
        if ended is None:
            continue
        confirmed = agreeing.get(measure.key)
        if confirmed is not None and ended.end is not None and confirmed > ended.end:
            continue
        found[measure.key] = Assumption(measure, ended, measure.status_on(day))
    return found


def _latest_agreeing(
    catalogue: Catalogue, confirmations: Iterable[Confirmation]
) -> Mapping[str, dt.date]:
    """Measure key → date of its latest confirmation that agrees with the catalogue: the status
    confirmed is the one the catalogue gives on the day it was confirmed."""
    latest: dict[str, dt.date] = {}
    for c in confirmations:
        measure = catalogue.measures_by_key.get(c.measure)
        if measure is None or measure.status_on(c.confirmed_on) != c.status:
            continue
        latest[c.measure] = max(c.confirmed_on, latest.get(c.measure, c.confirmed_on))
    return latest
