"""Publishing a rule change and reading what it changed: the publish with its record (the
impact preview the publisher saw, stale or not) and the re-screen it starts, and the lists of a
re-screen's changes (products, open cases, decided cases)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Case as SqlCase  # `Case` is the model; this is SQL's CASE … WHEN
from django.db.models import F, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _

from rules import references
from rules.catalogue import Catalogue
from rules.certainty import assumptions_on
from rules.diff import Change
from rules.models import RuleSet
from rules.publishing import (
    PublishError,
    authors_of,
    changes_against,
    check_draft,
    draft_fingerprint,
    may_publish,
    publish,
    reference_rows,
)
from rules.vocabulary import PARAMETERS
from screening.models import Case, Rescreen, RescreenChange
from screening.products import confirmations
from screening.rescreening import start


def change_list(rescreen: Rescreen, which: str) -> QuerySet[RescreenChange]:
    """One list of a re-screen's changes: "products" (one row per product), "cases" (open
    cases flagged for re-review) or "decided" (decided cases that would differ, untouched)."""
    changes = rescreen.changes.order_by("pk")
    if which == "products":
        return changes.filter(case__isnull=True)
    if which == "cases":
        return changes.filter(case__isnull=False, decided=False)
    if which == "decided":
        return changes.filter(decided=True)
    raise ValueError(f"unknown change list {which!r}")


@dataclass(frozen=True)
class DraftReview:
    """What the checker of a draft sees: its consistency, its reference products (each with
    its failure, None when it holds), its changes against the current rules, the impact preview
    to publish with, and whether this user may publish it now."""

    invalid: str
    failures: list[references.Failure]
    references: list[tuple[references.Expectation, references.Failure | None]]
    changes: list[Change]
    same_rules: bool
    preview: Rescreen | None
    preview_stale: bool
    is_author: bool
    can_publish: bool


def review(rule_set: RuleSet, *, current: RuleSet | None, user: Any) -> DraftReview:
    catalogue, invalid, failures = check_draft(rule_set)
    same_rules = bool(catalogue and current and catalogue.content_hash == current.content_hash)
    preview = latest_preview(rule_set)
    return DraftReview(
        invalid=invalid,
        failures=failures,
        references=reference_rows(rule_set, failures),
        changes=changes_against(current, rule_set, catalogue) if current else [],
        same_rules=same_rules,
        preview=preview,
        preview_stale=preview is not None and is_stale(preview),
        is_author=user.pk in authors_of(rule_set),
        can_publish=may_publish(rule_set, user)
        and catalogue is not None
        and not failures
        and not same_rules,
    )


def latest_preview(rule_set: RuleSet) -> Rescreen | None:
    """The newest finished impact preview of a rule set (what its page shows a checker)."""
    return (
        Rescreen.objects.filter(
            kind=Rescreen.Kind.PREVIEW, candidate=rule_set, status=Rescreen.Status.DONE
        )
        .select_related("baseline")
        .first()
    )


def is_stale(preview: Rescreen) -> bool:
    """Whether the candidate changed since the preview screened it."""
    return preview.candidate_fingerprint != draft_fingerprint(preview.candidate)


def preview_record(preview: Rescreen | None) -> dict[str, Any] | None:
    """What the publishing record keeps of the preview the publisher saw."""
    if preview is None:
        return None
    return {
        "id": preview.pk,
        "as_of": preview.candidate_as_of.isoformat(),
        "baseline": preview.baseline.version,
        "products": preview.summary.get("products"),
        "changed": preview.summary.get("changed"),
        "stale": is_stale(preview),
    }


@transaction.atomic
def publish_and_rescreen(
    *,
    rule_set: RuleSet,
    user: Any,
    version: str,
    rationale: str,
    source: str,
    preview: Rescreen | None,
) -> Rescreen:
    """Publish a draft with its record (rationale, source, the impact preview the publisher saw,
    marked stale if the draft changed since) and record the re-screen of the portfolio that
    follows, for the task to run."""
    if preview is not None and (
        preview.kind != Rescreen.Kind.PREVIEW or preview.candidate_id != rule_set.pk
    ):
        raise PublishError(_("that impact preview is not one of this draft"))
    previous = RuleSet.objects.current()
    published = publish(
        rule_set,
        user=user,
        version=version,
        rationale=rationale,
        source=source,
        preview=preview_record(preview),
    )
    return start(
        kind=Rescreen.Kind.PUBLISHED,
        candidate=published,
        candidate_as_of=timezone.localdate(),
        user=user,
        baseline=previous,
    )


REPORT_COLUMNS = (
    "sku",
    "revision",
    "product",
    "category",
    "list",
    "from",
    "to",
    "entries",
    "spec_values",
    "destination",
    "value_usd",
    "case",
    "state",
    "determination",
    "baseline_rules",
    "candidate_rules",
    "as_of",
    # Measures behind the change whose status on the as-of date is an assumption, not a
    # confirmed fact (rules.certainty): the new outcome rests on them.
    "status_assumed",
)


def _of_spec(name: str) -> SqlCase:
    """A spec field of the change's spec: the case's frozen one, or the product's current one."""
    return SqlCase(
        When(case__isnull=False, then=F(f"case__spec__{name}")),
        default=F(f"product__current_spec__{name}"),
    )


