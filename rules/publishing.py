"""Rule-set lifecycle: storing a catalogue as rows, drafting, publishing, the shipped catalogue."""

from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from rules import audit
from rules.catalogue import Catalogue, load_shipped
from rules.models import Criterion, Entry, EntryScope, Measure, RuleSet, StatusWindow

logger = logging.getLogger(__name__)


class PublishError(Exception):
    """A rule set cannot be published; the message says why."""


@transaction.atomic
def store_catalogue(
    catalogue: Catalogue,
    *,
    user: AbstractBaseUser | None = None,
    based_on: RuleSet | None = None,
    version: str | None = None,
    notes: str = "",
) -> RuleSet:
    """Write a catalogue as a new draft rule set (rows that administrators can edit)."""
    rule_set = RuleSet.objects.create(
        version=version or catalogue.version,
        title=catalogue.title,
        near_band_pct=catalogue.near_band_pct,
        based_on=based_on,
        created_by=user,
        notes=notes,
    )
    for m_pos, m in enumerate(catalogue.measures):
        measure = Measure.objects.create(
            rule_set=rule_set,
            position=m_pos,
            key=m.key,
            regime=m.regime,
            kind=m.kind,
            instrument_zh=m.instrument_zh,
            instrument_en=m.instrument_en,
            title_zh=m.title_zh,
            title_en=m.title_en,
            published=m.published,
            effective=m.effective,
            level=m.level,
            level_note=m.level_note,
            source=m.source,
            source_url=m.source_url,
            licence_kind=m.licence_kind,
            overlay_destinations=list(m.overlay.destinations) if m.overlay else [],
            overlay_on_measures=list(m.overlay.on_measures) if m.overlay else [],
            overlay_advice_en=m.overlay.advice_en if m.overlay else "",
            overlay_advice_zh=m.overlay.advice_zh if m.overlay else "",
        )
        for w in m.windows:
            StatusWindow.objects.create(
                measure=measure,
                status=w.status,
                start=w.start,
                end=w.end,
                basis=w.basis,
                note=w.note,
            )
        for e_pos, e in enumerate(m.entries):
            entry = Entry.objects.create(
                measure=measure,
                position=e_pos,
                code=e.code,
                title_zh=e.title_zh,
                title_en=e.title_en,
                hs_codes=list(e.hs_codes),
                level=e.level,
                level_note=e.level_note,
                source=e.source,
                criteria_confirmed=e.criteria_confirmed,
            )
            for s in e.applies_to:
                EntryScope.objects.create(entry=entry, category=s.category, subtype=s.subtype or "")
            for c_pos, c in enumerate(e.criteria):
                Criterion.objects.create(
                    entry=entry,
                    position=c_pos,
                    parameter=c.parameter,
                    operator=c.operator,
                    threshold=c.threshold,
                    unit=c.unit,
                    condition_parameter=c.condition.parameter if c.condition else "",
                    condition_value=c.condition.value if c.condition else None,
                    condition_unit=c.condition.unit if c.condition else "",
                    condition_tolerance_pct=c.condition.tolerance_pct if c.condition else 0.0,
                    verified=c.verified,
                    note=c.note,
                )
    return rule_set


@transaction.atomic
def publish(rule_set: RuleSet, *, user: AbstractBaseUser | None) -> RuleSet:
    """Freeze a draft: validate it, store its snapshot and content hash, make it current."""
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if rule_set.is_published:
        raise PublishError(f"rule set {rule_set.version} is already published")
    catalogue = rule_set.build_catalogue()  # raises CatalogueError with what is wrong
    rule_set.snapshot = catalogue.to_dict()
    rule_set.content_hash = catalogue.content_hash
    rule_set.status = RuleSet.Status.PUBLISHED
    rule_set.published_at = timezone.now()
    rule_set.published_by = user
    rule_set.save()
    audit.record(
        "rules.publish",
        actor=user,
        obj=rule_set,
        after={"version": rule_set.version, "content_hash": rule_set.content_hash},
    )
    return rule_set


def ensure_shipped_catalogue() -> RuleSet | None:
    """Load the catalogue shipped in rules/data unless a rule set of that version exists.

    On a fresh database it is published at once, so that `migrate` alone leaves a database
    ready to screen. Later shipped versions arrive as drafts: publishing them is an
    administrator's decision, never a side effect of deploying code.
    """
    catalogue = load_shipped()
    if RuleSet.objects.filter(version=catalogue.version).exists():
        return None
    with transaction.atomic():
        first = not RuleSet.objects.published().exists()
        rule_set = store_catalogue(catalogue, notes="Shipped with the application (rules/data).")
        audit.record(
            "rules.load_shipped",
            actor=None,
            obj=rule_set,
            after={"version": catalogue.version, "content_hash": catalogue.content_hash},
        )
        if first:
            rule_set = publish(rule_set, user=None)
    logger.info("Loaded shipped rule set %s (%s)", rule_set.version, rule_set.get_status_display())
    return rule_set


def create_draft(
    source: RuleSet, *, user: AbstractBaseUser | None, version: str | None = None
) -> RuleSet:
    """A new draft rule set with the same rules as `source`, for administrators to edit."""
    if version is None:
        n = 1
        while RuleSet.objects.filter(version=f"{source.version}-draft{n}").exists():
            n += 1
        version = f"{source.version}-draft{n}"
    draft = store_catalogue(
        source.catalogue(),
        user=user,
        based_on=source,
        version=version,
        notes=f"Draft based on {source.version}.",
    )
    audit.record("rules.draft", actor=user, obj=draft, after={"based_on": source.version})
    return draft
