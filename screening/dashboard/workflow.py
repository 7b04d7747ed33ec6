"""How the work flows: cases and their expected value by state, the open cases by days in their
state (ageing), and the open cases flagged to re-review since the rules changed. Its bars open
the case list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from screening.dashboard.charts import Chart, Table, bar_list, chart, rows, stacked
from screening.dashboard.section import Scope, Section, View, frame
from screening.dashboard.theme import STATE_COLOURS, count, escape, state_label, usd
from screening.models import Case, CaseRollup
from screening.states import OPEN_STATES, State

# Days in the current state: (label key, last day of the bucket; None = open-ended).
AGE_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("0-2", 2),
    ("3-7", 7),
    ("8-14", 14),
    ("15-30", 30),
    ("31-60", 60),
    ("61+", None),
)
AGE_LABELS = {
    "0-2": gettext_lazy("0–2"),
    "3-7": gettext_lazy("3–7"),
    "8-14": gettext_lazy("8–14"),
    "15-30": gettext_lazy("15–30"),
    "31-60": gettext_lazy("31–60"),
    "61+": gettext_lazy("over 60"),
}


def cases_by_state(cases: QuerySet[Case], now: dt.datetime) -> pd.DataFrame:
    """Cases and expected value by state and by days in that state (AGE_BUCKETS). One query.

    Days in state are bucketed by comparing state_changed_at with cut-off times, so the database
    does no date arithmetic and SQLite and PostgreSQL agree. Each bucket is a filtered count and
    sum of one GROUP BY state, which the (state, state_changed_at, …) index answers in its own
    order (no sort; it covers every column the filters and sums read, so no case row is read).
    """
    cutoffs = [now - dt.timedelta(days=last + 1) for _, last in AGE_BUCKETS if last is not None]
    conditions = []
    for i, cutoff in enumerate(cutoffs):
        newer = Q(state_changed_at__gt=cutoff)
        conditions.append(newer if i == 0 else newer & Q(state_changed_at__lte=cutoffs[i - 1]))
    conditions.append(Q(state_changed_at__lte=cutoffs[-1]) | Q(state_changed_at__isnull=True))
    sums: dict[str, Any] = {}
    for i, condition in enumerate(conditions):
        sums[f"cases_{i}"] = Count("pk", filter=condition)
        sums[f"value_{i}"] = Sum("expected_value_usd", filter=condition)
    grouped = cases.values("state").annotate(**sums).order_by()
    found = [
        {"state": r["state"], "bucket": i, "cases": r[f"cases_{i}"], "value_usd": r[f"value_{i}"]}
        for r in grouped
        for i in range(len(conditions))
        if r[f"cases_{i}"]
    ]
    result = frame(found, ["state", "bucket", "cases", "value_usd"])
    result["age"] = [AGE_BUCKETS[int(b)][0] for b in result["bucket"]]
    order = {state: i for i, state in enumerate(State.values)}
    result = result.assign(_order=result["state"].map(order))
    result = result.sort_values(["_order", "bucket"]).drop(columns="_order")
    return result.reset_index(drop=True)


def state_totals(by_state: pd.DataFrame) -> pd.DataFrame:
    """Cases and value per state (every state, zero where none), from cases_by_state."""
    totals = by_state.groupby("state")[["cases", "value_usd"]].sum()
    totals = totals.reindex(list(State.values), fill_value=0)
    totals["cases"] = totals["cases"].astype(int)
    return totals.rename_axis("state").reset_index()


def ageing(by_state: pd.DataFrame) -> pd.DataFrame:
    """Open cases per state and age bucket (every bucket, zero where none)."""
    open_states = [str(s) for s in OPEN_STATES]
    grid = pd.MultiIndex.from_product(
        [open_states, range(len(AGE_BUCKETS))], names=["state", "bucket"]
    )
    counts = (
        by_state[by_state["state"].isin(open_states)]
        .groupby(["state", "bucket"])["cases"]
        .sum()
        .reindex(grid, fill_value=0)
        .reset_index()
    )
    counts["age"] = [AGE_BUCKETS[int(b)][0] for b in counts["bucket"]]
    counts["cases"] = counts["cases"].astype(int)
    return counts[["state", "bucket", "age", "cases"]]


def to_rereview(cases: QuerySet[Case], rollup: QuerySet[CaseRollup] | None = None) -> int:
    """Open cases flagged "rules changed: re-review" (a partial index holds exactly these; the
    case summary counts them too)."""
    if rollup is not None:
        flagged = rollup.filter(rules_changed=True, state__in=OPEN_STATES)
        return int(flagged.aggregate(n=Sum("case_count"))["n"] or 0)
    return cases.filter(rules_changed=True, state__in=OPEN_STATES).count()


def compute(scope: Scope) -> dict[str, Any]:
    return {
        "by_state": cases_by_state(scope.cases, scope.now),
        "rereview": to_rereview(scope.cases, scope.rollup),
    }


def state_chart(by_state: pd.DataFrame, view: View) -> Chart:
    links = view.links
    totals = state_totals(by_state)
    labels = [escape(state_label(s)) for s in totals["state"]]
    figure = bar_list(
        labels,
        totals["cases"].tolist(),
        [STATE_COLOURS[s] for s in totals["state"]],
        [
            f"<b>{label}</b><br>{count(c)} · {usd(v)}"
            for label, c, v in zip(labels, totals["cases"], totals["value_usd"], strict=True)
        ],
        [
            links(state=s) if c else ""
            for s, c in zip(totals["state"], totals["cases"], strict=True)
        ],
    )
    figure["layout"]["height"] = 340
    table = Table(
        [_("State"), _("Cases"), _("Expected value (USD)")],
        ["text", "int", "usd"],
        [[state_label(r.state), r.cases, r.value_usd] for r in rows(totals)],
        [links(state=r.state) if r.cases else "" for r in rows(totals)],
    )
    if not totals["cases"].sum():
        table.rows = []
    every = int(totals["cases"].sum())
    summary = ngettext(
        "%(open)s of %(all)s case is open (draft, submitted, in review, returned).",
        "%(open)s of %(all)s cases are open (draft, submitted, in review, returned).",
        every,
    ) % {
        "open": count(totals[totals["state"].isin(OPEN_STATES)]["cases"].sum()),
        "all": count(every),
    }
    return chart(
        "state",
        _("Cases by state"),
        summary,
        table,
        figure,
        view.today,
        csv="workflow",
        size="sm",
        linked=links.enabled,
    )


def ageing_chart(by_state: pd.DataFrame, view: View) -> Chart:
    links = view.links
    counts = ageing(by_state)
    traces = stacked(
        counts.assign(value_usd=0.0),  # not shown: the bars count cases
        along="age",
        positions=[key for key, _last in AGE_BUCKETS],
        by="state",
        series=[str(s) for s in OPEN_STATES],
        value="cases",
        label=lambda a: escape(AGE_LABELS[a]),
        name=state_label,
        colour=STATE_COLOURS.__getitem__,
        link=lambda a, s: links(state=s, sort="oldest"),
        with_value=False,
    )
    figure = {
        "data": traces,
        "layout": {
            "barmode": "stack",
            "height": 340,
            "xaxis": {"title": {"text": escape(_("Days in the current state"))}},
        },
    }
    nonzero = counts[counts["cases"] > 0]
    table = Table(
        [_("State"), _("Days in state"), _("Cases")],
        ["text", "text", "int"],
        [[state_label(r.state), str(AGE_LABELS[r.age]), r.cases] for r in rows(nonzero)],
        [links(state=r.state, sort="oldest") for r in rows(nonzero)],
    )
    stale = int(counts[counts["bucket"] >= 3]["cases"].sum())
    summary = ngettext(
        "%(n)s open case has been in its state for more than 14 days.",
        "%(n)s open cases have been in their state for more than 14 days.",
        stale,
    ) % {"n": count(stale)}
    return chart(
        "ageing",
        _("Ageing of open cases"),
        summary,
        table,
        figure,
        view.today,
        legend="above",
        csv="workflow",
        size="sm",
        linked=links.enabled,
    )


def workflow_table(by_state: pd.DataFrame, rereview: int | None, view: View) -> Table:
    """Cases per state and days in state (every state, open or not): the workflow CSV."""
    return Table(
        [_("State"), _("Days in state"), _("Cases"), _("Expected value (USD)")],
        ["text", "text", "int", "usd"],
        [
            [state_label(r.state), str(AGE_LABELS[r.age]), r.cases, r.value_usd]
            for r in rows(by_state)
        ],
    )


def charts(by_state: pd.DataFrame, rereview: int | None, view: View) -> list[Chart]:
    return [state_chart(by_state, view), ageing_chart(by_state, view)]


SECTION = Section(
    name="workflow",
    place="workflow",
    fields=("by_state", "rereview"),
    compute=compute,
    charts=charts,
    csv={"workflow": workflow_table},
)
