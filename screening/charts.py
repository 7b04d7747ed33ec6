"""The dashboard's figures: results of screening.dashboard turned into plotly figures, each with
a data table (its text alternative and its CSV).

Figures are plotly's JSON figure format ({"data": [traces], "layout": {...}}, what plotly.js
draws), written as plain dicts: building them through plotly.graph_objects validated every
property and cost 20–50 ms a figure, over a second for the page. The tests pass every figure
through plotly.graph_objects.Figure, which rejects anything plotly does not know.

Text that users typed (product names, SKUs, user names) is HTML-escaped before it reaches
plotly, whose labels understand a little HTML; the figure JSON reaches the page only through
Django's json_script. A bar that stands for a set of cases carries the address of the case list
showing them in its `customdata` (static/js/dashboard.js follows it on click).
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rules.labels import OUTCOME_LABELS
from rules.vocabulary import CATEGORIES, OUTCOMES, PARAMETERS
from screening import exports, labels
from screening.dashboard import (
    AGE_BUCKETS,
    Headline,
    Histogram,
    Report,
    Scenario,
    Threshold,
    ageing,
    headline,
    state_totals,
)
from screening.labels import (
    ENTRY_RESULT_LABELS,
    OPERATOR_SYMBOLS,
    STATUS_LABELS,
    category_label,
    country_name,
    entry_result_label,
    parameter_label,
)
from screening.models.cases import OPEN_STATES, State

Figure = dict[str, Any]  # {"data": [trace, …], "layout": {…}}

# Close to the badges of static/css/app.css, but far enough apart to tell stacked bars apart.
OUTCOME_COLOURS = {
    "invalid": "#9aa3b2",
    "licence_required": "#b2182b",
    "indeterminate": "#e6a700",
    "not_in_force": "#2c6fbb",
    "near_threshold": "#e8702a",
    "not_controlled": "#1b7f3b",
}
HIT_COLOURS = {
    "match": OUTCOME_COLOURS["licence_required"],
    "unknown": OUTCOME_COLOURS["indeterminate"],
    "near": OUTCOME_COLOURS["near_threshold"],
}
STATE_COLOURS = {
    "draft": "#9aa3b2",
    "submitted": "#2c6fbb",
    "in_review": "#5b3cc4",
    "returned": "#e6a700",
    "approved": "#1b7f3b",
    "closed": "#4a5468",
    "withdrawn": "#cfd5de",
}
# Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
CATEGORY_COLOURS = dict(
    zip(
        CATEGORIES,
        ("#0072b2", "#56b4e9", "#d55e00", "#e69f00", "#009e73", "#4d4d4d", "#cc79a7", "#8c6d31"),
        strict=True,
    )
)
THRESHOLD_COLOUR = "#b2182b"
AGE_LABELS = {
    "0-2": gettext_lazy("0–2"),
    "3-7": gettext_lazy("3–7"),
    "8-14": gettext_lazy("8–14"),
    "15-30": gettext_lazy("15–30"),
    "31-60": gettext_lazy("31–60"),
    "61+": gettext_lazy("over 60"),
}
TOP_DESTINATIONS = 15
FONT = (
    'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", '
    '"Noto Sans CJK SC", Roboto, sans-serif'
)
AXIS = {"gridcolor": "#e8ecf2", "zerolinecolor": "#c9d0db", "automargin": True}
# The house style, as a plotly template (a few hundred bytes, not plotly's default 10 kB).
TEMPLATE = {
    "layout": {
        "font": {"family": FONT, "size": 13, "color": "#1d2433"},
        "title": {
            "font": {"size": 15},
            "x": 0.01,
            "xanchor": "left",
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 12},
        },
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "xaxis": AXIS,
        "yaxis": AXIS,
        "margin": {"l": 8, "r": 8, "b": 8},
        "hoverlabel": {"font": {"family": FONT}, "align": "left"},
        "bargap": 0.25,
        "dragmode": False,
    }
}
# Where a legend goes: "right" is plotly's own place; "above" is a row between the title and
# the plot (narrow charts); "corner" is a row on the title's line, at the right (wide charts).
LEGENDS: dict[str, tuple[dict[str, Any], int]] = {
    "right": ({}, 56),
    "above": ({"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"}, 112),
    "corner": (
        {
            "orientation": "h",
            "x": 1,
            "xanchor": "right",
            "yref": "container",
            "y": 1,
            "yanchor": "top",
        },
        64,
    ),
}
USD_AXIS = {"tickprefix": "$", "tickformat": "~s"}
HOVER = "%{hovertext}<extra></extra>"


def escape(text: object) -> str:
    """Text for a plotly label: &, <, > and quotes as entities plotly shows literally."""
    escaped = html.escape(str(text), quote=False)
    return escaped.replace('"', "&#34;").replace("'", "&#39;")


def wrap(text: object, width: int = 16) -> str:
    """An escaped label broken into lines of about `width` characters (at spaces)."""
    lines: list[str] = []
    for word in str(text).split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "<br>".join(escape(line) for line in lines)


def usd(value: float) -> str:
    """US$250,000; 250,000美元 in Chinese (screening.labels)."""
    return labels.usd(value)


def compact_usd(value: float) -> str:
    """US$1.2M, US$350k; by 万 and 亿 in Chinese (screening.labels)."""
    return labels.compact_usd(value)


def count(value: int) -> str:
    return f"{int(value):,}"


def _outcome(code: str) -> str:
    return str(OUTCOME_LABELS.get(code, code))


def _state(code: str) -> str:
    return str(State(code).label) if code in State.values else code


def _rows(frame: pd.DataFrame) -> list[Any]:
    return list(frame.itertuples(index=False))


@dataclass
class Table:
    """A chart's data as rows: the text alternative on the page and the CSV download."""

    columns: list[str]
    kinds: list[str]  # text | int | usd | number
    rows: list[list[Any]]
    # Per row, the case list (or case) its first cell links to; "" for none. The same links as
    # the bars', so keyboard users reach the cases too.
    links: list[str] = field(default_factory=list)

    @property
    def header(self) -> list[tuple[str, bool]]:
        return [(c, k != "text") for c, k in zip(self.columns, self.kinds, strict=True)]

    def display(self) -> list[dict[str, Any]]:
        """Per row: its link and (formatted text, is a number) per cell, for the HTML table."""
        formats: dict[str, Callable[[Any], str]] = {
            "int": count,
            "usd": lambda v: f"{float(v):,.0f}",
            "number": lambda v: f"{float(v):.6g}",
            "text": str,
        }
        links = self.links or [""] * len(self.rows)
        return [
            {
                "link": link,
                "cells": [
                    ("—" if v is None or v == "" else formats[k](v), k != "text")
                    for v, k in zip(row, self.kinds, strict=True)
                ],
            }
            for row, link in zip(self.rows, links, strict=True)
        ]

    def csv(self) -> str:
        # The data as typed, formula-like cells neutralised. A CSV is downloaded as an
        # attachment (never rendered as HTML), so HTML-escaping it would only corrupt names
        # like "R&D cell" in the reader's spreadsheet.
        return exports.csv_text(self.columns, self.rows)


