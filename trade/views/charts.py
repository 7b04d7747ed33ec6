"""The licence page's balance chart: per licence line, what is left and what was drawn over
time, from the versions (what was authorised when) and the append-only ledger. A plotly figure
as plain JSON, in the dashboard's house style (screening.dashboard.theme), drawn offline by
plotly.js."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from screening.dashboard.theme import TEMPLATE, escape
from trade.models import LedgerEntry, Licence

COLOURS = ("#1f4b99", "#1b6b3a", "#8f3a00", "#4b2f9c", "#a4161a", "#4a5468")


def balance_figure(licence: Licence, names: dict[str, str]) -> dict[str, Any] | None:
    """Remaining (solid) and drawn (dotted) per line, as steps from the grant to today; None
    when the licence has no version."""
    versions = list(licence.versions.prefetch_related("items").order_by("number"))
    if not versions:
        return None
    events: list[tuple[dt.datetime, int, Any]] = [(v.recorded_at, 0, v) for v in versions]
    events += [
        (e.at, 1, e) for e in LedgerEntry.objects.filter(licence=licence).order_by("at", "pk")
    ]
    events.sort(key=lambda event: (event[0], event[1]))
    authorised: dict[str, Decimal] = {}
    taken: dict[str, Decimal] = {}  # reserved or drawn: what is not left
    drawn: dict[str, Decimal] = {}
    units: dict[str, str] = {}
    series: dict[str, dict[str, list[Any]]] = {}

    def point(line: str, at: dt.datetime) -> None:
        points = series.setdefault(line, {"x": [], "left": [], "drawn": []})
        points["x"].append(timezone.localtime(at).isoformat(timespec="minutes"))
        points["left"].append(float(authorised.get(line, 0) - taken.get(line, 0)))
        points["drawn"].append(float(drawn.get(line, 0)))

    for at, _order, event in events:
        if isinstance(event, LedgerEntry):
            sign = {"reserve": 1, "unreserve": -1, "draw": 0}[event.kind]
            taken[event.line] = taken.get(event.line, Decimal(0)) + sign * event.quantity
            if event.kind == LedgerEntry.Kind.DRAW:
                drawn[event.line] = drawn.get(event.line, Decimal(0)) + event.quantity
            point(event.line, at)
        else:
            now_lines = {item.line: item for item in event.items.all()}
            for line in set(authorised) | set(now_lines):
                item = now_lines.get(line)
                authorised[line] = item.quantity if item else Decimal(0)
                if item:
                    units[line] = item.unit
                point(line, at)
    end = timezone.now()
    for line in series:
        point(line, end)
    data = []
    for index, (line, points) in enumerate(sorted(series.items())):
        colour = COLOURS[index % len(COLOURS)]
        label = escape(f"{names.get(line, line)} ({units.get(line, '')})")
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "line": {"shape": "hv", "color": colour, "width": 2.5},
                "name": _("%(line)s: left") % {"line": label},
                "x": points["x"],
                "y": points["left"],
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "line": {"shape": "hv", "color": colour, "width": 1.5, "dash": "dot"},
                "name": _("%(line)s: drawn") % {"line": label},
                "x": points["x"],
                "y": points["drawn"],
            }
        )
    return {
        "data": data,
        "layout": {
            "template": TEMPLATE,
            "title": {"text": escape(_("Balance over time"))},
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
            "margin": {"t": 96, "l": 8, "r": 8, "b": 8},
            "yaxis": {"rangemode": "tozero", "title": {"text": escape(_("Quantity"))}},
            "xaxis": {"type": "date"},
            "hovermode": "x unified",
        },
        "config": {
            "displaylogo": False,
            "responsive": True,
            "modeBarButtons": [["toImage"]],
            "toImageButtonOptions": {
                "format": "png",
                "filename": f"licence-{licence.number}-balance",
                "scale": 2,
            },
        },
    }
