"""Over time: screenings made and cases decided per week (weeks start on Monday)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext as _

from screening.dashboard.charts import Chart, Table, chart, rows
from screening.dashboard.filters import filtered_screenings
from screening.dashboard.section import Scope, Section, View
from screening.dashboard.theme import count, escape
from screening.models import Case, Screening


def activity_by_week(cases: QuerySet[Case], screenings: QuerySet[Screening]) -> pd.DataFrame:
    """Screenings made and cases decided per week (weeks start on Monday). Two queries."""
    screened = (
        screenings.annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    decided = (
        cases.filter(decided_at__isnull=False)
        .annotate(week=TruncWeek("decided_at"))
        .values("week")
        .annotate(n=Count("pk"))
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
    return {"activity": activity_by_week(scope.cases, filtered_screenings(scope.filters))}


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
    summary = _("%(s)s screenings and %(d)s determinations over %(w)s weeks.") % {
        "s": count(activity["screenings"].sum()),
        "d": count(activity["determinations"].sum()),
        "w": count(len(activity)),
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
