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
from screening.dashboard.theme import HOVER, USD_AXIS, Figure, count, escape, styled, usd


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
    horizontal: bool = False,
    showlegend: bool = True,
    with_value: bool = True,
    axes: tuple[str, str] = ("x", "y"),
) -> list[dict[str, Any]]:
    """One bar trace per series (`by` value), over the positions (`along` values)."""
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
            for lab, c, v in zip(labels, selected["cases"], selected["value_usd"], strict=True)
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


def cases_and_value(
    *, horizontal: bool = False, titles: tuple[str, str] | None = None, **bars: Any
) -> Figure:
    """Two panels side by side: the stacked bars of cases (or of what `titles` names), and of
    their value."""
    traces = []
    for axes, value in ((("x", "y"), "cases"), (("x2", "y2"), "value_usd")):
        traces += stacked(
            **bars, value=value, horizontal=horizontal, axes=axes, showlegend=value == "cases"
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
