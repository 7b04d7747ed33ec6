"""What every section's charts are made of: a Chart (a figure in the house style with its data
table, the table being its text alternative and its CSV), the links of its bars, and the bar
figures the sections share.

A bar that stands for a set of cases carries the address of the case list showing them in its
`customdata` (static/js/dashboard.js follows it on click).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from django.urls import reverse
from django.utils.translation import gettext as _

from screening import exports
from screening.dashboard.theme import (
    HOVER,
    WIDE_PLOT_PX,
    Figure,
    count,
    escape,
    label_px,
    money_axis,
    styled,
    usd,
    wrap,
)


def rows(frame: pd.DataFrame) -> list[Any]:
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


def chart(
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
    """The chart with its figure in the house style and the plotly config it is drawn with."""
    payload = styled(figure, key=key, title=title, today=today, zoom=zoom, legend=legend)
    return Chart(key, title, summary, table, payload, **options)


def stacked(
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
    note: Callable[[Any, Any], str] | None = None,
    horizontal: bool = False,
    showlegend: bool = True,
    with_value: bool = True,
    axes: tuple[str, str] = ("x", "y"),
) -> list[dict[str, Any]]:
    """One bar trace per series (`by` value), over the positions (`along` values); `note` adds
    a line of hover text (marked up) to a bar."""
    traces = []
    labels = [label(p) for p in positions]
    for item in series:
        selected = frame[frame[by] == item].set_index(along).reindex(positions)
        if selected["cases"].isna().all():
            continue
        selected = selected.fillna({"cases": 0, "value_usd": 0.0})
        hover = [
            f"<b>{escape(name(item))}</b><br>{lab}<br>{count(c)}"
            + (f" · {usd(v)}" if with_value else "")
            + (note(p, item) if note else "")
            for p, lab, c, v in zip(
                positions, labels, selected["cases"], selected["value_usd"], strict=True
            )
        ]
        values = selected[value].tolist()
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


# The columns a category label wraps at on a wide chart, widest first: the widest whose labels
# fit side by side on a wide chart of a 1280 px screen (WIDE_PLOT_PX) is taken.
LABEL_WRAPS = (16, 12, 9)
NARROW_WRAP = 22  # columns of a bar's label in a narrow layout (bars across, labels on the left)
# Columns of a panel's title under its axis in a narrow layout: centred under the bars right of
# the labels, a longer line runs off the chart's right edge.
NARROW_TITLE = 20


def _top(frame: pd.DataFrame, along: str, value: str, barmode: str) -> float:
    """The longest bar (stacked: the sum at a position), for the value axis' ticks."""
    if frame.empty:
        return 0.0
    values = frame.groupby(along)[value].sum() if barmode == "stack" else frame[value]
    return float(values.max())


def _panel_titles(titles: tuple[str, str], domains: list[list[float]]) -> list[dict[str, Any]]:
    return [
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
        for text, domain in zip(titles, domains, strict=True)
    ]


