"""The fifteenth round: Russian and Ukrainian letters spelt one way (trade.transliteration
cyrillic_key, adjective_stem), Japanese long vowels written once (japanese_key), [foreign_words]
found under those keys, legal forms (the Gulf's free-zone forms written out, Turkish forms with
Sanayi ve Ticaret, Russian ones first in a name, in Cyrillic)."""

from __future__ import annotations

import pytest

from tests.trade.pairs import Pair, measure
from trade.japanese_spellings import japanese_alike, japanese_key, long_vowels_once
from trade.matching import score_pair
from trade.names import normalise_name
from trade.scoring import word_credit
from trade.transliteration import (
    adjective_of,
    adjective_stem,
    cyrillic_key,
    cyrillic_spelling,
)

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


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
        "kyiv",  # the sixteenth round: the adjective of a city of [places_other_names]
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


def test_two_trades_are_two_parties():
    from trade.two_parties import TRADE_PENALTY, two_parties

    a, b = normalise_name("Tan Seng Trading Co."), normalise_name("Tan Seng Shipping Co.")
    assert two_parties(a, b, ["trading"], ["shipping"], set()) == (
        TRADE_PENALTY,
        "other trades: trading, shipping",
    )
    # a word of the company's kind is no trade; one stem read two ways is one trade
    assert two_parties(a, b, ["technology"], ["shipping"], set()) == (0.0, "")
    assert two_parties(a, b, ["securities"], ["security"], set()) == (0.0, "")
    # related words are one trade
    assert two_parties(a, b, ["plant"], ["factory"], set()) == (0.0, "")
    assert score_pair("Tan Seng Trading Co.", "Tan Seng Shipping Co.") == 0.751
    assert score_pair("Tan Seng Trading Co.", "Tan Seng Co.") >= 0.8


def test_korean_spellings_of_the_fifteenth_round():
    from trade.transliteration import korean_alike, korean_initial_dropped

    assert korean_alike("daewoo", "daeu")
    assert korean_alike("shinhan", "sinhan") is False  # no Korean vowel in either: sound keys
    assert korean_alike("shinseong", "sinsung")
    assert korean_initial_dropped("ryonbong", "yonbong")
    assert not korean_initial_dropped("rimtech", "imtec")
    assert score_pair("Taejon Optics", "Daejon Optics") >= 0.8
    assert score_pair("Pusan Steel Trading", "Busan Steel Trading") == 1.0


def test_a_city_first_is_a_word_of_its_own():
    assert normalise_name("慈溪市恒昌进出口有限公司").words == (
        "cixi",
        "hengchang",
        "import",
        "export",
    )
    assert normalise_name("农贸市场").words != ("nongmao", "chang")  # a market, not a city
    assert score_pair("慈溪市恒昌进出口有限公司", "Cixi Hengchang Import & Export Co., Ltd.") == 1.0


def test_persian_gh_and_q_and_cantonese_man():
    assert word_credit("ghazvin", "qazvin") == (0.85, "another romanisation")
    assert score_pair("Man Hing Trading", "萬興貿易有限公司") >= 0.8


def test_the_h_of_zh_ch_sh_left_out_is_a_slip_beside_the_rest_of_the_name():
    from trade.common_slips import RETROFLEX_CREDIT, retroflex_slip

    assert retroflex_slip("jiuzou", "jiuzhou")
    assert retroflex_slip("chengshan", "chengsan")
    assert not retroflex_slip("huaxin", "huaxing")  # n, ng: two names
    assert not retroflex_slip("hangzou", "hangzhu")
    assert word_credit("yunzou", "yunzhou") == (RETROFLEX_CREDIT, "typo")
    assert word_credit("huaxin", "huaxing") == (0.3, "different pinyin syllables")
    assert (
        score_pair("Wuxi Tianzou Electronics Co., Ltd.", "Wuxi Tianzhou Electronics Co., Ltd.")
        >= 0.8
    )
    assert score_pair("Tianzou Trading", "Tianzhou Trading") < 0.8  # one distinctive word only


def test_words_of_other_scripts_of_the_fifteenth_round():
    assert normalise_name("سازمان صنایع دریایی").words[:2] == ("organization", "industrial")
    # (round 27c: Hellenic, Ελληνικά read as Greece)
    assert normalise_name("Ελληνικά Ναυπηγεία").words[0] == "greece"
    assert normalise_name("현대중공업").words == ("hyundai", "heavy", "industrial")
    assert normalise_name("スズキ発動機").words == ("suzuki", "motor")


def test_more_words_of_the_fifteenth_round():
    # 第十四 written in pinyin within a name; not first (Di Si may be a name)
    assert normalise_name("Zhongguo Hangtian Di Shisi Yanjiusuo").words[-3:] == (
        "14",
        "research",
        "institute",
    )
    assert normalise_name("Di Si Trading").words == ("di", "si", "trading")
    assert normalise_name("Nihon Seiki").words == normalise_name("Nippon Seiki").words
    assert normalise_name("Sazeh va Tarh").words == ("sazeh", "tarh")
    assert normalise_name("Plant named after Gorky").words == ("plant", "gorky")
    assert cyrillic_key("joukovski") == cyrillic_key("zhukovsky") == "iukovski"
    assert adjective_stem("gorkogo") == adjective_stem("gorky") == "gork"


def test_japanese_cities_and_words_in_kanji():
    assert normalise_name("大阪計器").words == ("osaka", "instrument")
    assert normalise_name("名古屋精機株式会社").words == ("nagoya", "precision", "machinery")
    assert normalise_name("上海计算机应用研究所").words[-3:] == (
        "application",
        "research",
        "institute",
    )


def test_a_place_after_the_name_is_a_branch():
    from trade.two_parties import BRANCH_PENALTY, two_parties

    a = normalise_name("Sunway Optics Co., Ltd.")
    b = normalise_name("Sunway Optics Wuhan Co., Ltd.")
    assert two_parties(a, b, [], ["wuhan"], set()) == (
        BRANCH_PENALTY,
        "a branch: wuhan after the name",
    )
    # a place first is how Chinese names begin: a party may leave it out
    c = normalise_name("Wuhan Sunway Optics Co., Ltd.")
    assert two_parties(a, c, [], ["wuhan"], set()) == (0.0, "")
    assert score_pair("Sunway Optics Co., Ltd.", "Sunway Optics Wuhan Co., Ltd.") < 0.8
    assert score_pair("Sunway Optics Co., Ltd.", "Wuhan Sunway Optics Co., Ltd.") >= 0.8


def test_what_the_fifteenth_round_must_not_read():
    # a short word is not looked up by its Cyrillic key (Skhoi, Shoji: both shoi)
    assert normalise_name("Skhoi Company").words == ("skhoi",)
    # the pinyin of a Korean or Japanese city is a Chinese name
    assert normalise_name("Hunan Weishan Lico").words == ("hunan", "weishan", "lico")
    # PrAT and PAT are not removed first in a Latin name (Pat ria, Prat and Whitney)
    assert normalise_name("Prat and Whitney Company").words[0] == "prat"
    # a distinctive word more is no branch (Youxian Goongsi: you, xian)
    from trade.two_parties import two_parties

    a, b = normalise_name("Sunway Optics"), normalise_name("Sunway Optics Youxian")
    assert two_parties(a, b, [], ["you", "xian"], set()) == (0.0, "")
