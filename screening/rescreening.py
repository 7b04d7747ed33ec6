"""Re-screening the whole portfolio at once: impact previews and re-screens after publishing.

The portfolio (screening.portfolio) is read with one query into DataFrames and screened by the
vectorised evaluator, twice for a comparison. Only what changes is written, in batches: one new
screening per product whose outcome changed, flags on open cases whose outcome would change
(pointing at the screening of their spec and date under the new rules), and a report of decided
cases, which are never touched. Publishing and the change lists: screening.rule_changes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.utils import timezone

from rules import audit, background
from rules.catalogue import Catalogue
from rules.evaluation import screen_frame
from rules.messages import message_columns
from rules.models import RuleSet
from rules.publishing import draft_fingerprint
from rules.results import outcome_words
from rules.signals import announce
from screening import parallel, rollup
from screening.bulk import insert_rows
from screening.collector import paused_gc
from screening.impact import compare, entry_codes, merge_summaries, triggers
from screening.models import (
    Case,
    CaseEvent,
    Product,
    Rescreen,
    RescreenChange,
    Screening,
)
from screening.portfolio import case_chunks, portfolio_chunks
from screening.products import (
    confirmations,
    current_specs_locked,
    default_regimes,
    insert_screenings,
    point_products_at_screenings,
)
from screening.states import DECIDED_STATES, OPEN_STATES, RESCREENED_MESSAGE

ID_BATCH = 900  # ids per IN (…) list: below SQLite's oldest limit of 999 parameters
Progress = Callable[[str, int, int], None]


def _catalogue(rule_set: RuleSet) -> Catalogue:
    catalogue = rule_set.catalogue()
    return catalogue.for_regimes(default_regimes(catalogue))


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
    """Record a re-screen and queue it (a task runs it: it reads the whole portfolio)."""
    baseline = baseline or RuleSet.objects.current()
    if baseline is None:
        raise ValueError("a re-screen needs a published rule set to compare with")
    rescreen = Rescreen.objects.create(
        kind=kind,
        baseline=baseline,
        baseline_as_of=baseline_as_of or timezone.localdate(),
        candidate=candidate,
        candidate_as_of=candidate_as_of,
        candidate_fingerprint=draft_fingerprint(candidate),
        created_by=user if user is not None and user.is_authenticated else None,
    )
    background.enqueue("run_rescreen", rescreen.pk)
    return rescreen


@paused_gc()
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
            # Apps above screening follow the new outcomes (trade re-checks shipments); their
            # notices are shown with the re-screen.
            summary["notices"] = announce(
                sender=Rescreen, kind="published", user=rescreen.created_by
            )
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
    entries: list[str],
    *,
    decided: bool,
    case_column: str | None = None,
    rows: np.ndarray | None = None,
) -> None:
    """A change row for every row whose outcome differs, or for the given `rows` of them
    (`entries`: the entries behind each change, in order)."""
    changed = np.flatnonzero(old != new) if rows is None else rows
    products = frame["product_id"].to_numpy()
    categories = frame["category"].to_numpy()
    cases = frame[case_column].to_numpy() if case_column else None
    insert_rows(
        RescreenChange,
        ("product", "case", "category", "from_outcome", "to_outcome", "entries"),
        (
            (
                int(products[i]),
                int(cases[i]) if cases is not None else None,
                categories[i],
                old[i],
                new[i],
                keys[:200],
            )
            for i, keys in zip(changed, entries, strict=True)
        ),
        constants={"rescreen": rescreen.pk, "decided": decided},
    )


def _still_current(
    frame: pd.DataFrame, rows: np.ndarray, entries: list[str]
) -> tuple[np.ndarray, list[str]]:
    """The rows (and their entries) whose product still has the spec the frame read, with
    those products locked until the transaction ends (products.current_specs_locked)."""
    if not len(rows):
        return rows, entries
    product_ids = frame["product_id"].to_numpy()[rows].astype(int)
    spec_ids = frame["spec_id"].to_numpy()[rows].astype(int)
    current = current_specs_locked(product_ids.tolist())
    keep = np.fromiter(
        (current.get(p) == s for p, s in zip(product_ids.tolist(), spec_ids.tolist(), strict=True)),
        dtype=bool,
        count=len(rows),
    )
    if keep.all():
        return rows, entries
    return rows[keep], [e for e, k in zip(entries, keep.tolist(), strict=True) if k]


def _preview(rescreen: Rescreen) -> dict[str, Any]:
    progress = _progress_of(rescreen)
    total = Product.objects.filter(current_spec__isnull=False).count()
    baseline = (_catalogue(rescreen.baseline), rescreen.baseline_as_of)
    candidate = (_catalogue(rescreen.candidate), rescreen.candidate_as_of)
    merged: dict[str, Any] = {}
    done = 0
    for frame in portfolio_chunks():
        old, new, summary, entries = compare(frame, baseline, candidate)
        with transaction.atomic():
            _record_changes(rescreen, frame, old, new, entries, decided=False)
        merged = merge_summaries(merged, summary)
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
    contracts = screen_frame(subset, catalogue, as_of, confirmations=confirmations()).contracts()
    stamp = timezone.now()
    written = insert_screenings(
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
        at=stamp,
        counted=False,
    )
    # The screening summary counts them from what was written, not read back.
    rollup.add_written_screenings(
        stamp,
        zip(
            subset["category"].tolist(),
            subset["destination_country"].tolist(),
            (c["outcome"] for c in contracts),
            strict=True,
        ),
    )
    return written


def _screenings_for(
    cases: pd.DataFrame,
    catalogue: Catalogue,
    rule_set: RuleSet,
    as_of: dt.date,
    user_id: int | None,
) -> tuple[dict[int, int], int]:
    """The screening of each case's spec as of `as_of` under the new rules: the one already
    written (for the product itself, or for another case with the same spec and date) where
    there is one, otherwise one new screening per spec. Returns (spec id → screening id, how
    many were written)."""
    regimes = list(catalogue.regimes)
    spec_ids = cases["spec_id"].astype(int).tolist()
    existing: dict[int, int] = {}
    unique = sorted(set(spec_ids))
    for start in range(0, len(unique), ID_BATCH):
        rows = (
            Screening.objects.filter(
                rule_set=rule_set, as_of=as_of, spec_id__in=unique[start : start + ID_BATCH]
            )
            .order_by("pk")
            .values_list("spec_id", "pk", "regimes")
        )
        for spec_id, pk, stored_regimes in rows:
            if stored_regimes == regimes:
                existing.setdefault(spec_id, pk)
    first_row = {spec_id: i for i, spec_id in reversed(list(enumerate(spec_ids)))}
    missing = np.array(
        sorted(i for spec_id, i in first_row.items() if spec_id not in existing), dtype=int
    )
    written = _write_screenings(cases, missing, catalogue, rule_set, as_of, user_id)
    return {**existing, **written}, len(written)


def _after_publish(rescreen: Rescreen) -> dict[str, Any]:
    """Products: a new screening for each product whose outcome changed. Open cases whose
    outcome would change: flagged for re-review, pointing at the screening of their spec and
    date under the new rules (the product's own where it is the same, else one per spec and
    date). Decided cases: listed, never changed.

    The portfolio is read and written a chunk at a time, each chunk in its own transaction:
    memory stays bounded and other users' writes are not held up for the whole run. A run that
    stops half-way can simply run again: what already reflects the new rules is not rewritten.
    """
    progress = _progress_of(rescreen)
    rule_set = rescreen.candidate
    catalogue = _catalogue(rule_set)
    baseline = _catalogue(rescreen.baseline)
    as_of = rescreen.candidate_as_of
    user_id = rescreen.created_by_id
    total = Product.objects.filter(current_spec__isnull=False).count()
    counts: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    done = 0

    def products_of(frame: pd.DataFrame) -> tuple[int, list[str], int, int]:
        """One chunk, in its own transaction: (rows, new outcomes, changed, written)."""
        after = screen_frame(frame, catalogue, as_of)
        new = after.outcomes.to_numpy(dtype=object)
        old = frame["latest_outcome"].fillna("").to_numpy(dtype=object)
        changed = np.flatnonzero(old != new)
        entries = (
            triggers(
                entry_codes(screen_frame(frame.iloc[changed], baseline, rescreen.baseline_as_of)),
                entry_codes(after, changed),
            )
            if len(changed)
            else []
        )
        with transaction.atomic():
            # Only products whose current spec is still the one just screened: one given a
            # new spec meanwhile (a form, an import) was screened by whoever saved it.
            changed, entries = _still_current(frame, changed, entries)
            created = _write_screenings(frame, changed, catalogue, rule_set, as_of, user_id)
            point_products_at_screenings(
                {
                    p: created[s]
                    for p, s in zip(
                        frame["product_id"].iloc[changed].astype(int).tolist(),
                        frame["spec_id"].iloc[changed].astype(int).tolist(),
                        strict=True,
                    )
                }
            )
            _record_changes(rescreen, frame, old, new, entries, decided=False, rows=changed)
        return len(frame), new.tolist(), len(changed), len(created)

    # Chunks are independent transactions: on PostgreSQL several run at once (screening.parallel).
    for rows, new, changed, written in parallel.each(portfolio_chunks(), products_of):
        outcomes.update(new)
        counts["changed"] += changed
        counts["product_screenings"] += written
        done += rows
        progress("products", done, total)
    for cases in case_chunks(OPEN_STATES + DECIDED_STATES):  # both read at once, then split
        is_decided = cases["state"].isin(DECIDED_STATES)
        for decided, frame in ((False, cases[~is_decided]), (True, cases[is_decided])):
            for case_as_of, group in frame.groupby("as_of"):
                group = group.reset_index(drop=True)
                after = screen_frame(group, catalogue, case_as_of)
                result = after.outcomes.to_numpy(dtype=object)
                stored = group["automated_outcome"].to_numpy(dtype=object)
                differ = np.flatnonzero(result != stored)
                if not len(differ):
                    continue
                part = group.iloc[differ].reset_index(drop=True)
                entries = triggers(
                    entry_codes(screen_frame(part, baseline, case_as_of)),
                    entry_codes(after, differ),
                )
                with transaction.atomic():
                    _record_changes(
                        rescreen,
                        part,
                        stored[differ],
                        result[differ],
                        entries,
                        decided=decided,
                        case_column="case_id",
                    )
                    if decided:
                        counts["decided"] += len(differ)
                        continue
                    counts["open_cases_changed"] += len(differ)
                    screening_of_spec, written = _screenings_for(
                        part, catalogue, rule_set, case_as_of, user_id
                    )
                    counts["case_screenings"] += written
                    counts["flagged"] += _flag(
                        part, stored[differ], result[differ], screening_of_spec, rule_set, user_id
                    )
        progress("cases", done, total)
    written = counts["product_screenings"] + counts["case_screenings"]
    audit.record(
        "rules.rescreen",
        actor=rescreen.created_by,
        obj=rescreen,
        after={
            "rule_set": {"version": rule_set.version, "hash": rule_set.content_hash},
            "as_of": as_of,
            "products_changed": counts["changed"],
            "screenings_written": {
                "products": counts["product_screenings"],
                "open_cases": counts["case_screenings"],
                "total": written,
            },
            "flagged_cases": counts["flagged"],
            "case_events": counts["flagged"],
            "decided_cases_differing": counts["decided"],
            "change_rows": {
                "products": counts["changed"],
                "open_cases": counts["open_cases_changed"],
                "decided_cases": counts["decided"],
            },
        },
    )
    return {
        "products": done,
        "changed": counts["changed"],
        "written_screenings": written,
        "product_screenings": counts["product_screenings"],
        "case_screenings": counts["case_screenings"],
        "open_cases_changed": counts["open_cases_changed"],
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
    """Flag open cases for re-review, each with the screening of its spec under the new rules
    beside the frozen one, with an event on its timeline. Flagging bumps the case's version: a
    page loaded before (an approval form) gets "this case changed". The cases still open are
    locked, then updated by primary key in one batch (not a correlated subquery per case, which
    PostgreSQL answers by walking the primary key past every newer row)."""
    now = timezone.now()
    moves = {
        int(case_id): (int(spec_id), before, after)
        for case_id, spec_id, before, after in zip(
            cases["case_id"], cases["spec_id"], old, new, strict=True
        )
    }
    ids = sorted(moves)
    counted: list[dict[str, Any]] = []  # their summary rows before (screening.rollup)
    for start in range(0, len(ids), ID_BATCH):
        counted.extend(
            Case.objects.select_for_update()
            .filter(pk__in=ids[start : start + ID_BATCH], state__in=OPEN_STATES)
            .order_by("pk")
            .values("pk", *rollup.CASE_COLUMNS)
        )
    still_open = [c["pk"] for c in counted]
    table = Case._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement per batch: executemany costs PostgreSQL a statement per case.
            for start in range(0, len(still_open), ID_BATCH * 20):
                chunk = still_open[start : start + ID_BATCH * 20]
                cursor.execute(
                    f"UPDATE {table} c SET rules_changed = true, "  # noqa: S608 -- ours
                    "last_activity_at = %s, rescreening_id = v.screening, "
                    "version = c.version + 1 FROM unnest(%s::bigint[], %s::bigint[]) "
                    "AS v(id, screening) WHERE c.id = v.id",
                    [now, chunk, [screening_of_spec[moves[pk][0]] for pk in chunk]],
                )
        else:
            cursor.executemany(
                f"UPDATE {table} SET rules_changed = %s, last_activity_at = %s, "  # noqa: S608
                "rescreening_id = %s, version = version + 1 WHERE id = %s",
                [(True, now, screening_of_spec[moves[pk][0]], pk) for pk in still_open],
            )
    rollup.moved(counted, ({**c, "rules_changed": True} for c in counted))
    said: dict[tuple[str, str], tuple[str, str, dict[str, Any]]] = {}

    def message(old: str, new: str) -> tuple[str, str, dict[str, Any]]:
        """One message per change of outcome, however many cases make it."""
        if (old, new) not in said:
            said[old, new] = message_columns(
                RESCREENED_MESSAGE(
                    version=rule_set.version, new=outcome_words(new), old=outcome_words(old)
                )
            )
        return said[old, new]

    insert_rows(
        CaseEvent,
        ("case", "message", "message_code", "message_params", "data"),
        (
            (
                pk,
                *message(moves[pk][1], moves[pk][2]),
                {
                    "rule_set": rule_set.version,
                    "from": moves[pk][1],
                    "to": moves[pk][2],
                    "screening": screening_of_spec[moves[pk][0]],
                },
            )
            for pk in still_open
        ),
        constants={"kind": CaseEvent.Kind.RESCREENED, "actor": user_id, "at": now},
    )
    return len(still_open)
