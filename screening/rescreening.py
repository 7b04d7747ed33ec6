"""Re-screening the whole portfolio at once: impact previews and re-screens after publishing.

The portfolio (every product's current spec) is read with one query into a DataFrame and
screened by the vectorised evaluator, twice for a comparison. Only what changes is written,
in batches: new screenings for products whose outcome changed, flags on open cases whose
outcome would change (with the new screening beside the frozen one), and a report of decided
cases, which are never touched.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rules import audit
from rules.catalogue import Catalogue
from rules.evaluation import MATCH, FrameScreening, derived_column, screen_frame
from rules.models import RuleSet
from rules.publishing import PublishError, draft_fingerprint, publish
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
from screening.products import default_regimes, insert_screenings, point_products_at_latest

CHUNK = 100_000
SPEC_COLUMNS = ("category", "subtype", "destination_country", *PARAMETERS)
Progress = Callable[[str, int, int], None]


def _frame(rows: list[tuple[Any, ...]], names: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=list(names))
    for name in PARAMETERS:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    derived = frame["derived_parameters"].fillna("").astype(str)
    for target in (d.target for d in DERIVATIONS):
        # Whole names between commas, so a name that contains another is not mistaken for it.
        pattern = rf"(?:^|,){re.escape(target)}(?:,|$)"
        frame[derived_column(target)] = derived.str.contains(pattern, regex=True).to_numpy()
    return frame


def _chunks(query: Any, names: tuple[str, ...]) -> Iterator[pd.DataFrame]:
    """The rows of a values_list query as frames of at most CHUNK rows (bounded memory)."""
    rows: list[tuple[Any, ...]] = []
    for row in query.iterator(chunk_size=CHUNK):
        rows.append(row)
        if len(rows) == CHUNK:
            yield _frame(rows, names)
            rows = []
    if rows:
        yield _frame(rows, names)


PORTFOLIO = ("product_id", "spec_id", "latest_outcome", "derived_parameters", *SPEC_COLUMNS)
CASES = (
    "case_id",
    "product_id",
    "spec_id",
    "as_of",
    "automated_outcome",
    "derived_parameters",
    *SPEC_COLUMNS,
)


def portfolio_chunks() -> Iterator[pd.DataFrame]:
    """Every product's current spec, canonical values, ids and latest outcome, in chunks."""
    query = (
        Product.objects.filter(current_spec__isnull=False)
        .order_by("pk")
        .values_list(
            "pk",
            "current_spec_id",
            "latest_screening__outcome",
            "current_spec__derived_parameters",
            *(f"current_spec__{c}" for c in SPEC_COLUMNS),
        )
    )
    return _chunks(query, PORTFOLIO)


def portfolio() -> pd.DataFrame:
    frames = list(portfolio_chunks())
    return pd.concat(frames, ignore_index=True) if frames else _frame([], PORTFOLIO)


def case_chunks(states: tuple[str, ...]) -> Iterator[pd.DataFrame]:
    """The frozen specs of the cases in these states, with each case's as-of date and outcome."""
    query = (
        Case.objects.filter(state__in=states)
        .order_by("pk")
        .values_list(
            "pk",
            "product_id",
            "spec_id",
            "screening__as_of",
            "automated_outcome",
            "spec__derived_parameters",
            *(f"spec__{c}" for c in SPEC_COLUMNS),
        )
    )
    return _chunks(query, CASES)


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
        candidate_fingerprint=draft_fingerprint(candidate),
        created_by=user if user is not None and user.is_authenticated else None,
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
        ("product", "case", "category", "from_outcome", "to_outcome"),
        (
            (
                int(products[i]),
                int(cases[i]) if cases is not None else None,
                categories[i],
                old[i],
                new[i],
            )
            for i in changed
        ),
        constants={"rescreen": rescreen.pk, "decided": decided},
    )


def _preview(rescreen: Rescreen) -> dict[str, Any]:
    progress = _progress_of(rescreen)
    total = Product.objects.filter(current_spec__isnull=False).count()
    baseline = (_catalogue(rescreen.baseline), rescreen.baseline_as_of)
    candidate = (_catalogue(rescreen.candidate), rescreen.candidate_as_of)
    merged: dict[str, Any] = {}
    done = 0
    for frame in portfolio_chunks():
        old, new, summary = compare(frame, baseline, candidate)
        with transaction.atomic():
            _record_changes(rescreen, frame, old, new, decided=False)
        merged = _merge(merged, summary)
        done += len(frame)
        progress("screening", done, total)
    return merged or {
        "products": 0,
        "changed": 0,
        "baseline_outcomes": {},
        "candidate_outcomes": {},
        "by_category": {},
        "by_entry": {},
    }


