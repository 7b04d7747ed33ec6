"""Forms. Spec values go through the same parser as CSV and XLSX cells (rules.specs)."""

from __future__ import annotations

from typing import Any, cast

import pandas as pd
from django import forms
from django.utils.translation import gettext_lazy as _

from rules.catalogue import Catalogue
from rules.cells import CellIssue
from rules.labels import (
    OUTCOME_LABELS,
    category_label,
    cell_type_label,
    message_text,
    parameter_label,
    subtype_label,
)
from rules.spec_parameters import format_cell
from rules.specs import country_codes, parse_specs
from rules.vocabulary import CATEGORIES, CELL_TYPES, PARAMETERS, TEMPLATE_COLUMNS
from screening.forms.fields import (
    AsOfField,
    ConfirmAsOfMixin,
    NoSilentTruncation,
    RegimesField,
)
from screening.models import SpecVersion


class SpecForm(NoSilentTruncation, ConfirmAsOfMixin, forms.Form):
    """A product spec as the template defines it.

    Parameter fields accept a number in the canonical unit or a number with its own unit
    ("0.31 kWh/kg"), exactly like a spreadsheet cell.
    """

    sku = forms.CharField(label=_("SKU (part number)"), max_length=64)
    revision = forms.CharField(label=_("Revision"), max_length=32, required=False)
    name = forms.CharField(label=_("Product name"), max_length=200)
    category = forms.ChoiceField(label=_("Category"))
    subtype = forms.ChoiceField(
        label=_("Subtype"),
        required=False,
        help_text=_(
            "Leave it empty only if you do not know it: entries that depend on it cannot then "
            "be decided."
        ),
    )
    cell_type = forms.ChoiceField(
        label=_("Cell type"),
        required=False,
        help_text=_(
            "Primary or secondary (rechargeable): decides EU 3A001.e.1.a or .b. Empty: secondary "
            "for lithium-ion and sodium-ion cells, unknown for others."
        ),
    )
    manufacturer = forms.CharField(label=_("Manufacturer"), max_length=200, required=False)
    hs_code = forms.CharField(
        label=_("HS code as declared"),
        max_length=16,
        required=False,
        help_text=_("A hint for reviewers; never the basis of the decision."),
    )
    destination_country = forms.CharField(
        label=_("Destination country"),
        max_length=2,
        required=False,
        help_text=_("ISO 3166-1 alpha-2 code, e.g. DE, US, JP."),
    )
    annual_export_value_usd = forms.CharField(
        label=_("Expected annual export value (USD)"), max_length=40, required=False
    )
    source_document = forms.CharField(
        label=_("Source document"),
        max_length=500,
        required=False,
        help_text=_("Datasheet or test report the figures come from, with method and conditions."),
    )
    as_of = AsOfField()
    regimes = RegimesField()

    def __init__(
        self, *args: Any, catalogue: Catalogue, product_fixed: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        cast(RegimesField, self.fields["regimes"]).configure(catalogue)
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", "—")] + [
            (c, category_label(c)) for c in CATEGORIES
        ]
        for name, parameter in PARAMETERS.items():
            self.fields[name] = forms.CharField(
                label=parameter_label(name),
                required=False,
                max_length=60,
                help_text=parameter.unit,
                # hx-preserve: when a category or subtype change reloads the fields, an input
                # the user is typing into is kept as it is, not replaced by the server's copy.
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off", "hx-preserve": "true"}
                ),
            )
        category = self.selected("category")
        subtypes = CATEGORIES.get(category or "", ())
        cast(forms.ChoiceField, self.fields["subtype"]).choices = [("", "—")] + [
            (s, subtype_label(s)) for s in subtypes
        ]
        cast(forms.ChoiceField, self.fields["cell_type"]).choices = [("", "—")] + [
            (c, cell_type_label(c)) for c in CELL_TYPES
        ]
        if product_fixed:
            for name in ("sku", "revision"):
                self.fields[name].disabled = True
        self.parsed_row: pd.Series | None = None
        self.spec_warnings: list[CellIssue] = []

    def selected(self, name: str) -> str | None:
        value = self.data.get(name) if self.is_bound else self.initial.get(name)
        return value or None

    def asks_cell_type(self) -> bool:
        """Whether some entry for the chosen category depends on the cell type."""
        category = self.selected("category")
        return any(
            scope.category == category and scope.cell_type
            for entry in self.catalogue.entries
            for scope in entry.applies_to
        )

    def relevant_parameters(self) -> tuple[str, ...]:
        category = self.selected("category")
        if category not in CATEGORIES:
            return ()
        return self.catalogue.parameters_for(category, self.selected("subtype"))

    def parameter_fields(self) -> tuple[list[forms.BoundField], list[forms.BoundField]]:
        """(fields that some entry for this category looks at, the other parameter fields)."""
        relevant = set(self.relevant_parameters())
        first = [self[name] for name in PARAMETERS if name in relevant]
        rest = [self[name] for name in PARAMETERS if name not in relevant]
        return first, rest

    def other_parameters_given(self) -> bool:
        """Whether a parameter outside the relevant ones has a value or an error (keep it open)."""
        _, rest = self.parameter_fields()
        return any(field.value() or field.errors for field in rest)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        raw = {column: cleaned.get(column) or None for column in TEMPLATE_COLUMNS}
        parsed = parse_specs(pd.DataFrame([raw], dtype=object))
        for issue in parsed.errors:
            field = issue.column if issue.column in self.fields else None
            self.add_error(field, message_text(issue.message))
        self.parsed_row = parsed.specs.iloc[0]
        self.spec_warnings = parsed.warnings
        return cleaned

    def parsed(self) -> pd.Series:
        """The spec as the parser read it (rules.specs), once the form is valid."""
        if self.parsed_row is None or not self.is_valid():
            raise ValueError("the spec form is not valid")
        return self.parsed_row


