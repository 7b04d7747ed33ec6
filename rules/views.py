"""The catalogue as users read it, and the status confirmations administrators record."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rules import audit
from rules.access import can, require, signed_in
from rules.certainty import Assumption, assumptions_on
from rules.forms import AsOfForm, ConfirmationForm
from rules.models import RuleSet, StatusConfirmation
from rules.signals import announce
from rules.watch import unconfirmed, watch_dates


@require_GET
@require("view")
def catalogue(request: HttpRequest) -> HttpResponse:
    """Every measure and entry of the current rule set, with status as of a date."""
    form = AsOfForm(request.GET or None)
    as_of = form.date()
    rule_set = RuleSet.objects.current()
    catalogue = rule_set.catalogue() if rule_set is not None else None
    measures = []
    pending: dict[str, Assumption] = {}
    soon = []
    if catalogue is not None:
        today = timezone.localdate()
        confirmations = StatusConfirmation.objects.as_confirmations()
        assumed = assumptions_on(catalogue, as_of, confirmations)
        measures = [
            (m, m.status_on(as_of), m.window_on(as_of), assumed.get(m.key))
            for m in catalogue.measures
        ]
        pending = {u.measure.key: u for u in unconfirmed(catalogue, today, confirmations)}
        soon = watch_dates(catalogue, today)
    context = {
        "rule_set": rule_set,
        "catalogue": catalogue,
        "measures": measures,
        "as_of": as_of,
        "form": form,
        "pending": pending,
        "watch_dates": soon,
        "confirmations": StatusConfirmation.objects.select_related("confirmed_by")[:20],
        "confirm_form": ConfirmationForm() if can(request.user, "publish_rules") else None,
        "nav": "catalogue",
    }
    return render(request, "rules/catalogue.html", context)


@require_POST
@require("publish_rules")
def confirm_status(request: HttpRequest) -> HttpResponse:
    """Record that a measure's status was checked against a source."""
    form = ConfirmationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the measure, the status you confirmed and its source."))
        return redirect("catalogue")
    confirmation = StatusConfirmation.objects.create(
        confirmed_by=signed_in(request), **form.cleaned_data
    )
    audit.record(
        "rules.confirm_status",
        actor=request.user,
        obj=confirmation,
        after={
            "measure": confirmation.measure_key,
            "status": confirmation.status,
            "source": confirmation.source,
            "note": confirmation.note,
        },
    )
    messages.success(request, _("Status of %(key)s confirmed.") % {"key": confirmation.measure_key})
    for notice in announce(sender=StatusConfirmation, kind="status_confirmed", user=request.user):
        items = ", ".join(item["text"] for item in notice["items"])
        messages.info(request, f"{notice['title']} {items}".strip())
    return redirect("catalogue")
