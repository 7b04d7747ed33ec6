"""The seventeenth round: two inner letters swapped in a four-letter word (Vgea, Vega), a letter
typed twice in a short common word (Easst), Russian letters written as German, Czech and ISO
spellings write them (Bjuro, Iurievskii), a known organisation's initials in the name of a
numbered unit of it (CETC 54th Research Institute), the words of Chinese names official
English names translate otherwise (无线 Wireless, 航空电子 Avionics, 航天 Space, UAV), legal
forms of Iran and Belarus (Sherkat-e, ChUP), words of Turkish, Persian and Ukrainian names, the
adjective of a place in -a (Karagandinskiy), slips of foreign words (Kogoy) and Japanese places
with their long vowels written (Toukyou)."""

from __future__ import annotations

import pytest

from trade.foreign_spellings import foreign_spelling
from trade.keyboard import doubled_slip, place_slip
from trade.known_names import names_of_initials
from trade.matching import score_pair
from trade.names import normalise_name
from trade.russian_words import russian_word
from trade.scoring import word_credit
from trade.transliteration import cyrillic_spelling

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


def test_four_letter_words_with_inner_letters_swapped():
    assert word_credit("vega", "vgea")[0] == 0.8
    assert word_credit("qods", "qosd")[0] == 0.8
    assert word_credit("tbea", "tbae")[0] == 0.0  # two vowels: as often two names
    assert word_credit("vega", "evga")[0] == 0.0  # the first letter is kept
    assert score_pair("Vega Avionics FZE", "Vgea Avionics FZE") >= 0.8
    assert score_pair("Qods Aviation Industries", "Qosd Aviation Industries") >= 0.8


def test_russian_letters_in_other_spellings():
    assert normalise_name("Konstruktorskoe Bjuro Priborostroenija").words == (
        "design",
        "bureau",
        "instrument",
    )
    assert normalise_name("Bjorn").words == ("bjorn",)  # no Cyrillic glide word: a name
    assert cyrillic_spelling("iurievskii") == cyrillic_spelling("yuryevskiy")
    assert cyrillic_spelling("tyazhelogo") == "tiaielogo"  # zh then e is not ье
    assert score_pair("Yuryevskiy Mekhanicheskiy Zavod", "Iurievskii Mekhanicheskii Zavod") >= 0.8


def test_known_initials_before_a_numbered_unit():
    assert names_of_initials()["CETC"] == "China Electronics Technology Group Corporation"
    words = ("china", "electronic", "technology", "54", "research", "institute")
    assert normalise_name("CETC 54th Research Institute").words == words
    assert normalise_name("中国电子科技集团公司第五十四研究所").words == words
    assert normalise_name("CETC").words == ("cetc",)  # alone: the initials the matcher reads
    assert normalise_name("CETC 54th Research Institute").text == "CETC 54th Research Institute"
    assert (
        score_pair(
            "CETC 38th Research Institute",
            "38th Research Institute of China Electronics Technology Group Corporation",
        )
        >= 0.8
    )
    assert score_pair("CETC 38th Research Institute", "CETC 54th Research Institute") < 0.8
    fourth = normalise_name("Fourth Academy of CASC").words
    assert sorted(fourth) == sorted(normalise_name("CASC 4th Academy").words)
    assert "aerospace" in fourth


def test_chinese_words_official_names_translate_otherwise():
    assert normalise_name("厦门星河无线通信有限公司").words == (
        "xiamen",
        "xinghe",
        "wireless",
        "communication",
    )
    assert normalise_name("Zhongshan Xinghui UAV Co., Ltd.").words[-1] == "drone"
    assert normalise_name("上海鸿图航空电子有限公司").words[-1] == "avionics"
    assert normalise_name("Suzhou Changfeng Aviation Electronics").words[-1] == "avionics"
    assert word_credit("aerospace", "space") == (0.85, "related words")
    space = "Nanjing Changfeng Space Electronics Technology Co., Ltd."
    assert score_pair("南京长峰航天电子科技有限公司", space) >= 0.8


def test_a_letter_typed_twice_in_a_short_common_word():
    assert doubled_slip("easst") == "east"
    assert doubled_slip("wesst") == "west"
    assert doubled_slip("bell") is None  # bel is no common word
    assert normalise_name("Hebei Far Easst Communication").words == (
        "hebei",
        "far",
        "east",
        "communication",
    )


def test_legal_forms_of_iran_and_belarus():
    assert normalise_name("Sherkat-e Sanaye Electronic Iran").words == (
        "industrial",
        "electronic",
        "iran",
    )
    assert normalise_name("ChUP Belvneshtorg").words == ("belvneshtorg",)
    assert normalise_name("Private Unitary Enterprise Belvneshtorg").words == ("belvneshtorg",)


