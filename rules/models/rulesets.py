"""The control catalogue in the database: rule sets and their measures, windows, entries, criteria.

A rule set is either a draft, which rules administrators edit in Django admin, or published,
which is frozen: its rows can no longer change and a snapshot of the whole catalogue is stored
with its content hash. Screening reads the snapshot (rules.catalogue.Catalogue), never the rows.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rules.catalogue import (
    LICENCE_KINDS,
    MEASURE_KINDS,
    WINDOW_STATUSES,
    Catalogue,
)
from rules.catalogue_data import catalogue_from_dict
from rules.vocabulary import (
    CATEGORIES,
    CELL_TYPES,
    OPERATORS,
    PARAMETERS,
    VERIFICATION_LEVELS,
)

LEVEL_CHOICES = [(level, level) for level in VERIFICATION_LEVELS]
CATEGORY_CHOICES = [(c, c) for c in CATEGORIES]
SUBTYPE_CHOICES = [("", _("any subtype"))] + [
    (s, s) for s in dict.fromkeys(s for subtypes in CATEGORIES.values() for s in subtypes)
]
PARAMETER_CHOICES = [(p, f"{p} ({PARAMETERS[p].unit})") for p in PARAMETERS]
OPERATOR_CHOICES = [(o, o) for o in OPERATORS]


class RuleRowQuerySet(models.QuerySet[Any]):
    """Rows of a rule set: the rule set itself, its measures, windows, entries, scopes, criteria.

    django-simple-history records a row's edit when the row is saved or deleted on its own. A
    bulk `update()` writes straight to the table and leaves no trace in the history, and the
    history is what maker-checker reads (rules.publishing.authors_of). So, for every bulk path:

    - rows of a published rule set are frozen: `update()` and `delete()` refuse them;
    - on a draft, `update()` also saves each row it changed, so the history records the edit.
      (`delete()` already deletes row by row with signals, which the history records.)
    """

    # Lookup from this model to the status of its rule set.
    status_lookup = "rule_set__status"

    def _refuse_published(self, verb: str) -> None:
        if self.filter(**{self.status_lookup: "published"}).exists():
            raise PermissionError(f"cannot {verb} rows of a published rule set: they are frozen")

    def update(self, **kwargs: Any) -> int:
        self._refuse_published("update")
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            rows: models.QuerySet[Any] = models.QuerySet(self.model, using=self.db).filter(
                pk__in=pks
            )
            # The database evaluates the values (F() expressions too); then each row is saved
            # as it now is, which writes its history record.
            updated = models.QuerySet.update(rows, **kwargs)
            for row in rows:
                row.save()
        return updated

    # Django's markers, as on QuerySet's own update() and delete() (templates never call them; the
    # manager does not copy delete()). Function attributes, which mypy does not know.
    update.alters_data = True  # type: ignore[attr-defined]

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuse_published("delete")
        return super().delete()

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


class MeasureRowQuerySet(RuleRowQuerySet):
    """Status windows and entries: rows of a measure."""

    status_lookup = "measure__rule_set__status"


class EntryRowQuerySet(RuleRowQuerySet):
    """Scopes and criteria: rows of an entry."""

    status_lookup = "entry__measure__rule_set__status"


class RuleSetQuerySet(RuleRowQuerySet):
    status_lookup = "status"

    def published(self) -> RuleSetQuerySet:
        return self.filter(status=RuleSet.Status.PUBLISHED)

    def current(self) -> RuleSet | None:
        """The rule set screenings use: the most recently published one."""
        return self.published().order_by("-published_at", "-pk").first()

    def held(self, rule_set: RuleSet, *, to_publish: bool = False) -> bool:
        """Whether `rule_set` is current, held so until this transaction ends. PostgreSQL:
        locked FOR SHARE by writers of screenings, FOR UPDATE by publishing, which so waits
        until all written with the current rules is committed. SQLite: transactions take the
        write lock at BEGIN, so they are in one order anyway."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id FROM {RuleSet._meta.db_table} WHERE id = %s "  # noqa: S608
                    f"FOR {'UPDATE' if to_publish else 'SHARE'}",
                    [rule_set.pk],
                )
        current = self.current()
        return current is not None and current.pk == rule_set.pk

    def held_current(self, *, to_publish: bool = False) -> RuleSet | None:
        """The current rule set, held until this transaction ends (`held`)."""
        current = self.current()
        while current is not None and not self.held(current, to_publish=to_publish):
            current = self.current()
        return current


