"""Two Chinese schools named in characters whose fields differ (理工, 科技 before 大学) are two
schools, though the glossary reads both fields as technology: a party 北京科技大学 (University of
Science and Technology Beijing) must not meet a list entry 北京理工大学 (Beijing Institute of
Technology) as the same words."""

from __future__ import annotations

import pytest

from trade.matching import MatchConfig, score_pair
from trade.two_parties import other_han_field

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it

THRESHOLD = MatchConfig().threshold


@pytest.mark.parametrize(
    ("party", "entry"),
    [
        ("北京科技大学", "北京理工大学"),
        ("香港理工大學", "香港科技大學"),  # traditional characters, read as simplified
        ("华南理工大学", "华南师范大学"),
    ],
)
def test_schools_of_two_fields_are_two_parties(party, entry):
    assert score_pair(party, entry) < THRESHOLD
    assert score_pair(entry, party) < THRESHOLD


@pytest.mark.parametrize(
    ("party", "entry"),
    [
        ("中国科技大学", "中国科学技术大学"),  # 科学技术 written short: one school
        ("北京航空航天大學", "北京航空航天大学"),  # the longest field, in either script
        ("北京理工大学", "Beijing Institute of Technology"),  # a name in letters has no field
    ],
)
def test_one_school_still_matches(party, entry):
    assert score_pair(party, entry) >= 0.95


def test_the_reason_names_both_fields():
    assert other_han_field("北京理工大学", "北京科技大学") == "理工, 科技"
    assert other_han_field("北京理工大学", "") == ""
    assert other_han_field("中国科技大学", "中国科学技术大学") == ""