@dataclass
class Chart:
    key: str  # element ids, PNG file name
    title: str
    summary: str  # what the chart says, in a sentence or two (read before the table)
    table: Table
    figure: dict[str, Any] = field(default_factory=dict)  # {"data", "layout", "config"}
    csv: str = ""  # the CSV download's section; "" for none
    size: str = "md"  # sm | md | lg: the plot's height class
    linked: bool = False  # its bars open the case list
    wide: bool = False  # spans the whole row of the grid

    @property
    def empty(self) -> bool:
        return not self.table.rows

    @property
    def data_id(self) -> str:
        return f"chart-{self.key}-data"


class Links:
    """Addresses of the case list for a bar: the dashboard's filters, overridden by the bar's."""

    def __init__(self, params: list[tuple[str, str]], enabled: bool) -> None:
        self.params = params
        self.enabled = enabled
        self.base = reverse("case_list")

    def __call__(self, **override: str | Sequence[str] | None) -> str:
        if not self.enabled or any(v in (None, "") for v in override.values()):
            return ""
        pairs = [(k, v) for k, v in self.params if k not in override]
        for name, value in override.items():
            values = [value] if isinstance(value, str) else list(value or ())
            pairs.extend((name, v) for v in values)
        return f"{self.base}?{urlencode(pairs)}"


