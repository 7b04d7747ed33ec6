"""Exposure by category: cases and their expected value by category and automated outcome (the
outcome a case was opened with). Its bars open the case list."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.db.models import Count, F, QuerySet, Sum
from django.utils.translation import gettext as _

from rules.labels import category_label
from rules.vocabulary import CATEGORIES, OUTCOMES
from screening.dashboard.charts import Chart, Table, cases_and_value, chart, rows
from screening.dashboard.section import Scope, Section, View, frame, sorted_by_outcome
from screening.dashboard.theme import CATEGORY_COLOURS, count, outcome_label, usd
from screening.models import Case


def exposure_by_category(cases: QuerySet[Case]) -> pd.DataFrame:
    """Cases and expected value by automated outcome and category. One query."""
    grouped = (
        cases.values(outcome=F("automated_outcome"), cat=F("category"))
        .annotate(cases=Count("pk"), value_usd=Sum("expected_value_usd"))
        .order_by()
    )
    result = frame(grouped, ["outcome", "cat", "cases", "value_usd"])
    result = result.rename(columns={"cat": "category"})
    return sorted_by_outcome(result, ["category"])


def compute(scope: Scope) -> dict[str, Any]:
    return {"by_category": exposure_by_category(scope.cases)}


def category_chart(by_category: pd.DataFrame, view: View) -> Chart:
    links = view.links
    figure = cases_and_value(
        frame=by_category,
        along="outcome",
        positions=[o for o in OUTCOMES if o in set(by_category["outcome"])],
        by="category",
        series=CATEGORIES,
        label=outcome_label,
        name=category_label,
        colour=CATEGORY_COLOURS.__getitem__,
        link=lambda o, c: links(category=c, outcome=o),
        height=440,
    )
    table = Table(
        [_("Automated outcome"), _("Category"), _("Cases"), _("Expected value (USD)")],
        ["text", "text", "int", "usd"],
        [
            [outcome_label(r.outcome), category_label(r.category), r.cases, r.value_usd]
            for r in rows(by_category)
        ],
        [links(category=r.category, outcome=r.outcome) for r in rows(by_category)],
    )
    licensed = by_category[by_category["outcome"] == "licence_required"]
    summary = _(
        "%(cases)s cases worth %(value)s; %(licensed)s of them (%(licensed_value)s) need a "
        "licence by their automated outcome."
    ) % {
        "cases": count(by_category["cases"].sum()),
        "value": usd(by_category["value_usd"].sum()),
        "licensed": count(licensed["cases"].sum()),
        "licensed_value": usd(licensed["value_usd"].sum()),
    }
    return chart(
        "category",
        _("Exposure by category and automated outcome"),
        summary,
        table,
        figure,
        view.today,
        csv="category",
        linked=links.enabled,
        wide=True,
    )


def charts(by_category: pd.DataFrame, view: View) -> list[Chart]:
    return [category_chart(by_category, view)]


SECTION = Section(
    name="category",
    place="exposure",
    fields=("by_category",),
    compute=compute,
    charts=charts,
    csv={"category": lambda by_category, view: category_chart(by_category, view).table},
)
