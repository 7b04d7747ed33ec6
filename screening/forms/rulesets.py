"""The forms of rule-set pages: the date of an impact preview, and publishing a draft."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rules.forms import DateInput
from rules.models import RuleSet
from rules.publishing import version_problem
from screening.models import Rescreen


class DateForm(forms.Form):
    as_of = forms.DateField(label=gettext_lazy("As of"), widget=DateInput())


class PublishForm(forms.Form):
    """What a publisher states: the version's label, why, on what authority, and the impact
    preview they saw (the page fills it in)."""

    version = forms.CharField(
        label=gettext_lazy("Version label"),
        max_length=RuleSet._meta.get_field("version").max_length,
        help_text=gettext_lazy("Proposed from today's date; screenings and records carry it."),
    )
    rationale = forms.CharField(
        label=gettext_lazy("Rationale for publishing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Why these rules are right, for the record."),
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("The announcement, notice or decision the change rests on."),
    )
    preview = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, rule_set: RuleSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rule_set = rule_set

    def clean_version(self) -> str:
        label = self.cleaned_data["version"].strip()
        problem = version_problem(label, rule_set=self.rule_set)
        if problem:
            raise forms.ValidationError(problem)
        return label

    def clean_preview(self) -> Rescreen | None:
        pk = self.cleaned_data.get("preview")
        if pk is None:
            return None
        preview = Rescreen.objects.filter(
            pk=pk, kind=Rescreen.Kind.PREVIEW, candidate=self.rule_set
        ).first()
        if preview is None:
            raise forms.ValidationError(_("That impact preview is not one of this draft."))
        return preview
