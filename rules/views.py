"""The catalogue as users read it: measures with their status on a date, entries, criteria."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rules.access import require
from rules.forms import AsOfForm
from rules.models import RuleSet


@require_GET
@require("view")
def catalogue(request: HttpRequest) -> HttpResponse:
    """Every measure and entry of the current rule set, with status as of a date."""
    form = AsOfForm(request.GET or None)
    as_of = form.date()
    rule_set = RuleSet.objects.current()
    catalogue = rule_set.catalogue() if rule_set is not None else None
    measures = (
        [(m, m.status_on(as_of), m.window_on(as_of)) for m in catalogue.measures]
        if catalogue
        else []
    )
    context = {
        "rule_set": rule_set,
        "catalogue": catalogue,
        "measures": measures,
        "as_of": as_of,
        "form": form,
    }
    return render(request, "rules/catalogue.html", context)
