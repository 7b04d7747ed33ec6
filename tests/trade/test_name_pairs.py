"""The labelled name pairs: recall and precision at the configured threshold."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.trade.pairs import load_pairs, measure
from trade.lists import match_config

pytestmark = pytest.mark.any_database  # the matcher alone, no database


def test_labelled_set_is_large_and_labelled_both_ways():
    pairs = load_pairs()
    assert len(pairs) >= 250
    assert {p.split for p in pairs} == {
        *("tune", "tune2", "tune3", "tune14", "holdout", "holdout2", "unseen"),
        *(f"unseen{n}" for n in range(3, 21)),
    }
    assert sum(not p.match for p in pairs) >= 50


def test_recall_and_precision_at_the_configured_threshold():
    # The unseen splits are measured, not asserted here: each was written before the matcher
    # changes of its round and is not tuned on (README: their figures, first and last).
    figures = measure([p for p in load_pairs() if not p.split.startswith("unseen")], match_config())
    assert match_config().threshold == settings.PARTY_MATCH_THRESHOLD
    assert figures.recall >= 0.95, [f"{p.left} | {p.right}: {s}" for p, s in figures.missed]
    assert figures.precision >= 0.9, [
        f"{p.left} | {p.right}: {s}" for p, s in figures.false_matches
    ]


def test_unseen4_tuned_on_in_the_fourth_round_keeps_its_figures():
    # unseen4 was written before the fourth round's changes and measured first at 0.610 /
    # 0.925; the round was then developed on it, so it is seen now: held at what it reached.
    figures = measure(load_pairs("unseen4"), match_config())
    assert figures.recall >= 0.87, [f"{p.left} | {p.right}: {s}" for p, s in figures.missed]
    assert figures.precision >= 0.95, [
        f"{p.left} | {p.right}: {s}" for p, s in figures.false_matches
    ]


def test_unseen6_tuned_on_in_the_fifth_round_keeps_its_figures():
    # unseen6 was written before the fifth round's changes and measured first at 0.537 /
    # 1.000; the round's glossary and spellings were then developed with it, so it is seen now.
    # 0.744 → 0.752 in the tenth round (a pinyin slip that changes the syllables).
    figures = measure(load_pairs("unseen6"), match_config())
    assert figures.recall >= 0.75, [f"{p.left} | {p.right}: {s}" for p, s in figures.missed]
    assert figures.precision >= 0.95, [
        f"{p.left} | {p.right}: {s}" for p, s in figures.false_matches
    ]


def test_unseen17_tuned_on_in_the_seventeenth_round_keeps_its_figures():
    # unseen17 was written during the sixteenth round and measured blind at 0.882 / 0.951; the
    # seventeenth round was then developed on it (0.977 / 0.956), so it is seen now.
    figures = measure(load_pairs("unseen17"), match_config())
    assert figures.recall >= 0.96, [f"{p.left} | {p.right}: {s}" for p, s in figures.missed]
    assert figures.precision >= 0.95, [
        f"{p.left} | {p.right}: {s}" for p, s in figures.false_matches
    ]


def test_unseen18_tuned_on_in_the_eighteenth_round_keeps_its_figures():
    # unseen18 was written during the seventeenth round and measured blind at 0.905 / 0.971;
    # the eighteenth round was then developed on it (0.982 / 0.973), so it is seen now.
    figures = measure(load_pairs("unseen18"), match_config())
    assert figures.recall >= 0.97, [f"{p.left} | {p.right}: {s}" for p, s in figures.missed]
    assert figures.precision >= 0.96, [
        f"{p.left} | {p.right}: {s}" for p, s in figures.false_matches
    ]


def test_unseen19_tuned_on_in_the_nineteenth_round_keeps_its_figures():
    # unseen19 was written during the eighteenth round and measured blind at 0.877 / 0.951;
    # the nineteenth round was then developed on it (0.905 / 0.952), so it is seen now.
    figures = measure(load_pairs("unseen19"), match_config())
    assert figures.recall >= 0.895, [f"{p.left} | {p.right}: {s}" for p, s in figures.missed]
    assert figures.precision >= 0.94, [
        f"{p.left} | {p.right}: {s}" for p, s in figures.false_matches
    ]
