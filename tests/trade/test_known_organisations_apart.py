"""Two schools the known-names file tells apart are two parties, however alike their words
(trade.matching, trade.known_names.told_apart): a party named as one known university,
institute or academy is not a candidate for a list entry named as another. Firms are compared as
any names are: a listed group's arms have rows of their own (CNNC International), and a short
name may be another organisation's too (CEA), so a screen shows those. A group and its member
named alike (Chinalco and Chalco, NORINCO Group and NORINCO) are never told apart, nor a name
that is the other's words and more than faint ones."""

from __future__ import annotations

import datetime as dt

import pytest

from trade.known_names import known_names, organisation_of, told_apart
from trade.matching import ListEntry, ListIndex, Party, score_pair

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


@pytest.mark.parametrize(
    ("party", "entry"),
    [
        ("National Tsing Hua University", "Tsinghua University"),  # Hsinchu, Beijing
        ("國立清華大學", "清华大学"),
        ("Moscow Institute of Physics and Technology", "Moscow Engineering Physics Institute"),
        ("Beijing University of Aeronautics and Astronautics", "南京航空航天大学"),
        ("China Academy of Space Technology", "China Academy of Launch Vehicle Technology"),
    ],
)
def test_two_known_organisations_are_two_parties(party, entry):
    assert organisation_of(party) is not None
    assert organisation_of(entry) is not None
    assert score_pair(party, entry) < 0.8
    assert score_pair(entry, party) < 0.8


def test_a_group_and_its_member_named_alike_are_not_told_apart():
    group, member = organisation_of("中国铝业集团"), organisation_of("中国铝业")
    assert group is not None
    assert member is not None
    assert group != member
    assert known_names().related(group, member)
    assert not told_apart("中国铝业", frozenset({group}))
    assert score_pair("中国铝业股份有限公司", "Aluminum Corporation of China Limited") >= 0.8
    assert score_pair("China North Industries Group Corporation Limited", "NORINCO") >= 0.8


@pytest.mark.parametrize(
    ("party", "entry"),
    [
        ("CNNC International", "China National Nuclear Corporation"),  # its listed arm
        ("AVIC International", "Aviation Industry Corporation of China"),
        ("华电国际", "中国华电集团"),
        ("Towngas China", "Towngas"),
        ("CEA", "China Eastern Airlines"),  # a short name of two organisations
        ("Huawei", "Huawei Technologies Co., Ltd."),  # a brand and its member
    ],
)
def test_firms_are_compared_as_any_names(party, entry):
    # both known, each its own row: a listed group's arm, or a short name another one has too
    assert organisation_of(party) is not None
    assert score_pair(party, entry) >= 0.8


def test_names_the_file_does_not_know_are_compared_as_before():
    # a party the file does not know meets a known entry on its words
    entry = ListEntry(list="control_list", entry_ref="E1", name="Tsinghua University")
    found = ListIndex([entry]).check(
        Party(party_ref="P1", name="Tsinghua Univ."), dt.date(2026, 1, 1)
    )
    assert [c.entry_ref for c in found] == ["E1"]
    assert not told_apart("Tsinghua Univ.", frozenset({organisation_of("Tsinghua University")}))
