"""The rule data's explanatory words in Chinese: every source, note, level note and basis of the
shipped catalogue has its `_zh` counterpart, shown on Chinese pages; the content hash (which the
`screen` contract and every screening carry) does not change with them."""

from __future__ import annotations

import dataclasses
import re

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from rules.catalogue import TRANSLATIONS, Catalogue
from rules.labels import rule_words
from rules.publishing import create_draft
from tests.conftest import client_for

CJK = re.compile(r"[\u4e00-\u9fff]")
KEY = re.compile(r"[A-Z0-9-]+")


def words_of(catalogue: Catalogue) -> list[tuple[str, str, str]]:
    """(where, English, Chinese) of every explanatory field that has words."""
    found = []

    def walk(value: object, where: str) -> None:
        if isinstance(value, dict):
            for name in TRANSLATIONS:
                english = value.get(name[:-3])
                if english and not (name == "basis_zh" and KEY.fullmatch(english)):
                    found.append((f"{where}.{name[:-3]}", english, value.get(name, "")))
            for key, item in value.items():
                walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{where}[{i}]")

    walk(catalogue.to_dict(), "catalogue")
    return found


def test_every_explanatory_field_of_the_shipped_catalogue_has_its_chinese(shipped):
    words = words_of(shipped)
    assert len(words) > 60
    assert [(where, english) for where, english, chinese in words if not CJK.search(chinese)] == []
    consolidated = shipped.measures_by_key["CN-2023-39"].windows[0].basis_zh
    assert "《两用物项出口管制清单》" in consolidated


def test_the_chinese_words_leave_the_content_hash_as_it_was(shipped):
    measure = shipped.measures_by_key["CN-2025-58"]
    retranslated = dataclasses.replace(
        shipped,
        measures=tuple(
            dataclasses.replace(m, source_zh="另一种译法", level_note_zh="") if m is measure else m
            for m in shipped.measures
        ),
    )
    assert retranslated.content_hash == shipped.content_hash
    changed = dataclasses.replace(
        shipped,
        measures=tuple(
            dataclasses.replace(m, source="Another source") if m is measure else m
            for m in shipped.measures
        ),
    )
    assert changed.content_hash != shipped.content_hash


def test_the_catalogue_page_says_the_rule_words_in_the_readers_language(client, reviewer):
    client_for(client, reviewer)
    english = client.get(reverse("catalogue")).content.decode()
    assert "MOFCOM Licensing Bureau repost of 2025 No. 58" in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = client.get(reverse("catalogue")).content.decode()
    assert "商务部配额许可证事务局转载的2025年第58号公告" in chinese
    assert "物项已核对官方原文（V1）；状态日期来自二手资料（V2）。" in chinese
    assert "已纳入《两用物项出口管制清单》" in chinese
    assert "MOFCOM Licensing Bureau repost" not in chinese


def test_a_draft_keeps_the_chinese_words(rule_set, rules_admin):
    draft = create_draft(rule_set, user=rules_admin)
    measure = draft.build_catalogue().measures_by_key["CN-2025-58"]
    assert measure.source_zh == "商务部配额许可证事务局转载的2025年第58号公告"
    assert measure.windows[0].note_zh.startswith("按“自即日起至2026年11月10日”的通常理解")


def test_words_stored_without_their_chinese_read_the_shipped_ones():
    """Rule sets stored before the `_zh` fields existed have none."""
    with translation.override("zh-hans"):
        assert rule_words("MOFCOM Licensing Bureau repost of 2025 No. 58") == (
            "商务部配额许可证事务局转载的2025年第58号公告"
        )
        assert rule_words("Words nobody translated") == "Words nobody translated"
    assert rule_words("MOFCOM Licensing Bureau repost of 2025 No. 58", "中文") == (
        "MOFCOM Licensing Bureau repost of 2025 No. 58"
    )
