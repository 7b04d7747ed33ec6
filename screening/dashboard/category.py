"""Cases by category: cases and their expected value by category and automated outcome (the
outcome a case was opened with). Its bars open the case list."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rules.labels import category_label
from rules.vocabulary import CATEGORIES, OUTCOMES
from screening.dashboard.charts import Chart, Table, cases_and_value, chart, rows
from screening.dashboard.section import (
    Scope,
    Section,
    View,
    case_totals,
    frame,
    sorted_by_outcome,
)
from screening.dashboard.theme import CATEGORY_COLOURS, count, outcome_label, usd
from screening.models import Case, CaseRollup


def exposure_by_category(
    cases: QuerySet[Case], rollup: QuerySet[CaseRollup] | None = None
) -> pd.DataFrame:
    """Cases and expected value by automated outcome and category. One query (on the case
    summary's rows for these cases when given)."""
    grouped = case_totals(cases, rollup, outcome="automated_outcome", cat="category")
    result = frame(grouped, ["outcome", "cat", "cases", "value_usd"])
    result = result.rename(columns={"cat": "category"})
    return sorted_by_outcome(result, ["category"])


def compute(scope: Scope) -> dict[str, Any]:
    return {"by_category": exposure_by_category(scope.cases, scope.rollup)}


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
    cases, licensed_cases = int(by_category["cases"].sum()), int(licensed["cases"].sum())
    summary = _("%(cases)s; %(licensed)s.") % {
        "cases": ngettext("%(n)s case worth %(value)s", "%(n)s cases worth %(value)s", cases)
        % {"n": count(cases), "value": usd(by_category["value_usd"].sum())},
        "licensed": ngettext(
            "%(n)s of them (%(value)s) needs a licence by its automated outcome",
            "%(n)s of them (%(value)s) need a licence by their automated outcome",
            licensed_cases,
        )
        % {"n": count(licensed_cases), "value": usd(licensed["value_usd"].sum())},
    }
    return chart(
        "category",
        _("Cases by category and automated outcome"),
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
    place="cases",
    fields=("by_category",),
    compute=compute,
    charts=charts,
    csv={"category": lambda by_category, view: category_chart(by_category, view).table},
)
