"""The look every dashboard figure shares: colours, fonts, legends, axes, the plotly config it is
drawn with, and how labels and numbers are written in it.

Figures are plotly's JSON figure format ({"data": [traces], "layout": {...}}, what plotly.js
draws), written as plain dicts: building them through plotly.graph_objects validated every
property and cost 20–50 ms a figure, over a second for the page. The tests pass every figure
through plotly.graph_objects.Figure, which rejects anything plotly does not know.

Text that users typed (product names, SKUs, user names) is HTML-escaped before it reaches
plotly, whose labels understand a little HTML; the figure JSON reaches the page only through
Django's json_script.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

from rules.labels import OUTCOME_LABELS
from rules.vocabulary import CATEGORIES
from screening.models.cases import State

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
    return f"US${value:,.0f}"


def compact_usd(value: float) -> str:
    """US$ with a size suffix: US$1.2M, US$350k."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"US${value / size:.3g}{suffix}"
    return f"US${value:,.0f}"


def count(value: int) -> str:
    return f"{int(value):,}"


def outcome_label(code: str) -> str:
    return str(OUTCOME_LABELS.get(code, code))


def state_label(code: str) -> str:
    return str(State(code).label) if code in State.values else code


def _plain(value: Any) -> Any:
    """numpy and pandas scalars as the Python numbers json and json_script understand."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def styled(
    figure: Figure,
    *,
    key: str,
    title: str,
    today: dt.date,
    zoom: bool = False,
    legend: str = "right",
) -> dict[str, Any]:
    """The figure in the house style, with the plotly config it is drawn with, as plain JSON."""
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
    return json.loads(json.dumps(payload, default=_plain))
