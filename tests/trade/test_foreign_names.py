"""Romanisations and translations of Russian, Japanese, Korean and Arabic names (the eleventh
round: trade.transliteration, [foreign_words] of trade/data/name_words.toml)."""

from __future__ import annotations

import pytest

from tests.trade.pairs import Pair, measure
from trade.matching import score_pair

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it

SAME = [
    # Korean: McCune-Reischauer against the Revised Romanization
    ("Koryo Commercial Bank", "Goryeo Commercial Bank"),
    ("Doosan Enerbility Co", "Tusan Enerbility Co., Ltd."),
    ("Daesong General Trading", "Taesong General Trading Corporation"),
    # short Arabic words whose vowels alone differ
    ("Al Hosn Industrial Company", "Al-Husn Industrial Co."),
    ("Khalid Bin Saeed Electronics FZE", "Khaled bin Said Electronics FZE"),
    # Russian and Japanese words translated
    ("Uralskiy Optiko-Mekhanicheskiy Zavod", "Ural Optical and Mechanical Plant"),
    ("Zavod imeni Degtyareva", "Degtyarev Plant JSC"),
    ("Mitsubishi Jukogyo Kabushiki Kaisha", "Mitsubishi Heavy Industries Ltd"),
    ("Kyoto Seisakusho KK", "Kyoto Seisakusyo Co., Ltd."),
    ("Obshchestvo Radiotekhnicheskiy Zavod", "Radiotechnical Plant Company"),
    ("Goskorporatsiya Rostekh", "State Corporation Rostec"),
    # Arabic: Abdul Rahman is Abd al-Rahman; the article weighs little; Sharikat, Lil, Tijara
    ("Abdul Rahman Al Qasimi General Trading LLC", "Abd al-Rahman al-Qassimi General Trading"),
    ("Abdulaziz Al Ghamdi Electronics", "Abdul Aziz Al-Ghamdi Electronics Co."),
    ("Sharikat Al Nour Lil Tijara", "Al Noor Trading Company"),
    ("Mohammed Al Rashid Trading Est", "Muhammad Al-Rasheed Trading Establishment"),
    ("Atlas Elektronik GmbH", "Atlas Electronics GmbH"),
]
APART = [
    ("Koryo Commercial Bank", "Korea Daesong Bank"),
    ("Korea Ryonbong General Corporation", "Korea Ryongbong Trading"),
    ("Al Hosn Industrial Company", "Al Hasan Industrial Company"),
    ("TBEA Co., Ltd.", "TBAE Co., Ltd."),  # initials, not a word spoken
    ("Sikor sky Aircraft", "Sikorsky Aircraft Corp."),  # surname, not an adjective: joined
    ("Kawasaki Jukogyo", "Kawasaki Kinkai Kisen Kaisha"),
    ("Degtyarev Plant JSC", "Kovrov Electromechanical Plant JSC"),
    ("Mohammed Al Rashid Trading Est", "Mohammed Al Rashid Contracting Est"),
    ("Hussein Al Khouri Engineering", "Hussein Al Khouri Contracting"),
]


def test_other_romanisations_and_translations_match():
    for party, entry in SAME:
        assert score_pair(party, entry) >= 0.8, (party, entry)


def test_different_names_stay_apart():
    for party, entry in APART[:4] + APART[5:]:
        assert score_pair(party, entry) < 0.8, (party, entry)
    # a surname in -sky is not read as an adjective of a place: the words written apart join
    assert score_pair(*APART[4]) >= 0.8


def test_pieces_of_a_word_join_across_the_article():
    assert score_pair("IHI Master Met al K.K.", "IHI Master Metal K.K.") >= 0.8
    assert score_pair("Booz Al len Hamilton", "Booz Allen Hamilton") >= 0.8


def test_bulk_screening_finds_them():
    pairs = [Pair("t", "t", p, e, True) for p, e in SAME]
    assert measure(pairs).recall == 1


# The twelfth round: Chosun/Joseon (ŏ written u), Othman/Osman (th as s), Russian AO and PAO
# weighing as common words, English words of Chinese ones written two ways.
TWELFTH_SAME = [
    ("Chosun Machinery Trading", "Joseon Machinery Trading Co."),
    ("Osman Kaya Makina", "Othman Kaya Machinery"),
    ("Volga Radiozavod AO", "Volga Radiozavod JSC"),
    ("PAO Kama Precision", "Kama Precision PJSC"),
    ("华北电力大学", "North China Electric Power University"),
    ("湖南华曙高科技股份有限公司", "Hunan Huashu High Technology Co., Ltd."),
]
TWELFTH_APART = [
    ("Roth Industries", "Ross Industries"),  # a last th is not s
    ("Thomas Trading", "Samos Trading"),  # nor a first one
    ("Shanghai Electric", "Shanghai Electric Power"),  # 上海电气, 上海电力: two firms
    ("Chosun Machinery Trading", "Jesan Machinery Trading"),
]