def _plain(value: Any) -> Any:
    """numpy and pandas scalars as the Python numbers json and json_script understand."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _chart(
    key: str,
    title: str,
    summary: str,
    table: Table,
    figure: Figure,
    today: dt.date,
    *,
    zoom: bool = False,
    legend: str = "right",
    **options: Any,
) -> Chart:
    """The chart with its figure and the plotly config it is drawn with."""
    place, top = LEGENDS[legend]
    layout = figure["layout"]
    layout.update(template=TEMPLATE, title={"text": escape(title)}, legend=place)
    layout["margin"] = {**layout.get("margin", {}), "t": top}
    if zoom:
        layout["dragmode"] = "zoom"
    payload = {
        **figure,
        "config": {
            "displaylogo": False,
            "responsive": True,
            # The camera downloads a PNG, drawn in the browser (works offline).
            "modeBarButtons": [["toImage"], ["zoom2d", "pan2d", "resetScale2d"]]
            if zoom
            else [["toImage"]],
            "toImageButtonOptions": {
                "format": "png",
                "filename": f"exposure-{key}-{today.isoformat()}",
                "scale": 2,
            },
        },
    }
    # Plain JSON types only: json_script cannot write numpy numbers.
    payload = json.loads(json.dumps(payload, default=_plain))
    return Chart(key, title, summary, table, payload, **options)


def _stacked(
    frame: pd.DataFrame,
    *,
    along: str,
    positions: list[Any],
    by: str,
    series: Sequence[Any],
    value: str,
    label: Callable[[Any], str],
    name: Callable[[Any], str],
    colour: Callable[[Any], str],
    link: Callable[[Any, Any], str],
    horizontal: bool = False,
    showlegend: bool = True,
    with_value: bool = True,
    axes: tuple[str, str] = ("x", "y"),
) -> list[dict[str, Any]]:
    """One bar trace per series (`by` value), over the positions (`along` values)."""
    traces = []
    labels = [label(p) for p in positions]
    for item in series:
        rows = frame[frame[by] == item].set_index(along).reindex(positions)
        if rows["cases"].isna().all():
            continue
        rows = rows.fillna({"cases": 0, "value_usd": 0.0})
        hover = [
            f"<b>{escape(name(item))}</b><br>{lab}<br>{count(c)}"
            + (f" · {usd(v)}" if with_value else "")
            for lab, c, v in zip(labels, rows["cases"], rows["value_usd"], strict=True)
        ]
        values = rows[value].tolist()
        traces.append(
            {
                "type": "bar",
                "orientation": "h" if horizontal else "v",
                "x": values if horizontal else labels,
                "y": labels if horizontal else values,
                "xaxis": axes[0],
                "yaxis": axes[1],
                "name": escape(name(item)),
                "legendgroup": str(item),
                "showlegend": showlegend,
                "marker": {"color": colour(item)},
                "hovertext": hover,
                "hovertemplate": HOVER,
                "customdata": [link(p, item) for p in positions],
            }
        )
    return traces


def _cases_and_value(
    *, horizontal: bool = False, titles: tuple[str, str] | None = None, **stacked: Any
) -> Figure:
    """Two panels side by side: the stacked bars of cases (or of what `titles` names), and of
    their value."""
    traces = []
    for axes, value in ((("x", "y"), "cases"), (("x2", "y2"), "value_usd")):
        traces += _stacked(
            **stacked, value=value, horizontal=horizontal, axes=axes, showlegend=value == "cases"
        )
    gap = 0.04 if horizontal else 0.08
    left, right = [0, 0.5 - gap / 2], [0.5 + gap / 2, 1]
    money = {"anchor": "x2", **(USD_AXIS if not horizontal else {})}
    layout: dict[str, Any] = {
        "barmode": "stack",
        "xaxis": {"domain": left, "anchor": "y"},
        "yaxis": {"anchor": "x"},
        "xaxis2": {"domain": right, "anchor": "y2", **(USD_AXIS if horizontal else {})},
        # Side by side, horizontal bars share their categories: one set of labels.
        "yaxis2": {**money, "matches": "y", "showticklabels": False} if horizontal else money,
        "annotations": [
            {
                "text": escape(text),
                "x": (domain[0] + domain[1]) / 2,
                "y": 1,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 14},
            }
            for text, domain in zip(
                titles or (_("Cases"), _("Expected value (USD)")), (left, right), strict=True
            )
        ],
    }
    return {"data": traces, "layout": layout}


# --- exposure ------------------------------------------------------------------------------


def products_chart(frame: pd.DataFrame, today: dt.date) -> Chart:
    """Products by their latest outcome (the rules in force), beside the cases' frozen ones.
    Bars open the product list, which every role may read."""
    base = reverse("product_list")

    def link(outcome: str, category: str) -> str:
        return f"{base}?{urlencode({'category': category, 'outcome': outcome})}"

    figure = _cases_and_value(
        frame=frame.rename(columns={"products": "cases"}),
        along="outcome",
        positions=[o for o in OUTCOMES if o in set(frame["outcome"])],
        by="category",
        series=CATEGORIES,
        label=lambda o: wrap(_outcome(o)),
        name=category_label,
        colour=CATEGORY_COLOURS.__getitem__,
        link=link,
        titles=(_("Products"), _("Annual export value (USD)")),
    )
    figure["layout"]["height"] = 440
    for axis in ("xaxis", "xaxis2"):
        figure["layout"][axis]["tickangle"] = 0
    table = Table(
        [_("Latest outcome"), _("Category"), _("Products"), _("Annual export value (USD)")],
        ["text", "text", "int", "usd"],
        [
            [_outcome(r.outcome), category_label(r.category), r.products, r.value_usd]
            for r in _rows(frame)
        ],
        [link(r.outcome, r.category) for r in _rows(frame)],
    )
    licensed = frame[frame["outcome"] == "licence_required"]
    summary = _(
        "%(products)s screened products worth %(value)s a year; %(licensed)s of them "
        "(%(licensed_value)s) need a licence by their latest screening, under the rules in "
        "force. Cases keep the outcome they were opened with; the date and state filters do not "
        "apply here."
    ) % {
        "products": count(frame["products"].sum()),
        "value": usd(frame["value_usd"].sum()),
        "licensed": count(licensed["products"].sum()),
        "licensed_value": usd(licensed["value_usd"].sum()),
    }
    return _chart(
        "products",
        _("Products by latest outcome"),
        summary,
        table,
        figure,
        today,
        csv="products",
        linked=True,
        wide=True,
    )


def category_chart(frame: pd.DataFrame, links: Links, today: dt.date) -> Chart:
    figure = _cases_and_value(
        frame=frame,
        along="outcome",
        positions=[o for o in OUTCOMES if o in set(frame["outcome"])],
        by="category",
        series=CATEGORIES,
        label=lambda o: wrap(_outcome(o)),
        name=category_label,
        colour=CATEGORY_COLOURS.__getitem__,
        link=lambda o, c: links(category=c, outcome=o),
    )
    figure["layout"]["height"] = 440
    for axis in ("xaxis", "xaxis2"):
        figure["layout"][axis]["tickangle"] = 0
    table = Table(
        [_("Automated outcome"), _("Category"), _("Cases"), _("Expected value (USD)")],
        ["text", "text", "int", "usd"],
        [
            [_outcome(r.outcome), category_label(r.category), r.cases, r.value_usd]
            for r in _rows(frame)
        ],
        [links(category=r.category, outcome=r.outcome) for r in _rows(frame)],
    )
    licensed = frame[frame["outcome"] == "licence_required"]
    summary = _(
        "%(cases)s cases worth %(value)s; %(licensed)s of them (%(licensed_value)s) need a "
        "licence by their automated outcome."
    ) % {
        "cases": count(frame["cases"].sum()),
        "value": usd(frame["value_usd"].sum()),
        "licensed": count(licensed["cases"].sum()),
        "licensed_value": usd(licensed["value_usd"].sum()),
    }
    return _chart(
        "category",
        _("Exposure by category and automated outcome"),
        summary,
        table,
        figure,
        today,
        csv="category",
        linked=links.enabled,
        wide=True,
    )


def entry_chart(frame: pd.DataFrame, links: Links, today: dt.date) -> Chart:
    keys = list(dict.fromkeys(frame["key"]))
    status = dict(zip(frame["key"], frame["status"], strict=True))

    def label(key: str) -> str:
        return escape(f"{key} · {STATUS_LABELS.get(status[key], status[key])}")

    figure = _cases_and_value(
        frame=frame,
        along="key",
        positions=keys,
        by="result",
        series=("match", "unknown", "near"),
        label=label,
        name=lambda r: str(ENTRY_RESULT_LABELS[r]),
        colour=HIT_COLOURS.__getitem__,
        link=lambda k, r: links(entry=k),
        horizontal=True,
    )
    figure["layout"]["height"] = max(300, 130 + 24 * len(keys))
    figure["layout"]["yaxis"]["autorange"] = "reversed"
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
            for r in _rows(frame)
        ],
        [links(entry=r.key) for r in _rows(frame)],
    )
    summary = _(
        "Entries the cases' screenings matched, may match (unknown) or came near, with each "
        "measure's status today (%(today)s). A case counts once under every entry it hits."
    ) % {"today": today.isoformat()}
    return _chart(
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


def destination_chart(frame: pd.DataFrame, links: Links, today: dt.date) -> Chart:
    order = list(dict.fromkeys(frame["destination"]))
    top, rest = order[:TOP_DESTINATIONS], order[TOP_DESTINATIONS:]
    other = _("Other")
    shown = (
        frame.assign(place=[d if d in top else other for d in frame["destination"]])
        .groupby(["place", "outcome"], as_index=False)[["cases", "value_usd"]]
        .sum()
    )
    traces = _stacked(
        shown,
        along="place",
        positions=top + ([other] if rest else []),
        by="outcome",
        series=OUTCOMES,
        value="value_usd",
        label=lambda p: escape(p or "—"),
        name=_outcome,
        colour=OUTCOME_COLOURS.__getitem__,
        link=lambda p, o: links(destination=p, outcome=o) if p != other else "",
    )
    figure = {"data": traces, "layout": {"barmode": "stack", "height": 420, "yaxis": USD_AXIS}}
    table = Table(
        [_("Destination"), _("Automated outcome"), _("Cases"), _("Expected value (USD)")],
        ["text", "text", "int", "usd"],
        [
            [
                f"{r.destination} {country_name(r.destination)}".strip(),
                _outcome(r.outcome),
                r.cases,
                r.value_usd,
            ]
            for r in _rows(frame)
        ],
        [links(destination=r.destination, outcome=r.outcome) for r in _rows(frame)],
    )
    summary = _(
        "Expected value by destination (ISO country code) and automated outcome; the %(n)s "
        "largest destinations are shown, the rest as “Other”."
    ) % {"n": TOP_DESTINATIONS}
    return _chart(
        "destination",
        _("Where it goes: expected value by destination"),
        summary,
        table,
        figure,
        today,
        legend="corner",
        csv="destination",
        linked=links.enabled,
        wide=True,
    )


# --- workflow ------------------------------------------------------------------------------


def _bar_list(
    labels: list[str], values: list[int], colours: list[str], hover: list[str], links: list[str]
) -> Figure:
    """One horizontal bar per label, top to bottom."""
    trace = {
        "type": "bar",
        "orientation": "h",
        "y": labels,
        "x": values,
        "marker": {"color": colours},
        "hovertext": hover,
        "hovertemplate": HOVER,
        "customdata": links,
    }
    return {"data": [trace], "layout": {"yaxis": {"autorange": "reversed"}}}


def state_chart(by_state: pd.DataFrame, links: Links, today: dt.date) -> Chart:
    totals = state_totals(by_state)
    labels = [escape(_state(s)) for s in totals["state"]]
    figure = _bar_list(
        labels,
        totals["cases"].tolist(),
        [STATE_COLOURS[s] for s in totals["state"]],
        [
            f"<b>{label}</b><br>{count(c)} · {usd(v)}"
            for label, c, v in zip(labels, totals["cases"], totals["value_usd"], strict=True)
        ],
        [links(state=s) for s in totals["state"]],
    )
    figure["layout"]["height"] = 340
    table = Table(
        [_("State"), _("Cases"), _("Expected value (USD)")],
        ["text", "int", "usd"],
        [[_state(r.state), r.cases, r.value_usd] for r in _rows(totals)],
        [links(state=r.state) for r in _rows(totals)],
    )
    if not totals["cases"].sum():
        table.rows = []
    summary = _("%(open)s of %(all)s cases are open (draft, submitted, in review, returned).") % {
        "open": count(totals[totals["state"].isin(OPEN_STATES)]["cases"].sum()),
        "all": count(totals["cases"].sum()),
    }
    return _chart(
        "state",
        _("Cases by state"),
        summary,
        table,
        figure,
        today,
        csv="workflow",
        size="sm",
        linked=links.enabled,
    )


def ageing_chart(by_state: pd.DataFrame, links: Links, today: dt.date) -> Chart:
    frame = ageing(by_state)
    traces = _stacked(
        frame.assign(value_usd=0.0),  # not shown: the bars count cases
        along="age",
        positions=[key for key, _last in AGE_BUCKETS],
        by="state",
        series=[str(s) for s in OPEN_STATES],
        value="cases",
        label=lambda a: escape(AGE_LABELS[a]),
        name=_state,
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
    nonzero = frame[frame["cases"] > 0]
    table = Table(
        [_("State"), _("Days in state"), _("Cases")],
        ["text", "text", "int"],
        [[_state(r.state), str(AGE_LABELS[r.age]), r.cases] for r in _rows(nonzero)],
        [links(state=r.state, sort="oldest") for r in _rows(nonzero)],
    )
    summary = _("%(stale)s open cases have been in their state for more than 14 days.") % {
        "stale": count(frame[frame["bucket"] >= 3]["cases"].sum())
    }
    return _chart(
        "ageing",
        _("Ageing of open cases"),
        summary,
        table,
        figure,
        today,
        legend="above",
        csv="workflow",
        size="sm",
        linked=links.enabled,
    )


def workload_chart(workload: pd.DataFrame, links: Links, today: dt.date) -> Chart:
    reviewing = workload[workload["state"] == State.IN_REVIEW]
    names = [
        (r.reviewer or _("(no reviewer)"))
        if r.state == State.IN_REVIEW
        else _("Not yet taken (submitted)")
        for r in _rows(workload)
    ]
    targets = [
        links(state="in_review", assignee=r.reviewer)
        if r.state == State.IN_REVIEW
        else links(state="submitted")
        for r in _rows(workload)
    ]
    figure = _bar_list(
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
        [[n, r.cases, r.value_usd] for n, r in zip(names, _rows(workload), strict=True)],
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
    return _chart(
        "workload",
        _("Reviewer workload"),
        summary,
        table,
        figure,
        today,
        csv="workload",
        size="sm",
        linked=links.enabled,
    )


def activity_chart(frame: pd.DataFrame, today: dt.date) -> Chart:
    weeks = [w.isoformat() for w in frame["week"]]
    traces = [
        {
            "type": "bar",
            "x": weeks,
            "y": frame[column].tolist(),
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
        [[r.week.isoformat(), r.screenings, r.determinations] for r in _rows(frame)],
    )
    summary = _("%(s)s screenings and %(d)s determinations over %(w)s weeks.") % {
        "s": count(frame["screenings"].sum()),
        "d": count(frame["determinations"].sum()),
        "w": count(len(frame)),
    }
    return _chart(
        "activity",
        _("Screenings and determinations per week"),
        summary,
        table,
        figure,
        today,
        zoom=True,
        legend="corner",
        csv="activity",
        size="sm",
        wide=True,
    )


# --- distance to threshold -----------------------------------------------------------------


def _threshold_label(t: Threshold, unit: str) -> str:
    return f"{OPERATOR_SYMBOLS.get(t.operator, t.operator)} {t.value:g} {unit}"


def _threshold_marks(h: Histogram, unit: str) -> tuple[list[dict], list[dict]]:
    """Shapes (near bands, threshold lines) and labels for a histogram's thresholds."""
    low, high = h.edges[0], h.edges[-1]
    shapes, labels = [], []
    for i, t in enumerate(h.thresholds):
        band = (max(t.near_low, low), min(t.near_high, high))
        if band[1] > band[0]:
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "paper",
                    "x0": band[0],
                    "x1": band[1],
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": "#e8702a",
                    "opacity": 0.13,
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": t.value,
                "x1": t.value,
                "y0": 0,
                "y1": 1,
                "line": {
                    "color": THRESHOLD_COLOUR,
                    "width": 2,
                    "dash": "dash" if t.verified else "dot",
                },
            }
        )
        # Labels inside the plot, one under the other so that close thresholds stay readable,
        # on the side of the line with more room.
        labels.append(
            {
                "x": t.value,
                "y": 1 - 0.11 * i,
                "xref": "x",
                "yref": "paper",
                "xanchor": "right" if t.value > (low + high) / 2 else "left",
                "yanchor": "top",
                "showarrow": False,
                "text": escape(_threshold_label(t, unit)),
                "font": {"color": THRESHOLD_COLOUR, "size": 11},
                "bgcolor": "rgba(255,255,255,0.85)",
            }
        )
    return shapes, labels


