"""Over time: screenings made and cases decided per week (weeks start on Monday)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pandas as pd
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from screening.dashboard.charts import Chart, Table, chart, rows
from screening.dashboard.filters import filtered_screenings
from screening.dashboard.section import Scope, Section, View
from screening.dashboard.theme import count, escape
from screening.models import Case, CaseRollup, Screening, ScreeningRollup
from screening.models.rollup import NOT_DECIDED
from screening.rollup import week_of


def activity_by_week(
    cases: QuerySet[Case],
    screenings: QuerySet[Screening],
    rollup: QuerySet[CaseRollup] | None = None,
    screening_rollup: QuerySet[ScreeningRollup] | None = None,
) -> pd.DataFrame:
    """Screenings made and cases decided per week (weeks start on Monday). Two queries, on the
    summaries' rows for these cases and screenings when given."""
    screened: Iterable[dict[str, Any]] = (
        screenings.annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
        if screening_rollup is None
        else (
            {"week": week_of(row["created_on"]), "n": row["n"]}
            for row in screening_rollup.values("created_on")
            .annotate(n=Sum("screening_count"))
            .filter(n__gt=0)
            .order_by()
        )
    )
    decided: Iterable[dict[str, Any]] = (
        cases.filter(decided_at__isnull=False)
        .annotate(week=TruncWeek("decided_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
        if rollup is None
        else rollup.exclude(decided_week=NOT_DECIDED)
        .values(week=F("decided_week"))
        .annotate(n=Sum("case_count"))
        .filter(n__gt=0)
        .order_by()
    )
    counts: dict[str, dict[dt.date, int]] = {"screenings": {}, "determinations": {}}
    for name, grouped in (("screenings", screened), ("determinations", decided)):
        for row in grouped:
            week = row["week"]
            day = week.date() if isinstance(week, dt.datetime) else week
            counts[name][day] = counts[name].get(day, 0) + row["n"]
    days = sorted(set(counts["screenings"]) | set(counts["determinations"]))
    if not days:
        return pd.DataFrame(
            {
                "week": pd.Series([], dtype=object),
                "screenings": pd.Series([], dtype=int),
                "determinations": pd.Series([], dtype=int),
            }
        )
    weeks = [days[0] + dt.timedelta(weeks=i) for i in range((days[-1] - days[0]).days // 7 + 1)]
    return pd.DataFrame(
        {
            "week": weeks,
            "screenings": [counts["screenings"].get(w, 0) for w in weeks],
            "determinations": [counts["determinations"].get(w, 0) for w in weeks],
        }
    )


def compute(scope: Scope) -> dict[str, Any]:
    return {
        "activity": activity_by_week(
            scope.cases, filtered_screenings(scope.filters), scope.rollup, scope.screening_rollup
        )
    }


def activity_chart(activity: pd.DataFrame, view: View) -> Chart:
    weeks = [w.isoformat() for w in activity["week"]]
    traces = [
        {
            "type": "bar",
            "x": weeks,
            "y": activity[column].tolist(),
            "name": escape(name),
            "marker": {"color": colour},
            "hovertemplate": f"{escape(name)}<br>%{{x}}: %{{y:,}}<extra></extra>",
        }
        for column, name, colour in (
            ("screenings", _("Screenings"), "#2c6fbb"),
            ("determinations", _("Determinations"), "#1b7f3b"),
        )
    ]
    figure = {
        "data": traces,
        "layout": {
            "barmode": "group",
            "bargap": 0.3,
            "height": 340,
            # Weeks as categories: one week or a hundred, each bar is a labelled week.
            "xaxis": {"type": "category", "title": {"text": escape(_("Week starting"))}},
            "yaxis": {"rangemode": "tozero"},
        },
    }
    table = Table(
        [_("Week starting"), _("Screenings"), _("Determinations")],
        ["text", "int", "int"],
        [[r.week.isoformat(), r.screenings, r.determinations] for r in rows(activity)],
    )
    screenings = int(activity["screenings"].sum())
    determinations = int(activity["determinations"].sum())
    summary = _("%(screenings)s and %(determinations)s %(weeks)s.") % {
        "screenings": ngettext("%(n)s screening", "%(n)s screenings", screenings)
        % {"n": count(screenings)},
        "determinations": ngettext("%(n)s determination", "%(n)s determinations", determinations)
        % {"n": count(determinations)},
        "weeks": ngettext("in %(n)s week", "over %(n)s weeks", len(activity))
        % {"n": count(len(activity))},
    }
    return chart(
        "activity",
        _("Screenings and determinations per week"),
        summary,
        table,
        figure,
        view.today,
        zoom=True,
        legend="corner",
        csv="activity",
        size="sm",
        wide=True,
    )


def charts(activity: pd.DataFrame, view: View) -> list[Chart]:
    return [activity_chart(activity, view)]


SECTION = Section(
    name="activity",
    place="activity",
    fields=("activity",),
    compute=compute,
    charts=charts,
    csv={"activity": lambda activity, view: activity_chart(activity, view).table},
)
