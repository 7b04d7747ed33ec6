"""Candidates, their scores and reasons; the country signal; listing and delisting dates."""

from __future__ import annotations

import datetime as dt

from trade.matching import ListEntry, ListIndex, MatchConfig, Party, score_pair

DAY = dt.date(2026, 12, 1)


def entry(ref="CL01", name="Huawei Technologies Co., Ltd.", **extra) -> ListEntry:
    defaults = {"list": "control_list", "country": "CN", "listed_on": dt.date(2025, 1, 2)}
    return ListEntry(entry_ref=ref, name=name, **{**defaults, **extra})


def test_legal_forms_do_not_change_the_score():
    assert score_pair("Huawei Technologies", "Huawei Technologies Co., Ltd.") == 1.0
    assert score_pair("华为技术", "华为技术有限公司") == 1.0


def test_names_match_across_scripts():
    assert score_pair("Beijing Huawei Technology Co Ltd", "北京华为技术有限公司") == 1.0


def test_word_order_does_not_matter():
    assert score_pair("Martin Lockheed", "Lockheed Martin Corporation") == 1.0


def test_a_typo_scores_a_little_less():
    assert 0.9 <= score_pair("Huawie Technologies", "Huawei Technologies") < 1.0


def test_different_companies_sharing_common_words_score_low():
    assert (
        score_pair("Beijing Zhongke Technology Co., Ltd.", "Beijing Tianhe Technology Co., Ltd.")
        < 0.5
    )
    assert score_pair("Shenzhen Huaxin Electronics", "Shenzhen Huaxing Electronics") < 0.8


def test_same_country_raises_and_another_country_lowers():
    config = MatchConfig()
    alone = score_pair("Huawei", "Huawei Technologies Co., Ltd.")
    same = score_pair(
        "Huawei", "Huawei Technologies Co., Ltd.", party_country="CN", entry_country="CN"
    )
    other = score_pair(
        "Huawei", "Huawei Technologies Co., Ltd.", party_country="US", entry_country="CN"
    )
    assert same == round(alone + config.country_bonus, 3)
    assert other == round(alone - config.country_penalty, 3)


def test_candidate_reason_says_which_name_matched_which_alias_and_how():
    index = ListIndex([entry(aliases=("华为技术有限公司",))])
    [candidate] = index.check(Party(party_ref="P1", name="", name_zh="华为技术", country="CN"), DAY)
    assert candidate.entry_ref == "CL01"
    assert candidate.reason == (
        "Chinese name '华为技术' matched alias '华为技术有限公司' of CL01 "
        "(same words 'huawei technology' ('华为技术' read as 'huawei technology'; "
        "'华为技术有限公司' read as 'huawei technology'); "
        "name 1.00, same country CN: 1.00)"
    )


def test_candidates_below_the_threshold_are_not_listed():
    index = ListIndex([entry()], MatchConfig(threshold=0.95))
    assert index.check(Party(party_ref="P1", name="Huawei"), DAY) == []


def test_delisted_entries_are_not_candidates_from_their_delisting_date():
    index = ListIndex([entry(delisted_on=dt.date(2026, 6, 1))])
    party = Party(party_ref="P1", name="Huawei Technologies", country="CN")
    assert [c.entry_ref for c in index.check(party, dt.date(2026, 5, 31))] == ["CL01"]
    assert index.check(party, dt.date(2026, 6, 1)) == []


def test_entries_are_not_candidates_before_their_listing_date():
    index = ListIndex([entry(listed_on=dt.date(2026, 6, 1))])
    party = Party(party_ref="P1", name="Huawei Technologies", country="CN")
    assert index.check(party, dt.date(2026, 5, 31)) == []
    assert len(index.check(party, dt.date(2026, 6, 1))) == 1


def test_bulk_screening_gives_what_single_checks_give():
    entries = [
        entry("CL01"),
        entry("CL02", "Lockheed Martin Corporation", country="US"),
        entry(
            "CL03",
            "China Electronics Technology Group Corporation",
            aliases=("中国电子科技集团公司",),
        ),
    ]
    parties = [
        Party(party_ref="P1", name="Huawei Tech Co Ltd", country="CN"),
        Party(party_ref="P2", name="Lokheed Martin", country="US"),
        Party(party_ref="P3", name="CETC", country="CN"),
        Party(party_ref="P4", name="Acme Widgets", country="US"),
    ]
    index = ListIndex(entries)
    bulk = index.screen(parties, DAY)
    assert [[c.entry_ref for c in found] for found in bulk] == [["CL01"], ["CL02"], ["CL03"], []]
    assert bulk == [index.check(p, DAY) for p in parties]