def test_twelfth_round_spellings():
    for party, entry in TWELFTH_SAME:
        assert score_pair(party, entry) >= 0.8, (party, entry)
    for party, entry in TWELFTH_APART:
        assert score_pair(party, entry) < 0.8, (party, entry)


def test_related_words_chain_to_one_index_word():
    """A chain of related words (plant, factory, works, combine) is one word for index keys
    and bounds, whatever the order of the pairs (it was the set's, so a hash seed's)."""
    from trade.name_words import related_roots

    roots = related_roots()
    assert roots["plant"] == roots["works"] == roots["factory"] == roots["combine"]
    assert roots["aviation"] == roots["airline"] == roots["aeronautical"]
    assert score_pair("中華航空股份有限公司", "China Airlines Ltd.") >= 0.8


def test_twelfth_round_words():
    """Turkish ve is a stop word and Sanayi ve Ticaret a legal form; Financial is Finance,
    Polytech Polytechnical; 海外 overseas, 商用 commercial; mining and mineral are related."""
    assert score_pair("Baykar Makina Sanayi ve Ticaret Anonim Şirketi", "Baykar A.Ş.") >= 0.8
    assert score_pair("Otokar Otomotive", "Otokar Otomotiv ve Savunma Sanayi A.Ş.") >= 0.8
    assert score_pair("第一金融控股股份有限公司", "First Financial Holding Co., Ltd.") >= 0.8
    assert score_pair("西藏矿业发展股份有限公司", "Tibet Mineral Development Co., Ltd.") >= 0.8
    assert score_pair("中国矿业大学", "China University of Mining and Technology") >= 0.8
    # 哈尔滨工业大学 and 哈尔滨理工大学 are two universities
    assert score_pair("哈尔滨工业大学", "哈尔滨理工大学") < 0.8


def test_a_last_factory_character_is_a_word():
    """厂 (廠) ending a name is its factory, not the pinyin chang, a distinctive word."""
    from trade.names import normalise_name

    assert normalise_name("東陽實業廠股份有限公司").words == ("dongyang", "industrial", "factory")
    assert score_pair("東陽實業廠股份有限公司", "Tong Yang Industry Co., Ltd.") >= 0.8
    assert "factory" not in normalise_name("厂商科技").words  # not where it begins a name


def test_one_syllable_in_cantonese_spelling():
    """A surname in its Cantonese spelling is its pinyin (Lee, Li; Ho, He), in the comparison
    and the index alike."""
    assert score_pair("Lee Kum Wah Industrial Co Ltd", "Li Jinhua Industrial Co., Ltd.") >= 0.8
    assert score_pair("Ho Tak Kee Engineering Ltd", "He Deji Engineering Co., Ltd.") >= 0.8
    assert score_pair("Lee Kum Wah Industrial Co Ltd", "Li Jinlong Industrial Co., Ltd.") < 0.8


def test_vowels_of_a_pinyin_word_against_another_spelling():
    """A short word that reads as pinyin (Huda, hu-da) and another spelling that does not
    (Hoda) differ in their vowels only; two pinyin words so alike stay two names."""
    assert score_pair("Nour Al Huda Electronics", "Noor Al-Hoda Electronics Co.") >= 0.8
    assert score_pair("Huida Electronics", "Haoda Electronics Co.") < 0.8


def test_twelfth_round_glossary():
    assert score_pair("深圳华安数控设备有限公司", "Shenzhen Huaan CNC Equipment Co., Ltd.") >= 0.8
    assert score_pair("北京天源安全技术有限公司", "Beijing Tianyuan Security Technology") >= 0.8
    assert score_pair("中国商用飞机有限责任公司", "China Commercial Aircraft Co., Ltd.") >= 0.8


def test_a_wade_giles_syllable_is_no_misspelt_word():
    """Chin (金, jin in Wade-Giles) is not a Chain with a letter left out."""
    pair = ("Taichung Chin Hsing Machinery", "Taizhong Jinxing Machinery Co., Ltd.")
    assert score_pair(*pair) >= 0.8


def test_a_bracketed_holdings_or_group_qualifies_the_name():
    assert score_pair("香港小輪(集團)有限公司", "Hong Kong Ferry (Holdings) Company Limited") >= 0.8
    assert score_pair("Yunnan Xiye Jituan", "云南锡业集团（控股）有限责任公司") >= 0.8
    # only in brackets: written out, Holdings is a word of the name
    assert score_pair("Hong Kong Ferry Holdings", "Hong Kong Ferry Group") < 0.8
