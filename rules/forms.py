from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rules.vocabulary import MEASURE_STATUSES


class DateInput(forms.DateInput):
    """A browser date picker. Its value is always ISO (YYYY-MM-DD), whatever the language:
    a localised value (2026/11/26 in Chinese) would leave the picker empty."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("Status as of"), required=False, widget=DateInput())

    def date(self) -> dt.date:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("as_of"):
            return self.cleaned_data["as_of"]
        return timezone.localdate()


class ConfirmationForm(forms.Form):
    measure_key = forms.CharField(label=_("Measure"), max_length=40)
    status = forms.ChoiceField(
        label=_("Status you confirmed"),
        choices=[(s, s) for s in MEASURE_STATUSES],
    )
    source = forms.CharField(
        label=_("Source (announcement, URL, date read)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_measure_key(self) -> str:
        key = self.cleaned_data["measure_key"].strip()
        from rules.models import RuleSet

        rule_set = RuleSet.objects.current()
        if rule_set is None or key not in rule_set.catalogue().measures_by_key:
            raise forms.ValidationError(_("Not a measure of the current rule set."))
        return key
