"""Forms of the export side's pages (their list filters are in trade.filters). Workflow fields
(states, versions, who filed, balances) are never form fields: they change only through the
trade domain functions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from rules.forms import DateInput
from rules.specs import country_codes
from screening.forms.fields import NoSilentTruncation
from screening.models import Case, Product
from screening.states import DECIDED_STATES
from trade.models import (
    Applicant,
    ApplicationDocument,
    Licence,
    LicenceApplication,
    LicenceKind,
    Party,
    TradeUpload,
)
from trade.models.parties import LIST_KINDS


def _country(value: str) -> str:
    code = (value or "").strip().upper()
    if code not in country_codes():
        raise forms.ValidationError(_("Not an ISO 3166-1 alpha-2 country code."))
    return code


class PartyField(forms.CharField):
    """A party by its reference (a select of every party would not scale)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("help_text", _("The party's reference (see Parties)."))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("list", "party-references")

    def clean(self, value: Any) -> Party:
        reference = super().clean(value).strip()
        party = Party.objects.filter(reference=reference).first()
        if party is None:
            raise forms.ValidationError(_("No party has this reference."))
        return party


class VersionedForm(NoSilentTruncation, forms.Form):
    """Carries the version the user saw, so a stale page cannot act twice."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReasonForm(VersionedForm):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


# --- licences ---------------------------------------------------------------------------------


class AmendForm(NoSilentTruncation, forms.Form):
    reason = forms.CharField(
        label=_("Amendment (its reference and what it changes)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    valid_until = forms.DateField(
        label=_("Valid until (inclusive)"), required=False, widget=DateInput()
    )

    def __init__(self, *args: Any, licence: Licence, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = (
            list(licence.current.items.select_related("product")) if licence.current else []
        )
        for item in self.items:
            self.fields[f"quantity_{item.pk}"] = forms.DecimalField(
                label=_("%(line)s: authorised quantity (%(unit)s)")
                % {"line": item.product or item.control_code, "unit": item.unit},
                initial=item.quantity.normalize(),
                min_value=0,
                max_digits=20,
                decimal_places=6,
            )

    def quantity_fields(self) -> list[forms.BoundField]:
        return [self[f"quantity_{item.pk}"] for item in self.items]


class StatusForm(NoSilentTruncation, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Licence.Status.choices)
    reason = forms.CharField(
        label=_("The authority's decision"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class RecordLicenceForm(NoSilentTruncation, forms.Form):
    """A licence granted outside an application here (on paper before the system, or by
    another team): what the licence says, as record_licence takes it."""

    number = forms.CharField(label=_("Licence number"), max_length=60)
    kind = forms.ModelChoiceField(
        label=_("Licence"), queryset=LicenceKind.objects.filter(active=True)
    )
    holder = forms.ModelChoiceField(label=_("Holder"), queryset=Applicant.objects.all())
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until (inclusive)"), widget=DateInput())
    consignee = PartyField(label=_("Consignee"))
    end_user = PartyField(label=_("End user"))
    destination_country = forms.CharField(label=_("Destination country"), max_length=2)
    source = forms.CharField(
        label=_("Where it comes from (paper file, team, reference)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def clean_destination_country(self) -> str:
        return _country(self.cleaned_data.get("destination_country", ""))


class LicenceItemForm(NoSilentTruncation, forms.Form):
    """One line of a licence: a product (SKU and revision) or only a control code."""

    control_code = forms.CharField(label=_("Control code"), max_length=20, required=False)
    sku = forms.CharField(label=_("SKU (optional)"), max_length=64, required=False)
    revision = forms.CharField(label=_("Revision"), max_length=32, required=False)
    quantity = forms.CharField(label=_("Authorised quantity"), max_length=40, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=12, required=False, initial="kg")
    value = forms.CharField(label=_("Value"), max_length=40, required=False)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD", required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        data["product"] = None
        if not (data.get("control_code") or data.get("sku")):
            return data
        if not data.get("control_code"):
            self.add_error("control_code", _("Give the control code the licence names."))
        if not data.get("quantity"):
            self.add_error("quantity", _("Give the quantity."))
        if data.get("sku"):
            data["product"] = Product.objects.filter(
                sku=data["sku"].strip(), revision=(data.get("revision") or "").strip()
            ).first()
            if data["product"] is None:
                self.add_error("sku", _("No product has this SKU (and revision)."))
        return data


LicenceItemFormSet = forms.formset_factory(LicenceItemForm, extra=3, max_num=50)


# --- applications -----------------------------------------------------------------------------


def approved_cases() -> QuerySet[Case]:
    """Decided cases whose determination requires a licence: what an application is made of."""
    return Case.objects.filter(
        state__in=DECIDED_STATES, determination="licence_required"
    ).select_related("product")


class ApplicationForm(NoSilentTruncation, forms.Form):
    kind = forms.ModelChoiceField(
        label=_("Licence"), queryset=LicenceKind.objects.filter(active=True)
    )
    applicant = forms.ModelChoiceField(label=_("Applicant"), queryset=Applicant.objects.all())
    contract_reference = forms.CharField(label=_("Contract reference"), max_length=100)
    consignee = PartyField(label=_("Consignee"))
    end_user = PartyField(label=_("End user"))
    end_use = forms.CharField(
        label=_("End use"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    destination_country = forms.CharField(label=_("Destination country"), max_length=2)

    def clean_destination_country(self) -> str:
        return _country(self.cleaned_data.get("destination_country", ""))


class ItemForm(NoSilentTruncation, forms.Form):
    case = forms.ModelChoiceField(
        label=_("Approved case"), queryset=approved_cases(), required=False
    )
    quantity = forms.CharField(label=_("Quantity"), max_length=40, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=12, required=False, initial="kg")
    value = forms.CharField(label=_("Value"), max_length=40, required=False)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD", required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("case") and not (data.get("quantity") and data.get("value")):
            raise forms.ValidationError(_("Give the quantity and the value of each item."))
        return data


ItemFormSet = forms.formset_factory(ItemForm, extra=0, min_num=1, max_num=20)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=ApplicationDocument.Kind.choices)
    file = forms.FileField(label=_("File"))


class FileForm(VersionedForm):
    filed_on = forms.DateField(label=_("Filed on"), widget=DateInput())
    authority_reference = forms.CharField(
        label=_("The authority's reference"), max_length=100, required=False
    )


class RefusalForm(VersionedForm):
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    note = forms.CharField(
        label=_("The authority's decision"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )


class GrantForm(VersionedForm):
    number = forms.CharField(label=_("Licence number"), max_length=60)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until (inclusive)"), widget=DateInput())

    def __init__(self, *args: Any, application: LicenceApplication, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(application.items.select_related("product"))
        for item in self.items:
            self.fields[f"quantity_{item.pk}"] = forms.DecimalField(
                label=_("%(product)s (%(code)s): authorised quantity (%(unit)s)")
                % {"product": item.product, "code": item.control_code, "unit": item.unit},
                initial=item.quantity.normalize(),
                min_value=0,
                max_digits=20,
                decimal_places=6,
            )

    def quantity_fields(self) -> list[forms.BoundField]:
        return [self[f"quantity_{item.pk}"] for item in self.items]


# --- shipments --------------------------------------------------------------------------------


class ShipmentForm(NoSilentTruncation, forms.Form):
    reference = forms.CharField(label=_("Order number"), max_length=64)
    destination_country = forms.CharField(label=_("Destination country"), max_length=2)
    consignee = PartyField(label=_("Consignee"))
    end_user = PartyField(label=_("End user"))
    planned_ship_date = forms.DateField(label=_("Planned ship date"), widget=DateInput())

    def clean_destination_country(self) -> str:
        return _country(self.cleaned_data.get("destination_country", ""))


class LineForm(NoSilentTruncation, forms.Form):
    sku = forms.CharField(label=_("SKU"), max_length=64, required=False)
    revision = forms.CharField(label=_("Revision"), max_length=32, required=False)
    quantity = forms.CharField(label=_("Quantity"), max_length=40, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=12, required=False, initial="kg")
    value = forms.CharField(label=_("Value"), max_length=40, required=False)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD", required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("sku"):
            return data
        product = Product.objects.filter(
            sku=data["sku"].strip(), revision=(data.get("revision") or "").strip()
        ).first()
        if product is None:
            self.add_error("sku", _("No product has this SKU (and revision)."))
        elif not data.get("quantity"):
            self.add_error("quantity", _("Give the quantity."))
        data["product"] = product
        return data


LineFormSet = forms.formset_factory(LineForm, extra=0, min_num=1, max_num=200)


class OverrideForm(VersionedForm):
    rationale = forms.CharField(
        label=_("Rationale (why the shipment may leave despite the hold)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class ExportForm(NoSilentTruncation, forms.Form):
    exported_on = forms.DateField(label=_("Exported on"), widget=DateInput())
    declaration_number = forms.CharField(
        label=_("Customs declaration number"), max_length=64, required=False
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))


class ImportForm(forms.Form):
    policy = forms.ChoiceField(
        label=_("Import"),
        choices=TradeUpload.Policy.choices,
        initial=TradeUpload.Policy.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )


# --- parties and lists ------------------------------------------------------------------------


class PartyForm(NoSilentTruncation, forms.Form):
    reference = forms.CharField(label=_("Party reference"), max_length=64)
    name = forms.CharField(label=_("Name (Latin script)"), max_length=300, required=False)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=300, required=False)
    aliases = forms.CharField(
        label=_("Aliases (one per line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )
    country = forms.CharField(label=_("Country"), max_length=2)
    address = forms.CharField(
        label=_("Address"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Party.Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    end_use = forms.CharField(
        label=_("End use stated"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )
    military_end_user = forms.ChoiceField(
        label=_("Military end user"), choices=Party.Military.choices
    )

    def clean_country(self) -> str:
        return _country(self.cleaned_data.get("country", ""))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not (data.get("name") or data.get("name_zh")):
            self.add_error("name", _("A party needs a name (Latin or Chinese)."))
        data["aliases"] = [a.strip() for a in (data.get("aliases") or "").splitlines() if a.strip()]
        return data


class DecisionForm(VersionedForm):
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )


class ListUploadForm(forms.Form):
    file = forms.FileField(label=_("List file (CSV, XLSX or JSON)"))
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class ConfirmCurrentForm(forms.Form):
    source = forms.CharField(
        label=_("Where you checked it (announcement, address, date read)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


LIST_LABELS = dict(LIST_KINDS)
