"""Slips of typing that earlier rounds did not read. Names in Chinese characters one character
apart, the two characters of one sound: a slip of a pinyin keyboard (trade.characters.
homophone_slip), found by the index and scored as a typo, never where the character is a number
or in a two-character name both write (华为, 华维). A legal form or common word typed with
zeros for O (0A0, NP0, 000: trade.keyboard.zero_as_letter). And two pairs that bulk screening
pruned while a single check found them (the typo probe met them once the round's sets joined
it): bulk and single agree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from trade.characters import homophone_slip
from trade.keyboard import zero_as_letter
from trade.matching import ListEntry, ListIndex, MatchConfig, Party, score_pair
from trade.names import normalise_name

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


def slip(a: str, b: str) -> tuple[float, str]:
    return homophone_slip(normalise_name(a), normalise_name(b))


@pytest.mark.parametrize(
    ("party", "entry", "characters"),
    [
        # the slip breaks a glossary word (新能源 new energy, 物理 physics) into other words
        ("宁德时代新能原科技股份有限公司", "宁德时代新能源科技股份有限公司", "原/源"),
        ("中国工程物里研究院", "中国工程物理研究院", "里/理"),
        # in a name of three characters or more (比亚迪), a slip too
        ("比亚笛汽车工业有限公司", "比亚迪汽车工业有限公司", "笛/迪"),
    ],
)
def test_one_character_of_the_same_sound_is_a_slip(party, entry, characters):
    score, apart = slip(party, entry)
    assert apart == characters
    assert score == round(1 - 0.5 / len(normalise_name(entry).cjk), 3)
    assert slip(entry, party)[1] == "/".join(reversed(characters.split("/")))
    assert score_pair(party, entry) >= settings.PARTY_MATCH_THRESHOLD


def test_the_index_finds_the_slip_among_other_names_and_says_so():
    entries = [
        ListEntry(list="control_list", entry_ref="CATL", name="宁德时代新能源科技股份有限公司"),
        ListEntry(list="control_list", entry_ref="OTHER", name="宁德新能源科技有限公司"),
    ]
    index = ListIndex(entries, MatchConfig(threshold=settings.PARTY_MATCH_THRESHOLD))
    (found,) = index.screen(
        [Party(party_ref="P", name="宁德时代新能原科技股份有限公司")], dt.date(2026, 1, 1)
    )
    assert [c.entry_ref for c in found] == ["CATL"]
    assert "one of the same sound (原/源)" in found[0].reason


@pytest.mark.parametrize(
    ("party", "entry"),
    [
        # a two-character name both write, one character apart: two brands
        ("北京华为技术有限公司", "北京华维技术有限公司"),
        # a number is never a slip (十, 石: shi)
        ("中国电子科技集团公司第十研究所", "中国电子科技集团公司第石研究所"),
        # two characters apart, of one sound each
        ("中国工程物里研究园", "中国工程物理研究院"),
        # another sound (物化)
        ("中国工程物化研究院", "中国工程物理研究院"),
        # a short name: one character is a good part of it
        ("华为技术", "华维技术"),
    ],
)
def test_what_is_not_a_homophone_slip(party, entry):
    assert slip(party, entry) == (0.0, "")
    assert slip(entry, party) == (0.0, "")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Naftan 0A0", "Naftan OAO"),
        ("NP0 Splav", "NPO Splav"),
        ("A0 Mikron", "AO Mikron"),
        ("000 Romashka", "OOO Romashka"),
    ],
)
def test_a_legal_form_or_common_word_typed_with_zeros_for_o(typed, meant):
    assert zero_as_letter(typed) == meant
    assert normalise_name(typed).words == normalise_name(meant).words
    assert score_pair(typed, meant) >= settings.PARTY_MATCH_THRESHOLD


@pytest.mark.parametrize(
    "text",
    # numbers stay numbers; a word that reads as no legal form or common word stays as typed
    ["Plant 1,000", "Model 3000 Ltd", "Zavod 0 Ltd", "B00 Ltd", "000.5 Ltd", "P40 Gazprom"],
)
def test_zeros_that_stay_zeros(text):
    assert zero_as_letter(text) == text


@pytest.mark.parametrize(
    ("party", "entry"),
    [
        # a word written with vowels against the entry's written without them (Arabic):
        # the index meets them by their consonants
        (
            "King Abdulah University of Science and Technology",
            "جامعة الملك عبدالله للعلوم والتقنية",
        ),
        # a slip read as a common word (polytechnicum) related to the entry's distinctive
        # word (technical): the bound counts that pair
        (
            "Technicaa University of Munich Department of Physics",
            "Technical University of Munich Department of Physics",
        ),
    ],
)
def test_bulk_screening_finds_what_a_single_check_finds(party, entry):
    entries = [ListEntry(list="control_list", entry_ref="E", name=entry)]
    index = ListIndex(entries, MatchConfig(threshold=settings.PARTY_MATCH_THRESHOLD))
    day = dt.date(2026, 1, 1)
    (bulk,) = index.screen([Party(party_ref="P", name=party)], day)
    single = index.check(Party(party_ref="P", name=party), day)
    assert [(c.entry_ref, c.score) for c in bulk] == [(c.entry_ref, c.score) for c in single]
    assert [c.entry_ref for c in single] == ["E"]
