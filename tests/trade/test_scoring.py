"""Two names word by word: the credit of one word for another, joined words, initials, the
country signal one pair at a time and in bulk."""

from __future__ import annotations

import numpy as np
import pytest

from trade.country_signal import country_effect, country_effects
from trade.match_types import MatchConfig
from trade.names import normalise_name
from trade.scoring import compare_names, word_credit

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


def test_word_credit_tells_a_slip_from_another_name():
    assert word_credit("huawie", "huawei") == (0.917, "typo")
    assert word_credit("hsinhua", "xinhua") == (0.9, "spelling variant")
    assert word_credit("huaxin", "huaxing") == (0.3, "different pinyin syllables")
    assert word_credit("electric", "electronic") == (0.0, "")


def test_words_written_apart_pair_with_one_word():
    comparison = compare_names(
        normalise_name("Hua Wei Technologies"), normalise_name("Huawei Technologies Co., Ltd.")
    )
    assert (comparison.score, comparison.how) == (1.0, "words 1.00: hua wei≈huawei (joined)")


def test_a_short_name_that_is_the_initials_scores_the_acronym_score():
    comparison = compare_names(
        normalise_name("CETC"), normalise_name("China Electronics Technology Group Corporation")
    )
    assert (comparison.score, comparison.how) == (0.85, "initials 'CETC'")


def test_country_effects_in_bulk_are_the_single_pair_effects():
    config = MatchConfig()
    parties = ["CN", "US", "HK", ""]
    entries = ["CN", "CN", "CN", "CN"]
    bulk = country_effects(
        np.asarray(parties, dtype=object), np.asarray(entries, dtype=object), config
    )
    single = [country_effect(p, e, config)[0] for p, e in zip(parties, entries, strict=True)]
    assert bulk.tolist() == single == [0.05, -0.1, 0.0, 0.0]


def test_homophone_characters_are_not_the_same_words():
    same_pinyin = compare_names(
        normalise_name("华为技术有限公司"), normalise_name("华伟技术有限公司")
    )
    assert same_pinyin.score < 0.8
    assert "same sound, other characters 华为/华伟" in same_pinyin.how


def test_syllables_written_apart_in_older_letters_join_to_pinyin():
    comparison = compare_names(
        normalise_name("Tientsin Kuo Tai Trading"), normalise_name("天津国泰贸易")
    )
    assert comparison.score >= 0.9
    assert "kuo tai≈guotai (joined)" in comparison.how
    # Written in pinyin letters (d), two syllables apart are not another spelling of one word.
    assert compare_names(normalise_name("Cheng Du"), normalise_name("Zhengtu")).score == 0.0


def test_a_persons_name_given_name_first_meets_it_surname_first():
    comparison = compare_names(normalise_name("Wei ZHANG"), normalise_name("张伟"))
    assert comparison.score == 0.85
    # Syllables in another order are weaker evidence than syllables in order.
    assert compare_names(normalise_name("Hua Wei"), normalise_name("Weihua Trading")).score < 0.8
    assert "wei zhang≈zhangwei (surname first)" in comparison.how


def test_cantonese_and_taiwanese_spellings_write_pinyin_syllable_by_syllable():
    comparison = compare_names(normalise_name("Hang Seng Bank"), normalise_name("恒生銀行有限公司"))
    assert comparison.score >= 0.8
    assert "hang seng≈hengsheng (other romanisation)" in comparison.how
    assert (
        compare_names(
            normalise_name("National Cheng Kung University"), normalise_name("國立成功大學")
        ).score
        >= 0.8
    )
    # Every syllable must be a spelling of its pinyin syllable: Hang Lung is not Heng Sheng.
    assert (
        compare_names(normalise_name("Hang Lung Bank"), normalise_name("Hengsheng Bank")).score
        < 0.5
    )


def test_a_partial_name_leaves_out_places_and_words_of_its_kind():
    comparison = compare_names(
        normalise_name("Goldwind"),
        normalise_name("Xinjiang Goldwind Science & Technology Co., Ltd."),
    )
    assert comparison.score >= 0.8
    assert "the shorter name whole in the longer" in comparison.how
    # A word of another trade is a sibling, not the name written short.
    assert (
        compare_names(
            normalise_name("Cubic Corporation"), normalise_name("Cubic Global Defense")
        ).score
        < 0.8
    )
    # Two names with words the other lacks are not one name written short.
    assert (
        compare_names(
            normalise_name("Dongfang Electric"), normalise_name("Dongfang Electronics")
        ).score
        < 0.8
    )


def test_two_places_are_two_parties():
    assert (
        compare_names(
            normalise_name("Beijing Tong Ren Tang"), normalise_name("Tianjin Tong Ren Tang")
        ).score
        < 0.8
    )
    # A name of common words only with a place more is another institute.
    assert (
        compare_names(
            normalise_name("Institute of Automation, Chinese Academy of Sciences"),
            normalise_name("Shenyang Institute of Automation, Chinese Academy of Sciences"),
        ).score
        < 0.8
    )
    # A place one name leaves out is not another place.
    assert (
        compare_names(
            normalise_name("Guangdong Zhuhai Gree Electric Appliances"),
            normalise_name("Gree Electric Appliances Inc. of Zhuhai"),
        ).score
        >= 0.8
    )