def test_words_of_turkish_persian_and_ukrainian_names():
    assert (
        normalise_name("Yildiz Elektronik Dis Ticaret").words
        == normalise_name("Yildiz Elektronik DisTicaret").words
        == ("yildiz", "electronic", "foreign", "trading")
    )
    assert normalise_name("Sherkat-e Mashin Sazi Mizan").words == (
        "machinery",
        "manufacturing",
        "mizan",
    )
    assert (
        normalise_name("Kharkivskyi Mashynobudivnyi Zavod").words
        == normalise_name("Kharkovskiy Mashinostroitelnyy Zavod").words
    )


def test_the_adjective_of_a_place_in_a():
    assert russian_word("karagandinskiy") == ("karaganda",)
    assert russian_word("karagandinskogo") == ("karaganda",)
    assert (
        score_pair("Karagandinskiy Metallurgicheskiy Kombinat", "Karaganda Metallurgical Works")
        >= 0.8
    )


def test_french_tch_and_compound_places():
    assert cyrillic_spelling("tcheliabinsk") == cyrillic_spelling("cheliabinsk")
    assert score_pair("Chelyabinskiy Radiozavod Polyot", "Tcheliabinsk Radio Plant Polet") >= 0.8
    assert normalise_name("Ust-Kamenogorskiy Titano-Magnievyy Kombinat").words == (
        "oskemen",
        "titanium",
        "magnesium",
        "combine",
    )


def test_technical_physics_and_technical_a_word_of_its_own():
    assert normalise_name("天津津航技术物理研究所").words[:4] == (
        "tianjin",
        "jinhang",
        "technical",
        "physics",
    )
    assert normalise_name("Technical Physics").weights == (1.0, 0.35)
    technical = "Kazan National Research Technical University"
    assert score_pair(technical, "Kazan National Research Technological University") < 0.8


def test_foreign_words_with_a_slip_and_japanese_places_with_long_vowels():
    assert foreign_spelling("kogoy") == ("industrial",)  # Kogyo
    assert foreign_spelling("tiacret") == ("trading",)  # Ticaret
    assert foreign_spelling("toukyou") == ("tokyo",)
    assert foreign_spelling("kyouto") == ("kyoto",)
    assert foreign_spelling("zhouhai") == ()  # pinyin is read as pinyin
    assert normalise_name("Kyouto Seisakusyo Co., Ltd.").words == ("kyoto", "manufacturing")
    assert score_pair("Sanwa Denshi Kogyo K.K.", "Sanwa Denshi Kogoy K.K.") >= 0.8


def test_ukrainian_words_of_research_and_production_organisations():
    assert (
        normalise_name("Naukovo-Doslidnyi Instytut Kvant").words
        == normalise_name("Research Institute Kvant").words
    )
    assert normalise_name("Naukovo-Vyrobnyche Obiednannia Zoria").words == ("npo", "zoria")
    assert normalise_name("Kharkivskyi Aviatsiinyi Zavod").words == ("kharkiv", "aviation", "plant")
    assert word_credit("bureau", "office") == (0.85, "related words")
    assert score_pair("Derzhavne Konstruktorske Biuro Luch", "State Design Office Luch") >= 0.8


def test_plurals_of_common_words_are_their_word():
    assert normalise_name("Kestrel Drones").words == ("kestrel", "drone")
    assert normalise_name("Kestrel Dron Systems").words == ("kestrel", "drone", "system")
    assert normalise_name("Acme Operations").words == ("acme", "operation")
    assert (
        normalise_name("Jinan Machine Tooll Works").words
        == normalise_name("Jinan Machine Tool Works").words
    )


def test_a_place_slipped_into_pinyin_of_other_syllables():
    assert place_slip("ziamen") == "xiamen"  # zi-a-men: three syllables, Xiamen two
    assert place_slip("tangzhou") is None  # a name of two syllables, as Yangzhou
    assert place_slip("wingdao") == "qingdao"


def test_syllables_of_a_brand_written_apart_stay_apart():
    # Chuang Xin joined reads as innovation (创新), but a lone syllable after it says the three
    # are a brand's (创芯微): left apart, they meet its pinyin joined.
    assert normalise_name("Shenzhen Chuang Xin Wei Technology").words == (
        "shenzhen",
        "chuang",
        "xin",
        "wei",
        "technology",
    )
    assert normalise_name("Chuang Xin Technology").words == ("innovation", "technology")
    assert normalise_name("Hua Wei Ke Ji").words == ("hua", "wei", "technology")
    assert (
        score_pair("深圳市创芯微科技有限公司", "Shenzhen Chuang Xin Wei Technology Co., Ltd.")
        >= 0.8
    )
