"""The sixteenth round: Russian, Ukrainian and Belarusian words of organisation names in any
case or adjective ending (trade.russian_words, trade.transliteration.russian_stem), Russian
forms of organisation written out (NPP, NPK), the Kazakh TOO last in a name, the adjective of
a place in -i (Mytishchinskiy)."""

from __future__ import annotations

import pytest

from trade.matching import score_pair
from trade.names import normalise_name
from trade.russian_words import russian_word
from trade.transliteration import adjective_of, russian_stem

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


def test_russian_stems():
    assert russian_stem("tyazhelogo") == russian_stem("tyazhelyy") == "tiaiel"
    assert russian_stem("mashinostroitelnyi") == russian_stem("mashinostroitelnaya")
    assert russian_stem("zavoda") == russian_stem("zavod") == "zavod"
    assert russian_stem("tianjin") == ""  # pinyin
    assert russian_stem("mira") == ""  # short


def test_russian_words_in_any_case():
    assert russian_word("kolesnykh") == ("wheel",)
    assert russian_word("tyagachei") == ("tractor",)
    assert russian_word("sviazi") == ("communication",)
    assert russian_word("poluprovodnikovykh") == ("semiconductor",)
    assert russian_word("vostok") == ()
    assert normalise_name("Minskiy Zavod Kolesnykh Tyagachei").words == (
        "minskiy",
        "plant",
        "wheel",
        "tractor",
    )


def test_russian_forms_written_out():
    assert normalise_name("Research and Production Enterprise Tekhnologiya").words == (
        "npp",
        "technology",
    )
    assert score_pair("NPP Tekhnologiya", "Research and Production Enterprise Tekhnologiya") == 1.0


def test_kazakh_too_last():
    assert normalise_name("Kazinvest Trade TOO").words == ("kazinvest", "trading")
    assert normalise_name("Me Too").words == ("me", "too")


def test_adjective_of_a_place_in_i():
    assert adjective_of("mytishchinskiy", "mytishchi")
    assert not adjective_of("mytishchinskiy", "mytishch")
    assert (
        score_pair("Mytishchinskiy Mashinostroitelnyi Zavod", "Mytishchi Machine Building Plant")
        == 0.927
    )


def test_camel_case_pinyin_apart():
    assert normalise_name("ChengduTianaoXinxiKejiYouxianGongsi").words == (
        "chengdu",
        "tianao",
        "information",
        "technology",
    )
    assert normalise_name("PetroChina").words == ("petrochina",)


def test_shi_after_its_city():
    assert normalise_name("Shenzhen Shi Huaqiang Dianzi").words == (
        "shenzhen",
        "huaqiang",
        "electronic",
    )
    assert normalise_name("Shi Huaqiang").words == ("shi", "huaqiang")


def test_chinese_words_of_the_sixteenth_round():
    assert normalise_name("Wuhan Huazhong Numerical Control").words == ("wuhan", "huazhong", "cnc")
    assert normalise_name("大连海晟船舶电子").words[:2] == ("dalian", "haisheng")
    assert (
        score_pair("大连海晟船舶电子有限公司", "Dalian Haisheng Marine Electronics Co Ltd") >= 0.8
    )


def test_known_names_without_the_city():
    from trade.known_names import other_names

    assert "瑞芯微" in other_names("Fuzhou Rockchip Electronics Co., Ltd.")
    assert "Rockchip" in other_names("福州瑞芯微电子股份有限公司")
    # a city before a kind of organisation is another organisation
    assert other_names("Shenyang Institute of Automation, Chinese Academy of Sciences") == ()
    assert "Siasun" in other_names("Siasun Robot & Automation Co., Ltd.")


def test_other_names_of_places():
    assert normalise_name("Hrodna Azot").words == normalise_name("Grodno Azot").words
    assert normalise_name("Alma-Ata Heavy Machinery Plant").words[0] == "almaty"
    assert normalise_name("Ust-Kamenogorsk Titanium").words == ("oskemen", "titanium")
    assert normalise_name("Nizhny Novgorod Kvarts").words == ("nizhnynovgorod", "kvarts")
    assert russian_word("nizhegorodskogo") == ("nizhnynovgorod",)
    assert russian_word("kharkovskiy") == russian_word("kharkivskyi") == ("kharkiv",)
    assert russian_word("mahiliouski") == ("mahiliou",)
    assert score_pair("Mahiliouski Avtamabilny Zavod", "Mogilev Automobile Plant") == 1.0


def test_spelt_out():
    from trade.scoring import word_credit
    from trade.transliteration import spelt_out

    assert spelt_out("oeztuerk", "ozturk")
    assert spelt_out("kalaye", "kala")
    assert spelt_out("handasah", "handasa")
    assert not spelt_out("boeing", "boeing")
    assert not spelt_out("kalye", "kal")  # the ezafe after a vowel only
    assert word_credit("oeztuerk", "ozturk") == (0.9, "spelling variant")


def test_turkish_and_persian_words():
    assert (
        normalise_name("Celik Savunma Sistemleri").words
        == normalise_name("Celik Defence Systems").words
    )
    assert normalise_name("Sanaye Elektronik Iran").words == ("industrial", "electronic", "iran")


def test_keyboard_neighbours():
    from trade.keyboard import neighbour_slip
    from trade.scoring import word_credit

    assert neighbour_slip("nafy", "naft")
    assert not neighbour_slip("luzhou", "suzhou")  # l and s are not neighbours
    assert word_credit("azor", "azot") == (0.8, "typo")
    assert word_credit("tula", "yula") == (0.0, "")  # two pinyin words
    assert normalise_name("Wingdao Hainuo").words == ("qingdao", "hainuo")
    assert normalise_name("Euxi Xingyuan").words == ("wuxi", "xingyuan")
    assert normalise_name("Tangzhou Hainuo").words[0] == "tangzhou"  # pinyin: a name


def test_particles_written_together():
    assert (
        normalise_name("Vander Molen Optics").words == normalise_name("Van der Molen Optics").words
    )
    assert normalise_name("Vanden Berg").words == ("van", "den", "berg")
