"""Rule-set lifecycle: storing a catalogue as rows, drafting, publishing, the shipped catalogue."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rules import audit, references
from rules.access import can
from rules.catalogue import Catalogue, CatalogueError
from rules.catalogue_data import load_shipped, shipped_version
from rules.diff import Change, diff, reference_diff
from rules.labels import message_text, outcome_label
from rules.messages import message_of
from rules.models import (
    Criterion,
    Entry,
    EntryScope,
    Measure,
    ReferenceExpectation,
    ReferenceProduct,
    RuleSet,
    StatusWindow,
)

logger = logging.getLogger(__name__)


class PublishError(Exception):
    """A rule set cannot be published; the message says why."""


@transaction.atomic
def store_catalogue(
    catalogue: Catalogue,
    *,
    user: User | None = None,
    based_on: RuleSet | None = None,
    version: str | None = None,
    notes: str = "",
    references: Iterable[Mapping[str, Any]] = (),
) -> RuleSet:
    """Write a catalogue and its reference products as a new draft rule set (rows that
    administrators can edit)."""
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
            level_note_zh=m.level_note_zh,
            source_zh=m.source_zh,
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
                basis_zh=w.basis_zh,
                note_zh=w.note_zh,
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
                level_note_zh=e.level_note_zh,
                source_zh=e.source_zh,
                criteria_confirmed=e.criteria_confirmed,
                code_confirmed=e.code_confirmed,
            )
            for s in e.applies_to:
                EntryScope.objects.create(
                    entry=entry,
                    category=s.category,
                    subtype=s.subtype or "",
                    cell_type=s.cell_type or "",
                )
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
                    note_zh=c.note_zh,
                )
    store_references(rule_set, references)
    return rule_set


def store_references(rule_set: RuleSet, references: Iterable[Mapping[str, Any]]) -> None:
    """Add reference products to a rule set, each as reference_products.toml writes one:
    name, optional note and active flag, cells, and `expect` (as_of, outcome, optional
    regimes)."""
    for item in references:
        reference = ReferenceProduct.objects.create(
            rule_set=rule_set,
            name=item["name"],
            cells=dict(item["cells"]),
            note=item.get("note", ""),
            active=item.get("active", True),
        )
        ReferenceExpectation.objects.bulk_create(
            ReferenceExpectation(
                reference=reference,
                as_of=expected["as_of"],
                regimes=list(expected.get("regimes", [])),
                outcome=expected["outcome"],
            )
            for expected in item["expect"]
        )


def references_of(rule_set: RuleSet) -> list[dict[str, Any]]:
    """A rule set's reference products, by name, in the form store_references takes."""
    rows = ReferenceProduct.objects.filter(rule_set=rule_set).prefetch_related("expectations")
    return [reference.as_dict() for reference in rows.order_by("name")]


def may_publish(rule_set: RuleSet, user: User | None) -> bool:
    """Maker-checker, the one place it is decided: a rules administrator who neither created
    nor edited the draft (its edit history says who did) publishes it. Superusers too."""
    return user is not None and can(user, "publish_rules") and user.pk not in authors_of(rule_set)


def authors_of(rule_set: RuleSet) -> set[int]:
    """Everyone who created the draft or edited any of its rows (from the edit history)."""
    authors = {rule_set.created_by_id} if rule_set.created_by_id else set()
    measures = set(Measure.history.filter(rule_set_id=rule_set.pk).values_list("id", flat=True))
    entries = set(Entry.history.filter(measure_id__in=measures).values_list("id", flat=True))
    refs = set(
        ReferenceProduct.history.filter(rule_set_id=rule_set.pk).values_list("id", flat=True)
    )
    for history, condition in (
        (RuleSet.history, {"id": rule_set.pk}),
        (Measure.history, {"id__in": measures}),
        (StatusWindow.history, {"measure_id__in": measures}),
        (Entry.history, {"id__in": entries}),
        (EntryScope.history, {"entry_id__in": entries}),
        (Criterion.history, {"entry_id__in": entries}),
        (ReferenceProduct.history, {"id__in": refs}),
        (ReferenceExpectation.history, {"reference_id__in": refs}),
    ):
        authors.update(
            history.filter(**condition)
            .exclude(history_user_id=None)
            .values_list("history_user_id", flat=True)
        )
    return authors


def reference_expectations(rule_set: RuleSet) -> list[references.Expectation]:
    """Every expected outcome of the rule set's active reference products."""
    return [
        references.Expectation(
            name=e.reference.name,
            cells=e.reference.cells,
            as_of=e.as_of,
            regimes=tuple(e.regimes or ()),
            outcome=e.outcome,
        )
        for e in ReferenceExpectation.objects.filter(
            reference__rule_set=rule_set, reference__active=True
        )
        .select_related("reference")
        .order_by("reference__name", "as_of", "pk")
    ]


