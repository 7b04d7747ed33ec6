"""Known other names: the shipped file is valid, lookups work both ways, bad files are named."""

from __future__ import annotations

import datetime as dt

import pytest

from trade import matching
from trade.known_names import (
    DATA,
    KnownNamesError,
    known_names,
    load_known_names,
    name_key,
    organisation_of,
    other_names,
)
from trade.match_types import Candidate, ListEntry, Party
from trade.matching import KNOWN_NAME, ListIndex, score_pair

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it

HEADER = "chinese,names,country,kind,note\n"


def test_shipped_file_loads_and_validates():
    loaded = load_known_names(DATA)
    assert len(loaded.organisations) >= 300
    assert known_names().organisations == loaded.organisations


def test_chinese_legal_name_finds_brand():
    assert "iFlytek" in other_names("科大讯飞股份有限公司")


def test_latin_name_in_any_case_finds_chinese():
    found = other_names("IFLYTEK CO., LTD.")
    assert found[0] == "科大讯飞"
    assert "iFlytek" not in found  # the name asked about is not returned as its own other name


def test_full_width_and_punctuation_are_ignored():
    assert "Lockheed Martin" in other_names("洛克希德・马丁公司")
    assert "洛克希德·马丁" in other_names("ＬＯＣＫＨＥＥＤ　ＭＡＲＴＩＮ　ＣＯＲＰ．")


def test_abbreviation_finds_full_names():
    found = other_names("CATL")
    assert "宁德时代" in found
    assert "Contemporary Amperex Technology" in found


def test_unknown_name_has_no_other_names():
    assert other_names("Acme Batteries GmbH") == ()
    assert other_names("") == ()


def test_name_key_strips_legal_forms_but_not_names():
    assert name_key("The Boeing Company") == "boeing"
    assert name_key("NORINCO") == "norinco"
    assert name_key("中国电子科技集团有限公司") == "中国电子科技集团"
    assert name_key("Limited") == "limited"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (",iFlytek,CN,brand,x\n", "line 3: the chinese column is missing"),
        ("科大讯飞,,CN,brand,x\n", "line 3: the names column is missing"),
        ("科大讯飞,iFlytek;;,CN,brand,x\n", "line 3: the names column is missing"),
        ("科大讯飞,iFlytek,CN,nickname,x\n", "line 3: kind 'nickname'"),
        ("科大讯飞,iFlytek,China,brand,x\n", "line 3: country 'China'"),
        ("科大讯飞,iFlytek,CN,brand\n", "line 3: 4 fields"),
        ("讯飞,iFLYTEK Co.,CN,brand,x\n", "line 3: 'iFLYTEK Co.' is already a name of the "),
    ],
)
def test_bad_file_names_the_row(tmp_path, row, message):
    path = tmp_path / "known_names.csv"
    path.write_text(HEADER + "科大讯飞,iFlytek,CN,brand,x\n" + row, encoding="utf-8")
    with pytest.raises(KnownNamesError, match=message):
        load_known_names(path)


def test_bad_header_is_reported(tmp_path):
    path = tmp_path / "known_names.csv"
    path.write_text("chinese,english\n科大讯飞,iFlytek\n", encoding="utf-8")
    with pytest.raises(KnownNamesError, match="line 1: the header"):
        load_known_names(path)


# The matcher: list entries carry their organisation's known other names.

DAY = dt.date(2026, 12, 1)


def _screen(entries: list[ListEntry], parties: list[Party]) -> list[list[Candidate]]:
    index = ListIndex(entries)
    bulk = index.screen(parties, DAY, processes=1)
    assert bulk == [index.check(party, DAY) for party in parties]  # bulk and single agree
    return bulk


def test_known_names_meet_their_organisation_both_ways_with_the_reason():
    entries = [
        ListEntry(list="control_list", entry_ref="CL01", name="科大讯飞股份有限公司"),
        ListEntry(
            list="unreliable_entity_list", entry_ref="UEL1", name="Lockheed Martin Corporation"
        ),
    ]
    parties = [
        Party(party_ref="P1", name="iFLYTEK Co., Ltd."),
        Party(party_ref="P2", name="洛克希德·马丁公司"),
        Party(party_ref="P3", name="Acme Batteries Ltd."),
    ]
    found = _screen(entries, parties)
    assert [[c.entry_ref for c in candidates] for candidates in found] == [["CL01"], ["UEL1"], []]
    assert found[0][0].score >= 0.95
    assert f"matched {KNOWN_NAME} 'iFlytek" in found[0][0].reason


