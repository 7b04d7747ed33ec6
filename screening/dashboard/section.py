"""What a section module is given and gives back, so that every section looks alike.

A section module holds its query (a QuerySet in, a small DataFrame or dataclass out: the
database aggregates, pandas shapes), its figures and its tables, and ends with a SECTION: its
name, where its charts go on the page, the Report fields it fills (what the cache keeps), and
three functions. `compute(scope)` runs its queries and returns those fields; `charts(*fields,
view)` and each of `csv` (download name → function, called the same way) turn them into charts
and tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.db.models import Count, F, QuerySet, Sum

from rules.catalogue import Catalogue
from rules.vocabulary import OUTCOMES
from screening.dashboard.charts import Chart, Links, Table
from screening.dashboard.filters import Filters
from screening.models import Case, CaseRollup, EntryRollup, ScreeningRollup

# Where a section's charts go on the page (templates/screening/_dashboard_charts.html):
# "exposure" is products screened, each by its latest screening; "cases" counts cases by the
# outcome they were opened with, every state (drafts included); "workflow" counts them by state.
PLACES = ("exposure", "cases", "workflow", "activity", "thresholds", "scenario")


@dataclass(frozen=True)
class Scope:
    """What a section's queries run over."""

    filters: Filters
    cases: QuerySet[Case]  # filtered_cases(filters): all of them, not only those a user may open
    catalogue: Catalogue | None
    today: dt.date
    now: dt.datetime
    first: dt.date  # the scenario's two dates
    second: dt.date
    change_limit: int | None  # how many changes the scenario lists (None: all)
    # filtered_rollup(filters): the case summary's rows for these cases (None: ask the cases)
    rollup: QuerySet[CaseRollup] | None = None
    screening_rollup: QuerySet[ScreeningRollup] | None = None  # filtered_screening_rollup
    entry_rollup: QuerySet[EntryRollup] | None = None  # filtered_entry_rollup


@dataclass(frozen=True)
class View:
    """What a section's charts need besides its own fields."""

    today: dt.date
    links: Links  # the case list behind a bar (disabled for those who may not open cases)
    catalogue: Catalogue | None = None

    @property
    def link_cases(self) -> bool:
        return self.links.enabled


@dataclass(frozen=True)
class Section:
    name: str  # ?section=, the cache's key
    place: str  # one of PLACES
    fields: tuple[str, ...]  # the Report fields it fills, in the order charts() takes them
    compute: Callable[[Scope], dict[str, Any]]
    charts: Callable[..., list[Chart]]  # (*fields, view)
    csv: Mapping[str, Callable[..., Table]] = field(default_factory=dict)  # (*fields, view)


# --- grouped rows as frames ----------------------------------------------------------------


def case_totals(
    cases: QuerySet[Case], rollup: QuerySet[CaseRollup] | None = None, **by: str
) -> QuerySet[Any]:
    """Cases (`cases`) and their expected value (`value_usd`) grouped by Case columns (alias=
    column): from the case summary when the filters are on its dimensions, otherwise from the
    cases. The two give the same rows (tests/screening/dashboard/test_rollup_path.py)."""
    columns = {alias: F(column) for alias, column in by.items()}
    if rollup is not None:
        return (
            rollup.values(**columns)
            .annotate(cases=Sum("case_count"), value_usd=Sum("value_sum_usd"))
            .filter(cases__gt=0)  # rows emptied by later writes stay in the summary
            .order_by()
        )
    return (
        cases.values(**columns)
        .annotate(cases=Count("pk"), value_usd=Sum("expected_value_usd"))
        .order_by()
    )


OUTCOME_ORDER = {name: i for i, name in enumerate(OUTCOMES)}


def money(value: object) -> float:
    return 0.0 if value is None else float(value)  # type: ignore[arg-type]


def frame(rows: Iterable[dict], columns: list[str]) -> pd.DataFrame:
    result = pd.DataFrame.from_records(list(rows), columns=columns)
    if "value_usd" in result.columns:
        result["value_usd"] = result["value_usd"].map(money).astype(float)
    if "cases" in result.columns:
        result["cases"] = result["cases"].astype(int)
    return result


def sorted_by_outcome(result: pd.DataFrame, then: list[str]) -> pd.DataFrame:
    result = result.assign(_order=result["outcome"].map(OUTCOME_ORDER).fillna(len(OUTCOME_ORDER)))
    return result.sort_values(["_order", *then]).drop(columns="_order").reset_index(drop=True)
