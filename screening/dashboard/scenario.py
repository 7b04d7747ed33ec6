"""Scenario: exposure as of two dates. Every selected case's frozen spec is screened with the
current rules as of both, so that only the date moves and the measures' status windows decide
what changes; and the list of the cases that change, which holds only cases the viewer may open.

It reads the spec values with one values_list query (numbers and codes, no model instances) and
evaluates them with numpy; a second query names the changes listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from rules.catalogue import Catalogue
from rules.evaluation import screen_frame
from rules.labels import category_label
from rules.vocabulary import OUTCOMES
from screening.dashboard.charts import Chart, Table, cases_and_value, chart, rows
from screening.dashboard.filters import Filters, filtered_cases
from screening.dashboard.section import Scope, Section, View
from screening.dashboard.theme import count, escape, outcome_label, usd
from screening.models import Case
from screening.portfolio import case_frame

# The change list shows this many cases on the page (largest expected value first); the CSV
# download has them all.
CHANGE_LIST_LIMIT = 50


@dataclass(frozen=True)
class Scenario:
    first: dt.date
    second: dt.date
    cases: int
    # outcome, cases_first, value_first, cases_second, value_second (every outcome, in order)
    outcomes: pd.DataFrame
    # outcome_first, outcome_second, cases, value_usd: the changes only, largest first
    transitions: pd.DataFrame
    # case, reference, sku, name, category, destination, value_usd, outcome_first, outcome_second:
    # the changes a viewer may open (see visible_changes), largest first, up to the limit
    changes: pd.DataFrame
    changed: int  # every case that changes outcome (an aggregate)
    changed_value: float
    listed: int = 0  # how many changes `changes` lists from (before the limit)


def scenario(
    cases: QuerySet[Case],
    catalogue: Catalogue,
    first: dt.date,
    second: dt.date,
    *,
    limit: int | None = CHANGE_LIST_LIMIT,
) -> Scenario:
    """Exposure as of two dates: every case's frozen spec screened at both with the same rules.

    The rules are held fixed (the current rule set) so that only the date moves: the measures'
    status windows decide what changes. Two queries: the spec frame, and the references, SKUs
    and names of the changes listed; the evaluator runs twice over the frame with numpy.
    """
    frame = case_frame(cases)
    if len(frame):
        at_first = screen_frame(frame, catalogue, first).outcomes.to_numpy()
        at_second = screen_frame(frame, catalogue, second).outcomes.to_numpy()
    else:
        at_first = at_second = []
    frame = frame.assign(outcome_first=at_first, outcome_second=at_second)

    per_outcome = []
    for outcome in OUTCOMES:
        a = frame["outcome_first"] == outcome
        b = frame["outcome_second"] == outcome
        per_outcome.append(
            {
                "outcome": outcome,
                "cases_first": int(a.sum()),
                "value_first": float(frame.loc[a, "value_usd"].sum()),
                "cases_second": int(b.sum()),
                "value_second": float(frame.loc[b, "value_usd"].sum()),
            }
        )

    changed = frame[frame["outcome_first"] != frame["outcome_second"]]
    transitions = (
        changed.groupby(["outcome_first", "outcome_second"], as_index=False)
        .agg(cases=("case", "size"), value_usd=("value_usd", "sum"))
        .sort_values(["cases", "value_usd"], ascending=[False, False])
        .reset_index(drop=True)
    )
    changes = changed.sort_values(["value_usd", "case"], ascending=[False, True])
    if limit is not None:
        changes = changes.head(limit)
    return Scenario(
        first=first,
        second=second,
        cases=len(frame),
        outcomes=pd.DataFrame(per_outcome),
        transitions=transitions,
        changes=_described(changes, cases),
        changed=len(changed),
        changed_value=float(changed["value_usd"].sum()),
        listed=len(changed),
    )


CHANGE_COLUMNS = [
    "case",
    "reference",
    "sku",
    "name",
    "category",
    "destination",
    "value_usd",
    "outcome_first",
    "outcome_second",
]


def no_changes() -> pd.DataFrame:
    return pd.DataFrame(columns=CHANGE_COLUMNS)


def visible_changes(
    viewer: User,
    *,
    filters: Filters,
    catalogue: Catalogue,
    first: dt.date,
    second: dt.date,
    limit: int | None = CHANGE_LIST_LIMIT,
) -> tuple[pd.DataFrame, int]:
    """The change list `viewer` may see, and how many changes it lists from: the scenario over
    the cases they may open (Case.objects.visible_to). The charts' figures count every case;
    a row-level table or CSV (reference, SKU, product, destination, value) shows only these."""
    own = scenario(
        filtered_cases(filters, Case.objects.visible_to(viewer)),
        catalogue,
        first,
        second,
        limit=limit,
    )
    return own.changes, own.changed


def _described(changes: pd.DataFrame, cases: QuerySet[Case]) -> pd.DataFrame:
    """The changes with each case's reference, product SKU and name. One query: by id for a
    page's worth, else over the selected cases (a long list is a CSV download)."""
    ids = [int(pk) for pk in changes["case"]]
    wanted = set(ids)
    source = Case.objects.filter(pk__in=ids) if len(ids) <= 1000 else cases
    found = source.order_by().values_list("pk", "created_at", "product__sku", "spec__name")
    details = {}
    if ids:
        for pk, created, sku, name in found:
            if pk in wanted:
                details[pk] = (Case(pk=pk, created_at=created).reference, sku, name)
    described = changes.assign(
        reference=[details[pk][0] for pk in ids],
        sku=[details[pk][1] for pk in ids],
        name=[details[pk][2] for pk in ids],
    ).rename(columns={"destination_country": "destination"})
    return described[CHANGE_COLUMNS].reset_index(drop=True)


