"""Exposure by control entry: cases and their expected value per entry their screenings hit
(matched, may match, came near), with the entry's measure status today. Its bars open the case
list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from django.db.models import Count, F, QuerySet, Sum
from django.utils.translation import gettext as _

from rules.catalogue import Catalogue
from rules.labels import ENTRY_RESULT_LABELS, STATUS_LABELS, entry_result_label
from screening.dashboard.charts import Chart, Table, cases_and_value, chart, rows
from screening.dashboard.section import Scope, Section, View, frame
from screening.dashboard.theme import HIT_COLOURS
from screening.models import Case


def exposure_by_entry(
    cases: QuerySet[Case], catalogue: Catalogue | None, today: dt.date
) -> pd.DataFrame:
    """Cases and expected value per entry their screenings hit (match, unknown or near), with
    the entry's measure status today. One query.

    A screening hits each entry key at most once, so grouping by key counts every case once per
    entry and the value sums are exact.
    """
    grouped = (
        cases.filter(screening__hits__isnull=False)
        .values(
            key=F("screening__hits__key"),
            measure=F("screening__hits__measure"),
            code=F("screening__hits__code"),
            result=F("screening__hits__result"),
        )
        .annotate(cases=Count("pk"), value_usd=Sum("expected_value_usd"))
        .order_by()
    )
    result = frame(grouped, ["key", "measure", "code", "result", "cases", "value_usd"])
    measures = catalogue.measures_by_key if catalogue is not None else {}
    result["status"] = [
        measures[m].status_on(today) if m in measures else "unknown" for m in result["measure"]
    ]
    totals = result.groupby("key")["cases"].transform("sum")
    return (
        result.assign(_total=totals)
        .sort_values(["_total", "key", "result"], ascending=[False, True, True])
        .drop(columns="_total")
        .reset_index(drop=True)
    )


def compute(scope: Scope) -> dict[str, Any]:
    return {"by_entry": exposure_by_entry(scope.cases, scope.catalogue, scope.today)}


def entry_chart(by_entry: pd.DataFrame, view: View) -> Chart:
    links, today = view.links, view.today
    keys = list(dict.fromkeys(by_entry["key"]))
    status = dict(zip(by_entry["key"], by_entry["status"], strict=True))

    def label(key: str) -> str:
        return f"{key} · {STATUS_LABELS.get(status[key], status[key])}"

    figure = cases_and_value(
        frame=by_entry,
        along="key",
        positions=keys,
        by="result",
        series=("match", "unknown", "near"),
        label=label,
        name=lambda r: str(ENTRY_RESULT_LABELS[r]),
        colour=HIT_COLOURS.__getitem__,
        link=lambda k, r: links(entry=k),
        horizontal=True,
        height=max(300, 130 + 24 * len(keys)),
    )
    table = Table(
        [_("Entry"), _("Status today"), _("Result"), _("Cases"), _("Expected value (USD)")],
        ["text", "text", "text", "int", "usd"],
        [
            [
                r.key,
                str(STATUS_LABELS.get(r.status, r.status)),
                entry_result_label(r.result),
                r.cases,
                r.value_usd,
            ]
            for r in rows(by_entry)
        ],
        [links(entry=r.key) for r in rows(by_entry)],
    )
    summary = _(
        "Entries the cases' screenings matched, may match (unknown) or came near, with each "
        "measure's status today (%(today)s). A case counts once under every entry it hits."
    ) % {"today": today.isoformat()}
    return chart(
        "entry",
        _("Exposure by control entry"),
        summary,
        table,
        figure,
        today,
        legend="corner",
        csv="entry",
        size="lg" if len(keys) > 10 else "md",
        linked=links.enabled,
        wide=True,
    )


def charts(by_entry: pd.DataFrame, view: View) -> list[Chart]:
    return [entry_chart(by_entry, view)]


SECTION = Section(
    name="entry",
    place="exposure",
    fields=("by_entry",),
    compute=compute,
    charts=charts,
    csv={"entry": lambda by_entry, view: entry_chart(by_entry, view).table},
)
