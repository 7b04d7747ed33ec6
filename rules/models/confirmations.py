"""Status confirmations: an administrator's record that a measure's status was checked; they
decide which statuses are assumptions (rules.certainty)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rules.certainty import Confirmation
from rules.vocabulary import MEASURE_STATUSES


class StatusConfirmationQuerySet(models.QuerySet["StatusConfirmation"]):
    def as_confirmations(self, *, until: Any = None) -> list[Confirmation]:
        """The confirmations (recorded up to `until`, a moment; None: all) as the evaluator
        and the watch take them, dated in the site's time zone."""
        rows = self if until is None else self.filter(confirmed_at__lte=until)
        return [
            Confirmation(key, timezone.localdate(at), status)
            for key, at, status in rows.values_list("measure_key", "confirmed_at", "status")
        ]


class StatusConfirmation(models.Model):
    """An administrator's record that a measure's status was checked, with its source."""

    measure_key = models.CharField(_("measure"), max_length=40, db_index=True)
    status = models.CharField(
        _("status confirmed"), max_length=20, choices=[(s, s) for s in MEASURE_STATUSES]
    )
    source = models.TextField(_("source"))
    note = models.TextField(_("note"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    objects = StatusConfirmationQuerySet.as_manager()

    class Meta:
        verbose_name = _("status confirmation")
        verbose_name_plural = _("status confirmations")
        ordering = ["-confirmed_at"]

    def __str__(self) -> str:
        return f"{self.measure_key}: {self.status} ({self.confirmed_at:%Y-%m-%d})"
