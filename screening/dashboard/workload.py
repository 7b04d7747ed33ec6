"""Reviewer workload: the cases in review per reviewer, most loaded first, and the submitted
cases no reviewer has taken yet. Its bars open the case list."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.db.models import Count, F, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from screening.dashboard.charts import Chart, Table, bar_list, chart, rows
from screening.dashboard.section import Scope, Section, View, frame
from screening.dashboard.theme import STATE_COLOURS, count, escape, usd
from screening.models import Case
from screening.states import State


def reviewer_workload(cases: QuerySet[Case]) -> pd.DataFrame:
    """Cases in review per reviewer (most loaded first), and a last row for the submitted cases
    no reviewer has taken yet (reviewer ""; state "submitted"). One query."""
    grouped = (
        cases.filter(state__in=[State.IN_REVIEW, State.SUBMITTED])
        .values("state", reviewer_name=F("reviewer__username"))
        .annotate(cases=Count("pk"), value_usd=Sum("expected_value_usd"))
        .order_by()
    )
    result = frame(grouped, ["state", "reviewer_name", "cases", "value_usd"])
    result = result.rename(columns={"reviewer_name": "reviewer"})
    result["reviewer"] = result["reviewer"].fillna("").astype(str)
    reviewing = result[result["state"] == State.IN_REVIEW]
    reviewing = reviewing.sort_values(["cases", "reviewer"], ascending=[False, True])
    waiting = result[result["state"] == State.SUBMITTED]
    queue = pd.DataFrame(
        {
            "state": [str(State.SUBMITTED)],
            "reviewer": [""],
            "cases": [int(waiting["cases"].sum())],
            "value_usd": [float(waiting["value_usd"].sum())],
        }
    )
    return pd.concat([reviewing, queue], ignore_index=True)


def compute(scope: Scope) -> dict[str, Any]:
    return {"workload": reviewer_workload(scope.cases)}


def workload_chart(workload: pd.DataFrame, view: View) -> Chart:
    links = view.links
    reviewing = workload[workload["state"] == State.IN_REVIEW]
    names = [
        (r.reviewer or _("(no reviewer)"))
        if r.state == State.IN_REVIEW
        else _("Not yet taken (submitted)")
        for r in rows(workload)
    ]
    targets = [
        links(state="in_review", assignee=r.reviewer)
        if r.state == State.IN_REVIEW
        else links(state="submitted")
        for r in rows(workload)
    ]
    figure = bar_list(
        [escape(n) for n in names],
        workload["cases"].tolist(),
        [STATE_COLOURS[s] for s in workload["state"]],
        [
            f"<b>{escape(n)}</b><br>{count(c)} · {usd(v)}"
            for n, c, v in zip(names, workload["cases"], workload["value_usd"], strict=True)
        ],
        targets,
    )
    figure["layout"]["height"] = max(260, 120 + 34 * len(names))
    table = Table(
        [_("Reviewer"), _("Cases"), _("Expected value (USD)")],
        ["text", "int", "usd"],
        [[n, r.cases, r.value_usd] for n, r in zip(names, rows(workload), strict=True)],
        targets,
    )
    if not workload["cases"].sum():
        table.rows = []
    summary = ngettext(
        "%(n)s reviewer has %(cases)s cases in review; %(waiting)s submitted cases wait to "
        "be taken.",
        "%(n)s reviewers have %(cases)s cases in review; %(waiting)s submitted cases wait to "
        "be taken.",
        len(reviewing),
    ) % {
        "n": count(len(reviewing)),
        "cases": count(reviewing["cases"].sum()),
        "waiting": count(workload["cases"].iloc[-1]),
    }
    return chart(
        "workload",
        _("Reviewer workload"),
        summary,
        table,
        figure,
        view.today,
        csv="workload",
        size="sm",
        linked=links.enabled,
    )


def charts(workload: pd.DataFrame, view: View) -> list[Chart]:
    return [workload_chart(workload, view)]


SECTION = Section(
    name="workload",
    place="workflow",
    fields=("workload",),
    compute=compute,
    charts=charts,
    csv={"workload": lambda workload, view: workload_chart(workload, view).table},
)
