"""Files of shipments or parties uploaded from the pages: stored with their SHA-256 under a
generated name, dry-run (every row's action and errors), then imported once."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def trade_upload_path(instance: Any, filename: str) -> str:
    """Stored under a generated name: the original name is metadata, never a path."""
    return f"trade-uploads/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class TradeUpload(models.Model):
    class Kind(models.TextChoices):
        SHIPMENTS = "shipments", _("Shipments")
        PARTIES = "parties", _("Parties")

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked: ready to import")
        REJECTED = "rejected", _("Cannot be read")
        IMPORTED = "imported", _("Imported")

    class Policy(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
        VALID_ROWS = "valid_rows", _("Only the valid rows")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=trade_upload_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    message = models.TextField(_("message"), blank=True)
    # The dry run: [{row, ref, action (new|changed|unchanged|invalid), errors: [{row, column,
    # value, message}]}], one item per party or shipment (a shipment spans its lines' rows).
    rows = models.JSONField(_("dry run rows"), default=list, blank=True)
    total = models.PositiveIntegerField(_("records"), default=0)
    invalid = models.PositiveIntegerField(_("with errors"), default=0)
    policy = models.CharField(_("import"), max_length=16, choices=Policy.choices, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    created = models.JSONField(_("what the import did"), default=dict, blank=True)

    class Meta:
        verbose_name = _("trade upload")
        verbose_name_plural = _("trade uploads")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("trade_upload_detail", args=[self.pk])
