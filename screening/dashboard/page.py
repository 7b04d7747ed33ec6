"""A report as the page shows it: the headline figures, each section's charts in its place, the
scenario's tables; and the table a CSV download of a section holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from screening.dashboard import scenario, thresholds
from screening.dashboard.charts import Chart, Links, Table
from screening.dashboard.report import ALL, BY_NAME, Headline, Report, headline
from screening.dashboard.section import View
from screening.dashboard.theme import compact_usd, count, usd

# CSV download → the report section it needs (the change list needs the scenario, uncapped).
CSV_SECTIONS = {name: section.name for section in ALL for name in section.csv}


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
    places: dict[str, list[Chart]] = field(default_factory=dict)  # section.place → its charts
    no_values: list[str] = field(default_factory=list)  # parameters with a threshold, no values
    changes: Table | None = None  # the scenario's
    transitions: Table | None = None

    @property
    def exposure(self) -> list[Chart]:
        return self.places.get("exposure", [])

    @property
    def workflow(self) -> list[Chart]:
        return self.places.get("workflow", [])

    @property
    def thresholds(self) -> list[Chart]:
        return self.places.get("thresholds", [])

    @property
    def activity(self) -> Chart | None:
        return next(iter(self.places.get("activity", [])), None)

    @property
    def scenario(self) -> Chart | None:
        return next(iter(self.places.get("scenario", [])), None)


def _fields(report: Report, names: tuple[str, ...]) -> list[object]:
    return [getattr(report, name) for name in names]


def dashboard_charts(report: Report, *, link_cases: bool) -> Dashboard:
    """Every chart of the report. `link_cases`: bars open the case list (for users who may)."""
    view = View(
        today=report.today,
        links=Links(report.filters.params(), link_cases),
        catalogue=report.catalogue,
    )
    board = Dashboard(headline=headline_items(headline(report), report, link_cases=link_cases))
    for section in ALL:
        fields = _fields(report, section.fields)
        if fields[0] is None:
            continue  # not run
        board.places.setdefault(section.place, []).extend(section.charts(*fields, view))
    board.no_values = thresholds.no_values(report.histograms)
    if report.scenario is not None:
        board.changes = scenario.changes_table(report.scenario, link_cases=link_cases)
        board.transitions = scenario.transitions_table(report.scenario)
    return board


def csv_table(report: Report, name: str) -> Table:
    """The table a CSV download of a dashboard section holds."""
    section = BY_NAME[CSV_SECTIONS[name]]
    view = View(today=report.today, links=Links([], False), catalogue=report.catalogue)
    return section.csv[name](*_fields(report, section.fields), view)
