"""The labelled name pairs (name_pairs.csv) and how the matcher does on them.

Each pair is screened the way production screens: every right-hand name is an entry of one
list, every left-hand name a party; a pair counts as matched when its own entry is among the
party's candidates at the threshold.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from trade.matching import ListEntry, ListIndex, MatchConfig, Party

PAIRS = Path(__file__).resolve().parent / "name_pairs.csv"


@dataclass(frozen=True)
class Pair:
    # tune, tune2, tune3, tune14 | holdout, holdout2 | unseen, unseen3 .. unseen56 (README)
    split: str
    kind: str
    left: str
    right: str
    match: bool


@dataclass(frozen=True)
class Figures:
    pairs: int
    recall: float
    precision: float
    missed: list[tuple[Pair, float]]
    false_matches: list[tuple[Pair, float]]


def load_pairs(split: str | None = None) -> list[Pair]:
    with PAIRS.open(encoding="utf-8", newline="") as fh:
        rows = [
            Pair(r["split"], r["kind"], r["left"], r["right"], r["match"] == "1")
            for r in csv.DictReader(fh)
        ]
    return [p for p in rows if split is None or p.split == split]


def measure(pairs: list[Pair], config: MatchConfig | None = None) -> Figures:
    config = config or MatchConfig()
    entries = [
        ListEntry(list="control_list", entry_ref=f"E{i}", name=p.right) for i, p in enumerate(pairs)
    ]
    parties = [Party(party_ref=f"P{i}", name=p.left) for i, p in enumerate(pairs)]
    loose = MatchConfig(**{**config.__dict__, "threshold": 0.0})
    found = ListIndex(entries, loose).screen(parties, dt.date(2026, 1, 1))
    scores = []
    for i, candidates in enumerate(found):
        own = [c.score for c in candidates if c.entry_ref == f"E{i}"]
        scores.append(own[0] if own else 0.0)
    predicted = [s >= config.threshold for s in scores]
    true_pos = sum(1 for p, hit in zip(pairs, predicted, strict=True) if p.match and hit)
    positives = sum(1 for p in pairs if p.match)
    flagged = sum(predicted)
    return Figures(
        pairs=len(pairs),
        recall=true_pos / positives if positives else 1.0,
        precision=true_pos / flagged if flagged else 1.0,
        missed=[
            (p, s)
            for p, s, hit in zip(pairs, scores, predicted, strict=True)
            if p.match and not hit
        ],
        false_matches=[
            (p, s)
            for p, s, hit in zip(pairs, scores, predicted, strict=True)
            if hit and not p.match
        ],
    )


if __name__ == "__main__":
    import sys

    # --figures-only: recall and precision without the pairs (for a set not to be tuned on).
    quiet = "--figures-only" in sys.argv
    for split in [a for a in sys.argv[1:] if not a.startswith("--")] or ["tune"]:
        figures = measure(load_pairs(split))
        print(
            f"{split}: {figures.pairs} pairs, recall {figures.recall:.3f}, "
            f"precision {figures.precision:.3f}"
        )
        if quiet:
            continue
        for pair, score in figures.missed:
            print(f"  missed {score:.2f} [{pair.kind}] {pair.left} | {pair.right}")
        for pair, score in figures.false_matches:
            print(f"  false  {score:.2f} [{pair.kind}] {pair.left} | {pair.right}")
