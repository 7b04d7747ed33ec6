"""Where it goes: cases and their expected value by destination country and automated outcome,
the largest destinations by name and the rest as "Other". Its bars open the case list."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from rules.labels import country_name
from rules.vocabulary import OUTCOMES
from screening.dashboard.charts import Chart, Table, chart, rows, stacked
from screening.dashboard.section import OUTCOME_ORDER, Scope, Section, View, case_totals, frame
from screening.dashboard.theme import OUTCOME_COLOURS, escape, money_axis, outcome_label
from screening.models import Case, CaseRollup

TOP_DESTINATIONS = 15


def exposure_by_destination(
    cases: QuerySet[Case], rollup: QuerySet[CaseRollup] | None = None
) -> pd.DataFrame:
    """Cases and expected value by destination country and outcome. One query (on the case
    summary's rows for these cases when given)."""
    grouped = case_totals(
        cases, rollup, destination="destination_country", outcome="automated_outcome"
    )
    result = frame(grouped, ["destination", "outcome", "cases", "value_usd"])
    totals = result.groupby("destination")["value_usd"].transform("sum")
    result = result.assign(_total=totals, _order=result["outcome"].map(OUTCOME_ORDER))
    result = result.sort_values(["_total", "destination", "_order"], ascending=[False, True, True])
    return result.drop(columns=["_total", "_order"]).reset_index(drop=True)


def compute(scope: Scope) -> dict[str, Any]:
    return {"by_destination": exposure_by_destination(scope.cases, scope.rollup)}


def destination_chart(by_destination: pd.DataFrame, view: View) -> Chart:
    links = view.links
    order = list(dict.fromkeys(by_destination["destination"]))
    top, rest = order[:TOP_DESTINATIONS], order[TOP_DESTINATIONS:]
    other = _("Other")
    shown = (
        by_destination.assign(
            place=[d if d in top else other for d in by_destination["destination"]]
        )
        .groupby(["place", "outcome"], as_index=False)[["cases", "value_usd"]]
        .sum()
    )
    traces = stacked(
        shown,
        along="place",
        positions=top + ([other] if rest else []),
        by="outcome",
        series=OUTCOMES,
        value="value_usd",
        label=lambda p: escape(p or "—"),
        name=outcome_label,
        colour=OUTCOME_COLOURS.__getitem__,
        link=lambda p, o: links(destination=p, outcome=o) if p != other else "",
    )
    highest = float(shown.groupby("place")["value_usd"].sum().max()) if len(shown) else 0.0
    figure = {
        "data": traces,
        "layout": {"barmode": "stack", "height": 420, "yaxis": money_axis(highest)},
    }
    table = Table(
        [_("Destination"), _("Automated outcome"), _("Cases"), _("Expected value (USD)")],
        ["text", "text", "int", "usd"],
        [
            [
                f"{r.destination} {country_name(r.destination)}".strip(),
                outcome_label(r.outcome),
                r.cases,
                r.value_usd,
            ]
            for r in rows(by_destination)
        ],
        [links(destination=r.destination, outcome=r.outcome) for r in rows(by_destination)],
    )
    summary = _(
        "Expected value by destination (ISO country code) and automated outcome; the %(n)s "
        "largest destinations are shown, the rest as “Other”."
    ) % {"n": TOP_DESTINATIONS}
    return chart(
        "destination",
        _("Where it goes: expected value by destination"),
        summary,
        table,
        figure,
        view.today,
        legend="corner",
        csv="destination",
        linked=links.enabled,
        wide=True,
    )


def charts(by_destination: pd.DataFrame, view: View) -> list[Chart]:
    return [destination_chart(by_destination, view)]


SECTION = Section(
    name="destination",
    place="cases",
    fields=("by_destination",),
    compute=compute,
    charts=charts,
    csv={"destination": lambda by_destination, view: destination_chart(by_destination, view).table},
)