def threshold_chart(h: Histogram, band_pct: float, today: dt.date) -> Chart:
    unit = PARAMETERS[h.parameter].unit
    edges, last = h.edges, len(h.edges) - 2
    width = edges[1] - edges[0]
    traces, rows = [], []
    for category in CATEGORIES:
        mine = h.counts[h.counts["category"] == category]
        if mine.empty:
            continue
        name = escape(category_label(category))
        hover = []
        for b, c in zip(mine["bin"], mine["cases"], strict=True):
            span = f"{edges[b]:.4g} – {edges[b + 1]:.4g}"
            if b == 0:
                span = f"&lt; {edges[1]:.4g}"
            elif b == last:
                span = f"≥ {edges[b]:.4g}"
            hover.append(f"<b>{name}</b><br>{span} {escape(unit)}: {count(c)}")
            rows.append([category_label(category), edges[b], edges[b + 1], c])
        traces.append(
            {
                "type": "bar",
                "x": [edges[b] + width / 2 for b in mine["bin"]],
                "y": mine["cases"].tolist(),
                "width": width,
                "name": name,
                "marker": {"color": CATEGORY_COLOURS[category], "line": {"width": 0}},
                "hovertext": hover,
                "hovertemplate": HOVER,
            }
        )
    shapes, labels = _threshold_marks(h, unit)
    tallest = int(h.counts.groupby("bin")["cases"].sum().max()) if len(h.counts) else 0
    figure = {
        "data": traces,
        "layout": {
            "barmode": "stack",
            "bargap": 0,
            "height": 320,
            "shapes": shapes,
            "annotations": labels,
            "xaxis": {"range": [edges[0], edges[-1]]},
            "yaxis": {
                "title": {"text": escape(_("Cases"))},
                "rangemode": "tozero",
                **({"dtick": 1} if tallest <= 6 else {}),
            },
        },
    }
    facts = [
        _("%(threshold)s (%(entries)s): %(meeting)s meeting it, %(near)s within %(band)s %%")
        % {
            "threshold": _threshold_label(t, unit),
            "entries": ", ".join(t.entries),
            "meeting": count(t.meeting_cases),
            "near": count(t.near_cases),
            "band": f"{band_pct:g}",
        }
        for t in h.thresholds
    ]
    summary = _("%(n)s cases have a value. In scope of each threshold: %(facts)s.") % {
        "n": count(h.cases),
        "facts": "; ".join(facts),
    }
    return _chart(
        f"threshold-{h.parameter}",
        f"{parameter_label(h.parameter)} ({unit})",
        summary,
        Table(
            [_("Category"), _("From"), _("Below"), _("Cases")],
            ["text", "number", "number", "int"],
            rows,
        ),
        figure,
        today,
        zoom=True,
        legend="above" if len(traces) > 1 else "right",
        csv="thresholds",
        size="sm",
    )


