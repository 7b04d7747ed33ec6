"""Shipment pages: the list with its filters, the check of each shipment (release or hold, every
reason in words with what clears it), entering one, overriding a hold (four-eyes), confirming
the export, cancelling. Each view: access check → form → one domain call → render or redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rules.access import can, require, signed_in
from rules.responses import page_or_fragment
from trade import entry, shipments
from trade.filters import ShipmentFilter
from trade.forms import (
    ExportForm,
    LineFormSet,
    OverrideForm,
    ReasonForm,
    ShipmentForm,
)
from trade.models import CheckTrigger, LedgerEntry, Shipment, ShipmentState
from trade.models.shipments import OPEN_SHIPMENT_STATES
from trade.permissions import may_override
from trade.reasons import HoldReason
from trade.views.common import (
    form_error,
    in_words,
    merge_party_reasons,
    page_of,
    party_suggestions,
    versioned_action,
)

LINE_FIELDS = ("sku", "revision", "quantity", "unit", "value", "currency")
BLANK_LINE = {"unit": "kg", "currency": "USD"}


def visible_shipment(request: HttpRequest, pk: int) -> Shipment:
    """Every shipment is visible to whoever works with shipments; 404 for no such shipment."""
    return get_object_or_404(
        Shipment.objects.select_related(
            "consignee", "end_user", "entered_by", "last_check", "last_check__checked_by"
        ),
        pk=pk,
    )


@require_GET
@require("view_trade")
def shipment_list(request: HttpRequest) -> HttpResponse:
    found = Shipment.objects.select_related("consignee", "end_user", "last_check").order_by(
        "-last_activity_at", "-pk"
    )
    filters = ShipmentFilter(request.GET, queryset=found)
    context = {
        "filter": filters,
        "page": page_of(request, filters.qs),
        "reasons": sorted(HoldReason.choices, key=lambda item: str(item[1])),
        "nav": "shipments",
    }
    return page_or_fragment(
        request, "trade/shipment_list.html", "trade/_shipment_rows.html", context
    )


@require_GET
@require("view_trade")
def shipment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _shipment_page(request, visible_shipment(request, pk))


def _shipment_page(
    request: HttpRequest, shipment: Shipment, *, status: int = 200, **bound: Any
) -> HttpResponse:
    """The shipment and its check; `bound` replaces a form by the user's when it has errors,
    so the input stays and each error shows beside its field."""
    user = signed_in(request)
    check = shipment.last_check
    by_line = {line["line"]: line for line in (check.lines if check else [])}
    lines = []
    for line in shipment.lines.select_related("product", "licence"):
        ran = by_line.get(line.pk, {})
        lines.append(
            {
                "line": line,
                "reasons": [in_words(r) for r in line.reasons],
                "draw": ran.get("draw"),
                "draw_unit": ran.get("draw_unit"),
            }
        )
    own_reasons = merge_party_reasons(check.reasons if check else [])
    every_reason = own_reasons + [r for line in lines for r in line["reasons"]]
    held = shipment.state == ShipmentState.HELD
    user = user
    context = {
        "shipment": shipment,
        "check": check,
        "lines": lines,
        "own_reasons": own_reasons,
        "prohibited": any(r.get("prohibited") for r in every_reason),
        "checks": shipment.checks.select_related("checked_by")[:10],
        "overrides": shipment.overrides.select_related("by"),
        "ledger": LedgerEntry.objects.filter(shipment_line__shipment=shipment)
        .select_related("licence", "shipment_line", "actor")
        .order_by("at", "pk"),
        "can_override": held and can(user, "override_holds"),
        "four_eyes_blocks": held
        and can(user, "override_holds")
        and not may_override(shipment, user),
        "can_export": shipment.state == ShipmentState.RELEASED and can(user, "enter_shipments"),
        "can_cancel": shipment.state in OPEN_SHIPMENT_STATES and can(user, "enter_shipments"),
        "can_recheck": shipment.state in OPEN_SHIPMENT_STATES,
        "override_form": OverrideForm(initial={"version": shipment.version}),
        "export_form": ExportForm(initial={"exported_on": shipment.planned_ship_date}),
        "cancel_form": ReasonForm(initial={"version": shipment.version}),
        "nav": "shipments",
        **bound,
    }
    return render(request, "trade/shipment_detail.html", context, status=status)


def _line_rows(data: Any, *, add: int = 0) -> list[dict[str, str]]:
    """The lines a user typed, as initial values (to re-show them with one more blank line)."""
    try:
        total = min(int(data.get("lines-TOTAL_FORMS", "1")), 200)
    except ValueError:
        total = 1
    rows = [{name: data.get(f"lines-{i}-{name}", "") for name in LINE_FIELDS} for i in range(total)]
    return rows + [dict(BLANK_LINE) for _ in range(add)]


@require_http_methods(["GET", "POST"])
@require("enter_shipments")
def shipment_new(request: HttpRequest) -> HttpResponse:
    """Enter an export order; it is checked at once. "Add a line" re-shows the form with one
    more line (no script needed), keeping what was typed."""
    user = signed_in(request)
    lines_error = ""
    if request.method == "POST" and "add_line" in request.POST:
        form = ShipmentForm(initial=request.POST.dict())
        lines = LineFormSet(prefix="lines", initial=_line_rows(request.POST, add=1))
    elif request.method == "POST":
        form = ShipmentForm(request.POST)
        lines = LineFormSet(request.POST, prefix="lines")
        if form.is_valid() and lines.is_valid():
            entered = [
                entry.LineInput(
                    product=row["product"],
                    quantity=row["quantity"],
                    unit=row.get("unit") or "kg",
                    value=row.get("value") or "",
                    currency=row.get("currency") or "USD",
                )
                for row in lines.cleaned_data
                if row.get("sku")
            ]
            try:
                shipment = entry.enter_shipment(user=user, lines=entered, **form.cleaned_data)
            except shipments.ShipmentError as exc:
                if exc.field == "lines":
                    lines_error = str(exc)
                else:
                    form_error(form, exc)
            else:
                if shipment.state == ShipmentState.RELEASED:
                    messages.success(
                        request,
                        _("Shipment %(ref)s entered: released.") % {"ref": shipment.reference},
                    )
                else:
                    messages.warning(
                        request,
                        _("Shipment %(ref)s entered: held. The page says why.")
                        % {"ref": shipment.reference},
                    )
                return redirect(shipment)
    else:
        form = ShipmentForm()
        lines = LineFormSet(prefix="lines", initial=[dict(BLANK_LINE)])
    context = {
        "form": form,
        "lines": lines,
        "lines_error": lines_error,
        "parties": party_suggestions(),
        "nav": "shipments",
    }
    return render(request, "trade/shipment_form.html", context)


@require_POST
@require("view_trade")
def shipment_recheck(request: HttpRequest, pk: int) -> HttpResponse:
    """Run the gate again (after a licence was amended, a match decided, a list confirmed)."""
    user = signed_in(request)
    shipment = visible_shipment(request, pk)
    if shipment.state not in OPEN_SHIPMENT_STATES:
        messages.error(request, _("Only a shipment not yet exported or cancelled is checked."))
        return redirect(shipment)
    checks = shipments.check_shipments([shipment], user=user, trigger=CheckTrigger.MANUAL)
    run = checks[0] if checks else None
    if run is not None and run.result == "release":
        messages.success(request, _("Checked again: released."))
    else:
        messages.warning(request, _("Checked again: still held."))
    return redirect(shipment)


@require_POST
@require("override_holds")
def shipment_override(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    shipment = visible_shipment(request, pk)
    form = OverrideForm(request.POST)
    return versioned_action(
        request,
        shipment,
        form,
        lambda data: shipments.override_hold(
            shipment=shipment, version=data["version"], user=user, rationale=data["rationale"]
        ),
        done=lambda _shipment: _("Released on your documented decision."),
        conflict=shipments.Conflict,
        refused=shipments.ShipmentError,
        page=lambda: _shipment_page(request, shipment, override_form=form, show_override=True),
    )


@require_POST
@require("enter_shipments")
def shipment_export(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    shipment = visible_shipment(request, pk)
    form = ExportForm(request.POST)
    if form.is_valid():
        try:
            shipment, confirmed = shipments.confirm_export(
                shipment=shipment, user=user, **form.cleaned_data
            )
        except shipments.ShipmentError as exc:
            form_error(form, exc)
        else:
            if confirmed:
                messages.success(request, _("Export confirmed: the licences are drawn."))
            else:
                messages.info(
                    request,
                    _("This export was confirmed already; nothing was drawn a second time."),
                )
            return redirect(shipment)
    return _shipment_page(request, shipment, export_form=form, show_export=True)


@require_POST
@require("enter_shipments")
def shipment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    shipment = visible_shipment(request, pk)
    form = ReasonForm(request.POST)
    return versioned_action(
        request,
        shipment,
        form,
        lambda data: shipments.cancel_shipment(
            shipment=shipment, version=data["version"], user=user, reason=data["reason"]
        ),
        done=lambda _shipment: _("Shipment cancelled; its reservations are given back."),
        conflict=shipments.Conflict,
        refused=shipments.ShipmentError,
        page=lambda: _shipment_page(request, shipment, cancel_form=form, show_cancel=True),
    )
