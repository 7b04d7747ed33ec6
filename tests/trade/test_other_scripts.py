"""Names written in Cyrillic, Greek, Hangul, Kana and Arabic script, romanised before they are
normalised (the thirteenth round: trade.other_scripts, trade.transliteration.consonants_alike)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.trade.pairs import load_pairs
from trade.matching import ListEntry, ListIndex, MatchConfig, Party, score_pair
from trade.names import normalise_name
from trade.other_scripts import arabic_word, hangul, hebrew_word, needs_romanising, romanise
from trade.transliteration import abjad_keys, consonants_alike

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Huawei Technologies", False),
        ("Société Générale", False),
        ("Nguyễn Văn Hùng", False),
        ("北京华为技术有限公司", False),
        ("鴻海精密工業", False),
        ("Ростех", True),
        ("Ελληνική", True),
        ("현대", True),
        ("トヨタ自動車", True),
        ("ｿﾆｰ", True),
        ("محمد", True),
        ("אלביט", True),
    ],
)
def test_only_names_with_another_script_are_romanised(text, expected):
    assert needs_romanising(text) is expected


def test_latin_and_chinese_text_is_left_as_it_was():
    assert romanise("Beijing 北京华为 Société") == "Beijing 北京华为 Société"


def test_kana_is_romanised_and_kanji_left_to_the_pinyin_reading():
    assert romanise("トヨタ自動車株式会社") == "toyota自動車株式会社"
    assert normalise_name("トヨタ自動車株式会社").words == ("toyota", "automotive")


def test_cyrillic_and_greek_are_written_as_english_names_write_them():
    assert romanise("Тульский оружейный завод") == "Tul'skiy oruzheynyy zavod"
    # korporatsiya is a legal form as the word lists read it
    assert normalise_name("Государственная корпорация «Ростех»").words == ("state", "rostekh")
    assert romanise("Ιντρακόμ") == "Intrakom"


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("현대", "hyeondae"),
        ("고려", "goryeo"),
        ("한국", "hanguk"),  # a final ㄱ is spoken k
        ("한국어", "hangugeo"),  # and g before a vowel
        ("신라", "silla"),  # ㄴ before ㄹ
        ("련봉", "ryeonbong"),
    ],
)
def test_hangul_in_the_revised_romanization(run, expected):
    assert hangul(run) == expected


def test_common_korean_words_are_read_as_their_english():
    # 현대 is Hyundai in every English name (the fifteenth round; hyeondae before)
    assert normalise_name("현대중공업").words == ("hyundai", "heavy", "industrial")
    assert normalise_name("조선련봉총회사").words[:2] == ("korea", "ryeonbong")
    assert normalise_name("대우조선해양").words[:2] == ("daeu", "shipbuilding")
    # 조선 before 해양 is shipbuilding even first
    assert normalise_name("조선해양").words[0] == "shipbuilding"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("محمد", "mhmd"),
        ("الرشيد", "al rshyd"),
        ("أحمد", "ahmd"),
        ("إبراهيم", "ibrhym"),
        ("سعيد", "syd"),  # ع left out
        ("خامنئي", "khmny"),  # a hamza inside the word too
        ("شركة", "sharikat"),
    ],
)
def test_arabic_words_without_vowels(word, expected):
    assert arabic_word(word) == expected


def test_hebrew_words_without_vowels():
    assert hebrew_word("אלביט") == "albyt"  # א first a vowel, ב b
    assert hebrew_word("רפאל") == "rfl"  # א inside nothing
    assert romanise('אלביט מערכות בע"מ').split() == ["albyt", "systems"]


def test_a_word_without_vowels_meets_its_spellings_with_them():
    assert consonants_alike("mhmd", "mohammed")
    assert consonants_alike("muhammad", "mhmd")
    assert consonants_alike("syd", "saeed")
    assert consonants_alike("hsyn", "hussein")
    assert consonants_alike("ywsf", "yusuf")
    # a long vowel the Latin spelling writes is a letter the Arabic has
    assert not consonants_alike("mhmd", "mahmoud")
    assert not consonants_alike("mnswr", "mansouri")
    assert not consonants_alike("hsn", "hussein")
    # two words with vowels are not compared so
    assert not consonants_alike("mohammed", "mahmud")
    # the index meets them under the keys of the spelling with vowels
    assert "%mhmd" in abjad_keys("mhmd")
    assert "^nr1" in abjad_keys("nwr")  # Nour, Noor
    assert abjad_keys("mohammed") == frozenset()


MATCHES = [
    ("Ростех", "Rostec"),
    ("АО «Уралвагонзавод»", "Uralvagonzavod JSC"),
    ("현대", "Hyundai"),
    ("삼성전자", "Samsung Electronics"),
    ("トヨタ", "Toyota"),
    ("株式会社デンソー", "Denso Corporation"),
    ("محمد", "Mohammed"),
    ("سعيد منصور", "Saeed Mansour"),
    ("Κωνσταντίνος Παπαδόπουλος", "Konstantinos Papadopoulos"),
    ("אלביט מערכות", "Elbit Systems"),
]
APART = [
    ("Ростех", "Rostelecom"),
    ("Уралвагонзавод", "Uralmashzavod"),
    ("삼성전자", "Samsung Heavy Industries"),
    ("조선련봉총회사", "Korea Ryongsong General Corporation"),
    ("トヨタ", "Toyobo"),
    ("محمد حسن", "Mahmoud Hassan"),
    ("حسن علي", "Hussein Ali"),
    ("אלביט מערכות", "Elta Systems"),
]


def test_names_in_other_scripts_match_their_romanisations():
    scores = {pair: score_pair(*pair) for pair in MATCHES}
    assert {pair: s for pair, s in scores.items() if s < 0.8} == {}


def test_different_names_in_other_scripts_stay_apart():
    scores = {pair: score_pair(*pair) for pair in APART}
    assert {pair: s for pair, s in scores.items() if s >= 0.8} == {}


def test_bulk_screening_and_single_checks_agree_on_the_other_scripts():
    pairs = load_pairs("tune14")
    entries = [
        ListEntry(list="control_list", entry_ref=f"E{i}", name=p.right) for i, p in enumerate(pairs)
    ]
    parties = [Party(party_ref=f"P{i}", name=p.left) for i, p in enumerate(pairs)]
    # and the other way: the names in other scripts listed, the romanisations screened
    entries += [
        ListEntry(list="control_list", entry_ref=f"L{i}", name=p.left) for i, p in enumerate(pairs)
    ]
    parties += [Party(party_ref=f"R{i}", name=p.right) for i, p in enumerate(pairs)]
    index = ListIndex(entries, MatchConfig())
    day = dt.date(2026, 1, 1)
    bulk = index.screen(parties, day, processes=1)
    single = [index.check(party, day) for party in parties]
    assert [[(c.entry_ref, c.score) for c in found] for found in bulk] == [
        [(c.entry_ref, c.score) for c in found] for found in single
    ]
    hits = {
        party.party_ref
        for party, found in zip(parties, bulk, strict=True)
        if any(c.entry_ref[1:] == party.party_ref[1:] for c in found)
    }
    assert {"P0", "R0"} <= hits  # Ростех and Rostec, both ways