def reference_rows(
    rule_set: RuleSet, failures: Iterable[references.Failure]
) -> list[tuple[references.Expectation, references.Failure | None]]:
    """Each expected outcome of the rule set's active references, with its failure (None: it
    holds), for the page where a checker reads them."""
    failed = {(f.expectation.name, f.expectation.as_of, f.expectation.regimes): f for f in failures}
    return [(e, failed.get((e.name, e.as_of, e.regimes))) for e in reference_expectations(rule_set)]


def changes_against(
    current: RuleSet, rule_set: RuleSet, catalogue: Catalogue | None
) -> list[Change]:
    """What a draft changes against the current rule set: its rules (when they are consistent)
    and its reference products."""
    changes = reference_diff(references_of(current), references_of(rule_set))
    if catalogue is None:
        return changes
    return diff(current.catalogue(), catalogue) + changes


def check_draft(rule_set: RuleSet) -> tuple[Catalogue | None, str, list[references.Failure]]:
    """(catalogue, validation error, reference failures) of a draft, against its own reference
    products, without changing it. The validation error is a rules.messages.Message: say it
    with rules.labels.message_text."""
    try:
        catalogue = rule_set.build_catalogue()
    except CatalogueError as exc:
        return None, message_of(exc), []
    return catalogue, "", references.check(catalogue, reference_expectations(rule_set))


# A version label: letters, digits, dots, dashes and underscores ("2026.11.26").
VERSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
DRAFT_SUFFIX_RE = re.compile(r"(-draft\d+)+$")


def proposed_version(today: dt.date) -> str:
    """The label proposed for a version published today: the date, then .2, .3 … if taken."""
    base = f"{today:%Y.%m.%d}"
    label, n = base, 1
    while RuleSet.objects.filter(version=label).exists():
        n += 1
        label = f"{base}.{n}"
    return label


def version_problem(label: str, *, rule_set: RuleSet | None = None) -> str:
    """Why a label cannot name a published version ("" when it can)."""
    max_length = RuleSet._meta.get_field("version").max_length or 0
    if not label:
        return str(_("Give the version label."))
    if len(label) > max_length or not VERSION_RE.match(label):
        return str(
            _(
                "A version label is at most %(n)s letters, digits, dots, dashes and "
                "underscores, e.g. 2026.11.26."
            )
            % {"n": max_length}
        )
    if DRAFT_SUFFIX_RE.search(label):
        return str(_("A published version is not called a draft: choose another label."))
    taken = RuleSet.objects.filter(version=label)
    if rule_set is not None:
        taken = taken.exclude(pk=rule_set.pk)
    if taken.exists():
        return str(_("Version %(label)s exists already.") % {"label": label})
    return ""