def thresholds_table(histograms: list[Histogram]) -> Table:
    """Every parameter's bins in one table (the thresholds CSV)."""
    rows = [
        [h.parameter, r.category, h.edges[r.bin], h.edges[r.bin + 1], r.cases]
        for h in histograms
        for r in _rows(h.counts)
    ]
    return Table(
        [_("Parameter"), _("Category"), _("From"), _("Below"), _("Cases")],
        ["text", "text", "number", "number", "int"],
        rows,
    )


# --- scenario ------------------------------------------------------------------------------


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
    figure = _cases_and_value(
        frame=long,
        along="outcome",
        positions=list(shown["outcome"]),
        by="day",
        series=list(days),
        label=lambda o: wrap(_outcome(o)),
        name=lambda d: _as_of(days[d]),
        colour=colours.__getitem__,
        link=lambda o, d: "",
    )
    # Name a few of the products that change (largest value first) in the hover of each bar.
    notes = {}
    for o in shown["outcome"]:
        notes[(str(s.first), o)] = _examples(s.changes, "outcome_first", o, _("Changing from this"))
        notes[(str(s.second), o)] = _examples(s.changes, "outcome_second", o, _("New here"))
    for trace in figure["data"]:
        trace["hovertext"] = [
            text + notes[(trace["legendgroup"], o)]
            for text, o in zip(trace["hovertext"], shown["outcome"], strict=True)
        ]
    figure["layout"].update(barmode="group", height=420)
    for axis in ("xaxis", "xaxis2"):
        figure["layout"][axis]["tickangle"] = 0
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
            [_outcome(r.outcome), r.cases_first, r.value_first, r.cases_second, r.value_second]
            for r in _rows(shown)
        ],
    )
    summary = _(
        "Every case's frozen spec screened with the current rules as of both dates: "
        "%(changed)s of %(cases)s cases (%(value)s) change outcome."
    ) % {"changed": count(s.changed), "cases": count(s.cases), "value": usd(s.changed_value)}
    return _chart(
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
                _outcome(r.outcome_first),
                _outcome(r.outcome_second),
            ]
            for r in _rows(s.changes)
        ],
        [reverse("case_detail", args=[r.case]) if link_cases else "" for r in _rows(s.changes)],
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
            [_outcome(r.outcome_first), _outcome(r.outcome_second), r.cases, r.value_usd]
            for r in _rows(s.transitions)
        ],
    )


