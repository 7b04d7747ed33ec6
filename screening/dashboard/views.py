"""The exposure dashboard. Each view: access check → form → one domain call → render.

The numbers are aggregates over all cases, whoever may open them: every role that works with
cases or rules sees the dashboard (capability "view_dashboard"); only users who may view cases
get bars that open the case list. Row-level data (the scenario's list of changes, on the page
and as CSV) holds only the cases the user may open (cache.report).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from rules import audit
from rules.access import can, require, signed_in
from rules.responses import csv_download, page_or_fragment
from screening.dashboard import cache, scenario
from screening.dashboard.filters import DashboardForm
from screening.dashboard.page import CSV_SECTIONS, Dashboard, csv_table, dashboard_charts
from screening.dashboard.report import SECTIONS, Report, current_catalogue


def _report(request: HttpRequest, **options: Any) -> tuple[DashboardForm, Report]:
    """The form (filters from the query string, or the posted export form) and its report."""
    catalogue = current_catalogue()
    today = timezone.localdate()
    data = (request.POST if request.method == "POST" else request.GET).copy()
    first, second = scenario.default_scenario(catalogue, today)
    data.setdefault("as_of", first.isoformat())
    data.setdefault("compare_to", second.isoformat())
    form = DashboardForm(data)
    filters = form.filters()  # validates the form
    dates = form.dates()
    first, second = scenario.scenario_dates(catalogue, today, dates["first"], dates["second"])
    result, computed_at = cache.report(
        filters=filters,
        catalogue=catalogue,
        today=today,
        first=first,
        second=second,
        viewer=signed_in(request),
        **options,
    )
    result.computed_at = computed_at
    return form, result


def _charts(request: HttpRequest, result: Report) -> Dashboard:
    """The report's charts, built once per cached report, language and kind of viewer."""
    link_cases = can(signed_in(request), "view_cases")
    return cache.finished_charts(
        result,
        link_cases=link_cases,
        build=lambda: dashboard_charts(result, link_cases=link_cases),
    )


@require_GET
@require("view_dashboard")
def dashboard_page(request: HttpRequest) -> HttpResponse:
    form, result = _report(request, change_limit=scenario.CHANGE_LIST_LIMIT)
    context = {
        "form": form,
        "report": result,
        "charts": _charts(request, result),
        "export_params": result.filters.params()
        + [("as_of", result.first.isoformat()), ("compare_to", result.second.isoformat())],
        "nav": "dashboard",
    }
    return page_or_fragment(
        request, "screening/dashboard.html", "screening/_dashboard_charts.html", context
    )


@require_GET
@require("view_dashboard")
def dashboard_section(request: HttpRequest) -> HttpResponse:
    """The charts of one section (?section=category|entry|…), with the page's filters."""
    section = request.GET.get("section", "")
    if section not in SECTIONS:
        raise Http404
    form, result = _report(request, sections={section}, change_limit=scenario.CHANGE_LIST_LIMIT)
    context = {"form": form, "report": result, "charts": _charts(request, result)}
    response = render(request, "screening/_dashboard_section.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
@require("view_dashboard")
def dashboard_csv(request: HttpRequest, section: str) -> HttpResponse:
    """One chart's data as CSV. A POST, because every export is written to the audit trail."""
    if section not in CSV_SECTIONS:
        raise Http404
    limit = None if section == "changes" else scenario.CHANGE_LIST_LIMIT
    _form, result = _report(
        request,
        sections={CSV_SECTIONS[section]},
        change_limit=limit,
        change_list=section == "changes",
    )
    table = csv_table(result, section)
    audit.record(
        "dashboard.export",
        actor=signed_in(request),
        object_type="dashboard",
        object_id=section,
        object_repr=f"dashboard {section} CSV",
        after={
            "section": section,
            "filters": result.filters.params(),
            "as_of": result.first,
            "compare_to": result.second,
            "rows": len(table.rows),
        },
    )
    return csv_download(table.csv(), filename=f"exposure-{section}-{result.today.isoformat()}.csv")
