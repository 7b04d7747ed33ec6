"""Two words run together, a space left out (trade.run_together): read as the other name's words
only, in bulk screening and single checks alike."""

from __future__ import annotations

import datetime as dt

import pytest

from trade.matching import ListEntry, ListIndex, Party, score_pair
from trade.names import normalise_name
from trade.run_together import readings

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it

DAY = dt.date(2026, 1, 1)


def test_a_name_run_together_is_matched():
    assert score_pair("BAESystems", "BAE Systems") >= 0.9
    assert score_pair("Baoshan Iron & SteelCo., Ltd.", "Baoshan Iron & Steel Co., Ltd.") >= 0.9
    assert score_pair("Chinese Academy ofForestry", "Chinese Academy of Forestry") >= 0.9
    assert score_pair("ChinaAirlines Ltd.", "China Airlines Ltd.") >= 0.9
    assert score_pair("ZhongguoShenhua", "China Shenhua") >= 0.9
    assert score_pair("Steelco Trading", "Steel Trading") >= 0.9


def test_a_list_entry_run_together_is_matched():
    assert score_pair("Sino Chem Group", "Sinochem Group") >= 0.9
    assert score_pair("Anduril Industries", "AndurilIndustries Inc.") >= 0.9


def test_a_run_together_brand_near_another_brand_is_not_matched():
    # Read as the other name's words only: Sinochem is sino + chemical, not Sino Steel.
    assert score_pair("Sinochem", "Sino Steel") < 0.8
    assert score_pair("Sinochem Group", "Sinosteel Group") < 0.8
    assert score_pair("BAESystems", "BAE Industries") < 0.8
    assert score_pair("Steelco Trading", "Iron Trading") < 0.8
    # A legal form or stop word leaves a name of four letters or more (Cisco is not CIS Co),
    # and none that is a pinyin syllable (Changan is not Chang An, Dalian not Dali An).
    assert score_pair("Cisco Systems", "CIS Systems") < 0.8
    assert score_pair("Changan Automobile", "Chang Automobile") < 0.8
    assert readings("cisco") == ()
    assert readings("changan") == ()


def test_a_name_as_written_is_not_read_otherwise():
    # The name's own words: petro is not read as the common word metro (a word of its own is
    # not a first-letter slip of another), so PetroChina reads as Petro China.
    assert readings("petrochina") == (("petro", "china"),)
    assert ("bae", "system") in readings("baesystems")


def test_bulk_screening_and_single_checks_agree_on_names_run_together():
    names = [
        "BAE Systems",
        "Baoshan Iron & Steel Co., Ltd.",
        "Sinochem Group",
        "Steel Trading",
        "Sino Steel",
        "China Airlines Ltd.",
        "AndurilIndustries Inc.",
    ]
    entries = [
        ListEntry(list="control_list", entry_ref=f"E{i}", name=n) for i, n in enumerate(names)
    ]
    parties = [
        Party(party_ref=f"P{i}", name=n)
        for i, n in enumerate(
            [
                "BAESystems",
                "Baoshan Iron & SteelCo",
                "Sino Chem Group",
                "Steelco Trading",
                "Sinochem",  # its own name, not Sino Steel
                "ChinaAirlines",
                "Anduril Industries",
            ]
        )
    ]
    index = ListIndex(entries)
    bulk = index.screen(parties, DAY, processes=1)
    assert bulk == [index.check(p, DAY) for p in parties]
    found = [[c.entry_ref for c in candidates] for candidates in bulk]
    assert found == [["E0"], ["E1"], ["E2"], ["E3"], ["E2"], ["E5"], ["E6"]]
    assert "run together" in bulk[0][0].reason


def test_legal_forms_run_together_go_as_legal_forms():
    assert normalise_name("Hangcha GroupCo").words == ("hangcha",)
    assert normalise_name("CRRC CorporationLimited").words == ("crrc",)
    assert normalise_name("Aluminum Corporationof China").words == ("aluminum", "china")
    # The first word of a legal form the next words complete (joint stock, sociedade anonima).
    assert normalise_name("Kronshtadtjoint Stock").words == ("kronshtadt",)
    assert normalise_name("Tupolevpublic Joint Stock Company").words == ("tupolev",)
    assert normalise_name("Embraersociedade Anonima").words == ("embraer",)
    # Not syllables of pinyin, and not without the rest of the legal form.
    assert normalise_name("Da De Xin").words == ("da", "de", "xin")
    assert normalise_name("Kronshtadtjoint Trading").words == ("kronshtadtjoint", "trading")


def test_an_ordinal_run_together_with_a_word_is_two_words():
    assert normalise_name("54thResearch Institute").words == ("54", "research", "institute")
    assert normalise_name("The718th Research Institute").words[0] == "718"
    assert normalise_name("3Com Corp").words == ("3com",)


def test_a_short_name_with_a_long_legal_form_run_together():
    # Three letters with a legal form of four or more (ZTECorp, PVHCorporation, Thales SA as
    # ThalesSA when the name is not pinyin).
    assert score_pair("ZTECorp", "ZTE Corporation") >= 0.9
    assert score_pair("PVHCorporation", "PVH Corp.") >= 0.9
    assert score_pair("ThalesSA", "Thales S.A.") >= 0.9
    assert score_pair("Cisco", "CIS Co") < 0.8


def test_a_common_word_written_apart_is_read_as_it():
    # Chi Na, Po Wer: pieces that are no words, their letters joined a common word (not a
    # place: Wu Han is joined as a place written in syllables, as before).
    assert normalise_name("Chi Na Airlines").words == ("china", "airline")
    assert normalise_name("China Yangtze Pow Er").words == ("china", "yangtze", "power")
    assert normalise_name("Feng Hsin St Eel").words == ("feng", "hsin", "steel")
    # Words of their own are not joined (Hua Wei is a name).
    assert normalise_name("Hua Wei").words == ("hua", "wei")
    assert score_pair("Chi Na Airlines", "China Airlines") == 1.0
    assert score_pair("Chi Na Airlines", "Chile Airlines") < 0.8
    # Read as China Airlines is, not more: a longer name of common words stays another name.
    assert score_pair("Chi Na Airlines", "China Southern Airlines") == score_pair(
        "China Airlines", "China Southern Airlines"
    )


def test_a_short_word_of_its_own_is_not_read_as_a_common_word_one_letter_away():
    # Tower Semiconductor is another company than Power Semiconductor, and Mower is not Power;
    # a long word with its first letter slipped is still the word (Bational, Cetroleum).
    assert normalise_name("Tower Semiconductor").words == ("tower", "semiconductor")
    assert score_pair("Tower Semiconductor", "Power Semiconductor") < 0.8
    assert score_pair("Mower Technology", "Power Technology") < 0.8
    assert score_pair("Bational Grid Corporation", "National Grid Corporation") >= 0.9
    assert score_pair("Cetroleum Development", "Petroleum Development") >= 0.9