def draft_fingerprint(rule_set: RuleSet) -> str:
    """Everything a rule set says, as one SHA-256: its rules' content hash (or why they are not
    consistent) and its reference products. An impact preview keeps the fingerprint of the draft
    it screened; a different one now means the draft changed since (the preview is stale)."""
    if rule_set.is_published:
        content = rule_set.content_hash
    else:
        try:
            content = rule_set.build_catalogue().content_hash
        except CatalogueError as exc:
            content = f"invalid: {exc}"
    refs = json.dumps(references_of(rule_set), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(f"{content}\x1f{refs}".encode()).hexdigest()


@transaction.atomic
def publish(
    rule_set: RuleSet,
    *,
    user: User | None,
    system: bool = False,
    version: str = "",
    rationale: str = "",
    source: str = "",
    preview: Mapping[str, Any] | None = None,
) -> RuleSet:
    """Freeze a draft: check it, name it, store its snapshot, content hash and publishing
    record, make it current.

    Maker-checker: a rules administrator who did not create or edit the draft publishes it
    (superusers included), with a rationale and its source, under a new version label
    (proposed_version when none is given; a shipped catalogue keeps its own). Every reference
    product must give its expected outcome, and the rules must differ from the current ones
    (same content hash: refused).
    `preview` describes the impact preview the publisher saw (rule_changes.publish_and_rescreen
    gives it). Only the shipped catalogue on a fresh database is published by the system
    (`system=True`).
    """
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if rule_set.is_published:
        raise PublishError(
            _("rule set %(version)s is already published") % {"version": rule_set.version}
        )
    rationale, source = rationale.strip(), source.strip()
    if not system:
        if user is None or not can(user, "publish_rules"):
            raise PublishError(_("only rules administrators publish rule sets"))
        if not may_publish(rule_set, user):
            raise PublishError(
                _(
                    "maker-checker: you created or edited this draft, so another rules "
                    "administrator must publish it"
                )
            )
        if not rationale:
            raise PublishError(_("give the rationale for publishing these rules"))
        if not source:
            raise PublishError(_("give the source the change rests on"))
    label = version.strip() or (
        rule_set.version if system else proposed_version(timezone.localdate())
    )
    problem = version_problem(label, rule_set=rule_set)
    if problem:
        raise PublishError(problem)
    current = RuleSet.objects.held_current(to_publish=True)
    changes = 0
    rule_set.version = label  # the snapshot carries the label (the content hash does not)
    catalogue, invalid, failures = check_draft(rule_set)
    if catalogue is None:
        raise PublishError(
            _("the draft is not consistent: %(problem)s") % {"problem": message_text(invalid)}
        )
    if failures:
        listed = "; ".join(
            _("%(name)s as of %(date)s: expected %(expected)s, got %(actual)s")
            % {
                "name": f.expectation.name,
                "date": f.expectation.as_of,
                "expected": outcome_label(f.expectation.outcome),
                "actual": outcome_label(f.actual),
            }
            for f in failures
        )
        raise PublishError(_("reference products fail: %(failures)s") % {"failures": listed})
    if current is not None:
        if current.content_hash == catalogue.content_hash:
            # A new version with the same rules would only re-screen the portfolio to the same
            # outcomes and write duplicates: nothing is written.
            raise PublishError(
                _(
                    "nothing to publish: the draft has the same rules as the current rule set "
                    "%(version)s (content hash %(hash)s…)"
                )
                % {"version": current.version, "hash": current.content_hash[:12]}
            )
        changes = len(changes_against(current, rule_set, catalogue))
    counts = {"changes": changes, "reference_checks": len(reference_expectations(rule_set))}
    rule_set.snapshot = catalogue.to_dict()
    rule_set.content_hash = catalogue.content_hash
    rule_set.status = RuleSet.Status.PUBLISHED
    rule_set.published_at = timezone.now()
    rule_set.published_by = user
    rule_set.publish_rationale = rationale
    rule_set.publish_source = source
    rule_set.publication = {"preview": dict(preview) if preview else None, "counts": counts}
    rule_set.save()
    audit.record(
        "rules.publish",
        actor=user,
        obj=rule_set,
        before={"version": current.version, "content_hash": current.content_hash}
        if current
        else None,
        after={
            "version": rule_set.version,
            "content_hash": rule_set.content_hash,
            "rationale": rationale,
            "source": source,
            "preview": rule_set.publication["preview"],
            "counts": counts,
        },
        reason=rationale,
    )
    return rule_set


def ensure_shipped_catalogue() -> RuleSet | None:
    """Load the catalogue shipped in rules/data unless a rule set of that version exists.

    Its reference products (rules/data/reference_products.toml) come with it. On a fresh
    database it is published at once (after passing them), so that `migrate` alone leaves a
    database ready to screen. Later shipped versions
    arrive as drafts: publishing them is an administrator's decision (maker-checker), never a
    side effect of deploying code.
    """
    # The manifest names the version: the measure files are read only when it is not there yet.
    if RuleSet.objects.filter(version=shipped_version()).exists():
        return None
    catalogue = load_shipped()
    with transaction.atomic():
        first = not RuleSet.objects.published().exists()
        rule_set = store_catalogue(
            catalogue,
            notes="Shipped with the application (rules/data).",
            references=references.shipped_references(),
        )
        audit.record(
            "rules.load_shipped",
            actor=None,
            obj=rule_set,
            after={"version": catalogue.version, "content_hash": catalogue.content_hash},
        )
        if first:
            rule_set = publish(rule_set, user=None, system=True)
    logger.info("Loaded shipped rule set %s (%s)", rule_set.version, rule_set.get_status_display())
    return rule_set


def create_draft(source: RuleSet, *, user: User | None, version: str | None = None) -> RuleSet:
    """A new draft rule set with the same rules as `source`, for administrators to edit."""
    if version is None:
        # Named after the published version it starts from; the version label it will be
        # published under is chosen when it is published.
        base = DRAFT_SUFFIX_RE.sub("", source.version)
        n = 1
        while RuleSet.objects.filter(version=f"{base}-draft{n}").exists():
            n += 1
        version = f"{base}-draft{n}"
    draft = store_catalogue(
        source.catalogue(),
        user=user,
        based_on=source,
        version=version,
        notes=f"Draft based on {source.version}.",
        references=references_of(source),
    )
    audit.record("rules.draft", actor=user, obj=draft, after={"based_on": source.version})
    return draft
