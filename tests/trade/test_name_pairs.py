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
        *(f"unseen{n}" for n in range(3, 57)),
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


# The splits a round was developed on after they were measured blind: seen now, each held at
# what it reached (less a small margin).
DEVELOPED_ON = [
    # written before the fourth round's changes, first 0.610 / 0.925
    pytest.param("unseen4", 0.87, 0.95, id="unseen4"),
    # written before the fifth round's changes, first 0.537 / 1.000; 0.744 → 0.752 in the tenth
    # round (a pinyin slip that changes the syllables)
    pytest.param("unseen6", 0.75, 0.95, id="unseen6"),
    # written during the sixteenth round, blind 0.882 / 0.951; the seventeenth: 0.977 / 0.956
    pytest.param("unseen17", 0.96, 0.95, id="unseen17"),
    # written during the seventeenth round, blind 0.905 / 0.971; the eighteenth: 0.982 / 0.973
    pytest.param("unseen18", 0.97, 0.96, id="unseen18"),
    # written during the eighteenth round, blind 0.877 / 0.951; the nineteenth: 0.905 / 0.952
    pytest.param("unseen19", 0.895, 0.94, id="unseen19"),
    # written during the nineteenth round, blind 0.836 / 0.963; the twentieth: 0.964 / 0.972
    pytest.param("unseen20", 0.955, 0.96, id="unseen20"),
    # written during the twentieth round, blind 0.814 / 0.932; the twenty-first: 0.932 / 0.940
    pytest.param("unseen21", 0.925, 0.93, id="unseen21"),
    # written during the twentieth and twenty-first rounds, blind 0.882 / 0.942; the
    # twenty-second: 0.977 / 0.951
    pytest.param("unseen22", 0.97, 0.945, id="unseen22"),
    # written during the twenty-second round, blind 0.864 / 0.945; the twenty-third and
    # twenty-fourth (run at the same time, on two areas of languages): 0.941 / 0.950
    pytest.param("unseen23", 0.935, 0.945, id="unseen23"),
    # written after the twenty-second round, blind 0.895 / 0.985; the twenty-third and
    # twenty-fourth: 0.959 / 0.986
    pytest.param("unseen24", 0.95, 0.98, id="unseen24"),
    # written during the twenty-third and twenty-fourth rounds, blind 0.868 / 0.950; the
    # twenty-fifth: 0.914 / 0.953
    pytest.param("unseen25", 0.905, 0.95, id="unseen25"),
    # written after the twenty-fourth round, blind 0.923 / 0.962; the twenty-sixth: 0.941 / 0.963
    pytest.param("unseen26", 0.935, 0.955, id="unseen26"),
    # written during the twenty-fifth and twenty-sixth rounds, blind 0.909 / 0.962; the
    # twenty-seventh (three helpers at once: known names, mechanisms, words): 1.000 / 0.965
    pytest.param("unseen27", 0.985, 0.955, id="unseen27"),
    # written after the twenty-seventh round, blind 0.959 / 0.963 and 0.950 / 0.959; the session
    # after (precision rules, legal forms, known names from their misses): 0.986 / 0.969 both
    pytest.param("unseen31", 0.98, 0.96, id="unseen31"),
    pytest.param("unseen32", 0.98, 0.96, id="unseen32"),
    # written after the session after the twenty-seventh round, blind 0.945 / 0.967 and
    # 0.977 / 0.982; the twenty-eighth (slips read as other words, Arabic long vowels, Hong
    # Kong's universities): 0.977 / 0.968 and 1.000 / 0.982
    pytest.param("unseen35", 0.97, 0.96, id="unseen35"),
    pytest.param("unseen36", 0.99, 0.975, id="unseen36"),
    # written in the session after the twenty-eighth round, blind 0.964 / 0.934, 0.945 / 0.959,
    # 0.941 / 0.932, 0.909 / 0.948 and 0.909 / 0.935; the twenty-ninth (names beside acronyms
    # and qualifiers, schools told apart, Wade-Giles, entries' slips): 0.991 / 0.969,
    # 1.000 / 0.973, 0.982 / 0.960, 0.968 / 0.964 and 0.968 / 0.947
    pytest.param("unseen39", 0.985, 0.96, id="unseen39"),
    pytest.param("unseen40", 0.99, 0.965, id="unseen40"),
    pytest.param("unseen41", 0.975, 0.95, id="unseen41"),
    pytest.param("unseen42", 0.96, 0.955, id="unseen42"),
    pytest.param("unseen44", 0.96, 0.94, id="unseen44"),
    # written at the start of the thirtieth round, first 0.973 / 0.960 and 0.950 / 0.954 (blind);
    # the thirtieth (and, or and -ing slips, known names, a field's sciences): 0.995 / 0.961 and
    # 0.991 / 0.960
    pytest.param("unseen45", 0.99, 0.955, id="unseen45"),
    pytest.param("unseen46", 0.985, 0.955, id="unseen46"),
    # written at the start of the thirty-first round, first 0.941 / 0.963, 0.859 / 0.964 and
    # 0.832 / 0.938 (blind, asked to lean towards Asian and Eastern firms; logistics, shipping,
    # chemicals and distributors; batteries, mining and metals); the thirty-first (words of
    # 46 more languages and of mining and metals, known names of the supply chain, logistics and
    # shipping, common-word names beside their acronym; the review's narrowing): 0.959 / 0.963,
    # 0.950 / 0.968 and 0.927 / 0.944
    pytest.param("unseen50", 0.95, 0.955, id="unseen50"),
    pytest.param("unseen51", 0.945, 0.96, id="unseen51"),
    pytest.param("unseen52", 0.92, 0.94, id="unseen52"),
    # written at the start of the thirty-second session (asked to lean towards electronics,
    # semiconductors, chemicals, energy and telecoms), first 0.909 / 0.943 (blind); the
    # thirty-second round (words of those trades in 37 languages, zeros typed for O): 0.932 / 0.945
    pytest.param("unseen54", 0.93, 0.94, id="unseen54"),
    # written at the start of the thirty-second round, first 0.959 / 0.995 and 0.950 / 0.995
    # (blind; the second asked to lean towards schools, aerospace, machine tools, optics, nuclear
    # and the battery supply chain); the round (a homophone typed in characters): 0.964 / 0.995
    # and 0.955 / 0.995
    pytest.param("unseen55", 0.96, 0.99, id="unseen55"),
    pytest.param("unseen56", 0.95, 0.99, id="unseen56"),
]


@pytest.mark.parametrize(("split", "recall", "precision"), DEVELOPED_ON)
def test_a_split_developed_on_keeps_its_figures(split, recall, precision):
    figures = measure(load_pairs(split), match_config())
    assert figures.recall >= recall, [f"{p.left} | {p.right}: {s}" for p, s in figures.missed]
    assert figures.precision >= precision, [
        f"{p.left} | {p.right}: {s}" for p, s in figures.false_matches
    ]