def _merge(total: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    """Add one chunk's summary to the running one."""
    if not total:
        return part
    merged = {
        "products": total["products"] + part["products"],
        "changed": total["changed"] + part["changed"],
        "baseline_outcomes": dict(
            Counter(total["baseline_outcomes"]) + Counter(part["baseline_outcomes"])
        ),
        "candidate_outcomes": dict(
            Counter(total["candidate_outcomes"]) + Counter(part["candidate_outcomes"])
        ),
        "by_category": {k: dict(v) for k, v in total["by_category"].items()},
        "by_entry": {k: dict(v) for k, v in total["by_entry"].items()},
    }
    for category, moves in part["by_category"].items():
        target = merged["by_category"].setdefault(category, {})
        for move, n in moves.items():
            target[move] = target.get(move, 0) + n
    for key, counts in part["by_entry"].items():
        target = merged["by_entry"].setdefault(key, {"baseline": 0, "candidate": 0})
        target["baseline"] += counts["baseline"]
        target["candidate"] += counts["candidate"]
    merged["by_entry"] = dict(sorted(merged["by_entry"].items()))
    return merged


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
    subset = frame.iloc[rows].reset_index(drop=True)
    contracts = screen_frame(subset, catalogue, as_of).contracts()
    return insert_screenings(
        list(
            zip(
                subset["product_id"].astype(int).tolist(),
                subset["spec_id"].astype(int).tolist(),
                contracts,
                strict=True,
            )
        ),
        rule_set=rule_set,
        regimes=list(catalogue.regimes),
        as_of=as_of,
        user_id=user_id,
    )


def _after_publish(rescreen: Rescreen) -> dict[str, Any]:
    """Products: new screenings where the outcome changed. Open cases: flagged for re-review.
    Decided cases: listed, never changed.

    The portfolio is read and written a chunk at a time, each chunk in its own transaction:
    memory stays bounded and other users' writes are not held up for the whole run. A run that
    stops half-way can simply run again: what already reflects the new rules is not rewritten.
    """
    progress = _progress_of(rescreen)
    rule_set = rescreen.candidate
    catalogue = _catalogue(rule_set)
    user_id = rescreen.created_by_id
    total = Product.objects.filter(current_spec__isnull=False).count()
    counts: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    done = 0
    for frame in portfolio_chunks():
        new = screen_frame(frame, catalogue, rescreen.candidate_as_of).outcomes.to_numpy(
            dtype=object
        )
        old = frame["latest_outcome"].fillna("").to_numpy(dtype=object)
        changed = np.flatnonzero(old != new)
        with transaction.atomic():
            created = _write_screenings(
                frame, changed, catalogue, rule_set, rescreen.candidate_as_of, user_id
            )
            point_products_at_latest(frame["product_id"].iloc[changed].astype(int).tolist())
            _record_changes(rescreen, frame, old, new, decided=False)
        outcomes.update(new.tolist())
        counts["changed"] += len(changed)
        counts["written"] += len(created)
        done += len(frame)
        progress("products", done, total)
    for states, decided in ((OPEN_STATES, False), (DECIDED_STATES, True)):
        for frame in case_chunks(states):
            for as_of, group in frame.groupby("as_of"):
                group = group.reset_index(drop=True)
                result = screen_frame(group, catalogue, as_of).outcomes.to_numpy(dtype=object)
                stored = group["automated_outcome"].to_numpy(dtype=object)
                differ = np.flatnonzero(result != stored)
                if not len(differ):
                    continue
                part = group.iloc[differ].reset_index(drop=True)
                with transaction.atomic():
                    _record_changes(
                        rescreen,
                        part,
                        stored[differ],
                        result[differ],
                        decided=decided,
                        case_column="case_id",
                    )
                    if decided:
                        counts["decided"] += len(differ)
                        continue
                    written = _write_screenings(group, differ, catalogue, rule_set, as_of, user_id)
                    counts["flagged"] += _flag(
                        part, stored[differ], result[differ], written, rule_set, user_id
                    )
        progress("cases", done, total)
    audit.record(
        "rules.rescreen",
        actor=rescreen.created_by,
        obj=rescreen,
        after={
            "rule_set": {"version": rule_set.version, "hash": rule_set.content_hash},
            "as_of": rescreen.candidate_as_of,
            "products_changed": counts["changed"],
            "new_screenings": counts["written"],
            "flagged_cases": counts["flagged"],
            "decided_cases_differing": counts["decided"],
        },
    )
    return {
        "products": done,
        "changed": counts["changed"],
        "written_screenings": counts["written"],
        "flagged_cases": counts["flagged"],
        "decided_cases": counts["decided"],
        "candidate_outcomes": dict(outcomes),
    }


def _flag(
    cases: pd.DataFrame,
    old: np.ndarray,
    new: np.ndarray,
    screening_of_spec: dict[int, int],
    rule_set: RuleSet,
    user_id: int | None,
) -> int:
    """Flag open cases for re-review, each with the screening just written for its spec beside
    the frozen one: one UPDATE per case by primary key, sent as one batch.

    Not a correlated `SELECT MAX(id)` per case inside one UPDATE: PostgreSQL can answer that by
    walking the primary key backwards past every newer row."""
    now = timezone.now()
    case_ids = cases["case_id"].astype(int).tolist()
    spec_ids = cases["spec_id"].astype(int).tolist()
    table = Case._meta.db_table
    states = ", ".join(["%s"] * len(OPEN_STATES))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET rules_changed = %s, last_activity_at = %s, "  # noqa: S608
            f"rescreening_id = %s WHERE id = %s AND state IN ({states})",
            [
                (True, now, screening_of_spec[spec_id], case_id, *OPEN_STATES)
                for case_id, spec_id in zip(case_ids, spec_ids, strict=True)
            ],
        )
        flagged = cursor.rowcount
    message = _(
        "Rules changed (rule set %(version)s): the outcome would be %(new)s instead of "
        "%(old)s. Re-review the case."
    )
    insert_rows(
        CaseEvent,
        ("case", "message", "data"),
        (
            (
                case_id,
                message % {"version": rule_set.version, "new": after, "old": before},
                {"rule_set": rule_set.version, "from": before, "to": after},
            )
            for case_id, before, after in zip(case_ids, old, new, strict=True)
        ),
        constants={"kind": CaseEvent.Kind.RESCREENED, "actor": user_id, "at": now},
    )
    return flagged