class RuleSet(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    version = models.CharField(_("version"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    near_band_pct = models.FloatField(
        _("near band (%)"),
        default=5.0,
        help_text=_(
            "An entry that fails only by being within this percentage of its thresholds is "
            "'near threshold'."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("based on"),
    )
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True, editable=False)
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("published by"),
    )
    # The publishing record: why, on what authority, and what the publisher saw.
    publish_rationale = models.TextField(_("rationale for publishing"), blank=True, editable=False)
    publish_source = models.TextField(_("source"), blank=True, editable=False)
    # {"preview": {"id", "as_of", "baseline", "products", "changed", "stale"} or None,
    #  "counts": {"changes": n, "reference_checks": n}}
    publication = models.JSONField(_("publication"), default=dict, blank=True, editable=False)

    objects = RuleSetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (~models.Q(content_hash="") & models.Q(snapshot__isnull=False)),
                name="published_rule_set_has_snapshot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.get_status_display()})"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def build_catalogue(self) -> Catalogue:
        """The catalogue from this rule set's rows (validated; raises CatalogueError)."""
        measures = self.measures.prefetch_related(
            "windows", "entries__scopes", "entries__criteria"
        ).order_by("position", "pk")
        return catalogue_from_dict(
            {
                "version": self.version,
                "title": self.title,
                "near_band_pct": self.near_band_pct,
                "measures": [m.as_dict() for m in measures],
            }
        )

    def catalogue(self) -> Catalogue:
        """The catalogue screenings use: the frozen snapshot of a published rule set.

        Snapshots never change once stored, so each is parsed once per process.
        """
        if self.snapshot is None:
            return self.build_catalogue()
        key = (self.pk, self.content_hash)
        if key not in _SNAPSHOT_CATALOGUES:
            _SNAPSHOT_CATALOGUES[key] = catalogue_from_dict(self.snapshot)
        return _SNAPSHOT_CATALOGUES[key]


_SNAPSHOT_CATALOGUES: dict[tuple[int, str], Catalogue] = {}


class Measure(models.Model):
    rule_set = models.ForeignKey(
        RuleSet, on_delete=models.CASCADE, related_name="measures", verbose_name=_("rule set")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    key = models.CharField(_("key"), max_length=40)
    regime = models.CharField(_("regime"), max_length=10, default="CN")
    kind = models.CharField(
        _("kind"), max_length=24, choices=[(k, k) for k in MEASURE_KINDS], default="control_list"
    )
    instrument_zh = models.CharField(_("instrument (Chinese)"), max_length=200)
    instrument_en = models.CharField(_("instrument (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=400, blank=True)
    published = models.DateField(_("published"))
    effective = models.DateField(_("effective"))
    level = models.CharField(_("verification level"), max_length=12, choices=LEVEL_CHOICES)
    level_note = models.TextField(_("level note"), blank=True)
    source = models.TextField(_("source"), blank=True)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    level_note_zh = models.TextField(_("level note (Chinese)"), blank=True)
    source_zh = models.TextField(_("source (Chinese)"), blank=True)
    licence_kind = models.CharField(
        _("licence kind"), max_length=12, choices=[(k, k) for k in LICENCE_KINDS]
    )
    overlay_destinations = models.JSONField(
        _("overlay destinations"), default=list, blank=True, help_text=_("ISO country codes")
    )
    overlay_on_measures = models.JSONField(
        _("overlay applies to measures"), default=list, blank=True
    )
    overlay_advice_en = models.TextField(_("overlay advice (English)"), blank=True)
    overlay_advice_zh = models.TextField(_("overlay advice (Chinese)"), blank=True)
    objects = RuleRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["rule_set", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "key"], name="unique_measure_per_rule_set")
        ]

    def __str__(self) -> str:
        return f"{self.key} — {self.instrument_en}"

    def as_dict(self) -> dict[str, Any]:
        overlay = None
        if self.kind == "overlay":
            overlay = {
                "destinations": self.overlay_destinations,
                "on_measures": self.overlay_on_measures,
                "advice_en": self.overlay_advice_en,
                "advice_zh": self.overlay_advice_zh,
            }
        return {
            "key": self.key,
            "regime": self.regime,
            "kind": self.kind,
            "instrument_zh": self.instrument_zh,
            "instrument_en": self.instrument_en,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "published": self.published,
            "effective": self.effective,
            "level": self.level,
            "level_note": self.level_note,
            "source": self.source,
            "source_url": self.source_url,
            "level_note_zh": self.level_note_zh,
            "source_zh": self.source_zh,
            "licence_kind": self.licence_kind,
            "overlay": overlay,
            "windows": [w.as_dict() for w in self.windows.all()],
            "entries": [
                e.as_dict() for e in sorted(self.entries.all(), key=lambda e: (e.position, e.pk))
            ],
        }


class StatusWindow(models.Model):
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="windows", verbose_name=_("measure")
    )
    status = models.CharField(_("status"), max_length=12, choices=[(s, s) for s in WINDOW_STATUSES])
    start = models.DateField(_("from"))
    end = models.DateField(_("to (inclusive)"), null=True, blank=True)
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    basis_zh = models.CharField(_("basis (Chinese)"), max_length=300, blank=True)
    note_zh = models.TextField(_("note (Chinese)"), blank=True)
    objects = MeasureRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("status window")
        verbose_name_plural = _("status windows")
        ordering = ["measure", "start"]

    def __str__(self) -> str:
        return f"{self.status} {self.start} – {self.end or '…'}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "start": self.start,
            "end": self.end,
            "basis": self.basis,
            "note": self.note,
            "basis_zh": self.basis_zh,
            "note_zh": self.note_zh,
        }


class Entry(models.Model):
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="entries", verbose_name=_("measure")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=40)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=400)
    hs_codes = models.JSONField(_("reference HS codes"), default=list, blank=True)
    level = models.CharField(_("verification level"), max_length=12, choices=LEVEL_CHOICES)
    level_note = models.TextField(_("level note"), blank=True)
    source = models.TextField(_("source"), blank=True)
    level_note_zh = models.TextField(_("level note (Chinese)"), blank=True)
    source_zh = models.TextField(_("source (Chinese)"), blank=True)
    criteria_confirmed = models.BooleanField(
        _("criteria confirmed"),
        default=True,
        help_text=_(
            "Untick when the item is known but what it covers could not be confirmed: screening "
            "then reports it as unknown for a reviewer to decide."
        ),
    )
    code_confirmed = models.BooleanField(
        _("code confirmed"),
        default=False,
        help_text=_(
            "Tick only when this control code was read in the official text or in copies of it. "
            "A customs remark (属于两用物项，管制编码：…) never carries an unconfirmed code: the "
            "result says which code to confirm instead."
        ),
    )
    objects = MeasureRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["measure", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "code"], name="unique_entry_per_measure")
        ]

    def __str__(self) -> str:
        return f"{self.measure.key}:{self.code}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "applies_to": [
                {
                    "category": s.category,
                    "subtype": s.subtype or None,
                    "cell_type": s.cell_type or None,
                }
                for s in self.scopes.all()
            ],
            "hs_codes": self.hs_codes,
            "level": self.level,
            "level_note": self.level_note,
            "source": self.source,
            "level_note_zh": self.level_note_zh,
            "source_zh": self.source_zh,
            "criteria_confirmed": self.criteria_confirmed,
            "code_confirmed": self.code_confirmed,
            "criteria": [
                c.as_dict() for c in sorted(self.criteria.all(), key=lambda c: (c.position, c.pk))
            ],
        }


