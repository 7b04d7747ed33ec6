"""Products, their spec versions, and screenings of them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rules.labels import OUTCOME_CHOICES as LABELLED_OUTCOMES
from rules.labels import parameter_verbose_name
from rules.models import RuleSet
from rules.vocabulary import (
    CATEGORIES,
    DERIVATIONS,
    PARAMETERS,
    TEMPLATE_COLUMNS,
    TEMPLATE_COLUMNS_2025,
    derived_column,
    raw_column,
)

CATEGORY_CHOICES = [(c, c) for c in CATEGORIES]
OUTCOME_CHOICES = LABELLED_OUTCOMES
TEXT_FIELDS = (
    "name",
    "category",
    "subtype",
    "cell_type",
    "manufacturer",
    "hs_code",
    "destination_country",
    "source_document",
)
DERIVED_TARGETS = tuple(d.target for d in DERIVATIONS)
# The columns of a canonical spec frame (rules.specs output, SpecVersion.spec_row) that decide
# an outcome. Provenance columns (text as entered, derived flags) only feed explanations.
OUTCOME_COLUMNS = ("category", "subtype", "cell_type", "destination_country", *PARAMETERS)


class ProductQuerySet(models.QuerySet["Product"]):
    def search(self, text: str) -> ProductQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(sku__icontains=text)
            | Q(current_spec__name__icontains=text)
            | Q(current_spec__manufacturer__icontains=text)
        )

    def for_list(self) -> ProductQuerySet:
        return self.select_related("current_spec", "latest_screening")

    def matching(
        self, *, category: str = "", destination: str = "", outcome: str = "", entry: str = ""
    ) -> ProductQuerySet:
        """Products by their current spec and latest screening: the product list's filters and
        the dashboard's products chart, so a bar's count is the rows of the list it opens."""
        found = self
        if category:
            found = found.filter(current_spec__category=category)
        if destination:
            found = found.filter(current_spec__destination_country=destination)
        if outcome:
            found = found.filter(latest_screening__outcome=outcome)
        if entry:
            # IN rather than a join: a product counts once however many entries it hit. One
            # scan of the hits, not a probe per product (a correlated EXISTS).
            hits = ScreeningEntry.objects.filter(Q(code__iexact=entry) | Q(key__iexact=entry))
            found = found.filter(latest_screening_id__in=hits.order_by().values("screening_id"))
        return found


class Product(models.Model):
    """A product identified by the company's part number and spec revision (the natural key)."""

    sku = models.CharField(_("SKU"), max_length=64)
    revision = models.CharField(_("revision"), max_length=32, blank=True, default="")
    # Followed from the product only (no reverse lookups), so without an index of their own.
    current_spec = models.ForeignKey(
        "SpecVersion",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        db_index=False,
        verbose_name=_("current spec version"),
    )
    latest_screening = models.ForeignKey(
        "Screening",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
        db_index=False,
        verbose_name=_("latest screening"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
        verbose_name=_("created by"),
    )

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["sku", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["sku", "revision"], name="unique_product_sku_revision")
        ]

    def __str__(self) -> str:
        return f"{self.sku} rev {self.revision}" if self.revision else self.sku

    def get_absolute_url(self) -> str:
        return reverse("product_detail", args=[self.pk])


