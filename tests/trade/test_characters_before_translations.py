"""A party named in characters is compared with the characters of an organisation known by
them, not read word for word against the organisation's English name (trade.matching): CSSC's
old name 中国船舶工业集团 reads as China Shipbuilding Industry Corporation, the English name of
CSIC (中国船舶重工集团), a different defence group until 2019."""

from __future__ import annotations

import pytest

from trade.matching import score_pair

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it

CSSC_OLD = "中国船舶工业集团有限公司"
CSIC = "中国船舶重工集团有限公司"


def test_two_groups_that_read_alike_in_english_are_two():
    assert score_pair(CSSC_OLD, CSIC) < 0.8


def test_the_organisation_still_meets_its_names_in_either_script():
    assert score_pair(CSIC, "China Shipbuilding Industry Corporation") >= 0.8
    assert score_pair("China Shipbuilding Industry Corporation", CSIC) >= 0.8
    assert score_pair("中国船舶重工集团公司", CSIC) >= 0.8
    assert score_pair("科大讯飞", "iFlytek Co., Ltd.") >= 0.8  # the known name in characters


def test_a_group_and_its_member_are_compared_every_way():
    # the trading company in characters against the group in English: named alike without the
    # group's words, so not kept to the group's characters (中国兵器工业集团)
    assert score_pair("中国北方工业公司", "NORINCO Group") >= 0.8


def test_kana_alone_are_not_characters():
    # キオクシア (Kioxia) has no name in Chinese characters the list keeps (铠侠 has two, left
    # out as a name of its own), so a party in characters meets its English known name
    assert score_pair("铠侠", "キオクシア") >= 0.8
