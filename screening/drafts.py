"""A new draft case, built in one place: what it copies from its screening and frozen spec
(outcome, category, subtype, destination, value) and how it starts (draft, version 1, its
preparer, its times). A form's case (`workflow.create_case`), every imported row's
(`imports.committing`) and the benchmark's portfolio (`bench/data.py`) are built here, one or
a hundred thousand at a time; the callers save them as they always did (one INSERT, or
`screening.bulk.insert_rows` in batches)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from screening.models import Case
from screening.states import State

# The columns that differ from one new case to the next, in the order of DraftCases.rows.
COLUMNS = (
    "product",
    "spec",
    "screening",
    "automated_outcome",
    "category",
    "subtype",
    "destination_country",
    "expected_value_usd",
)
CENT = Decimal("0.01")


def expected_value(amount: float | Decimal | None) -> Decimal | None:
    """A spec's annual export value as the case's expected value: whole cents, none if blank.
    Through the number's shortest text, so 2.675 as typed is 2.68, not float's 2.67."""
    if amount is None or (isinstance(amount, float) and math.isnan(amount)):
        return None
    return Decimal(str(amount)).quantize(CENT)


@dataclasses.dataclass(frozen=True)
class DraftCases:
    """New draft cases, column by column: `rows` in the order of `columns`, and `constants`, the
    fields with one value for all (the shape `screening.bulk.insert_rows` takes)."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    constants: dict[str, Any]

    def cases(self) -> list[Case]:
        """Unsaved Case instances (for a single case saved by the ORM)."""
        attname = {field.name: field.attname for field in Case._meta.concrete_fields}
        names = [attname[name] for name in self.columns]
        fixed = {attname[name]: value for name, value in self.constants.items()}
        return [Case(**fixed, **dict(zip(names, row, strict=True))) for row in self.rows]

    def fields(self) -> Iterator[dict[str, Any]]:
        """Each case's fields by name, as saved: what screening.rollup counts (a new case is
        neither flagged for re-review nor decided unless a column says so)."""
        for i in range(len(self.rows)):
            yield self.fields_of(i)

    def fields_of(self, i: int) -> dict[str, Any]:
        """The fields of the case at position `i` (see fields)."""
        base = {"rules_changed": False, "decided_at": None, **self.constants}
        return {**base, **dict(zip(self.columns, self.rows[i], strict=True))}

    def with_columns(self, names: Sequence[str], values: Sequence[Sequence[Any]]) -> DraftCases:
        """The same cases with more columns, one value per case each (cases written in a
        later state than draft: the benchmark's); a column given here replaces a constant."""
        return DraftCases(
            columns=(*self.columns, *names),
            rows=[(*row, *more) for row, more in zip(self.rows, values, strict=True)],
            constants={k: v for k, v in self.constants.items() if k not in names},
        )


def draft_cases(
    *,
    products: Sequence[int],
    specs: Sequence[int],
    screenings: Sequence[int],
    outcomes: Sequence[str],
    categories: Sequence[str],
    subtypes: Sequence[str],
    destinations: Sequence[str | None],
    values: Sequence[float | Decimal | None],
    prepared_by: int | None,
    at: dt.datetime,
) -> DraftCases:
    """New draft cases of screenings (ids), one per position of the equal-length sequences:
    each copies its screening's outcome and its spec's category, subtype, destination and value
    (the figures and lists group on these without a join), prepared by one person at one time."""
    rows = list(
        zip(
            products,
            specs,
            screenings,
            outcomes,
            categories,
            subtypes,
            [country or "" for country in destinations],
            [expected_value(value) for value in values],
            strict=True,
        )
    )
    constants = {
        "state": str(State.DRAFT),
        "version": 1,
        "prepared_by": prepared_by,
        "determination_entries": [],
        "legal_hold": False,
        "created_at": at,
        "last_activity_at": at,
        "state_changed_at": at,
    }
    return DraftCases(COLUMNS, rows, constants)
