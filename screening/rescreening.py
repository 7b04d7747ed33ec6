"""Re-screening the whole portfolio at once: impact previews and re-screens after publishing.

The portfolio (every product's current spec) is read with one query into a DataFrame and
screened by the vectorised evaluator, twice for a comparison. Only what changes is written,
in batches: new screenings for products whose outcome changed, flags on open cases whose
outcome would change (with the new screening beside the frozen one), and a report of decided
cases, which are never touched.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rules import audit
from rules.catalogue import Catalogue
from rules.evaluation import MATCH, FrameScreening, derived_column, screen_frame
from rules.models import RuleSet
from rules.vocabulary import DERIVATIONS, PARAMETERS
from screening.bulk import insert_rows
from screening.models import (
    Case,
    CaseEvent,
    Product,
    Rescreen,
    RescreenChange,
)
from screening.models.cases import DECIDED_STATES, OPEN_STATES
from screening.products import default_regimes, insert_screenings

CHUNK = 20_000
SPEC_COLUMNS = ("category", "subtype", "destination_country", *PARAMETERS)
Progress = Callable[[str, int, int], None]


def _frame(rows: list[tuple[Any, ...]], names: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=list(names))
    for name in PARAMETERS:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    return frame


def portfolio(progress: Progress | None = None) -> pd.DataFrame:
    """Every product's current spec: one row per product, canonical values, ids and outcome."""
    names = ("product_id", "spec_id", "latest_outcome", *SPEC_COLUMNS)
    query = Product.objects.filter(current_spec__isnull=False).values_list(
        "pk",
        "current_spec_id",
        "latest_screening__outcome",
        *(f"current_spec__{c}" for c in SPEC_COLUMNS),
    )
    total = Product.objects.filter(current_spec__isnull=False).count()
    rows: list[tuple[Any, ...]] = []
    for row in query.iterator(chunk_size=CHUNK):
        rows.append(row)
        if progress and len(rows) % (5 * CHUNK) == 0:
            progress("reading", len(rows), total)
    return _frame(rows, names)


def case_specs(states: tuple[str, ...]) -> pd.DataFrame:
    """The frozen specs of the cases in these states, with each case's as-of date and outcome."""
    names = ("case_id", "product_id", "spec_id", "as_of", "automated_outcome", *SPEC_COLUMNS)
    query = Case.objects.filter(state__in=states).values_list(
        "pk",
        "product_id",
        "spec_id",
        "screening__as_of",
        "automated_outcome",
        *(f"spec__{c}" for c in SPEC_COLUMNS),
    )
    return _frame(list(query.iterator(chunk_size=CHUNK)), names)


