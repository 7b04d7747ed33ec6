"""What a rule change changes, for a frame of specs: each row's outcome under both rule sets,
a summary by category and entry, and the entries behind each change. Plain computation over
the evaluator's arrays (screening.rescreening stores and reports it)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from rules.catalogue import Catalogue
from rules.evaluation import FrameScreening, screen_frame
from rules.kernel import MATCH, NEAR, NOT_APPLICABLE


def entry_counts(screening: FrameScreening) -> dict[str, int]:
    return {
        arrays.entry.key: int(np.count_nonzero(arrays.codes == MATCH))
        for arrays in screening.entries
        if np.any(arrays.codes == MATCH)
    }


def entry_codes(screening: FrameScreening, rows: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Entry key → entry codes of the rows (all rows when None)."""
    return {a.entry.key: a.codes if rows is None else a.codes[rows] for a in screening.entries}


def triggers(before: dict[str, np.ndarray], after: dict[str, np.ndarray]) -> list[str]:
    """For each row whose outcome changed, the entries behind the change (keys, comma-joined):
    those whose result differs between the two screenings; where none does (only a measure's
    status changed), those that hit (near, unknown or match) in either.

    Vectorised: a row's entries form a bit pattern, and each distinct pattern (a handful for a
    whole portfolio) is spelled out once."""
    keys = list(dict.fromkeys([*after, *before]))
    n = len(next(iter({**before, **after}.values()))) if keys else 0
    if not keys or not n:
        return [""] * n
    missing = np.full(n, NOT_APPLICABLE)
    a = np.column_stack([before.get(k, missing) for k in keys])
    b = np.column_stack([after.get(k, missing) for k in keys])
    hit = (a >= NEAR) | (b >= NEAR)
    differ = hit & (a != b)
    chosen = np.where(differ.any(axis=1)[:, None], differ, hit)
    patterns, inverse = np.unique(np.packbits(chosen, axis=1), axis=0, return_inverse=True)
    names = np.array(keys, dtype=object)
    spelled = [",".join(names[np.unpackbits(p, count=len(keys)).astype(bool)]) for p in patterns]
    return [spelled[i] for i in inverse.reshape(-1)]


def compare(
    frame: pd.DataFrame,
    baseline: tuple[Catalogue, dt.date],
    candidate: tuple[Catalogue, dt.date],
) -> tuple[np.ndarray, np.ndarray, dict[str, Any], list[str]]:
    """(baseline outcomes, candidate outcomes, summary, the entries behind each change) for
    every row of a spec frame; the entries are listed for the changed rows, in order."""
    before = screen_frame(frame, baseline[0], baseline[1])
    after = screen_frame(frame, candidate[0], candidate[1])
    old = before.outcomes.to_numpy(dtype=object)
    new = after.outcomes.to_numpy(dtype=object)
    changed = old != new
    rows = np.flatnonzero(changed)
    entries = triggers(entry_codes(before, rows), entry_codes(after, rows))
    by_category: dict[str, dict[str, int]] = {}
    for category, a, b in zip(
        frame["category"].to_numpy()[changed], old[changed], new[changed], strict=True
    ):
        key = f"{a} → {b}"
        by_category.setdefault(category, {}).setdefault(key, 0)
        by_category[category][key] += 1
    baseline_entries, candidate_entries = entry_counts(before), entry_counts(after)
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
    return old, new, summary, entries


def merge_summaries(total: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    """Add one chunk's summary (`compare`) to the running one."""
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
