"""The short forms a name could be: initials of its words, letters by pinyin syllable."""

from __future__ import annotations

import pytest

from trade.names import normalise_name

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


def test_initials_include_pinyin_syllables():
    assert normalise_name("比亚迪股份有限公司").could_be_initials("byd")
    assert normalise_name("China Electronics Technology Group Corporation").could_be_initials(
        "cetc"
    )


def test_acronym_heads_cover_every_acronym():
    # A party's initials are only worked out where an entry's short name begins as one of
    # the heads does: the heads must include the first three letters of every acronym.
    for name in (
        "China North Industries Corporation",
        "中国第一重型机械股份公司",
        "Nanjing University of Science and Technology",
        "比亚迪股份有限公司",
        "Southwest Jiaotong University",
        "Shenzhen Dajiang Innovation Technology Group Co., Ltd.",
    ):
        form = normalise_name(name)
        wanted = {x[:3] for x in (*form.acronyms, *form.acronym_stems) if len(x) >= 3}
        assert wanted <= form.acronym_heads(), name
