"""The export side's dashboard charts, in the exposure dashboard's conventions
(screening.dashboard.theme): plotly JSON figures in the house template, drawn offline by the site's
plotly.js, each with a sentence that says what it shows and its data as a table under it.
Bars open the page of what they count where that page exists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from screening.dashboard.charts import Chart, Table, chart
from screening.dashboard.theme import HOVER, count, escape
from trade.dashboard import CodeValue, HeldReason, LicenceLine
from trade.models import Licence
from trade.quantities import text

HOLD_COLOUR = "#d4a017"
PROHIBITED_COLOUR = "#b2182b"
DRAWN, RESERVED, REMAINING = "#4c72b0", "#8fb0d9", "#dfe6f0"
EXPIRING_COLOUR, LATER_COLOUR = "#d4a017", "#4c72b0"
EXPORTED_COLOUR, RELEASED_COLOUR = "#2f7d4f", "#9cc9a8"
BALANCE_ROWS = 40  # licence lines drawn (soonest expiry first); the table lists them all
STATUS_LABELS = {
    "valid": gettext_lazy("Valid"),
    "expired": gettext_lazy("Expired"),
    "exhausted": gettext_lazy("Exhausted"),
    "not_yet_valid": gettext_lazy("Not yet valid"),
    **dict(Licence.Status.choices),
}


def _link(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the page is not there (yet): the bar opens nothing
        return ""


def _fit(figure: dict[str, Any], wanted: int) -> str:
    """The plot's height class (the page's CSS gives each a minimum height) for the height the
    bars need; the figure fills it."""
    for size, height in (("sm", 340), ("md", 420), ("lg", 560)):
        if wanted <= height:
            figure["layout"]["height"] = height
            return size
    figure["layout"]["height"] = wanted
    return "lg"


def _status(code: str) -> str:
    return str(STATUS_LABELS.get(code, code))


def held_chart(held: int, found: list[HeldReason], today: dt.date) -> Chart:
    labels = [escape(r.label) for r in found]
    link = _link("shipment_list")
    figure = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": [r.shipments for r in found],
                "marker": {
                    "color": [PROHIBITED_COLOUR if r.prohibited else HOLD_COLOUR for r in found]
                },
                "hovertext": [
                    f"<b>{label}</b><br>"
                    + _("%(n)s held shipment(s), %(lines)s line(s)")
                    % {"n": count(r.shipments), "lines": count(r.lines)}
                    for label, r in zip(labels, found, strict=True)
                ],
                "hovertemplate": HOVER,
                "customdata": [f"{link}?state=held&reason={r.code}" if link else "" for r in found],
            }
        ],
        "layout": {"yaxis": {"autorange": "reversed"}},
    }
    size = _fit(figure, 120 + 28 * max(len(found), 1))
    table = Table(
        [_("Reason"), _("Code"), _("Held shipments"), _("Held lines"), _("Prohibited")],
        ["text", "text", "int", "int", "int"],
        [[r.label, r.code, r.shipments, r.lines, r.prohibited] for r in found],
    )
    summary = _(
        "%(held)s shipment(s) are held; each reason counts the held shipments it applies to "
        "(a shipment held for two reasons counts under both). Red: the law forbids the export."
    ) % {"held": count(held)}
    return chart("held", _("Held shipments by reason"), summary, table, figure, today, size=size)


def _line_label(line: LicenceLine) -> str:
    what = line.product or line.control_code
    return escape(f"{line.number} · {what}")


def balance_chart(lines: list[LicenceLine], today: dt.date) -> Chart:
    """Each licence line's authorised quantity split into drawn, reserved and remaining, as a
    share (lines count in different units)."""
    shown = lines[:BALANCE_ROWS]
    labels = [_line_label(line) for line in shown]

    def share(amount: Any, line: LicenceLine) -> float:
        return round(float(amount / line.authorised * 100), 2) if line.authorised else 0.0

    traces = []
    for name, colour, part in (
        (_("Drawn"), DRAWN, "drawn"),
        (_("Reserved"), RESERVED, "reserved"),
        (_("Remaining"), REMAINING, "remaining"),
    ):
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": name,
                "y": labels,
                "x": [share(max(getattr(line, part), 0), line) for line in shown],
                "marker": {"color": colour},
                "hovertext": [
                    f"<b>{label}</b><br>{escape(name)}: {text(getattr(line, part))} "
                    f"{escape(line.unit)} "
                    f"({share(getattr(line, part), line):g} %)"
                    for label, line in zip(labels, shown, strict=True)
                ],
                "hovertemplate": HOVER,
                "customdata": [_link("licence_detail", line.licence_id) for line in shown],
            }
        )
    figure = {
        "data": traces,
        "layout": {
            "barmode": "stack",
            "yaxis": {"autorange": "reversed"},
            "xaxis": {"range": [0, 100], "ticksuffix": " %"},
        },
    }
    size = _fit(figure, 140 + 24 * max(len(shown), 1))
    table = Table(
        [
            _("Licence"),
            _("Status"),
            _("Control code"),
            _("Product"),
            _("Authorised"),
            _("Drawn"),
            _("Reserved"),
            _("Remaining"),
            _("Unit"),
            _("Remaining (%)"),
        ],
        ["text", "text", "text", "text", "number", "number", "number", "number", "text", "number"],
        [
            [
                line.number,
                _status(line.status),
                line.control_code,
                line.product,
                line.authorised,
                line.drawn,
                line.reserved,
                line.remaining,
                line.unit,
                round(line.remaining_pct, 1),
            ]
            for line in lines
        ],
        [_link("licence_detail", line.licence_id) for line in lines],
    )
    in_force = ("valid", "exhausted")
    low = sum(1 for line in lines if line.status in in_force and line.remaining_pct < 10)
    summary = _(
        "%(lines)s licence line(s) on %(licences)s licence(s); %(low)s line(s) of licences in "
        "force have less than 10 %% left. Each bar is the authorised quantity: drawn by "
        "exports, reserved for released shipments, and what remains."
    ) % {
        "lines": count(len(lines)),
        "licences": count(len({line.licence_id for line in lines})),
        "low": count(low),
    }
    if len(lines) > BALANCE_ROWS:
        summary += " " + _("The chart shows the %(n)s that expire first; the table lists all.") % {
            "n": BALANCE_ROWS
        }
    return chart(
        "balances",
        _("Licence balances"),
        summary,
        table,
        figure,
        today,
        legend="above",
        size=size,
        wide=True,
    )


def expiry_chart(lines: list[LicenceLine], within_days: int, today: dt.date) -> Chart:
    """Valid licences by the days they have left; those ending within the horizon stand out."""
    licences: dict[int, LicenceLine] = {}
    for line in lines:
        if line.status in ("valid", "exhausted", "not_yet_valid"):
            licences.setdefault(line.licence_id, line)
    found = sorted(licences.values(), key=lambda line: (line.valid_until, line.number))
    labels = [escape(line.number) for line in found]
    figure = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": [line.days_left for line in found],
                "marker": {
                    "color": [
                        EXPIRING_COLOUR if line.days_left <= within_days else LATER_COLOUR
                        for line in found
                    ]
                },
                "hovertext": [
                    f"<b>{label}</b><br>"
                    + _("valid until %(date)s: %(days)s day(s) left")
                    % {"date": line.valid_until.isoformat(), "days": line.days_left}
                    for label, line in zip(labels, found, strict=True)
                ],
                "hovertemplate": HOVER,
                "customdata": [_link("licence_detail", line.licence_id) for line in found],
            }
        ],
        "layout": {
            "yaxis": {"autorange": "reversed"},
            "xaxis": {"title": {"text": escape(_("days left"))}},
            "shapes": [
                {
                    "type": "line",
                    "x0": within_days,
                    "x1": within_days,
                    "yref": "paper",
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": EXPIRING_COLOUR, "dash": "dot"},
                }
            ],
        },
    }
    size = _fit(figure, 120 + 24 * max(len(found), 1))
    expiring = [line for line in found if line.days_left <= within_days]
    table = Table(
        [_("Licence"), _("Status"), _("Valid until"), _("Days left"), _("Expiring soon")],
        ["text", "text", "text", "int", "text"],
        [
            [
                line.number,
                _status(line.status),
                line.valid_until.isoformat(),
                line.days_left,
                _("yes") if line.days_left <= within_days else _("no"),
            ]
            for line in found
        ],
        [_link("licence_detail", line.licence_id) for line in found],
    )
    summary = _(
        "%(n)s licence(s) in force expire within %(days)s days (dotted line), of %(all)s."
    ) % {"n": count(len(expiring)), "days": within_days, "all": count(len(found))}
    return chart("expiries", _("Licence expiries"), summary, table, figure, today, size=size)


def value_chart(found: list[CodeValue], today: dt.date) -> Chart:
    labels = [escape(f"{v.control_code} ({v.currency})") for v in found]
    traces = [
        {
            "type": "bar",
            "orientation": "h",
            "name": name,
            "y": labels,
            "x": [float(getattr(v, part)) for v in found],
            "marker": {"color": colour},
            "hovertext": [
                f"<b>{label}</b><br>{escape(name)}: {getattr(v, part):,.2f} {v.currency}"
                for label, v in zip(labels, found, strict=True)
            ],
            "hovertemplate": HOVER,
        }
        for name, colour, part in (
            (_("Exported"), EXPORTED_COLOUR, "exported"),
            (_("Released, not yet exported"), RELEASED_COLOUR, "released"),
        )
    ]
    figure = {
        "data": traces,
        "layout": {
            "barmode": "stack",
            "yaxis": {"autorange": "reversed"},
            "xaxis": {"tickformat": "~s"},
        },
    }
    size = _fit(figure, 140 + 32 * max(len(found), 1))
    table = Table(
        [_("Control code"), _("Currency"), _("Exported"), _("Released"), _("Lines")],
        ["text", "text", "usd", "usd", "int"],
        [[v.control_code, v.currency, v.exported, v.released, v.lines] for v in found],
    )
    summary = _(
        "The value of shipment lines drawn on a licence, by the control code of the licence "
        "line: exported, and released but not yet exported (in each line's currency)."
    )
    return chart(
        "value",
        _("Value shipped under licence by control code"),
        summary,
        table,
        figure,
        today,
        legend="above",
        size=size,
    )
