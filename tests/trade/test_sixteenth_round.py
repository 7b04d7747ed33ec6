"""The sixteenth round: Russian, Ukrainian and Belarusian words of organisation names in any
case or adjective ending (trade.russian_words, trade.transliteration.russian_stem), Russian
forms of organisation written out (NPP, NPK), the Kazakh TOO last in a name, the adjective of
a place in -i (Mytishchinskiy)."""

from __future__ import annotations

from trade.matching import score_pair
from trade.names import normalise_name
from trade.russian_words import russian_word
from trade.transliteration import adjective_of, russian_stem


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
