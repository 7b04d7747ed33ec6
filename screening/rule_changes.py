"""Publishing a rule change and reading what it changed: the publish with its record (the
impact preview the publisher saw, stale or not) and the re-screen it starts, and the lists of a
re-screen's changes (products, open cases, decided cases)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rules.models import RuleSet
from rules.publishing import PublishError, draft_fingerprint, publish
from screening.models import Rescreen, RescreenChange
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
