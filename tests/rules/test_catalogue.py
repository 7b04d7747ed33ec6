"""The catalogue data: complete, marked, validated, hashed, and identical through the database."""

from __future__ import annotations

import dataclasses

import pytest

from rules.catalogue_data import catalogue_from_dict, load_shipped
from rules.models import RuleSet
from rules.publishing import PublishError, create_draft, publish
from tests.conftest import PUBLISHING

EXPECTED_ENTRIES = {
    "CN-2025-58": [
        "3A001",
        "3B901.a.1",
        "3B901.a.2",
        "3B901.a.3",
        "3B901.a.4",
        "3B901.a.5",
        "3B901.a.6",
        "3E901.a",
        "3C901.a.1",
        "3C901.a.2.a",
        "3C901.a.2.b",
        "3C901.a.3",
        "3B901.b.1",
        "3B901.b.2",
        "3B901.b.3",
        "3B901.b.4",
        "3C901.b.1",
        "3C902.b.2",
        "3B901.c.1.a",
        "3B901.c.1.b",
        "3B901.c.2.a",
        "3B901.c.2.b",
        "3B901.c.3",
        "3E901.b",
    ],
    "CN-2025-70": [],
    "CN-2023-39": ["1", "2"],
    "CN-TECH-2025-28": ["252604X.1", "252604X.2", "252604X.3", "lithium-processing"],
    "CN-2024-46-P2": [],
    "EU-2021-821": ["3A001.e.1.a", "3A001.e.1.b"],
}


def test_shipped_catalogue_has_every_measure_and_entry(shipped):
    assert {m.key: [e.code for e in m.entries] for m in shipped.measures} == EXPECTED_ENTRIES


def test_unverified_items_are_present_and_marked(shipped):
    unverified = sorted(e.key for e in shipped.entries if e.level == "UNVERIFIED")
    assert unverified == [
        "CN-2025-58:3B901.c.2.b",
        "CN-2025-58:3B901.c.3",
        "CN-2025-58:3E901.b",
        "CN-TECH-2025-28:252604X.3",
        "CN-TECH-2025-28:lithium-processing",
    ]
    lmfp = shipped.entries_by_key["CN-TECH-2025-28:252604X.2"]
    assert [c.verified for c in lmfp.criteria] == [True, False, False, False]


def test_comparators_follow_the_legal_text(shipped):
    assert {c.operator for c in shipped.entries_by_key["CN-2023-39:1"].criteria} == {">"}
    assert {c.operator for c in shipped.entries_by_key["CN-2025-58:3C901.a.1"].criteria} == {">="}


def test_no58_suspension_window_is_data(shipped):
    no58 = shipped.measures_by_key["CN-2025-58"]
    assert [(w.status, w.start.isoformat(), w.end.isoformat(), w.basis) for w in no58.windows] == [
        ("suspended", "2025-11-07", "2026-11-10", "CN-2025-70")
    ]


def test_content_hash_ignores_the_version_label_but_not_the_rules(shipped):
    renamed = dataclasses.replace(shipped, version="another-name")
    assert renamed.content_hash == shipped.content_hash
    changed = catalogue_from_dict({**shipped.to_dict(), "near_band_pct": 4.0})
    assert changed.content_hash != shipped.content_hash


def test_migrate_leaves_the_shipped_catalogue_published(rule_set, shipped):
    assert rule_set.version == shipped.version
    assert rule_set.is_published
    assert rule_set.content_hash == shipped.content_hash
    assert rule_set.catalogue() == load_shipped()


def test_a_draft_copy_round_trips_and_the_same_rules_are_not_published_again(
    rule_set, rules_admin, rules_admin2
):
    draft = create_draft(rule_set, user=rules_admin)
    assert draft.status == RuleSet.Status.DRAFT
    assert draft.build_catalogue().content_hash == rule_set.content_hash
    # The same rules under another name are nothing to publish.
    with pytest.raises(PublishError, match="nothing to publish"):
        publish(draft, user=rules_admin2, **PUBLISHING)
    assert RuleSet.objects.current() == rule_set