def _spec_values(keys: str, values: dict[str, Any], catalogues: list[Catalogue]) -> str:
    """The values of the parameters the entries behind a change test, with their units."""
    names: dict[str, None] = {}
    for key in filter(None, keys.split(",")):
        for catalogue in catalogues:
            entry = catalogue.entries_by_key.get(key)
            if entry is not None:
                for criterion in entry.criteria:
                    names[criterion.parameter] = None
                    if criterion.condition:
                        names[criterion.condition.parameter] = None
                break
    return "; ".join(
        f"{name} {values[name]:g} {PARAMETERS[name].unit}"
        if values[name] is not None
        else f"{name} —"
        for name in names
    )


def report(rescreen: Rescreen) -> Iterator[list[Any]]:
    """The rows of a re-screen's CSV report (REPORT_COLUMNS), products first then cases, each
    with the spec values that matter (those the entries behind the change test), where it goes
    and for how much, the case's reference, state and determination, both rule sets and the
    as-of date the new outcome holds on. One query, read in chunks."""
    catalogues = [rescreen.candidate.catalogue(), rescreen.baseline.catalogue()]
    known = confirmations()
    assumed_on: dict[dt.date, dict[str, Any]] = {}

    def assumed(keys: str, day: dt.date) -> str:
        if day not in assumed_on:
            assumed_on[day] = assumptions_on(catalogues[0], day, known)
        measures = dict.fromkeys(key.split(":", 1)[0] for key in filter(None, keys.split(",")))
        return ", ".join(m for m in measures if m in assumed_on[day])

    rows = (
        rescreen.changes.order_by("decided", F("case_id").asc(nulls_first=True), "pk")
        .annotate(
            spec_name=_of_spec("name"),
            **{f"v_{name}": _of_spec(name) for name in PARAMETERS},
            destination=SqlCase(
                When(case__isnull=False, then=F("case__destination_country")),
                default=F("product__current_spec__destination_country"),
            ),
            case_as_of=F("case__screening__as_of"),
        )
        .values_list(
            "product__sku",
            "product__revision",
            "spec_name",
            "category",
            "case_id",
            "decided",
            "from_outcome",
            "to_outcome",
            "entries",
            "destination",
            "case__expected_value_usd",
            "product__current_spec__annual_export_value_usd",
            "case__created_at",
            "case__state",
            "case__determination",
            "case_as_of",
            *(f"v_{name}" for name in PARAMETERS),
        )
    )
    for row in rows.iterator(chunk_size=5000):
        (sku, revision, name, category, case_id, decided, old, new, keys, destination) = row[:10]
        case_value, product_value, created, state, determination, case_as_of = row[10:16]
        values = dict(zip(PARAMETERS, row[16:], strict=True))
        reference = Case(pk=case_id, created_at=created).reference if case_id else ""
        yield [
            sku,
            revision,
            name,
            category,
            "decided_case" if decided else "open_case" if case_id else "product",
            old,
            new,
            keys,
            _spec_values(keys, values, catalogues),
            destination,
            case_value if case_id else product_value,
            reference,
            state or "",
            determination or "",
            rescreen.baseline.version,
            rescreen.candidate.version,
            (case_as_of or rescreen.candidate_as_of).isoformat(),
            assumed(keys, case_as_of or rescreen.candidate_as_of),
        ]