def test_without_the_table_the_letters_alone_do_not_meet(monkeypatch):
    monkeypatch.setattr(matching, "other_names", lambda name: ())
    entries = [ListEntry(list="control_list", entry_ref="CL01", name="科大讯飞股份有限公司")]
    assert _screen(entries, [Party(party_ref="P1", name="iFLYTEK Co., Ltd.")]) == [[]]


def test_two_character_chinese_names_are_not_added_as_names_of_their_own():
    # 中兴 is a known name of ZTE, but whole inside 中興電工機械 (Chung-Hsin Electric) it
    # would name another firm; ZTE's longer Chinese names still meet.
    assert "中兴" in other_names("ZTE Corporation")
    entries = [ListEntry(list="control_list", entry_ref="CL01", name="ZTE Corporation")]
    parties = [
        Party(party_ref="P1", name="中興電工機械股份有限公司"),
        Party(party_ref="P2", name="中兴通讯股份有限公司"),
    ]
    assert [[c.entry_ref for c in found] for found in _screen(entries, parties)] == [[], ["CL01"]]


def test_distinct_legal_entities_of_one_group_are_not_one_organisation():
    assert "Huawei Investment & Holding" not in other_names("Huawei Technologies Co., Ltd.")
    assert "China North Industries Group Corporation" not in other_names(
        "China North Industries Corporation"
    )


def test_name_key_reads_legal_forms_from_name_words_but_keeps_a_group():
    # name_words.toml's [legal_forms] is the one home: its phrases and long forms go too
    assert name_key("Infineon Technologies Aktiengesellschaft") == "infineontechnologies"
    assert name_key("Yangtze Optical Fibre and Cable Joint Stock Limited Company") == (
        "yangtzeopticalfibreandcable"
    )
    assert name_key("中国航空技术进出口总公司") == "中国航空技术进出口"
    # a group is another legal entity than its members: NORINCO Group is not NORINCO
    assert name_key("NORINCO Group") == "norincogroup"
    assert name_key("中国兵器工业集团有限公司") == "中国兵器工业集团"


def test_short_chinese_uses_the_known_names_range():
    assert matching._short_chinese("中兴")
    assert not matching._short_chinese("中兴通讯")
    assert not matching._short_chinese("ZT")


def test_a_group_not_named_apart_is_its_organisation():
    # 泰雷兹集团 is not a row of its own: the lookup falls back to the key without Group
    assert other_names("泰雷兹集团") == ("Thales",)
    assert other_names("Thales Group") == ("泰雷兹",)
    # a group that is a row of its own stays that row (NORINCO Group is not NORINCO)
    assert "NORINCO" not in other_names("NORINCO Group")
    assert name_key("Thales Group", groups=True) == "thales"


def test_keys_read_latin_letters_as_the_matcher_does():
    # one table of letters for the matcher and the keys (trade.known_names.LETTERS): æ is ae
    assert name_key("Mærsk A/S") == name_key("Maersk") == "maersk"
    assert name_key("Dövlət Neft Şirkəti") == name_key("Dovlet Neft Sirketi")
    # the Thai and Korean legal forms come from [legal_forms] native
    assert name_key("บริษัท ปตท. จำกัด (มหาชน)") == name_key("ปตท")
    assert name_key("(주)한화") == name_key("한화 주식회사") == "한화"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("浜松ホトニクス", "Hamamatsu Photonics"),
        ("漢翔航空工業股份有限公司", "Aerospace Industrial Development Corporation"),
        ("中远海运集装箱运输有限公司", "COSCO Shipping Lines Co., Ltd."),
        ("株洲中车时代电气股份有限公司", "Zhuzhou CRRC Times Electric Co., Ltd."),
        ("Physikalisch-Technische Bundesanstalt", "PTB"),
    ],
)
def test_subsidiaries_and_mid_tier_firms_are_known(one, other):
    # the session after round 27: listed arms of state groups, Hong Kong and Taiwanese firms,
    # Japanese and Korean mid-tier makers, national defence research bodies (each its own row)
    assert other_names(one)
    assert other_names(other)
    assert score_pair(one, other) >= 0.8


def test_a_city_before_a_brand_is_read_without_it_but_not_before_a_school():
    # Fuzhou Rockchip is Rockchip, for the other names and for the organisation alike
    assert "瑞芯微" in other_names("Fuzhou Rockchip Electronics")
    assert organisation_of("福州瑞芯微电子") == organisation_of("Rockchip") is not None
    # a city is part of a school's name: Hangzhou Dianzi University is not UESTC (电子科技大学)
    assert organisation_of("电子科技大学") is not None
    assert other_names("杭州电子科技大学") == ()
    assert other_names("杭州電子科技大學") == ()
    assert organisation_of("杭州电子科技大学") is None
