"""Candidates, their scores and reasons; the country signal; listing and delisting dates."""

from __future__ import annotations

import datetime as dt

import pytest

from trade import matching, synthetic
from trade.matching import (
    ListEntry,
    ListIndex,
    MatchConfig,
    Party,
    compare_names,
    country_effect,
    score_pair,
)
from trade.names import normalise_name

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it

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


def test_syllable_acronyms(monkeypatch):
    # The reading of the letters alone: both are also known names (trade.known_names), which
    # score them 1.0 (test_known_names_meet_their_organisation).
    monkeypatch.setattr(matching, "other_names", lambda name: ())
    assert score_pair("NORINCO", "China North Industries Corporation") == 0.85
    assert score_pair("AVIC", "Aviation Industry Corporation of China") == 0.85
    assert score_pair("Sigmasys", "Sigmaridge Aerospace Systems Ltd.") < 0.8


def test_numbered_institutes_are_different_parties():
    assert (
        score_pair(
            "China Electronics Technology Group Corporation 14th Research Institute",
            "China Electronics Technology Group Corporation 41st Research Institute",
        )
        < 0.8
    )
    assert (
        score_pair(
            "中国电子科技集团公司第十四研究所",
            "The 14th Research Institute of China Electronics Technology Group Corporation",
        )
        == 1.0
    )


def test_names_of_common_words_only_need_all_their_words():
    assert score_pair("Wuhan University", "Wuhan University of Technology") < 0.8
    assert score_pair("Harbin Institute of Technology", "Harbin Inst. of Tech.") == 1.0


def test_same_pinyin_from_other_characters_counts_less():
    same = score_pair("深圳市景弘国际贸易有限公司", "深圳市景弘国际贸易集团有限公司")
    other = score_pair("深圳市景弘国际贸易有限公司", "北京市敬鸿国际贸易有限公司")
    assert same == 1.0
    assert other < 0.8


def test_two_pinyin_words_are_two_names_not_two_spellings():
    # Ruijun and Ruichun could be one name only in an older romanisation, which has no r.
    assert (
        score_pair(
            "Chengdu Ruijun Information Technology", "Chengdu Ruichun Information Technology"
        )
        < 0.8
    )
    assert score_pair("Chang Wei Trading", "Zhang Wei Trading") >= 0.8


def test_related_common_words():
    assert score_pair("中国工程物理研究院", "China Academy of Engineering Physics") >= 0.8
    assert score_pair("上海医疗器械股份有限公司", "Shanghai Medical Instruments Co., Ltd.") >= 0.8


def test_bulk_screening_of_synthetic_parties_is_the_exact_comparison():
    # Bulk screening leaves pairs out by a bound on their score; a single check compares
    # every pair the index finds. Both must give the same candidates, reasons and scores.
    entries = synthetic.entries(3000, seed=23)
    parties, _ = synthetic.parties(3000, entries, planted=0.1, seed=29)
    index = ListIndex(entries)
    bulk = index.screen(parties, DAY, processes=1)
    assert sum(1 for found in bulk if found) > 300
    assert bulk == [index.check(party, DAY) for party in parties]


def test_the_index_finds_every_pair_the_comparison_accepts():
    entries = synthetic.entries(400, seed=31)
    parties, _ = synthetic.parties(120, entries, planted=0.3, seed=37)
    index = ListIndex(entries)
    config = index.config
    for party, found in zip(parties, index.screen(parties, DAY), strict=True):
        party_forms = [normalise_name(text) for _, text in party.names]
        expected = set()
        for entry in entries:
            if not entry.active_on(DAY):
                continue
            effect = country_effect(party.country, entry.country, config)[0]
            for _, text in entry.names:
                entry_form = normalise_name(text)
                for party_form in party_forms:
                    score = compare_names(party_form, entry_form).score
                    if round(max(0.0, min(1.0, score + effect)), 3) >= config.threshold:
                        expected.add(entry.entry_ref)
        assert {c.entry_ref for c in found} == expected, party


def test_the_index_finds_names_in_cantonese_and_taiwanese_spelling():
    index = ListIndex(
        [entry("CL01", "新鴻基地產發展有限公司"), entry("CL02", "Hang Seng Bank Limited")]
    )
    found = index.check(Party(party_ref="P1", name="Sun Hung Kai Properties", country="CN"), DAY)
    assert [c.entry_ref for c in found] == ["CL01"]
    found = index.check(Party(party_ref="P2", name="恒生銀行", country="CN"), DAY)
    assert [c.entry_ref for c in found] == ["CL02"]


def test_a_chinese_name_written_whole_within_a_longer_one():
    index = ListIndex([entry("CL01", "长沙景嘉微电子股份有限公司"), entry("CL02", "片仔癀")])
    found = index.check(Party(party_ref="P1", name="景嘉微", country="CN"), DAY)
    assert [c.entry_ref for c in found] == ["CL01"]
    assert "one whole in the other" in found[0].reason
    found = index.check(Party(party_ref="P2", name="漳州片仔癀药业股份有限公司", country="CN"), DAY)
    assert [c.entry_ref for c in found] == ["CL02"]
    # What the longer name has more must be common words or a city: 振华重工 is not 振华科技
    # written short, nor 伊利 伊泰煤炭.
    assert score_pair("振华重工", "振华科技") < 0.8
    assert score_pair("伊利", "内蒙古伊泰煤炭股份有限公司") < 0.8


def test_bulk_screening_keeps_partial_names_its_bound_would_have_left_out():
    # A partial name scores above its share of words; the bound on a pair's score says so.
    entries = [
        entry("CL01", "Xinjiang Goldwind Science & Technology Co., Ltd."),
        entry("CL02", "内蒙古伊利实业集团股份有限公司"),
    ]
    parties = [
        Party(party_ref="P1", name="Goldwind", country="CN"),
        Party(party_ref="P2", name="伊利", country="CN"),
    ]
    index = ListIndex(entries)
    bulk = index.screen(parties, DAY, processes=1)
    assert [[c.entry_ref for c in found] for found in bulk] == [["CL01"], ["CL02"]]
    assert bulk == [index.check(party, DAY) for party in parties]