# --- the page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str
    note: str = ""
    tone: str = ""  # "" | alert | change
    link: str = ""  # where the figure's items are listed ("" for nowhere)


def headline_items(h: Headline | None, report: Report, *, link_cases: bool = False) -> list[Kpi]:
    if h is None:
        return []
    items = [
        Kpi(_("Cases"), count(h.cases)),
        Kpi(_("Expected export value"), compact_usd(h.value_usd), usd(h.value_usd)),
        Kpi(
            _("Licence required (cases, outcome when opened)"),
            count(h.licence_cases),
            _("%(value)s · %(share)s %% of the value")
            % {"value": compact_usd(h.licence_value_usd), "share": f"{h.licence_share * 100:.0f}"},
            "alert",
        ),
    ]
    if h.licence_products is not None:
        items.append(
            Kpi(
                _("Licence required (products, latest outcome)"),
                count(h.licence_products),
                _("%(value)s a year") % {"value": compact_usd(h.licence_products_value_usd or 0)},
                "alert",
                f"{reverse('product_list')}?{urlencode({'outcome': 'licence_required'})}",
            )
        )
    items.append(Kpi(_("Open cases"), count(h.open_cases)))
    if h.rereview is not None:
        items.append(
            Kpi(
                _("To re-review (rules changed)"),
                count(h.rereview),
                _("open cases whose outcome the new rules change"),
                "change" if h.rereview else "",
                f"{reverse('case_list')}?rules_changed=true" if link_cases else "",
            )
        )
    if h.changed is not None:
        items.append(
            Kpi(
                _("Outcome changes, %(first)s → %(second)s")
                % {"first": report.first.isoformat(), "second": report.second.isoformat()},
                count(h.changed),
                compact_usd(h.changed_value_usd or 0.0),
                "change",
            )
        )
    return items