def _canonical_cell(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        number = float(value)
        return "" if number != number else repr(number)  # NaN: not given
    return str(value)


def _hash_cells(cells: Iterable[Any]) -> str:
    text = "\x1f".join(_canonical_cell(cell) for cell in cells)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Columns added to the template after specs were first stored: hashed only when filled (as
# "name=value" after the original columns), so a spec stored before they existed keeps its hash.
ADDED_COLUMNS = tuple(c for c in TEMPLATE_COLUMNS if c not in TEMPLATE_COLUMNS_2025)


def spec_content_hash(values: Mapping[str, Any]) -> str:
    """SHA-256 of a spec's template values, so an unchanged row is recognised as unchanged."""
    cells = [values.get(column) for column in TEMPLATE_COLUMNS_2025]
    for column in ADDED_COLUMNS:
        text = _canonical_cell(values.get(column))
        if text:
            cells.append(f"{column}={text}")
    return _hash_cells(cells)


def spec_content_hashes(frame: pd.DataFrame) -> list[str]:
    """spec_content_hash of every row of a parsed spec frame: the same canonical text, built
    column by column (numpy writes floats exactly as repr does: shortest round trip)."""
    columns = [_cell_texts(frame[column]) for column in TEMPLATE_COLUMNS_2025]
    rows = ["\x1f".join(row) for row in zip(*columns, strict=True)]
    for column in ADDED_COLUMNS:
        texts = _cell_texts(frame[column])
        rows = [
            f"{row}\x1f{column}={text}" if text else row
            for row, text in zip(rows, texts, strict=True)
        ]
    sha256 = hashlib.sha256
    return [sha256(row.encode("utf-8")).hexdigest() for row in rows]


def _cell_texts(values: pd.Series) -> list[str]:
    """_canonical_cell of a whole column."""
    if pd.api.types.is_float_dtype(values.dtype):
        # Only the filled cells are formatted: most parameter columns are empty.
        numbers = values.to_numpy(dtype=float)
        text = np.full(len(numbers), "", dtype=object)
        filled = ~np.isnan(numbers)
        text[filled] = numbers[filled].astype(str).tolist()
        return text.tolist()
    return values.astype(object).where(values.notna(), "").astype(str).tolist()


class SpecVersion(models.Model):
    """One version of a product's spec, in canonical units. Never edited: a change is a new one."""

    class Source(models.TextChoices):
        FORM = "form", _("Form")
        UPLOAD = "upload", _("Upload")
        DEMO = "demo", _("Demo data")

    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        related_name="specs",
        db_index=False,  # the unique (product, number) index serves it,
        verbose_name=_("product"),
    )
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=30, choices=CATEGORY_CHOICES)
    # Blank when not given: entries that depend on it are then unknown (never "other").
    subtype = models.CharField(_("subtype"), max_length=40, blank=True)
    # primary | secondary, as given (blank: the template's default for the chemistry applies).
    cell_type = models.CharField(_("cell type"), max_length=12, blank=True)
    manufacturer = models.CharField(_("manufacturer"), max_length=200, blank=True)
    hs_code = models.CharField(_("HS code"), max_length=10, blank=True)
    destination_country = models.CharField(_("destination"), max_length=2, blank=True)
    annual_export_value_usd = models.FloatField(_("annual export value (USD)"), null=True)
    source_document = models.CharField(_("source document"), max_length=500, blank=True)

    energy_density_wh_per_kg = models.FloatField(
        verbose_name=parameter_verbose_name("energy_density_wh_per_kg"), null=True
    )
    nominal_voltage_v = models.FloatField(
        verbose_name=parameter_verbose_name("nominal_voltage_v"), null=True
    )
    capacity_ah = models.FloatField(verbose_name=parameter_verbose_name("capacity_ah"), null=True)
    mass_kg = models.FloatField(verbose_name=parameter_verbose_name("mass_kg"), null=True)
    compaction_density_g_per_cm3 = models.FloatField(
        verbose_name=parameter_verbose_name("compaction_density_g_per_cm3"), null=True
    )
    compaction_pressure_mpa = models.FloatField(
        verbose_name=parameter_verbose_name("compaction_pressure_mpa"), null=True
    )
    specific_capacity_mah_per_g = models.FloatField(
        verbose_name=parameter_verbose_name("specific_capacity_mah_per_g"), null=True
    )
    discharge_rate_c = models.FloatField(
        verbose_name=parameter_verbose_name("discharge_rate_c"), null=True
    )
    first_cycle_efficiency_pct = models.FloatField(
        verbose_name=parameter_verbose_name("first_cycle_efficiency_pct"), null=True
    )
    average_voltage_v = models.FloatField(
        verbose_name=parameter_verbose_name("average_voltage_v"), null=True
    )
    tap_density_g_per_cm3 = models.FloatField(
        verbose_name=parameter_verbose_name("tap_density_g_per_cm3"), null=True
    )
    purity_pct = models.FloatField(verbose_name=parameter_verbose_name("purity_pct"), null=True)
    flexural_strength_mpa = models.FloatField(
        verbose_name=parameter_verbose_name("flexural_strength_mpa"), null=True
    )
    density_g_per_cm3 = models.FloatField(
        verbose_name=parameter_verbose_name("density_g_per_cm3"), null=True
    )
    granulation_volume_m3 = models.FloatField(
        verbose_name=parameter_verbose_name("granulation_volume_m3"), null=True
    )
    energy_density_test_temperature_c = models.FloatField(
        verbose_name=parameter_verbose_name("energy_density_test_temperature_c"), null=True
    )

    # Provenance: {"raw": {parameter: text as entered, for converted cells},
    #              "derived": [parameters computed by a formula], "warnings": [{column, message}]}
    provenance = models.JSONField(verbose_name=_("provenance"), default=dict, blank=True)
    # provenance["derived"] as text ("energy_density_wh_per_kg"): re-screening a million specs
    # reads this column instead of decoding a million JSON documents.
    derived_parameters = models.CharField(
        verbose_name=_("derived parameters"), max_length=200, blank=True, default="", editable=False
    )
    content_hash = models.CharField(verbose_name=_("content hash"), max_length=64, editable=False)
    source = models.CharField(
        verbose_name=_("entered through"),
        max_length=10,
        choices=Source.choices,
        default=Source.FORM,
    )
    # The uploaded file (and its row) this version came from, when it came from one.
    upload = models.ForeignKey(
        "screening.Upload",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="specs",
        db_index=False,  # the (upload, upload_row) index serves it,
        verbose_name=_("upload"),
    )
    upload_row = models.PositiveIntegerField(_("row in the uploaded file"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("spec version")
        verbose_name_plural = _("spec versions")
        ordering = ["product", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["product", "number"], name="unique_spec_version")
        ]
        indexes = [models.Index(fields=["upload", "upload_row"])]

    def __str__(self) -> str:
        return f"{self.product} v{self.number}"

    def values(self) -> dict[str, Any]:
        """The template values of this version (text, numbers in canonical units)."""
        data: dict[str, Any] = {"sku": self.product.sku, "revision": self.product.revision}
        for name in TEXT_FIELDS:
            data[name] = getattr(self, name) or None
        data["annual_export_value_usd"] = self.annual_export_value_usd
        for name in PARAMETERS:
            data[name] = getattr(self, name)
        return data

    def spec_row(self) -> dict[str, Any]:
        """The row the evaluator reads: values plus provenance columns."""
        row = self.values()
        raw = self.provenance.get("raw", {})
        derived = set(self.provenance.get("derived", []))
        for name in PARAMETERS:
            row[raw_column(name)] = raw.get(name)
        for target in DERIVED_TARGETS:
            row[derived_column(target)] = target in derived
        return row

    def parameters(self) -> list[tuple[str, float, str | None, bool]]:
        """(parameter, value, text as entered if converted, derived) for every given value."""
        raw = self.provenance.get("raw", {})
        derived = set(self.provenance.get("derived", []))
        return [
            (name, getattr(self, name), raw.get(name), name in derived)
            for name in PARAMETERS
            if getattr(self, name) is not None
        ]


class Screening(models.Model):
    """The result of screening one spec version against one rule set as of a date. Immutable."""

    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        related_name="screenings",
        db_index=False,  # the (product, -created_at) index serves it,
        verbose_name=_("product"),
    )
    spec = models.ForeignKey(
        SpecVersion,
        on_delete=models.PROTECT,
        related_name="screenings",
        verbose_name=_("spec version"),
    )
    rule_set = models.ForeignKey(
        RuleSet,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("rule set"),
    )
    rule_set_version = models.CharField(_("rule-set version"), max_length=40)
    rule_set_hash = models.CharField(_("rule-set hash"), max_length=64)
    regimes = models.JSONField(_("regimes"), default=list)
    as_of = models.DateField(_("as of"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=OUTCOME_CHOICES)
    # The contract form of the result (SPEC_TEMPLATE.md), kept as it was computed.
    result = models.JSONField(_("result"))
    created_at = models.DateTimeField(_("screened"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["product", "-created_at"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.product} as of {self.as_of}: {self.outcome}"

    def get_absolute_url(self) -> str:
        return reverse("screening_detail", args=[self.pk])

    @property
    def status_assumed(self) -> bool:
        """Whether an entry of the result rests on an assumed measure status (results stored
        before status certainty was recorded say nothing, and count as not assumed)."""
        return any(e.get("status_needs_confirmation") for e in self.result.get("entries", ()))


class ScreeningEntry(models.Model):
    """An entry that matched, was unknown or near in a screening (filters and charts use it)."""

    screening = models.ForeignKey(
        Screening, on_delete=models.CASCADE, related_name="hits", verbose_name=_("screening")
    )
    key = models.CharField(_("entry"), max_length=80)
    measure = models.CharField(_("measure"), max_length=40)
    code = models.CharField(_("code"), max_length=40)
    result = models.CharField(_("result"), max_length=10)  # match | unknown | near
    in_force = models.BooleanField(_("in force on the as-of date"))

    class Meta:
        verbose_name = _("screening entry")
        verbose_name_plural = _("screening entries")
        # code: a Meta index, not db_index=True (no varchar_pattern_ops twin on PostgreSQL)
        indexes = [
            models.Index(fields=["key", "result"]),
            models.Index(fields=["code"], name="screening_entry_code"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.result}"