class EntryScope(models.Model):
    """One category (and optionally one subtype) an entry applies to."""

    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="scopes", verbose_name=_("entry")
    )
    category = models.CharField(_("category"), max_length=30, choices=CATEGORY_CHOICES)
    subtype = models.CharField(_("subtype"), max_length=40, choices=SUBTYPE_CHOICES, blank=True)
    cell_type = models.CharField(
        _("cell type"),
        max_length=12,
        choices=[("", _("any cell type"))] + [(c, c) for c in CELL_TYPES],
        blank=True,
    )
    objects = EntryRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("applies to")
        verbose_name_plural = _("applies to")
        ordering = ["entry", "pk"]

    def __str__(self) -> str:
        text = f"{self.category}/{self.subtype or '*'}"
        return f"{text} ({self.cell_type})" if self.cell_type else text


class Criterion(models.Model):
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("entry")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    parameter = models.CharField(_("parameter"), max_length=40, choices=PARAMETER_CHOICES)
    operator = models.CharField(_("operator"), max_length=2, choices=OPERATOR_CHOICES)
    threshold = models.FloatField(_("threshold"))
    unit = models.CharField(_("unit"), max_length=20)
    condition_parameter = models.CharField(
        _("test condition parameter"), max_length=40, choices=PARAMETER_CHOICES, blank=True
    )
    condition_value = models.FloatField(_("test condition value"), null=True, blank=True)
    condition_unit = models.CharField(_("test condition unit"), max_length=20, blank=True)
    condition_tolerance_pct = models.FloatField(_("test condition tolerance (%)"), default=0.0)
    verified = models.BooleanField(_("verified"), default=True)
    note = models.TextField(_("note"), blank=True)
    note_zh = models.TextField(_("note (Chinese)"), blank=True)
    objects = EntryRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["entry", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.parameter} {self.operator} {self.threshold:g} {self.unit}"

    def as_dict(self) -> dict[str, Any]:
        condition = None
        if self.condition_parameter:
            condition = {
                "parameter": self.condition_parameter,
                "value": self.condition_value,
                "unit": self.condition_unit or PARAMETERS[self.condition_parameter].unit,
                "tolerance_pct": self.condition_tolerance_pct,
            }
        return {
            "parameter": self.parameter,
            "operator": self.operator,
            "threshold": self.threshold,
            "unit": self.unit or PARAMETERS[self.parameter].unit,
            "condition": condition,
            "verified": self.verified,
            "note": self.note,
            "note_zh": self.note_zh,
        }