def cases_and_value(
    *,
    frame: pd.DataFrame,
    along: str,
    positions: list[Any],
    label: Callable[[Any], str],
    height: int,
    horizontal: bool = False,
    barmode: str = "stack",
    titles: tuple[str, str] | None = None,
    **bars: Any,
) -> Figure:
    """Two panels side by side: the bars of cases (or of what `titles` names), and of their
    value; `label` gives a position's label as plain text ("\\n" for a new line).

    On a narrow screen the panels are one above the other with the bars across (their labels on
    the left never run into each other). Vertical bars' labels wrap to fit a wide chart side by
    side; the chart is wide only from the width where they do (layout.meta.wide_from)."""
    titles = titles or (_("Cases"), _("Expected value (USD)"))
    n = max(len(positions), 1)
    if horizontal:
        labels = [wrap(label(p), 44) for p in positions]
        widest = max((label_px(text) for text in labels), default=0)
        wide_from = widest + 360  # the labels, and two panels of bars and ticks
    else:
        for columns in LABEL_WRAPS:
            labels = [wrap(label(p), columns) for p in positions]
            widest = max((label_px(text) for text in labels), default=0)
            # Each panel is 46 % of the plot; the left one's value ticks take about 60 px.
            wide_from = int((n * (widest + 8) + 60) / 0.46) + 1
            if wide_from <= WIDE_PLOT_PX:
                break
    top = _top(frame, along, "value_usd", barmode)
    shown = dict(zip(positions, labels, strict=True))
    traces = []
    for axes, value in ((("x", "y"), "cases"), (("x2", "y2"), "value_usd")):
        traces += stacked(
            frame,
            along=along,
            positions=positions,
            label=shown.__getitem__,
            value=value,
            horizontal=horizontal,
            axes=axes,
            showlegend=value == "cases",
            **bars,
        )
    gap = 0.04 if horizontal else 0.08
    left, right = [0, 0.5 - gap / 2], [0.5 + gap / 2, 1]
    money = {"anchor": "x2", **(money_axis(top) if not horizontal else {})}
    layout: dict[str, Any] = {
        "barmode": barmode,
        "height": height,
        "xaxis": {"domain": left, "anchor": "y"},
        "yaxis": {"anchor": "x"},
        "xaxis2": {"domain": right, "anchor": "y2", **(money_axis(top) if horizontal else {})},
        # Side by side, horizontal bars share their categories: one set of labels.
        "yaxis2": {**money, "matches": "y", "showticklabels": False} if horizontal else money,
        "annotations": _panel_titles(titles, [left, right]),
        "meta": {
            "wide_from": wide_from,
            "narrow": _one_above_the_other(
                frame,
                along=along,
                positions=positions,
                label=label,
                barmode=barmode,
                titles=titles,
                top=top,
                **bars,
            ),
        },
    }
    if horizontal:
        layout["yaxis"]["autorange"] = "reversed"
    else:
        for axis in ("xaxis", "xaxis2"):
            layout[axis]["tickangle"] = 0
    return {"data": traces, "layout": layout}


def _one_above_the_other(
    frame: pd.DataFrame,
    *,
    along: str,
    positions: list[Any],
    label: Callable[[Any], str],
    barmode: str,
    titles: tuple[str, str],
    top: float,
    **bars: Any,
) -> dict[str, Any]:
    """The narrow layout of cases_and_value: the cases' panel above the value's, bars across,
    each panel's title under its axis; sized for its rows and legend."""
    labels = {p: wrap(label(p), NARROW_WRAP) for p in positions}
    traces = []
    for axes, value in ((("x", "y"), "cases"), (("x2", "y2"), "value_usd")):
        traces += stacked(
            frame,
            along=along,
            positions=positions,
            label=labels.__getitem__,
            value=value,
            horizontal=True,
            axes=axes,
            showlegend=value == "cases",
            **bars,
        )
    lines = max((text.count("<br>") + 1 for text in labels.values()), default=1)
    bars_per_row = len({t["legendgroup"] for t in traces}) if barmode == "group" else 1
    row = max(28, 16 * lines + 10) * (1 + 0.5 * (bars_per_row - 1))
    panel = len(positions) * row + 16
    gap = 90  # the upper panel's ticks and title
    plot = 2 * panel + gap
    legend = 26 * sum(1 for t in traces if t["showlegend"]) + 16
    category = {"autorange": "reversed", "automargin": True}
    return {
        "data": traces,
        "layout": {
            "height": int(plot + 100 + legend),
            "xaxis": {"anchor": "y", "title": {"text": wrap(titles[0], NARROW_TITLE)}},
            "yaxis": {"anchor": "x", "domain": [(panel + gap) / plot, 1], **category},
            "xaxis2": {
                "anchor": "y2",
                "title": {"text": wrap(titles[1], NARROW_TITLE)},
                **money_axis(top),
            },
            "yaxis2": {"anchor": "x2", "domain": [0, panel / plot], **category},
            "annotations": [],
        },
    }


def bar_list(
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