def initial_from_spec(spec: SpecVersion) -> dict[str, Any]:
    """Form values that reproduce a spec version, as the user entered them."""
    initial: dict[str, Any] = dict(spec.values())
    raw = spec.provenance.get("raw", {})
    derived = set(spec.provenance.get("derived", []))
    for name in PARAMETERS:
        value = getattr(spec, name)
        if name in derived:
            initial[name] = ""
        elif name in raw:
            initial[name] = raw[name]
        elif value is not None:
            initial[name] = format_cell(value)
    if spec.annual_export_value_usd is not None:
        initial["annual_export_value_usd"] = format_cell(spec.annual_export_value_usd)
    return {k: ("" if v is None else v) for k, v in initial.items()}


class ScreenForm(ConfirmAsOfMixin, forms.Form):
    as_of = AsOfField()
    regimes = RegimesField()

    def __init__(self, *args: Any, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(RegimesField, self.fields["regimes"]).configure(catalogue)


class ProductSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Category"), required=False)
    outcome = forms.ChoiceField(label=_("Latest outcome"), required=False)
    # The dashboard's products chart links here with these too (issue 18, item 1).
    destination = forms.CharField(
        label=_("Destination"),
        required=False,
        max_length=2,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. DE"), "size": 4}),
    )
    entry = forms.CharField(
        label=_("Entry code"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 3A001")}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("All categories"))] + [
            (c, category_label(c)) for c in CATEGORIES
        ]
        cast(forms.ChoiceField, self.fields["outcome"]).choices = [("", _("Any outcome"))] + list(
            OUTCOME_LABELS.items()
        )

    def clean_destination(self) -> str:
        code = (self.cleaned_data.get("destination") or "").strip().upper()
        if code and code not in country_codes():
            raise forms.ValidationError(_("Not an ISO 3166-1 alpha-2 country code."))
        return code

    def clean_entry(self) -> str:
        return (self.cleaned_data.get("entry") or "").strip()
