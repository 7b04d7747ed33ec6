"""A party named in characters is compared with the characters of an organisation known by
them, not read word for word against the organisation's English name (trade.matching): CSSC's
old name 中国船舶工业集团 reads as China Shipbuilding Industry Corporation, the English name of
CSIC (中国船舶重工集团), a different defence group until 2019."""

from __future__ import annotations

import datetime as dt

from trade.matching import KNOWN_NAME, ListEntry, ListIndex, Party, score_pair

CSSC_OLD = "中国船舶工业集团有限公司"
CSIC = "中国船舶重工集团有限公司"


def test_two_groups_that_read_alike_in_english_are_two():
    assert score_pair(CSSC_OLD, CSIC) < 0.8


def test_the_organisation_still_meets_its_names_in_either_script():
    assert score_pair(CSIC, "China Shipbuilding Industry Corporation") >= 0.8
    assert score_pair("China Shipbuilding Industry Corporation", CSIC) >= 0.8
    assert score_pair("中国船舶重工集团公司", CSIC) >= 0.8
    assert score_pair("科大讯飞", "iFlytek Co., Ltd.") >= 0.8  # the known name in characters


def test_the_evidence_is_the_characters():
    # a party in characters against an entry listed in English: the organisation's name in
    # characters is what met, not a word-for-word reading of the party's
    entry = ListEntry(
        list="control_list", entry_ref="E1", name="China Shipbuilding Industry Corporation"
    )
    index = ListIndex([entry])
    (found,) = index.check(Party(party_ref="P1", name=CSIC), dt.date(2026, 1, 1))
    assert found.evidence["entry_name_kind"] == KNOWN_NAME
    assert "船舶重工" in found.evidence["entry_name"]
