"""The dashboard's summaries. CaseRollup: how many cases, and their summed expected value, per
day opened, category, automated outcome, destination, state, re-review flag and week decided.
ScreeningRollup: how many screenings per day made, category, destination and outcome.
EntryRollup: how many cases, and their summed expected value, per day opened, category, automated
outcome, destination and state, and entry their screening hit (key, measure, code, result).
ProductRollup: how many screened products, and their summed annual export value, per category
and destination of their current spec and outcome of their latest screening.

Every write that adds, changes or removes a case applies its difference here in the same
transaction (screening.rollup), so an aggregate over any combination of these dimensions reads
a few thousand rows instead of every case. Rows whose count went back to zero stay (readers
skip them); `manage.py verify_rollup --repair` rebuilds the table without them.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

# The columns that name a row, as Case names them (so one F() reads either table).
DIMENSIONS = (
    "created_on",
    "category",
    "automated_outcome",
    "destination_country",
    "state",
    "rules_changed",
    "decided_week",
)
SCREENING_DIMENSIONS = ("created_on", "category", "destination_country", "outcome")
# An entry summary row: the case's dimensions the dashboard's filters use, and the hit.
ENTRY_CASE_DIMENSIONS = DIMENSIONS[:5]
HIT_DIMENSIONS = ("key", "measure", "code", "result")
ENTRY_DIMENSIONS = (*ENTRY_CASE_DIMENSIONS, *HIT_DIMENSIONS)
PRODUCT_DIMENSIONS = ("category", "destination_country", "outcome")
# The decided_week of a case not decided (a key column cannot be NULL: NULLs never conflict).
NOT_DECIDED = dt.date(1, 1, 1)


class CaseFigures(models.Model):
    """What a case summary row (CaseRollup, EntryRollup) names of its cases and adds up."""

    # The local date of Case.created_at (settings.TIME_ZONE), the dashboard's day filters.
    created_on = models.DateField(_("created"))
    category = models.CharField(_("category"), max_length=30)
    automated_outcome = models.CharField(_("automated outcome"), max_length=20)
    destination_country = models.CharField(_("destination country"), max_length=2)
    state = models.CharField(_("state"), max_length=20)
    case_count = models.BigIntegerField(_("cases"), default=0)
    # NULL expected values count as zero, as the dashboard's sums show them.
    value_sum_usd = models.DecimalField(
        _("expected value (USD)"), max_digits=24, decimal_places=2, default=0
    )

    class Meta:
        abstract = True


class CaseRollup(CaseFigures):
    rules_changed = models.BooleanField(_("rules changed: re-review"))
    # The Monday of the local week of Case.decided_at (NOT_DECIDED when it has none).
    decided_week = models.DateField(_("decided"))

    class Meta:
        # Words the catalogue of translations has already (locale/ is translated separately).
        verbose_name = _("summary")
        verbose_name_plural = _("summary")
        constraints = [models.UniqueConstraint(fields=list(DIMENSIONS), name="case_rollup_key")]

    def __str__(self) -> str:
        return f"{self.created_on} {self.category} {self.automated_outcome} {self.state}"


class ScreeningRollup(models.Model):
    # The local date of Screening.created_at; category and destination of its spec version.
    created_on = models.DateField(_("created"))
    category = models.CharField(_("category"), max_length=30)
    destination_country = models.CharField(_("destination country"), max_length=2)
    outcome = models.CharField(_("outcome"), max_length=20)
    screening_count = models.BigIntegerField(_("screenings"), default=0)

    class Meta:
        verbose_name = _("summary")
        verbose_name_plural = _("summary")
        constraints = [
            models.UniqueConstraint(fields=list(SCREENING_DIMENSIONS), name="screening_rollup_key")
        ]

    def __str__(self) -> str:
        return f"{self.created_on} {self.category} {self.outcome}"


class EntryRollup(CaseFigures):
    """Cases per entry hit: a case counts once under every entry its screening hit (a
    screening hits each entry key at most once), with the case's dimensions the filters use."""

    # As ScreeningEntry names them.
    key = models.CharField(_("entry"), max_length=80)
    measure = models.CharField(_("measure"), max_length=40)
    code = models.CharField(_("code"), max_length=40)
    result = models.CharField(_("result"), max_length=10)

    class Meta:
        verbose_name = _("summary")
        verbose_name_plural = _("summary")
        constraints = [
            models.UniqueConstraint(fields=list(ENTRY_DIMENSIONS), name="entry_rollup_key")
        ]

    def __str__(self) -> str:
        return f"{self.created_on} {self.category} {self.key} {self.result}"


class ProductRollup(models.Model):
    """Products with a latest screening (the dashboard's products section): by the category and
    destination of their current spec and their latest screening's outcome."""

    category = models.CharField(_("category"), max_length=30)
    destination_country = models.CharField(_("destination country"), max_length=2)
    outcome = models.CharField(_("outcome"), max_length=20)
    product_count = models.BigIntegerField(_("products"), default=0)
    # NULL annual values count as zero, as the dashboard's sums show them.
    value_sum_usd = models.DecimalField(
        _("annual export value (USD)"), max_digits=24, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("summary")
        verbose_name_plural = _("summary")
        constraints = [
            models.UniqueConstraint(fields=list(PRODUCT_DIMENSIONS), name="product_rollup_key")
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.destination_country} {self.outcome}"
