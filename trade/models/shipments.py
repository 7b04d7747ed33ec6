"""Export orders (shipments) and the release gate's checks of them.

A shipment is an ERP order: lines of products with quantities, a destination, a consignee and
an end user, a planned ship date. The check (trade.gate) decides per line and per shipment:
release or hold, with every reason in words. A hold is released only by clearing its cause or
by a reviewer's documented override (four-eyes: not whoever entered the shipment). Confirming
the export draws the reserved quantities on the licences, once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trade.models.licences import MONEY, QUANTITY, Licence
from trade.models.parties import Party


class ShipmentState(models.TextChoices):
    DRAFT = "draft", _("Not checked yet")
    HELD = "held", _("Held")
    RELEASED = "released", _("Released")
    EXPORTED = "exported", _("Exported")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_SHIPMENT_STATES = (ShipmentState.DRAFT, ShipmentState.HELD, ShipmentState.RELEASED)


class ShipmentSource(models.TextChoices):
    """Where an export order came from."""

    FORM = "form", pgettext_lazy("where an order came from", "on the form")
    UPLOAD = "upload", pgettext_lazy("where an order came from", "by upload")
    API = "api", pgettext_lazy("where an order came from", "through the API")
    DEMO = "demo", pgettext_lazy("where an order came from", "as demo data")


class Shipment(models.Model):
    reference = models.CharField(_("order number"), max_length=64, unique=True)
    destination_country = models.CharField(_("destination country"), max_length=2)
    consignee = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("consignee")
    )
    end_user = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("end user")
    )
    planned_ship_date = models.DateField(_("planned ship date"))
    state = models.CharField(
        _("state"), max_length=10, choices=ShipmentState.choices, default=ShipmentState.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)
    source = models.CharField(
        _("source"), max_length=10, choices=ShipmentSource.choices, default=ShipmentSource.FORM
    )
    last_check = models.ForeignKey(
        "ShipmentCheck",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("last check"),
    )
    exported_on = models.DateField(_("exported on"), null=True, blank=True)
    export_reference = models.CharField(_("customs declaration number"), max_length=64, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-last_activity_at", "-pk"]
        indexes = [models.Index(fields=["state", "planned_ship_date"])]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("shipment_detail", args=[self.pk])


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="lines", verbose_name=_("shipment")
    )
    position = models.PositiveIntegerField(_("line"))
    product = models.ForeignKey(
        "screening.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit = models.CharField(_("unit"), max_length=12)
    value = models.DecimalField(_("value"), null=True, blank=True, **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    # From the last check: release or hold, why, and the licence (and its line) it draws on.
    result = models.CharField(_("result"), max_length=8, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    licence = models.ForeignKey(
        Licence,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("licence"),
    )
    licence_line = models.CharField(_("licence line"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")
        ordering = ["shipment", "position"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "position"], name="unique_line_position"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="shipment_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.shipment} #{self.position}"


class CheckTrigger(models.TextChoices):
    """Why the release gate ran on a shipment (the check history says it in words)."""

    ENTERED = "entered", pgettext_lazy("why a check ran", "entered")
    UPLOADED = "uploaded", pgettext_lazy("why a check ran", "uploaded")
    MANUAL = "manual", pgettext_lazy("why a check ran", "checked again by hand")
    RULES_PUBLISHED = "rules_published", pgettext_lazy("why a check ran", "rules published")
    RULES_STATUS_CONFIRMED = (
        "rules_status_confirmed",
        pgettext_lazy("why a check ran", "rule status confirmed"),
    )
    LIST_PUBLISHED = "list_published", pgettext_lazy("why a check ran", "list published")
    LIST_CONFIRMED = "list_confirmed", pgettext_lazy("why a check ran", "list confirmed current")
    LICENCE_AMENDED = "licence_amended", pgettext_lazy("why a check ran", "licence amended")
    LICENCE_STATUS = "licence_status", pgettext_lazy("why a check ran", "licence status changed")
    PARTY_MATCH = "party_match", pgettext_lazy("why a check ran", "candidate match decided")


class ShipmentCheck(models.Model):
    """One run of the release gate on a shipment: its inputs' versions and its answer."""

    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="checks", verbose_name=_("shipment")
    )
    at = models.DateTimeField(_("checked"), default=timezone.now)
    as_of = models.DateField(_("as of"))
    result = models.CharField(_("result"), max_length=8)  # release | hold
    # [{line, result, reasons: [{code, message, clear_url}]}] and the shipment's own reasons.
    lines = models.JSONField(_("lines' results"), default=list)
    reasons = models.JSONField(_("shipment's reasons"), default=list)
    rule_set_version = models.CharField(_("rule-set version"), max_length=40)
    list_versions = models.JSONField(_("list versions used"), default=dict)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    trigger = models.CharField(
        _("why it ran"), max_length=40, choices=CheckTrigger.choices, default=CheckTrigger.ENTERED
    )

    class Meta:
        verbose_name = _("shipment check")
        verbose_name_plural = _("shipment checks")
        ordering = ["shipment", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.shipment} {self.result} {self.at:%Y-%m-%d %H:%M}"


class Override(models.Model):
    """A reviewer's documented release of a held shipment (four-eyes: not who entered it)."""

    shipment = models.ForeignKey(
        Shipment, on_delete=models.PROTECT, related_name="overrides", verbose_name=_("shipment")
    )
    check_run = models.ForeignKey(
        ShipmentCheck,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("check overridden"),
    )
    reasons_overridden = models.JSONField(_("reasons overridden"), default=list)
    rationale = models.TextField(_("rationale"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("released by"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("shipment entered by"),
    )
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("override")
        verbose_name_plural = _("overrides")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(condition=~Q(by=F("entered_by")), name="override_four_eyes"),
        ]

    def __str__(self) -> str:
        return f"{self.shipment} by {self.by}"
