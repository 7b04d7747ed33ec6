"""The exposure dashboard. Each view: access check → form → one domain call → render.

The numbers are aggregates over all cases, whoever may open them: every role that works with
cases or rules sees the dashboard (capability "view_dashboard"); only users who may view cases
get bars that open the case list. Row-level data (the scenario's list of changes, on the page
and as CSV) holds only the cases the user may open (dashboard_cache.report).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from rules import audit
from rules.access import can, require
from rules.forms import DateInput
from rules.labels import OUTCOME_LABELS
from rules.specs import country_codes
from rules.vocabulary import CATEGORIES, OUTCOMES
from screening import charts, dashboard, dashboard_cache
from screening.labels import category_label
from screening.models.cases import State

# CSV download → the report section it needs (the change list needs the scenario, uncapped).
CSV_SECTIONS = {
    "products": "products",
    "category": "category",
    "entry": "entry",
    "destination": "destination",
    "workflow": "workflow",
    "workload": "workload",
    "activity": "activity",
    "thresholds": "thresholds",
    "scenario": "scenario",
    "changes": "scenario",
}


class DashboardForm(forms.Form):
    """The dashboard's filters; the names are the case list's, so a view's URL can be shared
    and a bar's link keeps them. Invalid values are reported and ignored."""

    created_after = forms.DateField(label=_("Opened from"), required=False, widget=DateInput())
    created_before = forms.DateField(label=_("Opened until"), required=False, widget=DateInput())
    category = forms.ChoiceField(label=_("Category"), required=False)
    entry = forms.CharField(
        label=_("Entry code"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 3A001")}),
    )
    destination = forms.CharField(
        label=_("Destination"),
        required=False,
        max_length=2,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. DE"), "size": 4}),
    )
    state = forms.MultipleChoiceField(
        label=_("State"),
        required=False,
        choices=State.choices,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    outcome = forms.ChoiceField(label=_("Automated outcome"), required=False)
    as_of = forms.DateField(label=_("Compare as of"), required=False, widget=DateInput())
    compare_to = forms.DateField(label=_("with as of"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories"))] + [
            (c, category_label(c)) for c in CATEGORIES
        ]
        self.fields["outcome"].choices = [("", _("Any outcome"))] + [
            (o, OUTCOME_LABELS[o]) for o in OUTCOMES
        ]

    def clean_destination(self) -> str:
        code = (self.cleaned_data.get("destination") or "").strip().upper()
        if code and code not in country_codes():
            raise forms.ValidationError(_("Not an ISO 3166-1 alpha-2 country code."))
        return code

    def clean_entry(self) -> str:
        return (self.cleaned_data.get("entry") or "").strip()

    def filters(self) -> dashboard.Filters:
        self.is_valid()
        data = self.cleaned_data
        return dashboard.Filters(
            created_after=data.get("created_after"),
            created_before=data.get("created_before"),
            category=data.get("category") or "",
            entry=data.get("entry") or "",
            destination=data.get("destination") or "",
            states=tuple(data.get("state") or ()),
            outcome=data.get("outcome") or "",
        )

    def dates(self) -> dict[str, Any]:
        return {
            "first": self.cleaned_data.get("as_of"),
            "second": self.cleaned_data.get("compare_to"),
        }


def _report(request: HttpRequest, **options: Any) -> tuple[DashboardForm, dashboard.Report]:
    """The form (filters from the query string, or the posted export form) and its report."""
    catalogue = dashboard.current_catalogue()
    today = timezone.localdate()
    data = (request.POST if request.method == "POST" else request.GET).copy()
    first, second = dashboard.default_scenario(catalogue, today)
    data.setdefault("as_of", first.isoformat())
    data.setdefault("compare_to", second.isoformat())
    form = DashboardForm(data)
    filters = form.filters()  # validates the form
    dates = form.dates()
    first, second = dashboard.scenario_dates(catalogue, today, dates["first"], dates["second"])
    result, computed_at = dashboard_cache.report(
        filters=filters,
        catalogue=catalogue,
        today=today,
        first=first,
        second=second,
        viewer=request.user,
        **options,
    )
    result.computed_at = computed_at
    return form, result


@require_GET
@require("view_dashboard")
def dashboard_page(request: HttpRequest) -> HttpResponse:
    form, result = _report(request, change_limit=dashboard.CHANGE_LIST_LIMIT)
    context = {
        "form": form,
        "report": result,
        "charts": charts.dashboard_charts(result, link_cases=can(request.user, "view_cases")),
        "export_params": result.filters.params()
        + [("as_of", result.first.isoformat()), ("compare_to", result.second.isoformat())],
        "nav": "dashboard",
    }
    # A history restore (back button after a filter change) wants the whole page.
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "screening/_dashboard_charts.html" if fragment else "screening/dashboard.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


@require_GET
@require("view_dashboard")
def dashboard_section(request: HttpRequest) -> HttpResponse:
    """The charts of one section (?section=category|entry|…), with the page's filters."""
    section = request.GET.get("section", "")
    if section not in dashboard.SECTIONS:
        raise Http404
    form, result = _report(request, sections={section}, change_limit=dashboard.CHANGE_LIST_LIMIT)
    context = {
        "form": form,
        "report": result,
        "charts": charts.dashboard_charts(result, link_cases=can(request.user, "view_cases")),
    }
    response = render(request, "screening/_dashboard_section.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
@require("view_dashboard")
def dashboard_csv(request: HttpRequest, section: str) -> HttpResponse:
    """One chart's data as CSV. A POST, because every export is written to the audit trail."""
    if section not in CSV_SECTIONS:
        raise Http404
    limit = None if section == "changes" else dashboard.CHANGE_LIST_LIMIT
    _form, result = _report(
        request,
        sections={CSV_SECTIONS[section]},
        change_limit=limit,
        change_list=section == "changes",
    )
    table = charts.csv_table(result, section)
    audit.record(
        "dashboard.export",
        actor=request.user,
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
    response = HttpResponse(
        "\ufeff" + table.csv(),  # a BOM, so spreadsheet programs read the UTF-8 (Chinese) right
        content_type="text/csv; charset=utf-8",
    )
    filename = f"exposure-{section}-{result.today.isoformat()}.csv"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
