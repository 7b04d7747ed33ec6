"""Forms and filters of the case pages. Workflow fields are never form fields: the state, the
version, who decided and the outcome change only through screening.workflow."""

from __future__ import annotations

import re
from typing import Any, cast

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from rules.forms import DateInput
from rules.labels import OUTCOME_LABELS, category_label, entry_result_label, parameter_label
from rules.specs import country_codes
from rules.vocabulary import CATEGORIES, OUTCOMES
from screening.forms.fields import NoSilentTruncation
from screening.models import Case
from screening.models.cases import Determination, LicencePath, State
from screening.workflow import queue_for


class ShipmentForm(NoSilentTruncation, forms.ModelForm):
    class Meta:
        model = Case
        fields = (
            "destination_country",
            "end_user",
            "end_use",
            "expected_value_usd",
            "licence_path",
        )
        widgets = {"end_use": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "destination_country": _("ISO 3166-1 alpha-2 code, e.g. DE."),
            "licence_path": _("If a licence is needed: which one you propose to apply for."),
        }

    def clean_destination_country(self) -> str:
        code = (self.cleaned_data.get("destination_country") or "").strip().upper()
        if code and code not in country_codes():
            raise forms.ValidationError(_("Not an ISO 3166-1 alpha-2 country code."))
        return code


class VersionedForm(NoSilentTruncation, forms.Form):
    """Carries the case version the user saw, so a stale page cannot transition twice."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MessageForm(VersionedForm):
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


class ApproveForm(VersionedForm):
    determination = forms.ChoiceField(label=_("Determination"), choices=Determination.choices)
    licence_path = forms.ChoiceField(
        label=_("Licence path"), choices=[("", "—"), *LicencePath.choices], required=False
    )
    entries = forms.MultipleChoiceField(
        label=_("Entries the determination rests on"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rationale = forms.CharField(
        label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )
    departure_reason = forms.CharField(
        label=_("Reason for departing from the automated outcome"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10000,
        help_text=_(
            "Required when your determination differs from the automated outcome, and when the "
            "rules changed since the screening (unless the case is based on the new screening)."
        ),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["entries"]).choices = [
            (hit.key, f"{hit.key} ({entry_result_label(hit.result)})")
            for hit in case.screening.hits.all()
        ]
        if case.automated_outcome in Determination.values:
            self.fields["determination"].initial = case.automated_outcome


class CommentForm(NoSilentTruncation, forms.Form):
    message = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class EvidenceForm(NoSilentTruncation, forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, image, XLSX or CSV; checked by content. Stored with its SHA-256."),
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    parameters = forms.MultipleChoiceField(
        label=_("Parameters this file supports"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        given = [name for name, *_ in case.spec.parameters()]
        cast(forms.MultipleChoiceField, self.fields["parameters"]).choices = [
            (p, parameter_label(p)) for p in given
        ]


class LegalHoldForm(NoSilentTruncation, forms.Form):
    hold = forms.BooleanField(label=_("Legal hold"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=2000)


SORTS = {
    "updated": ("-last_activity_at", "-pk"),
    "created": ("-created_at", "-pk"),
    "oldest": ("state_changed_at", "pk"),
    "product": ("product__sku", "pk"),
    "value": ("-expected_value_usd", "-pk"),
}


CASE_REFERENCE_RE = re.compile(r"^(?:EC-)?(?:(?P<year>\d{4})-)?(?P<number>\d{1,9})$", re.IGNORECASE)


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    queue = django_filters.BooleanFilter(
        label=_("My queue"), method="my_queue", widget=forms.CheckboxInput
    )
    # A column of the case itself: no join to de-duplicate, and DISTINCT over every selected
    # column is what a million-row list cannot afford.
    state = django_filters.MultipleChoiceFilter(
        label=_("State"),
        choices=State.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Automated outcome"),
        field_name="automated_outcome",
        choices=[(o, OUTCOME_LABELS[o]) for o in OUTCOMES],
        empty_label=_("Any outcome"),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        field_name="spec__category",
        empty_label=_("All categories"),
        choices=[],
    )
    entry = django_filters.CharFilter(
        label=_("Entry code"), method="by_entry", help_text=_("e.g. 3A001")
    )
    assignee = django_filters.CharFilter(
        label=_("Reviewer"), field_name="reviewer__username", lookup_expr="iexact"
    )
    destination = django_filters.CharFilter(
        label=_("Destination"), field_name="destination_country", lookup_expr="iexact"
    )
    rules_changed = django_filters.BooleanFilter(
        label=_("Rules changed: re-review"), method="flagged", widget=forms.CheckboxInput
    )
    created_after = django_filters.DateFilter(
        label=_("Created from"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=DateInput(),
    )
    created_before = django_filters.DateFilter(
        label=_("Created until"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=DateInput(),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort"),
        method="sort_by",
        empty_label=None,
        choices=[
            ("updated", _("Last activity")),
            ("created", _("Newest")),
            ("oldest", _("Longest in state")),
            ("product", _("Product")),
            ("value", _("Expected value")),
        ],
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["category"].extra["choices"] = [(c, category_label(c)) for c in CATEGORIES]

    def search(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        value = value.strip()
        condition = (
            Q(product__sku__icontains=value)
            | Q(spec__name__icontains=value)
            | Q(end_user__icontains=value)
        )
        # A case number only when the whole query looks like one (EC-2026-000002, 2026-000002,
        # or digits alone): "NC-CELL-002" is a part number, not case 2.
        reference = CASE_REFERENCE_RE.match(value)
        if reference:
            year, number = reference.group("year"), int(reference.group("number"))
            condition |= Q(pk=number, created_at__year=int(year)) if year else Q(pk=number)
        return queryset.filter(condition)

    def my_queue(self, queryset: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        return queryset.filter(queue_for(self.user)) if value else queryset

    def flagged(self, queryset: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        """Ticked: only flagged cases. Unticked (a checkbox sends nothing): every case."""
        return queryset.filter(rules_changed=True) if value else queryset

    def by_entry(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        value = value.strip()
        return queryset.filter(
            Q(screening__hits__code__iexact=value) | Q(screening__hits__key__iexact=value)
        ).distinct()

    def sort_by(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.order_by(*SORTS.get(value, SORTS["updated"]))
