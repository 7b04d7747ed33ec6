"""Spreadsheet uploads of product specs: the original file, its dry run, its commit."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from rules.labels import message_text


def upload_path(instance: Upload, filename: str) -> str:
    """Stored under a generated name: the original name is metadata, never a path."""
    return f"uploads/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Upload(models.Model):
    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked: ready to import")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed")

    class Policy(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", _("All or nothing: import only a file without errors")
        VALID_ROWS = "valid_rows", _("Import the valid rows and skip the rows with errors")

    file = models.FileField(verbose_name=_("file"), upload_to=upload_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    kind = models.CharField(_("type"), max_length=8)  # csv | xlsx
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    as_of = models.DateField(_("screened as of"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CHECKING
    )
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    processed = models.PositiveIntegerField(_("rows processed"), default=0)
    total = models.PositiveIntegerField(_("rows"), default=0)
    # What went wrong or what to know, in English; with its code and parameters (rules.messages)
    # when the application wrote it, so that the page says it in its reader's language.
    message = models.TextField(_("message"), blank=True)
    message_code = models.CharField(_("message code"), max_length=60, blank=True)
    message_params = models.JSONField(_("message parameters"), default=dict, blank=True)
    task_id = models.CharField(verbose_name=_("task ID"), max_length=64, blank=True)
    # Written by the process checking or importing the file at every stage
    # (screening.imports.stalls.is_stalled).
    heartbeat_at = models.DateTimeField(verbose_name=_("last heartbeat"), null=True, blank=True)
    unknown_columns = models.JSONField(
        verbose_name=_("columns not in the template"), default=list, blank=True
    )

    # Dry-run counts
    valid_rows = models.PositiveIntegerField(verbose_name=_("valid rows"), default=0)
    invalid_rows = models.PositiveIntegerField(verbose_name=_("rows with errors"), default=0)
    new_rows = models.PositiveIntegerField(verbose_name=_("new rows"), default=0)
    changed_rows = models.PositiveIntegerField(verbose_name=_("changed rows"), default=0)
    unchanged_rows = models.PositiveIntegerField(verbose_name=_("unchanged rows"), default=0)
    warning_rows = models.PositiveIntegerField(verbose_name=_("rows with warnings"), default=0)
    outcome_counts = models.JSONField(verbose_name=_("outcome counts"), default=dict, blank=True)

    # Commit
    policy = models.CharField(_("import policy"), max_length=16, choices=Policy.choices, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    committed_at = models.DateTimeField(_("imported"), null=True)
    created_products = models.PositiveIntegerField(verbose_name=_("products created"), default=0)
    created_versions = models.PositiveIntegerField(
        verbose_name=_("spec versions created"), default=0
    )
    created_cases = models.PositiveIntegerField(verbose_name=_("cases created"), default=0)
    skipped_rows = models.PositiveIntegerField(verbose_name=_("rows skipped"), default=0)

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("upload_detail", args=[self.pk])

    @property
    def message_shown(self) -> str:
        """The message in the reader's language."""
        return message_text(
            {"message": self.message, "code": self.message_code, "params": self.message_params}
        )

    @property
    def busy(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0

    @property
    def importable_rows(self) -> int:
        """The rows an import would write: new products and changed specs."""
        return self.new_rows + self.changed_rows

    @property
    def status_label(self) -> str:
        """The status in words that are true of this file: a checked file is "ready to import"
        only when every row would be imported, an imported one says what was refused."""
        if self.status == self.Status.CHECKED:
            if not self.valid_rows:
                return gettext("Checked: every row has errors")
            if not self.importable_rows:
                return gettext("Checked: nothing new to import")
            if self.invalid_rows:
                return ngettext(
                    "Checked: %(n)d row to import, %(refused)d refused",
                    "Checked: %(n)d rows to import, %(refused)d refused",
                    self.importable_rows,
                ) % {"n": self.importable_rows, "refused": self.invalid_rows}
            return gettext("Checked: ready to import")
        if self.status == self.Status.IMPORTED:
            if not self.created_versions:
                return gettext("Imported: nothing new")
            if self.skipped_rows:
                return ngettext(
                    "Imported: %(n)d row, %(refused)d refused",
                    "Imported: %(n)d rows, %(refused)d refused",
                    self.created_versions,
                ) % {"n": self.created_versions, "refused": self.skipped_rows}
            return ngettext(
                "Imported: %(n)d row", "Imported: %(n)d rows", self.created_versions
            ) % {"n": self.created_versions}
        return str(self.get_status_display())


class UploadRow(models.Model):
    """One data row of an upload as the dry run (and the import) classified it."""

    class Action(models.TextChoices):
        NEW = "new", _("New product")
        CHANGED = "changed", _("Changed: new spec version")
        UNCHANGED = "unchanged", _("Unchanged: skipped")
        INVALID = "invalid", _("Has errors")

    upload = models.ForeignKey(
        Upload,
        on_delete=models.CASCADE,
        related_name="rows",
        db_index=False,  # (upload, row),
        verbose_name=_("upload"),
    )
    row = models.PositiveIntegerField(_("row"))
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    revision = models.CharField(_("revision"), max_length=32, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    outcome = models.CharField(_("outcome"), max_length=20)
    errors = models.JSONField(
        verbose_name=_("errors"), default=list, blank=True
    )  # [{column, value, message}]
    warnings = models.JSONField(verbose_name=_("warnings"), default=list, blank=True)

    class Meta:
        verbose_name = _("upload row")
        verbose_name_plural = _("upload rows")
        ordering = ["upload", "row"]
        constraints = [models.UniqueConstraint(fields=["upload", "row"], name="unique_upload_row")]

    def __str__(self) -> str:
        return f"{self.upload_id}:{self.row}"
