"""Licence pages: the list with its filters, a licence with its versions, balances, ledger and
balance chart, recording a grant (from a filed application), amending (a new version) and
recording a status the authority decided; recording a licence granted outside an application
(on paper before the system, or by another team). Each view: access check → form → one domain call →
render or redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rules.access import can, require, signed_in
from rules.responses import page_or_fragment
from trade import licences, rechecks
from trade.applications import LicensingError
from trade.filters import LicenceFilter
from trade.forms import (
    AmendForm,
    GrantForm,
    LicenceItemFormSet,
    RecordLicenceForm,
    StatusForm,
)
from trade.models import ApplicationState, LedgerEntry, Licence, LicenceApplication
from trade.views.charts import balance_figure
from trade.views.common import form_error, page_of, party_suggestions

LEDGER_PAGE = 50


def visible_licence(request: HttpRequest, pk: int) -> Licence:
    """Every licence is visible to whoever works on the export side; 404 for no such licence."""
    return get_object_or_404(
        Licence.objects.select_related(
            "kind",
            "holder",
            "application",
            "recorded_by",
            "current",
            "current__consignee",
            "current__end_user",
        ),
        pk=pk,
    )


def recheck_message(request: HttpRequest, result: rechecks.Rechecked) -> None:
    """Say what a re-check of the open shipments changed."""
    if result.released:
        messages.success(
            request,
            _("Released by the new check: %(refs)s.")
            % {"refs": ", ".join(s.reference for s in result.released[:20])},
        )
    if result.held:
        messages.warning(
            request,
            _("Held by the new check: %(refs)s.")
            % {"refs": ", ".join(s.reference for s in result.held[:20])},
        )


def with_balances(licence_list: list[Licence]) -> list[dict[str, Any]]:
    """Each licence with its lines' balances and its status today."""
    today = timezone.localdate()
    found = licences.balances(licence_list)
    return [
        {
            "licence": licence,
            "balances": found[licence.pk],
            "status": licences.effective_status(licence, today, found[licence.pk]),
        }
        for licence in licence_list
    ]


@require_GET
@require("view_trade")
def licence_list(request: HttpRequest) -> HttpResponse:
    found = Licence.objects.select_related(
        "kind", "holder", "current", "current__consignee", "current__end_user"
    ).order_by("-recorded_at", "-pk")
    filters = LicenceFilter(request.GET, queryset=found)
    page = page_of(request, filters.qs)
    context = {
        "filter": filters,
        "page": page,
        "rows": with_balances(list(page.object_list)),
        "can_manage": can(request.user, "manage_licences"),
        "nav": "licences",
    }
    return page_or_fragment(request, "trade/licence_list.html", "trade/_licence_rows.html", context)


def _line_names(licence: Licence) -> dict[str, str]:
    names: dict[str, str] = {}
    for version in licence.versions.all():
        for item in version.items.all():
            names[item.line] = (
                f"{item.product} ({item.control_code})" if item.product else item.control_code
            )
    return names


@require_GET
@require("view_trade")
def licence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _licence_page(request, visible_licence(request, pk))


def _licence_page(request: HttpRequest, licence: Licence, **bound: Any) -> HttpResponse:
    user = signed_in(request)
    versions = list(
        licence.versions.select_related("consignee", "end_user", "recorded_by")
        .prefetch_related("items__product")
        .order_by("-number")
    )
    (row,) = with_balances([licence])
    names = _line_names(licence)
    ledger = LedgerEntry.objects.filter(licence=licence).select_related(
        "shipment_line__shipment", "actor"
    )
    ledger_page = page_of(request, ledger.order_by("-at", "-pk"))
    context = {
        "licence": licence,
        "row": row,
        "balances": [(b, names.get(b.line, b.line)) for b in row["balances"]],
        "versions": versions,
        "ledger": ledger_page,
        "figure": balance_figure(licence, names),
        "can_manage": can(user, "manage_licences"),
        "amend_form": AmendForm(licence=licence),
        "status_form": StatusForm(initial={"status": licence.status}),
        "nav": "licences",
        **bound,
    }
    return render(request, "trade/licence_detail.html", context)


