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
import math
import unicodedata
from typing import Any

from django.utils.translation import get_language

from rules.labels import OUTCOME_LABELS
from rules.vocabulary import CATEGORIES
from screening import labels
from screening.labels import chinese_amount
from screening.states import State

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

# Narrow screens. Below its `wide_from` width (NARROW_PX unless the figure needs more) a chart is
# drawn in its narrow layout (static/js/dashboard.js): the title wrapped, the legend below the
# plot, side-by-side panels one above the other. The figure carries it in layout.meta.
NARROW_PX = 600
WIDE_PLOT_PX = 1125  # the plot width of a chart across the page on a 1280 px screen
TITLE_COLUMNS = 34
NARROW_LEGEND = {
    "orientation": "h",
    "xref": "container",
    "x": 0,
    "xanchor": "left",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
}
# Roughly how wide a label is: a narrow character at the charts' 13 px font (a wide one, as
# Chinese characters are, counts twice). Measured 6–7.3 px in Chromium; rounded up.
CHAR_PX = 7

# Where a line may not break in text without spaces (Chinese): before closing punctuation, and
# after opening punctuation.
_NO_BREAK_BEFORE = set("，。、；：！？）》」』】〉”’…・,.;:!?)]")
_NO_BREAK_AFTER = set("（《「『【〈“‘([")
_BREAK_AFTER = "，、：；。"  # where Chinese text best breaks, when the line is at least half full


def chinese() -> bool:
    return (get_language() or "").startswith("zh")


def escape(text: object) -> str:
    """Text for a plotly label: &, <, > and quotes as entities plotly shows literally."""
    escaped = html.escape(str(text), quote=False)
    return escaped.replace('"', "&#34;").replace("'", "&#39;")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def columns(text: str) -> int:
    """How wide a text is, in the columns of a narrow character (a Chinese character is two)."""
    return sum(2 if _wide(char) else 1 for char in text)


def _units(word: str) -> list[str]:
    """A word (no spaces) cut where a line may break inside it: beside a wide character, as in
    Chinese text, but never before closing or after opening punctuation."""
    units: list[str] = []
    for char in word:
        last = units[-1][-1] if units else ""
        breaks = (
            last
            and (_wide(last) or _wide(char))
            and char not in _NO_BREAK_BEFORE
            and last not in _NO_BREAK_AFTER
        )
        if units and not breaks:
            units[-1] += char
        else:
            units.append(char)
    return units


def wrap(text: object, width: int = 16) -> str:
    """An escaped label broken into lines of about `width` columns: at spaces, and between the
    characters of Chinese text (which has no spaces); a new line also at each "\\n"."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        start = len(lines)
        for word in paragraph.split(" "):
            for i, unit in enumerate(_units(word) or [""]):
                joiner = " " if i == 0 else ""
                if len(lines) > start and columns(lines[-1] + joiner + unit) <= width:
                    lines[-1] = f"{lines[-1]}{joiner}{unit}"
                    continue
                carry = ""
                if len(lines) > start and not joiner:  # inside Chinese text
                    cut = max(lines[-1].rfind(mark) for mark in _BREAK_AFTER) + 1
                    rest = lines[-1][cut:]
                    if cut and 2 * columns(lines[-1][:cut]) >= width >= columns(rest + unit):
                        lines[-1], carry = lines[-1][:cut], rest
                lines.append(carry + unit)
    return "<br>".join(escape(line) for line in lines)


def label_px(label: str) -> int:
    """About how many pixels the widest line of a (wrapped, escaped) label takes."""
    return CHAR_PX * max(columns(html.unescape(line)) for line in label.split("<br>"))


def usd(value: float) -> str:
    """US$250,000; 250,000美元 in Chinese (screening.labels, as the pages' filters say it)."""
    return labels.usd(value)


def compact_usd(value: float) -> str:
    """US$1.2M, US$350k; in Chinese in 万 and 亿: 2,860万美元 (screening.labels)."""
    return labels.compact_usd(value)


def money_axis(top: float) -> dict[str, Any]:
    """A US$ axis up to about `top`: $700k, $1.2M; in Chinese, ticks in 万 and 亿 with thousands
    separators (which plotly's number formats do not know)."""
    if not chinese():
        return dict(USD_AXIS)
    step = 1.0
    if top > 0:
        magnitude = 10.0 ** math.floor(math.log10(top / 5))
        step = next(s * magnitude for s in (1, 2, 5, 10) if s * magnitude >= top / 5)
    ticks = [i * step for i in range(int(top // step) + 2)]
    return {"tickvals": ticks, "ticktext": [chinese_amount(t) for t in ticks]}


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
    """The figure in the house style, with the plotly config it is drawn with, as plain JSON.

    Its layout.meta says below which width (`wide_from`, px) it takes its narrow layout
    (`narrow`: the layout keys to replace, and the traces when they differ)."""
    layout = figure["layout"]
    meta = layout.pop("meta", {})
    narrow = meta.get("narrow", {})
    wide_from = meta.get("wide_from", 0)
    if legend == "corner":
        # On the title's line only where both fit: from that width, and on a wide chart of a
        # 1280 px screen at least (else in a row of its own under the title).
        names = [t["name"] for t in figure["data"] if t.get("showlegend", True) and t.get("name")]
        need = label_px(escape(title)) * 15 // 13 + sum(label_px(n) + 40 for n in names) + 40
        if need > WIDE_PLOT_PX:
            legend = "above"
        else:
            wide_from = max(wide_from, need)
    place, top = LEGENDS[legend]
    layout.update(template=TEMPLATE, title={"text": escape(title)}, legend=place)
    layout["margin"] = {**layout.get("margin", {}), "t": top}
    if zoom:
        layout["dragmode"] = "zoom"
    # A narrow chart's title may take lines: the top margin makes room for them (plotly's
    # title automargin misplaces a title of several lines at the top of the container), and
    # the title moves down by half a line for each line after the first, as plotly centres
    # the lines of a title on where one line would be.
    lines = wrap(title, TITLE_COLUMNS)
    more = lines.count("<br>")
    layout["meta"] = {
        "wide_from": max(NARROW_PX, wide_from),
        "narrow": {
            **narrow,
            "layout": {
                "title": {"text": lines, "pad": {"t": 12 + 10 * more}},
                "legend": NARROW_LEGEND,
                "margin": {"t": 50 + 20 * more},
                **narrow.get("layout", {}),
            },
        },
    }
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
