"""The whole dashboard's numbers: which sections there are, running them over a filter set, and
the headline numbers they give.

Aggregation runs in the database as grouped queries on Case's indexed columns (category,
automated_outcome, destination_country, state, created_at, decided_at), so the cost of a chart
grows with the number of groups, not of cases; only the scenario evaluates specs (numpy).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

import pandas as pd

from rules.catalogue import Catalogue
from rules.models import RuleSet
from screening.dashboard import (
    activity,
    category,
    destination,
    entry,
    products,
    scenario,
    thresholds,
    workflow,
    workload,
)
from screening.dashboard.filters import (
    Filters,
    filtered_cases,
    filtered_entry_rollup,
    filtered_rollup,
    filtered_screening_rollup,
)
from screening.dashboard.scenario import CHANGE_LIST_LIMIT, Scenario, scenario_dates
from screening.dashboard.section import Scope, Section
from screening.dashboard.thresholds import Histogram
from screening.products import default_regimes
from screening.states import OPEN_STATES

# Every section, in the page's order. A new section module adds its SECTION here.
ALL: tuple[Section, ...] = (
    products.SECTION,
    category.SECTION,
    entry.SECTION,
    destination.SECTION,
    workflow.SECTION,
    workload.SECTION,
    activity.SECTION,
    thresholds.SECTION,
    scenario.SECTION,
)
BY_NAME = {section.name: section for section in ALL}
SECTIONS = tuple(BY_NAME)


@dataclass
class Report:
    filters: Filters
    today: dt.date
    first: dt.date
    second: dt.date
    catalogue: Catalogue | None
    by_category: pd.DataFrame | None = None
    by_entry: pd.DataFrame | None = None
    by_destination: pd.DataFrame | None = None
    by_state: pd.DataFrame | None = None
    workload: pd.DataFrame | None = None
    activity: pd.DataFrame | None = None
    histograms: list[Histogram] = field(default_factory=list)
    scenario: Scenario | None = None
    products: pd.DataFrame | None = None  # by latest outcome (products_by_latest_outcome)
    rereview: int | None = None  # open cases to re-review since the rules changed
    # When the oldest cached part was computed (None: all computed for this request).
    computed_at: dt.datetime | None = None
    # Every part's cache key and the time it was computed; empty when a part is not cached.
    # The finished charts are cached under these (cache.finished_charts).
    stamps: tuple[str, ...] = ()


def report(
    *,
    filters: Filters,
    catalogue: Catalogue | None,
    today: dt.date,
    now: dt.datetime,
    first: dt.date | None = None,
    second: dt.date | None = None,
    sections: Collection[str] = SECTIONS,
    change_limit: int | None = CHANGE_LIST_LIMIT,
) -> Report:
    """Everything the dashboard shows (or only some sections, for a CSV download)."""
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown dashboard sections: {', '.join(sorted(unknown))}")
    first, second = scenario_dates(catalogue, today, first, second)
    result = Report(filters=filters, today=today, first=first, second=second, catalogue=catalogue)
    scope = Scope(
        filters=filters,
        cases=filtered_cases(filters),
        catalogue=catalogue,
        today=today,
        now=now,
        first=first,
        second=second,
        change_limit=change_limit,
        rollup=filtered_rollup(filters),
        screening_rollup=filtered_screening_rollup(filters),
        entry_rollup=filtered_entry_rollup(filters),
    )
    for section in ALL:
        if section.name in sections:
            for name, value in section.compute(scope).items():
                setattr(result, name, value)
    return result


def current_catalogue() -> Catalogue | None:
    """The current rule set's catalogue, restricted to the regimes screenings use by default."""
    rule_set = RuleSet.objects.current()
    if rule_set is None:
        return None
    catalogue = rule_set.catalogue()
    return catalogue.for_regimes(default_regimes(catalogue))


# --- the headline --------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """The few numbers at the top of the page."""

    cases: int
    value_usd: float
    licence_cases: int
    licence_value_usd: float
    open_cases: int
    changed: int | None  # cases whose outcome differs between the scenario's two dates
    changed_value_usd: float | None
    # Products screened, and those whose latest screening (the rules in force) says licence
    # required; None when the products section was not run.
    products: int | None = None
    products_value_usd: float | None = None
    licence_products: int | None = None
    licence_products_value_usd: float | None = None
    rereview: int | None = None  # open cases flagged "rules changed: re-review"

    @property
    def licence_share(self) -> float:
        """Share of the expected value whose automated outcome is "licence required"."""
        return self.licence_value_usd / self.value_usd if self.value_usd else 0.0


def headline(result: Report) -> Headline | None:
    """The headline numbers of a full report (None when a section they need was not run)."""
    if result.by_category is None or result.by_state is None:
        return None
    frame = result.by_category
    licensed = frame[frame["outcome"] == "licence_required"]
    open_states = [str(s) for s in OPEN_STATES]
    by_state = result.by_state
    by_product = result.products
    licensed_products = (
        by_product[by_product["outcome"] == "licence_required"] if by_product is not None else None
    )
    return Headline(
        products=int(by_product["products"].sum()) if by_product is not None else None,
        products_value_usd=float(by_product["value_usd"].sum()) if by_product is not None else None,
        licence_products=int(licensed_products["products"].sum())
        if licensed_products is not None
        else None,
        licence_products_value_usd=float(licensed_products["value_usd"].sum())
        if licensed_products is not None
        else None,
        rereview=result.rereview,
        cases=int(frame["cases"].sum()),
        value_usd=float(frame["value_usd"].sum()),
        licence_cases=int(licensed["cases"].sum()),
        licence_value_usd=float(licensed["value_usd"].sum()),
        open_cases=int(by_state[by_state["state"].isin(open_states)]["cases"].sum()),
        changed=result.scenario.changed if result.scenario else None,
        changed_value_usd=result.scenario.changed_value if result.scenario else None,
    )