@require_http_methods(["GET", "POST"])
@require("manage_licences")
def licence_amend(request: HttpRequest, pk: int) -> HttpResponse:
    """A new version: validity, authorised quantities (0 removes a line). Shipments held for
    this licence's balance are checked again."""
    user = signed_in(request)
    licence = visible_licence(request, pk)
    form = AmendForm(request.POST or None, licence=licence)
    if request.method == "POST" and form.is_valid():
        lines = [
            licences.LicenceLineInput(
                control_code=item.control_code,
                quantity=str(form.cleaned_data[f"quantity_{item.pk}"]),
                unit=item.unit,
                product=item.product,
                value=str(item.value) if item.value is not None else "",
                currency=item.currency,
            )
            for item in form.items
            if form.cleaned_data[f"quantity_{item.pk}"] > 0
        ]
        try:
            version, result = rechecks.amend_licence(
                licence=licence,
                user=user,
                reason=form.cleaned_data["reason"],
                valid_until=form.cleaned_data["valid_until"],
                lines=lines,
            )
        except LicensingError as exc:
            if exc.field == "items":
                form.add_error(None, str(exc))
            else:
                form_error(form, exc)
        else:
            messages.success(request, _("Version %(n)s recorded.") % {"n": version.number})
            recheck_message(request, result)
            return redirect(licence)
    return render(
        request,
        "trade/licence_amend.html",
        {"licence": licence, "form": form, "nav": "licences"},
    )


@require_POST
@require("manage_licences")
def licence_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    licence = visible_licence(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            licence, result = rechecks.set_licence_status(
                licence=licence,
                user=user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except LicensingError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("Status recorded: %(status)s.") % {"status": licence.get_status_display()},
            )
            recheck_message(request, result)
            return redirect(licence)
    return _licence_page(request, licence, status_form=form, show_status=True)


@require_http_methods(["GET", "POST"])
@require("manage_licences")
def licence_grant(request: HttpRequest, application_pk: int) -> HttpResponse:
    """Record the licence the authority granted on a filed application: its number, validity
    and the quantities authorised per item (the application's terms otherwise)."""
    user = signed_in(request)
    application = get_object_or_404(
        LicenceApplication.objects.select_related("kind", "applicant", "consignee", "end_user"),
        pk=application_pk,
    )
    if application.state != ApplicationState.FILED:
        messages.error(request, _("Only a filed application is granted."))
        return redirect(application)
    data = request.POST if request.method == "POST" else None
    form = GrantForm(data, application=application, initial={"version": application.version})
    if request.method == "POST" and form.is_valid():
        lines = [
            licences.LicenceLineInput(
                control_code=item.control_code,
                quantity=str(form.cleaned_data[f"quantity_{item.pk}"]),
                unit=item.unit,
                product=item.product,
                value=str(item.value),
                currency=item.currency,
            )
            for item in form.items
            if form.cleaned_data[f"quantity_{item.pk}"] > 0
        ]
        try:
            licence = licences.record_licence(
                user=user,
                number=form.cleaned_data["number"],
                kind=application.kind,
                holder=application.applicant,
                valid_from=form.cleaned_data["valid_from"],
                valid_until=form.cleaned_data["valid_until"],
                consignee=application.consignee,
                end_user=application.end_user,
                destination_country=application.destination_country,
                lines=lines,
                application=application,
                application_version=form.cleaned_data["version"],
            )
        except LicensingError as exc:
            if exc.field == "items":
                form.add_error(None, str(exc))
            else:
                form_error(form, exc)
        else:
            messages.success(
                request, _("Licence %(number)s recorded.") % {"number": licence.number}
            )
            return redirect(licence)
    context = {"application": application, "form": form, "nav": "applications"}
    return render(request, "trade/licence_grant.html", context)


@require_http_methods(["GET", "POST"])
@require("manage_licences")
def licence_record(request: HttpRequest) -> HttpResponse:
    """Record a licence granted outside an application here: what it says (number, kind,
    holder, validity, parties, destination, lines) and where it comes from. The same domain
    call as a grant (licences.record_licence), without an application."""
    user = signed_in(request)
    form = RecordLicenceForm(request.POST or None)
    items = LicenceItemFormSet(request.POST or None, prefix="items")
    items_error = ""
    if request.method == "POST" and form.is_valid() and items.is_valid():
        data = form.cleaned_data
        lines = [
            licences.LicenceLineInput(
                control_code=row["control_code"],
                quantity=row["quantity"],
                unit=row.get("unit") or "kg",
                product=row["product"],
                value=row.get("value") or "",
                currency=row.get("currency") or "USD",
            )
            for row in items.cleaned_data
            if row.get("control_code")
        ]
        try:
            licence = licences.record_licence(
                user=user,
                number=data["number"],
                kind=data["kind"],
                holder=data["holder"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                consignee=data["consignee"],
                end_user=data["end_user"],
                destination_country=data["destination_country"],
                lines=lines,
                note=data["source"],
            )
        except LicensingError as exc:
            if exc.field == "items":
                items_error = str(exc)
            else:
                form_error(form, exc)
        else:
            messages.success(
                request, _("Licence %(number)s recorded.") % {"number": licence.number}
            )
            return redirect(licence)
    context = {
        "form": form,
        "items": items,
        "items_error": items_error,
        "parties": party_suggestions(),
        "nav": "licences",
    }
    return render(request, "trade/licence_record.html", context)