def default_scenario(catalogue: Catalogue | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """The dates the scenario compares unless the user picks others: the day before a
    suspension lapses and the day it lapses (default_comparison_date)."""
    lapse = default_comparison_date(catalogue, today)
    return lapse - dt.timedelta(days=1), lapse


def scenario_dates(
    catalogue: Catalogue | None, today: dt.date, first: dt.date | None, second: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The two dates a report compares, where one is missing (or was invalid): today, and
    the day a suspension lapses."""
    return first or today, second or default_comparison_date(catalogue, today)


def default_comparison_date(catalogue: Catalogue | None, today: dt.date) -> dt.date:
    """The day after a suspension of a listing measure ends: the next such day after today,
    else the most recent one (for the shipped rules: 2026-11-11, when No. 70's suspension of
    No. 58 lapsed). Taken from the status windows, so an extended suspension moves it."""
    if catalogue is None:
        return today
    days = sorted(
        {
            window.end + dt.timedelta(days=1)
            for measure in catalogue.measures
            if measure.entries
            for window in measure.windows
            if window.status == "suspended" and window.end is not None
        }
    )
    upcoming = [day for day in days if day > today]
    if upcoming:
        return upcoming[0]
    return days[-1] if days else today


def _as_of(day: dt.date) -> str:
    return _("as of %(date)s") % {"date": day.isoformat()}


def _examples(changes: pd.DataFrame, column: str, outcome: str, heading: str, n: int = 3) -> str:
    """A hover line naming the first few changed products (by SKU) with this outcome."""
    skus = list(changes.loc[changes[column] == outcome, "sku"])
    if not skus:
        return ""
    more = "…" if len(skus) > n else ""
    return f"<br>{escape(heading)}: {', '.join(escape(sku) for sku in skus[:n])}{more}"


def scenario_chart(s: Scenario, today: dt.date) -> Chart:
    shown = s.outcomes[(s.outcomes["cases_first"] > 0) | (s.outcomes["cases_second"] > 0)]
    long = pd.concat(
        [
            shown.assign(day=str(day), cases=shown[f"cases_{n}"], value_usd=shown[f"value_{n}"])
            for n, day in (("first", s.first), ("second", s.second))
        ]
    )
    days = {str(s.first): s.first, str(s.second): s.second}
    colours = {str(s.first): "#9aa3b2", str(s.second): "#2c6fbb"}
    # Name a few of the products that change (largest value first) in the hover of each bar.
    notes = {}
    for o in shown["outcome"]:
        notes[(str(s.first), o)] = _examples(s.changes, "outcome_first", o, _("Changing from this"))
        notes[(str(s.second), o)] = _examples(s.changes, "outcome_second", o, _("New here"))
    figure = cases_and_value(
        frame=long,
        along="outcome",
        positions=list(shown["outcome"]),
        by="day",
        series=list(days),
        label=outcome_label,
        name=lambda d: _as_of(days[d]),
        colour=colours.__getitem__,
        link=lambda o, d: "",
        note=lambda o, d: notes[(d, o)],
        barmode="group",
        height=420,
    )
    table = Table(
        [
            _("Automated outcome"),
            _("Cases %(as_of)s") % {"as_of": _as_of(s.first)},
            _("Value %(as_of)s (USD)") % {"as_of": _as_of(s.first)},
            _("Cases %(as_of)s") % {"as_of": _as_of(s.second)},
            _("Value %(as_of)s (USD)") % {"as_of": _as_of(s.second)},
        ],
        ["text", "int", "usd", "int", "usd"],
        [
            [outcome_label(r.outcome), r.cases_first, r.value_first, r.cases_second, r.value_second]
            for r in rows(shown)
        ],
    )
    summary = _(
        "Every case's frozen spec screened with the current rules as of both dates: "
        "%(changed)s of %(cases)s cases (%(value)s) change outcome."
    ) % {"changed": count(s.changed), "cases": count(s.cases), "value": usd(s.changed_value)}
    return chart(
        "scenario",
        _("Exposure as of %(first)s and as of %(second)s")
        % {"first": s.first.isoformat(), "second": s.second.isoformat()},
        summary,
        table,
        figure,
        today,
        legend="corner",
        csv="scenario",
        wide=True,
    )


def changes_table(s: Scenario, *, link_cases: bool = False) -> Table:
    return Table(
        [
            _("Case"),
            _("SKU"),
            _("Product"),
            _("Category"),
            _("Destination"),
            _("Expected value (USD)"),
            _("Outcome %(as_of)s") % {"as_of": _as_of(s.first)},
            _("Outcome %(as_of)s") % {"as_of": _as_of(s.second)},
        ],
        ["text", "text", "text", "text", "text", "usd", "text", "text"],
        [
            [
                r.reference,
                r.sku,
                r.name,
                category_label(r.category),
                r.destination,
                r.value_usd,
                outcome_label(r.outcome_first),
                outcome_label(r.outcome_second),
            ]
            for r in rows(s.changes)
        ],
        [reverse("case_detail", args=[r.case]) if link_cases else "" for r in rows(s.changes)],
    )


def transitions_table(s: Scenario) -> Table:
    return Table(
        [
            _("Outcome %(as_of)s") % {"as_of": _as_of(s.first)},
            _("Outcome %(as_of)s") % {"as_of": _as_of(s.second)},
            _("Cases"),
            _("Expected value (USD)"),
        ],
        ["text", "text", "int", "usd"],
        [
            [outcome_label(r.outcome_first), outcome_label(r.outcome_second), r.cases, r.value_usd]
            for r in rows(s.transitions)
        ],
    )


def compute(scope: Scope) -> dict[str, Any]:
    if scope.catalogue is None:
        return {}
    return {
        "scenario": scenario(
            scope.cases, scope.catalogue, scope.first, scope.second, limit=scope.change_limit
        )
    }


def charts(s: Scenario, view: View) -> list[Chart]:
    return [scenario_chart(s, view.today)]


SECTION = Section(
    name="scenario",
    place="scenario",
    fields=("scenario",),
    compute=compute,
    charts=charts,
    csv={
        "scenario": lambda s, view: scenario_chart(s, view.today).table,
        "changes": lambda s, view: changes_table(s),
    },
)
