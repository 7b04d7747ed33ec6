"""The fifteenth round: Russian and Ukrainian letters spelt one way (trade.transliteration
cyrillic_key, adjective_stem), Japanese long vowels written once (japanese_key), [foreign_words]
found under those keys, legal forms (the Gulf's free-zone forms written out, Turkish forms with
Sanayi ve Ticaret, Russian ones first in a name, in Cyrillic)."""

from __future__ import annotations

from tests.trade.pairs import Pair, measure
from trade.matching import score_pair
from trade.names import normalise_name
from trade.scoring import word_credit
from trade.transliteration import (
    adjective_of,
    adjective_stem,
    cyrillic_key,
    cyrillic_spelling,
    japanese_alike,
    japanese_key,
    long_vowels_once,
)


def test_cyrillic_spellings_meet():
    assert cyrillic_spelling("khabarovskiy") == cyrillic_spelling("habarovsky") == "habarovski"
    assert cyrillic_key("tsentralnyy") == cyrillic_key("centralnyi") == "centralni"
    assert cyrillic_key("mashinostroyeniya") == "mashinostroenia"
    assert cyrillic_key("mashinostroeniia") == "mashinostroenia"
    assert cyrillic_key("tianjin") == ""  # pinyin: Tianjin and Tianyin are two names
    assert cyrillic_key("cheliabinsk") == cyrillic_key("chelyabinsk") == "cheliabinsk"
    assert word_credit("vostochnyy", "vostochny") == (0.9, "spelling variant")
    assert word_credit("khimprom", "himprom") == (0.85, "another romanisation")


def test_adjectives_in_other_cases_and_spellings():
    assert adjective_stem("kasperskogo") == adjective_stem("kaspersky") == "kaspersk"
    assert adjective_stem("moskva") == ""
    assert adjective_of("ulyanovskiy", "ulianovsk")
    assert adjective_of("peterburgskaya", "petersburg")  # a letter more in a long place
    assert not adjective_of("omskiy", "tomsk")
    assert word_credit("volzhskogo", "volzhsky") == (0.85, "another romanisation")


def test_japanese_long_vowels():
    assert long_vowels_once("tohyoh") == "toyo"
    assert long_vowels_once("shouji") == "shoji"
    assert japanese_key("ohno") == "ono"
    assert japanese_key("ono") == ""
    assert japanese_alike("ohno", "ono")
    assert not japanese_alike("ohno", "ohno")  # the same word: not another spelling
    assert word_credit("kohki", "koki")[1] == "typo"


def test_foreign_words_under_their_keys():
    assert normalise_name("Tsentralnyi Zavod").words == ("central", "plant")
    assert normalise_name("Centralnyy Zavod").words == ("central", "plant")
    assert normalise_name("Osaka Shouji").words == ("osaka", "trading")
    assert normalise_name("Kyivskyi Elektrotekhnichnyi Zavod").words == (
        "kyivskyi",
        "elektrotekhnical",
        "plant",
    )


def test_legal_forms_of_the_fifteenth_round():
    assert normalise_name("Falcon Trading Free Zone Establishment").words == ("falcon", "trading")
    assert (
        normalise_name("Orion Systems FZCO").words
        == normalise_name("Orion Systems Free Zone Company").words
    )
    assert normalise_name("Kartal Savunma Sanayi ve Ticaret Limited Sirketi").words == (
        "kartal",
        "defense",
    )
    assert normalise_name("AO Volga Radio Plant").words == ("volga", "radio", "plant")
    assert normalise_name("A.O. Smith").words == ("ao", "smith")  # a name, not a legal form
    assert normalise_name("ДП «Ивченко»").words == ("ivchenko",)
    assert normalise_name("ТОО «Астана Трейд»").words == ("astana", "trading")


SAME = [
    ("OAO Khimkinskiy Mashinostroitelnyy Zavod", "Himkinsky Machine Building Plant JSC"),
    ("Tsentralnyy Institut Aviatsionnogo", "Central'nyi Institut Aviatsionnogo"),
    ("Tōkai Kōgyō K.K.", "Tohkai Kohgyoh K.K."),
    ("Ōta Seiki Co., Ltd.", "Ohta Seiki Co., Ltd."),
    ("Falcon Trading FZE", "Falcon Trading Free Zone Establishment"),
    ("AO Orion Missile Systems", "Orion Missile Systems JSC"),
]
APART = [
    ("OAO Omskiy Zavod", "OAO Tomskiy Zavod"),
]


def test_pairs_of_the_fifteenth_round():
    for party, entry in SAME:
        assert score_pair(party, entry) >= 0.8, (party, entry)
    for party, entry in APART:
        assert score_pair(party, entry) < 0.8, (party, entry)
    assert measure([Pair("t", "t", p, e, True) for p, e in SAME]).recall == 1