@dataclass
class Dashboard:
    headline: list[Kpi]
    exposure: list[Chart]
    workflow: list[Chart]
    activity: Chart | None
    thresholds: list[Chart]
    no_values: list[str]  # parameters with a threshold but no case values
    scenario: Chart | None
    changes: Table | None
    transitions: Table | None


def dashboard_charts(report: Report, *, link_cases: bool) -> Dashboard:
    """Every chart of the report. `link_cases`: bars open the case list (for users who may)."""
    links = Links(report.filters.params(), link_cases)
    today = report.today
    exposure = []
    if report.products is not None:
        exposure.append(products_chart(report.products, today))
    if report.by_category is not None:
        exposure.append(category_chart(report.by_category, links, today))
    if report.by_entry is not None:
        exposure.append(entry_chart(report.by_entry, links, today))
    if report.by_destination is not None:
        exposure.append(destination_chart(report.by_destination, links, today))
    workflow = []
    if report.by_state is not None:
        workflow.append(state_chart(report.by_state, links, today))
        workflow.append(ageing_chart(report.by_state, links, today))
    if report.workload is not None:
        workflow.append(workload_chart(report.workload, links, today))
    band = report.catalogue.near_band_pct if report.catalogue else 0.0
    s = report.scenario
    return Dashboard(
        headline=headline_items(headline(report), report, link_cases=link_cases),
        exposure=exposure,
        workflow=workflow,
        activity=activity_chart(report.activity, today) if report.activity is not None else None,
        thresholds=[threshold_chart(h, band, today) for h in report.histograms if h.cases],
        no_values=[parameter_label(h.parameter) for h in report.histograms if not h.cases],
        scenario=scenario_chart(s, today) if s is not None else None,
        changes=changes_table(s, link_cases=link_cases) if s is not None else None,
        transitions=transitions_table(s) if s is not None else None,
    )


def csv_table(report: Report, section: str) -> Table:
    """The table a CSV download of a dashboard section holds."""
    links, today = Links([], False), report.today
    tables: dict[str, Callable[[], Table]] = {
        "products": lambda: products_chart(report.products, today).table,
        "category": lambda: category_chart(report.by_category, links, today).table,
        "entry": lambda: entry_chart(report.by_entry, links, today).table,
        "destination": lambda: destination_chart(report.by_destination, links, today).table,
        "workflow": lambda: _workflow_table(report.by_state),
        "workload": lambda: workload_chart(report.workload, links, today).table,
        "activity": lambda: activity_chart(report.activity, today).table,
        "thresholds": lambda: thresholds_table(report.histograms),
        "scenario": lambda: scenario_chart(report.scenario, today).table,
        "changes": lambda: changes_table(report.scenario),
    }
    return tables[section]()


def _workflow_table(by_state: pd.DataFrame) -> Table:
    """Cases per state and days in state (every state, open or not)."""
    return Table(
        [_("State"), _("Days in state"), _("Cases"), _("Expected value (USD)")],
        ["text", "text", "int", "usd"],
        [[_state(r.state), str(AGE_LABELS[r.age]), r.cases, r.value_usd] for r in _rows(by_state)],
    )
