"""The control catalogue in the database: rule sets and their measures, windows, entries, criteria.

A rule set is either a draft, which rules administrators edit in Django admin, or published,
which is frozen: its rows can no longer change and a snapshot of the whole catalogue is stored
with its content hash. Screening reads the snapshot (rules.catalogue.Catalogue), never the rows.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rules.access import ROLE_LABELS
from rules.catalogue import (
    LICENCE_KINDS,
    MEASURE_KINDS,
    WINDOW_STATUSES,
    Catalogue,
    catalogue_from_dict,
)
from rules.certainty import Confirmation
from rules.labels import OUTCOME_CHOICES
from rules.vocabulary import (
    CATEGORIES,
    CELL_TYPES,
    MEASURE_STATUSES,
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
            rows = models.QuerySet(self.model, using=self.db).filter(pk__in=pks)
            # The database evaluates the values (F() expressions too); then each row is saved
            # as it now is, which writes its history record.
            updated = models.QuerySet.update(rows, **kwargs)
            for row in rows:
                row.save()
        return updated

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
        "self", on_delete=models.PROTECT, null=True, blank=True, editable=False
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
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
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
    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="measures")
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
            "licence_kind": self.licence_kind,
            "overlay": overlay,
            "windows": [w.as_dict() for w in self.windows.all()],
            "entries": [
                e.as_dict() for e in sorted(self.entries.all(), key=lambda e: (e.position, e.pk))
            ],
        }


class StatusWindow(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="windows")
    status = models.CharField(_("status"), max_length=12, choices=[(s, s) for s in WINDOW_STATUSES])
    start = models.DateField(_("from"))
    end = models.DateField(_("to (inclusive)"), null=True, blank=True)
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
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
        }


class Entry(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=40)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=400)
    hs_codes = models.JSONField(_("reference HS codes"), default=list, blank=True)
    level = models.CharField(_("verification level"), max_length=12, choices=LEVEL_CHOICES)
    level_note = models.TextField(_("level note"), blank=True)
    source = models.TextField(_("source"), blank=True)
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
            "criteria_confirmed": self.criteria_confirmed,
            "code_confirmed": self.code_confirmed,
            "criteria": [
                c.as_dict() for c in sorted(self.criteria.all(), key=lambda c: (c.position, c.pk))
            ],
        }


class EntryScope(models.Model):
    """One category (and optionally one subtype) an entry applies to."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scopes")
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
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="criteria")
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
        }


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    """Audit events are append-only: bulk updates and deletes are refused in the application
    (and by database triggers, see the migration)."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events are append-only")


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained audit trail (rules.audit writes them)."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    # Stored in UTC like every time here; shown in the site's zone with its offset.
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_name = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    before = models.JSONField(_("before"), null=True)
    after = models.JSONField(_("after"), null=True)
    reason = models.TextField(_("reason"), blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events are append-only")


class AuditChainHead(models.Model):
    """The last link of the audit chain: one row, locked while an event is appended."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class ReferenceRowQuerySet(RuleRowQuerySet):
    """Reference products: rows of a rule set, frozen with it once published."""

    status_lookup = "rule_set__status"


class ExpectationRowQuerySet(RuleRowQuerySet):
    """Expected outcomes: rows of a reference product."""

    status_lookup = "reference__rule_set__status"


class ReferenceProduct(models.Model):
    """A spec with the outcomes it must have. Reference products belong to a rule set: a draft
    copies those of the rule set it is based on, its administrators edit them with its rules
    (they count as its authors), the diff shows their changes, and the draft is published only
    if every active one holds. Published, they are frozen with the rules."""

    rule_set = models.ForeignKey(
        RuleSet,
        on_delete=models.CASCADE,
        related_name="references",
        verbose_name=_("rule set"),
    )
    name = models.CharField(_("name"), max_length=200)
    cells = models.JSONField(
        _("spec cells"),
        help_text=_(
            'Template columns and cell texts, e.g. {"category": "battery_cell", "subtype": '
            '"li_ion", "energy_density_wh_per_kg": "310"}.'
        ),
    )
    note = models.TextField(_("why it matters"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    objects = ReferenceRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reference product")
        verbose_name_plural = _("reference products")
        ordering = ["rule_set", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "name"], name="unique_reference_per_rule_set"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def as_dict(self) -> dict[str, Any]:
        """The reference as rules/data/reference_products.toml writes one."""
        return {
            "name": self.name,
            "note": self.note,
            "active": self.active,
            "cells": dict(self.cells),
            "expect": [
                {"as_of": e.as_of, "regimes": list(e.regimes or []), "outcome": e.outcome}
                for e in sorted(self.expectations.all(), key=lambda e: (e.as_of, e.pk))
            ],
        }


class ReferenceExpectation(models.Model):
    reference = models.ForeignKey(
        ReferenceProduct, on_delete=models.CASCADE, related_name="expectations"
    )
    as_of = models.DateField(_("as of"))
    regimes = models.JSONField(_("regimes"), default=list, blank=True, help_text=_('e.g. ["CN"]'))
    outcome = models.CharField(_("expected outcome"), max_length=20, choices=OUTCOME_CHOICES)
    objects = ExpectationRowQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expected outcome")
        verbose_name_plural = _("expected outcomes")
        ordering = ["reference", "as_of"]

    def __str__(self) -> str:
        return f"{self.reference} as of {self.as_of}: {self.outcome}"


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
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = StatusConfirmationQuerySet.as_manager()

    class Meta:
        verbose_name = _("status confirmation")
        verbose_name_plural = _("status confirmations")
        ordering = ["-confirmed_at"]

    def __str__(self) -> str:
        return f"{self.measure_key}: {self.status} ({self.confirmed_at:%Y-%m-%d})"


# --- the API's service accounts (rules.tokens) -------------------------------------------------


class ApiToken(models.Model):
    """A service account's key to the API: made by an administrator in Django admin, shown
    once, kept only as its SHA-256. It carries the rights of a role (a Django group,
    rules.access) through a user of its own that cannot log in, narrowed by its scopes, until
    it expires or is revoked. rules.tokens issues, checks, counts and revokes them."""

    class Scope(models.TextChoices):
        SCREEN = "screen", _("screen: screen specs without storing them")
        READ = "read", _("read: determinations, decision records, changed cases")
        WRITE_SPECS = "write_specs", _("write_specs: submit specs to store")
        WRITE_SHIPMENTS = "write_shipments", _("write_shipments: shipments (not available yet)")

    name = models.SlugField(
        _("name"),
        max_length=60,
        unique=True,
        help_text=_("Says which program uses it, e.g. sap-erp. Recorded with every call."),
    )
    role = models.CharField(
        _("role"),
        max_length=40,
        choices=list(ROLE_LABELS.items()),
        help_text=_("The token has this role's rights, as far as its scopes allow."),
    )
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires"))
    # The service account whose rights the token carries: in the role's group, no password.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_token",
        editable=False,
    )
    # The start of the token, to recognise it; the rest is never stored.
    prefix = models.CharField(_("starts with"), max_length=16, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, editable=False)
    # The rate limit's current window and the calls counted in it (rules.tokens.count_call).
    window_start = models.DateTimeField(null=True, editable=False)
    window_calls = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class ApiIdempotentRequest(models.Model):
    """A request sent with an Idempotency-Key header: a retry with the same key gets the first
    answer again, and nothing is done twice (rules.tokens.claim_key)."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    request_sha256 = models.CharField(max_length=64)
    # None while the first request is still running.
    status = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("idempotent API request")
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="unique_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.token_id}:{self.key}"
