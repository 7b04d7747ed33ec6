"""Licence applications, licences and their balances.

The paths come from CONTROL_CATALOGUE.md §4 (Export Control Law; Dual-Use Items Export Control
Regulations, State Council Decree 792): a dual-use items export licence, single (one contract,
at most a year) or general (at most three years, needs an internal compliance programme), and a
technology export licence for catalogue technologies. Kinds are data (LicenceKind rows, loaded
from trade/data/licence_kinds.toml), not code.

A licence is identified by its number; what it allows is a version (an amendment is a new
version, never an edit). Its balance is a ledger: quantities reserved when a shipment is
released, drawn when its export is confirmed, given back when it is cancelled. The ledger is
append-only, like the audit trail.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rules.labels import bilingual
from trade.models.parties import Party

MEASURE_LICENCES = (
    ("dual_use", _("Dual-use items export licence")),
    ("technology", _("Technology export licence")),
)
# The keyword arguments of a DecimalField for each kind of amount.
QUANTITY: dict[str, Any] = {"max_digits": 20, "decimal_places": 6}
MONEY: dict[str, Any] = {"max_digits": 18, "decimal_places": 2}


class LicenceKind(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    # Which measures' matches it answers (rules.catalogue Measure.licence_kind).
    covers = models.CharField(
        _("licence the catalogue calls for"), max_length=12, choices=MEASURE_LICENCES
    )
    max_validity_days = models.PositiveIntegerField(
        _("longest validity (days)"), null=True, blank=True
    )
    one_contract = models.BooleanField(_("for one contract only"), default=False)
    needs_compliance_programme = models.BooleanField(
        _("needs an internal compliance programme"), default=False
    )
    documents = models.JSONField(_("documents the authority asks for"), default=list, blank=True)
    decision_working_days = models.PositiveIntegerField(
        _("decision within (working days)"), null=True, blank=True
    )
    source = models.TextField(_("source"), blank=True)
    level = models.CharField(_("verification level"), max_length=12, default="V1")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("licence kind")
        verbose_name_plural = _("licence kinds")
        ordering = ["covers", "code"]

    def __str__(self) -> str:  # in the reader's language: pages, the admin, choices
        return bilingual(self.name_en, self.name_zh)


class CalendarYear(models.Model):
    """A year of China's working-day calendar, as the State Council announced it."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    source = models.TextField(_("source"))
    level = models.CharField(_("verification level"), max_length=12, default="V2")

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A public holiday, or a weekend day worked in exchange (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday")
        WORKDAY = "workday", _("Weekend day worked in exchange")

    year = models.ForeignKey(
        CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("year")
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class Applicant(models.Model):
    """The exporter who applies for and holds licences (one of the company's legal entities)."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    customs_code = models.CharField(_("customs registration code"), max_length=10, blank=True)
    address = models.TextField(_("address"))
    contact = models.CharField(_("contact person"), max_length=120)
    phone = models.CharField(_("phone"), max_length=40)
    compliance_programme = models.BooleanField(
        _("internal compliance programme in place"), default=False
    )

    class Meta:
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        ordering = ["name_zh"]

    def __str__(self) -> str:
        return self.name_zh


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FILED = "filed", _("Filed")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class LicenceApplication(models.Model):
    kind = models.ForeignKey(
        LicenceKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("licence kind")
    )
    applicant = models.ForeignKey(
        Applicant, on_delete=models.PROTECT, related_name="+", verbose_name=_("applicant")
    )
    contract_reference = models.CharField(_("contract reference"), max_length=100)
    consignee = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("consignee")
    )
    end_user = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("end user")
    )
    end_use = models.TextField(_("end use"))
    destination_country = models.CharField(_("destination country"), max_length=2)
    state = models.CharField(
        _("state"), max_length=10, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    authority_reference = models.CharField(_("authority's reference"), max_length=100, blank=True)
    decision_due = models.DateField(_("decision due"), null=True, blank=True)
    # False when the 45 working days ran into a year whose holidays are not loaded yet.
    decision_due_certain = models.BooleanField(_("decision date certain"), default=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)

    class Meta:
        verbose_name = _("licence application")
        verbose_name_plural = _("licence applications")
        ordering = ["-last_activity_at", "-pk"]
        constraints = [
            # Four-eyes: whoever prepared the application does not mark it filed.
            models.CheckConstraint(
                condition=Q(filed_by__isnull=True) | ~Q(filed_by=F("prepared_by")),
                name="application_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("application_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        year = (self.created_at or timezone.now()).year
        return f"LA-{year}-{self.pk:06d}" if self.pk else "LA-new"


class ApplicationItem(models.Model):
    application = models.ForeignKey(
        LicenceApplication,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("application"),
    )
    case = models.ForeignKey(
        "screening.Case",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved case"),
    )
    product = models.ForeignKey(
        "screening.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    control_code = models.CharField(_("control code"), max_length=40)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit = models.CharField(_("unit"), max_length=12)
    value = models.DecimalField(_("value"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="USD")

    class Meta:
        verbose_name = _("application item")
        verbose_name_plural = _("application items")
        ordering = ["application", "pk"]

    def __str__(self) -> str:
        return f"{self.product} {self.control_code}"


def document_path(instance: Any, filename: str) -> str:
    """Stored under a generated name: the original name is metadata, never a path."""
    return f"licensing/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class ApplicationDocument(models.Model):
    class Kind(models.TextChoices):
        CONTRACT = "contract", _("Contract")
        TECHNICAL = "technical", _("Technical description or test report")
        END_USER = "end_user", _("End-user statement")
        END_USE = "end_use", _("End-use statement")
        OTHER = "other", _("Other")

    application = models.ForeignKey(
        LicenceApplication,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("document"), max_length=12, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["application", "kind", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Licence(models.Model):
    """A granted licence, by its number. What it allows is in its versions."""

    class Status(models.TextChoices):
        # Expired and exhausted follow from the dates and the balance; these are recorded.
        ACTIVE = "active", _("Active")
        REVOKED = "revoked", _("Revoked")
        SUSPENDED = "suspended", _("Suspended")

    number = models.CharField(_("licence number"), max_length=60, unique=True)
    kind = models.ForeignKey(
        LicenceKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("licence kind")
    )
    holder = models.ForeignKey(
        Applicant, on_delete=models.PROTECT, related_name="+", verbose_name=_("holder")
    )
    application = models.ForeignKey(
        LicenceApplication,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="licences",
        verbose_name=_("application"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    current = models.ForeignKey(
        "LicenceVersion",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("current version"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("licence_detail", args=[self.pk])


class LicenceVersion(models.Model):
    """What a licence allows, as granted or as amended (an amendment is a new version)."""

    licence = models.ForeignKey(
        Licence, on_delete=models.PROTECT, related_name="versions", verbose_name=_("licence")
    )
    number = models.PositiveIntegerField(_("version"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until (inclusive)"))
    consignee = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("consignee")
    )
    end_user = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("end user")
    )
    destination_country = models.CharField(_("destination country"), max_length=2)
    reason = models.TextField(_("why (grant or amendment)"), blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("licence version")
        verbose_name_plural = _("licence versions")
        ordering = ["licence", "number"]
        constraints = [
            models.UniqueConstraint(fields=["licence", "number"], name="unique_licence_version"),
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")), name="licence_validity_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.licence} v{self.number}"


class LicenceItem(models.Model):
    """One line a licence version authorises: a product (or a control code) and how much."""

    version = models.ForeignKey(
        LicenceVersion,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("licence version"),
    )
    # Stable across versions, so a balance carries over an amendment: "product:<id>" or
    # "code:<control code>".
    line = models.CharField(_("line"), max_length=80)
    product = models.ForeignKey(
        "screening.Product",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    control_code = models.CharField(_("control code"), max_length=40)
    quantity = models.DecimalField(_("authorised quantity"), **QUANTITY)
    unit = models.CharField(_("unit"), max_length=12)
    value = models.DecimalField(_("authorised value"), null=True, blank=True, **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="USD")

    class Meta:
        verbose_name = _("licence item")
        verbose_name_plural = _("licence items")
        ordering = ["version", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "line"], name="unique_line_per_version"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="licence_item_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.line}"


class LedgerQuerySet(models.QuerySet["LedgerEntry"]):
    """The ledger is append-only: the application has no path to change or delete a row."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("the licence ledger is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("the licence ledger is append-only")


class LedgerEntry(models.Model):
    class Kind(models.TextChoices):
        RESERVE = "reserve", _("Reserved for a released shipment")
        UNRESERVE = "unreserve", _("Reservation given back")
        DRAW = "draw", _("Drawn by a confirmed export")

    licence = models.ForeignKey(
        Licence, on_delete=models.PROTECT, related_name="ledger", verbose_name=_("licence")
    )
    line = models.CharField(_("line"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # In the licence item's own unit, always positive; the kind says which way it counts.
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit = models.CharField(_("unit"), max_length=12)
    # The shipment line it concerns, and how that line wrote its quantity.
    shipment_line = models.ForeignKey(
        "trade.ShipmentLine",
        on_delete=models.PROTECT,
        related_name="ledger",
        verbose_name=_("shipment line"),
    )
    shipment_quantity = models.DecimalField(_("quantity as shipped"), **QUANTITY)
    shipment_unit = models.CharField(_("unit as shipped"), max_length=12)
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["licence", "at", "pk"]
        indexes = [models.Index(fields=["licence", "line"])]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="ledger_positive"),
            # A shipment line is drawn at most once: a re-sent export confirmation draws nothing.
            models.UniqueConstraint(
                fields=["shipment_line"],
                condition=Q(kind="draw"),
                name="one_draw_per_shipment_line",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.licence} {self.kind} {self.quantity} {self.unit}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("the licence ledger is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("the licence ledger is append-only")
