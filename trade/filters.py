"""The export side's list filters (django-filter), one per list page: licences, applications,
shipments, parties."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rules.forms import DateInput
from trade.licences import balances
from trade.models import (
    Licence,
    LicenceApplication,
    LicenceKind,
    Party,
    Shipment,
    ShipmentState,
)
from trade.models.licences import ApplicationState

LICENCE_EFFECTIVE = (
    ("valid", _("Valid")),
    ("expired", _("Expired")),
    ("exhausted", _("Exhausted")),
    ("revoked", _("Revoked")),
    ("suspended", _("Suspended")),
)


class LicenceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ModelChoiceFilter(
        queryset=LicenceKind.objects.all(), label=_("Kind"), empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        choices=Licence.Status.choices, label=_("Recorded status"), empty_label=_("Any status")
    )
    state = django_filters.ChoiceFilter(
        choices=LICENCE_EFFECTIVE,
        method="effective",
        label=_("Status today"),
        empty_label=_("Any"),
    )
    destination = django_filters.CharFilter(
        field_name="current__destination_country", lookup_expr="iexact", label=_("Destination")
    )
    expires_before = django_filters.DateFilter(
        field_name="current__valid_until",
        lookup_expr="lte",
        label=_("Expires by"),
        widget=DateInput(),
    )

    class Meta:
        model = Licence
        fields: list[str] = []

    def effective(self, queryset: QuerySet[Licence], name: str, value: str) -> QuerySet[Licence]:
        """Licences by their status today (trade.licences.effective_status): exhausted ones are
        found from their balances (one query over the valid licences' ledgers)."""
        if value in (Licence.Status.REVOKED, Licence.Status.SUSPENDED):
            return queryset.filter(status=value)
        today = timezone.localdate()
        active = queryset.filter(status=Licence.Status.ACTIVE)
        if value == "expired":
            return active.filter(current__valid_until__lt=today)
        valid = active.filter(current__valid_from__lte=today, current__valid_until__gte=today)
        exhausted = [
            pk
            for pk, lines in balances(valid.select_related("current")).items()
            if lines and all(line.remaining <= 0 for line in lines)
        ]
        if value == "exhausted":
            return valid.filter(pk__in=exhausted)
        return valid.exclude(pk__in=exhausted)

    def search(self, queryset: QuerySet[Licence], name: str, value: str) -> QuerySet[Licence]:
        value = value.strip()
        return queryset.filter(
            Q(number__icontains=value)
            | Q(current__items__control_code__icontains=value)
            | Q(current__items__product__sku__icontains=value)
            | Q(current__end_user__name__icontains=value)
        ).distinct()


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    state = django_filters.MultipleChoiceFilter(
        choices=ApplicationState.choices,
        label=_("State"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = LicenceApplication
        fields: list[str] = []

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        return queryset.filter(
            Q(contract_reference__icontains=value)
            | Q(authority_reference__icontains=value)
            | Q(end_user__name__icontains=value)
            | Q(items__product__sku__icontains=value)
        ).distinct()


class ShipmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    state = django_filters.MultipleChoiceFilter(
        choices=ShipmentState.choices, label=_("State"), widget=forms.CheckboxSelectMultiple
    )
    reason = django_filters.CharFilter(method="with_reason", label=_("Hold reason"))
    destination = django_filters.CharFilter(
        field_name="destination_country", lookup_expr="iexact", label=_("Destination")
    )
    ship_from = django_filters.DateFilter(
        field_name="planned_ship_date", lookup_expr="gte", label=_("Ships from"), widget=DateInput()
    )
    ship_until = django_filters.DateFilter(
        field_name="planned_ship_date",
        lookup_expr="lte",
        label=_("Ships until"),
        widget=DateInput(),
    )

    class Meta:
        model = Shipment
        fields: list[str] = []

    def search(self, queryset: QuerySet[Shipment], name: str, value: str) -> QuerySet[Shipment]:
        value = value.strip()
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(consignee__name__icontains=value)
            | Q(end_user__name__icontains=value)
            | Q(lines__product__sku__icontains=value)
        ).distinct()

    def with_reason(
        self, queryset: QuerySet[Shipment], name: str, value: str
    ) -> QuerySet[Shipment]:
        code = value.strip()
        return queryset.filter(
            Q(lines__reasons__icontains=f'"code": "{code}"')
            | Q(last_check__reasons__icontains=f'"code": "{code}"')
        ).distinct()


class PartyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    country = django_filters.CharFilter(lookup_expr="iexact", label=_("Country"))
    candidates = django_filters.ChoiceFilter(
        method="with_candidates",
        label=_("Candidate matches"),
        empty_label=_("Any"),
        choices=(
            ("open", _("To decide")),
            ("confirmed", _("Confirmed matches")),
            ("none", _("None open or confirmed")),
        ),
    )

    class Meta:
        model = Party
        fields: list[str] = []

    def search(self, queryset: QuerySet[Party], name: str, value: str) -> QuerySet[Party]:
        value = value.strip()
        return queryset.filter(
            Q(reference__icontains=value) | Q(name__icontains=value) | Q(name_zh__icontains=value)
        )

    def with_candidates(self, queryset: QuerySet[Party], name: str, value: str) -> QuerySet[Party]:
        if value == "open":
            return queryset.filter(matches__state__in=["open", "dismiss_proposed"]).distinct()
        if value == "confirmed":
            return queryset.filter(matches__state="confirmed").distinct()
        return queryset.exclude(matches__state__in=["open", "dismiss_proposed", "confirmed"])
