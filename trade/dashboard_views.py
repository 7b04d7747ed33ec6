"""The export side's dashboard page (/trade/dashboard/): held shipments by reason, licence
balances and expiries, value shipped under licence by control code. For whoever works on the
export side (capability "view_trade"); the figures count every order and licence."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from rules.access import require
from trade import dashboard, dashboard_charts

MAX_DAYS = 366


class TradeDashboardForm(forms.Form):
    days = forms.IntegerField(
        label=_("Expiring within (days)"),
        min_value=1,
        max_value=MAX_DAYS,
        required=False,
        widget=forms.NumberInput(attrs={"size": 4}),
    )

    def within_days(self) -> int:
        """The horizon asked for, or the setting (LICENCE_EXPIRY_ALERT_DAYS) when none or
        a wrong one was given."""
        if self.is_valid() and self.cleaned_data.get("days"):
            return int(self.cleaned_data["days"])
        return int(settings.LICENCE_EXPIRY_ALERT_DAYS)


@require_GET
@require("view_trade")
def trade_dashboard(request: HttpRequest) -> HttpResponse:
    form = TradeDashboardForm(request.GET)
    within = form.within_days()
    today = timezone.localdate()
    held, reasons = dashboard.held_by_reason()
    lines = dashboard.licence_lines(today, within)
    charts = [
        dashboard_charts.held_chart(held, reasons, today),
        dashboard_charts.expiry_chart(lines, within, today),
        dashboard_charts.value_chart(dashboard.value_by_control_code(), today),
        dashboard_charts.balance_chart(lines, today),
    ]
    context = {
        "form": form,
        "within": within,
        "today": today,
        "charts": charts,
        "held": held,
        "expiring": len({line.licence_id for line in lines if line.expiring}),
        "nav": "trade_dashboard",
    }
    return render(request, "trade_dashboard/dashboard.html", context)
