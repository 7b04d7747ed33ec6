"""The forms of spreadsheet uploads: the file with its as-of date, and how to import it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from rules.catalogue import Catalogue
from rules.models import RuleSet
from screening.forms.fields import AsOfField, ConfirmAsOfMixin
from screening.models import Upload


class UploadForm(ConfirmAsOfMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet (CSV or XLSX)"), allow_empty_file=True)
    as_of = AsOfField()

    def as_of_catalogue(self) -> Catalogue | None:
        rule_set = RuleSet.objects.current()
        return rule_set.catalogue() if rule_set else None


class CommitForm(forms.Form):
    policy = forms.ChoiceField(
        label=gettext_lazy("How to import"),
        choices=Upload.Policy.choices,
        initial=Upload.Policy.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