def _with_derived_flags(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the 'derived' provenance flags of these specs (needed for the stored results)."""
    from screening.models import SpecVersion

    derived: dict[int, list[str]] = {}
    ids = frame["spec_id"].tolist()
    for start in range(0, len(ids), CHUNK):
        for pk, provenance in SpecVersion.objects.filter(
            pk__in=ids[start : start + CHUNK]
        ).values_list("pk", "provenance"):
            derived[pk] = (provenance or {}).get("derived", [])
    frame = frame.copy()
    for target in (d.target for d in DERIVATIONS):
        frame[derived_column(target)] = [target in derived.get(pk, ()) for pk in ids]
    return frame


def _entry_counts(screening: FrameScreening) -> dict[str, int]:
    return {
        arrays.entry.key: int(np.count_nonzero(arrays.codes == MATCH))
        for arrays in screening.entries
        if np.any(arrays.codes == MATCH)
    }


def _catalogue(rule_set: RuleSet) -> Catalogue:
    catalogue = rule_set.catalogue()
    return catalogue.for_regimes(default_regimes(catalogue))


def compare(
    frame: pd.DataFrame,
    baseline: tuple[Catalogue, dt.date],
    candidate: tuple[Catalogue, dt.date],
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """(baseline outcomes, candidate outcomes, summary) for every row of a spec frame."""
    before = screen_frame(frame, baseline[0], baseline[1])
    after = screen_frame(frame, candidate[0], candidate[1])
    old = before.outcomes.to_numpy(dtype=object)
    new = after.outcomes.to_numpy(dtype=object)
    changed = old != new
    by_category: dict[str, dict[str, int]] = {}
    for category, a, b in zip(
        frame["category"].to_numpy()[changed], old[changed], new[changed], strict=True
    ):
        key = f"{a} → {b}"
        by_category.setdefault(category, {}).setdefault(key, 0)
        by_category[category][key] += 1
    baseline_entries, candidate_entries = _entry_counts(before), _entry_counts(after)
    by_entry = {
        key: {"baseline": baseline_entries.get(key, 0), "candidate": candidate_entries.get(key, 0)}
        for key in sorted(set(baseline_entries) | set(candidate_entries))
    }
    summary = {
        "products": len(frame),
        "changed": int(np.count_nonzero(changed)),
        "baseline_outcomes": dict(Counter(old.tolist())),
        "candidate_outcomes": dict(Counter(new.tolist())),
        "by_category": by_category,
        "by_entry": by_entry,
    }
    return old, new, summary


def _progress_of(rescreen: Rescreen) -> Progress:
    def report(stage: str, done: int, total: int) -> None:
        Rescreen.objects.filter(pk=rescreen.pk).update(stage=stage, processed=done, total=total)

    return report


def start(
    *,
    kind: str,
    candidate: RuleSet,
    candidate_as_of: dt.date,
    user: Any,
    baseline: RuleSet | None = None,
    baseline_as_of: dt.date | None = None,
) -> Rescreen:
    """Record a re-screen to run (the task runs it)."""
    current = RuleSet.objects.current()
    return Rescreen.objects.create(
        kind=kind,
        baseline=baseline or current,
        baseline_as_of=baseline_as_of or timezone.localdate(),
        candidate=candidate,
        candidate_as_of=candidate_as_of,
        created_by=user if user is not None and user.is_authenticated else None,
    )


def run(rescreen: Rescreen) -> Rescreen:
    """Run a queued re-screen (preview or after publishing). Safe to run twice."""
    claimed = Rescreen.objects.filter(pk=rescreen.pk, status=Rescreen.Status.QUEUED).update(
        status=Rescreen.Status.RUNNING
    )
    if not claimed:
        rescreen.refresh_from_db()
        return rescreen
    try:
        if rescreen.kind == Rescreen.Kind.PREVIEW:
            summary = _preview(rescreen)
        else:
            summary = _after_publish(rescreen)
    except Exception as exc:
        Rescreen.objects.filter(pk=rescreen.pk).update(
            status=Rescreen.Status.FAILED, message=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    Rescreen.objects.filter(pk=rescreen.pk).update(
        status=Rescreen.Status.DONE, summary=summary, finished_at=timezone.now(), stage=""
    )
    rescreen.refresh_from_db()
    return rescreen


def _record_changes(
    rescreen: Rescreen,
    frame: pd.DataFrame,
    old: np.ndarray,
    new: np.ndarray,
    *,
    decided: bool,
    case_column: str | None = None,
) -> None:
    changed = np.flatnonzero(old != new)
    products = frame["product_id"].to_numpy()
    categories = frame["category"].to_numpy()
    cases = frame[case_column].to_numpy() if case_column else None
    insert_rows(
        RescreenChange,
        ("rescreen", "product", "case", "category", "from_outcome", "to_outcome", "decided"),
        (
            (
                rescreen.pk,
                int(products[i]),
                int(cases[i]) if cases is not None else None,
                categories[i],
                old[i],
                new[i],
                decided,
            )
            for i in changed
        ),
    )


def _preview(rescreen: Rescreen) -> dict[str, Any]:
    progress = _progress_of(rescreen)
    frame = portfolio(progress)
    progress("screening", 0, len(frame))
    old, new, summary = compare(
        frame,
        (_catalogue(rescreen.baseline), rescreen.baseline_as_of),
        (_catalogue(rescreen.candidate), rescreen.candidate_as_of),
    )
    progress("recording", len(frame), len(frame))
    with transaction.atomic():
        _record_changes(rescreen, frame, old, new, decided=False)
    return summary


def _write_screenings(
    frame: pd.DataFrame,
    rows: np.ndarray,
    catalogue: Catalogue,
    rule_set: RuleSet,
    as_of: dt.date,
    user_id: int | None,
) -> dict[int, int]:
    """New screenings (with their entries) for the given rows; spec id → screening id."""
    if not len(rows):
        return {}
    subset = _with_derived_flags(frame.iloc[rows].reset_index(drop=True))
    screening = screen_frame(subset, catalogue, as_of)
    contracts = screening.contracts()
    spec_ids = subset["spec_id"].astype(int).tolist()
    product_ids = subset["product_id"].astype(int).tolist()
    return insert_screenings(
        list(zip(product_ids, spec_ids, contracts, strict=True)),
        rule_set=rule_set,
        regimes=list(catalogue.regimes),
        as_of=as_of,
        user_id=user_id,
    )


def _after_publish(rescreen: Rescreen) -> dict[str, Any]:
    """Products: new screenings where the outcome changed. Open cases: flagged for re-review.
    Decided cases: listed, never changed."""
    progress = _progress_of(rescreen)
    rule_set = rescreen.candidate
    catalogue = _catalogue(rule_set)
    user_id = rescreen.created_by_id
    frame = portfolio(progress)
    progress("screening", 0, len(frame))
    screened = screen_frame(frame, catalogue, rescreen.candidate_as_of)
    new = screened.outcomes.to_numpy(dtype=object)
    old = frame["latest_outcome"].fillna("").to_numpy(dtype=object)
    changed_products = np.flatnonzero(old != new)
    progress("writing", 0, len(frame))
    flagged = decided_changes = 0
    with transaction.atomic():
        created = _write_screenings(
            frame, changed_products, catalogue, rule_set, rescreen.candidate_as_of, user_id
        )
        _point_at(frame, changed_products, created)
        _record_changes(rescreen, frame, old, new, decided=False)
        progress("cases", len(frame), len(frame))
        for states, decided in ((OPEN_STATES, False), (DECIDED_STATES, True)):
            cases = case_specs(states)
            for as_of, group in cases.groupby("as_of"):
                group = group.reset_index(drop=True)
                outcomes = screen_frame(group, catalogue, as_of).outcomes.to_numpy(dtype=object)
                stored = group["automated_outcome"].to_numpy(dtype=object)
                differ = np.flatnonzero(outcomes != stored)
                if not len(differ):
                    continue
                frame_part = group.iloc[differ].reset_index(drop=True)
                _record_changes(
                    rescreen,
                    frame_part,
                    stored[differ],
                    outcomes[differ],
                    decided=decided,
                    case_column="case_id",
                )
                if decided:
                    decided_changes += len(differ)
                    continue
                new_screenings = _write_screenings(
                    group, differ, catalogue, rule_set, as_of, user_id
                )
                flagged += _flag(
                    group.iloc[differ],
                    new_screenings,
                    stored[differ],
                    outcomes[differ],
                    rule_set,
                    user_id,
                )
        audit.record(
            "rules.rescreen",
            actor=rescreen.created_by,
            obj=rescreen,
            after={
                "rule_set": {"version": rule_set.version, "hash": rule_set.content_hash},
                "as_of": rescreen.candidate_as_of,
                "products_changed": len(changed_products),
                "new_screenings": sorted(created.values()),
                "flagged_cases": flagged,
                "decided_cases_differing": decided_changes,
            },
        )
    return {
        "products": len(frame),
        "changed": len(changed_products),
        "written_screenings": len(created),
        "flagged_cases": flagged,
        "decided_cases": decided_changes,
        "candidate_outcomes": dict(Counter(new.tolist())),
    }


def _point_at(frame: pd.DataFrame, rows: np.ndarray, created: dict[int, int]) -> None:
    """Make the new screenings the products' latest ones (batched UPDATE … CASE)."""
    from django.db.models import Case as SqlCase
    from django.db.models import Value, When

    pairs = [(int(frame["product_id"].iat[i]), created[int(frame["spec_id"].iat[i])]) for i in rows]
    for start in range(0, len(pairs), 500):
        chunk = pairs[start : start + 500]
        Product.objects.filter(pk__in=[p for p, _ in chunk]).update(
            latest_screening_id=SqlCase(*(When(pk=p, then=Value(s)) for p, s in chunk))
        )


def _flag(
    cases: pd.DataFrame,
    new_screenings: dict[int, int],
    old: np.ndarray,
    new: np.ndarray,
    rule_set: RuleSet,
    user_id: int | None,
) -> int:
    """Flag open cases for re-review, with the new screening beside the frozen one."""
    now = timezone.now()
    count = 0
    message = _(
        "Rules changed (rule set %(version)s): the outcome would be %(new)s instead of "
        "%(old)s. Re-review the case."
    )
    for (case_id, spec_id), before, after in zip(
        cases[["case_id", "spec_id"]].itertuples(index=False, name=None), old, new, strict=True
    ):
        updated = Case.objects.filter(pk=int(case_id), state__in=OPEN_STATES).update(
            rules_changed=True, rescreening_id=new_screenings[int(spec_id)], last_activity_at=now
        )
        if updated:
            CaseEvent.objects.create(
                case_id=int(case_id),
                kind=CaseEvent.Kind.RESCREENED,
                actor_id=user_id,
                at=now,
                message=message % {"version": rule_set.version, "new": after, "old": before},
                data={"rule_set": rule_set.version, "from": before, "to": after},
            )
            count += 1
    return count
