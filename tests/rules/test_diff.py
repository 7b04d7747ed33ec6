"""The diff a publisher reads: one row per changed field, criteria as a reader writes them."""

from __future__ import annotations

import copy

import pytest

from rules.catalogue_data import catalogue_from_dict, load_shipped
from rules.diff import Change, compact, diff, reference_diff

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it

SHIPPED = load_shipped()


def edited(edit) -> object:
    data = copy.deepcopy(SHIPPED.to_dict())
    edit(data)
    return catalogue_from_dict(data)


def entry(data, key):
    return next(e for m in data["measures"] for e in m["entries"] if e["key"] == key)


def test_a_threshold_change_reads_as_the_issue_writes_it():
    def lower(data):
        entry(data, "CN-2025-58:3A001")["criteria"][0]["threshold"] = 290.0

    [change] = diff(SHIPPED, edited(lower))
    assert change == Change(
        "changed",
        "entry CN-2025-58:3A001",
        "energy_density_wh_per_kg",
        "≥ 300 Wh/kg",
        "≥ 290 Wh/kg",
        "energy_density_wh_per_kg",
    )
    assert (change.subject, change.name, change.change) == (
        "entry",
        "CN-2025-58:3A001",
        "≥ 300 → 290 Wh/kg",
    )


def test_test_conditions_operators_scopes_windows_and_new_entries_read_as_text():
    def edit(data):
        lfp = entry(data, "CN-TECH-2025-28:252604X.1")["criteria"][0]
        lfp["condition"]["value"] = 250.0
        kettle = entry(data, "CN-2025-58:3B901.c.1.a")
        kettle["criteria"][0]["operator"] = ">"
        kettle["criteria"][0]["note"] = "Strict, per the corrigendum."
        cell = entry(data, "CN-2025-58:3A001")
        cell["applies_to"] = cell["applies_to"][:1]
        measure = next(m for m in data["measures"] if m["key"] == "CN-2025-58")
        measure["windows"][0]["end"] = "2027-11-10"
        measure["entries"].append(
            {**copy.deepcopy(cell), "code": "3A002", "key": "CN-2025-58:3A002"}
        )
        data["title"] = "Renamed"

    rows = [(c.kind, c.item, c.field, c.change) for c in diff(SHIPPED, edited(edit))]
    assert rows == [
        ("changed", "rule set", "title", f"{SHIPPED.title} → Renamed"),
        (
            "changed",
            "measure CN-2025-58",
            "windows",
            "suspended 2025-11-07 – 2026-11-10 → 2027-11-10 (CN-2025-70)",
        ),
        (
            "added",
            "entry CN-2025-58:3A002",
            "criteria",
            " → battery_cell/li_ion: energy_density_wh_per_kg ≥ 300 Wh/kg",
        ),
        (
            "changed",
            "entry CN-2025-58:3A001",
            "applies_to",
            "battery_cell/li_ion; battery_pack/li_ion → battery_cell/li_ion",
        ),
        ("changed", "entry CN-2025-58:3B901.c.1.a", "granulation_volume_m3", "≥ → > 5 m³"),
        (
            "changed",
            "entry CN-2025-58:3B901.c.1.a",
            "granulation_volume_m3: note",
            " → Strict, per the corrigendum.",
        ),
        (
            "changed",
            "entry CN-TECH-2025-28:252604X.1",
            "compaction_density_g_per_cm3",
            "≥ 2.58 g/cm³ at 220 → 250 MPa",
        ),
    ]


def test_compact_names_the_one_word_that_changed_or_both_texts():
    assert compact("≥ 300 Wh/kg", "≥ 290 Wh/kg") == "≥ 300 → 290 Wh/kg"
    assert compact("≥ 300 Wh/kg", "> 290 Wh/kg") == "≥ 300 Wh/kg → > 290 Wh/kg"
    assert compact("near_threshold", "licence_required") == "near_threshold → licence_required"


def test_reference_changes_by_name_and_expected_outcome():
    old = [
        {
            "name": "A",
            "note": "",
            "active": True,
            "cells": {"x": "1"},
            "expect": [{"as_of": "2026-12-01", "regimes": [], "outcome": "near_threshold"}],
        },
        {"name": "B", "note": "", "active": True, "cells": {}, "expect": []},
    ]
    new = [
        {
            "name": "A",
            "note": "",
            "active": True,
            "cells": {"x": "1"},
            "expect": [
                {"as_of": "2026-12-01", "regimes": [], "outcome": "licence_required"},
                {"as_of": "2027-01-01", "regimes": ["EU"], "outcome": "not_controlled"},
            ],
        },
    ]
    assert [(c.kind, c.item, c.field, c.change) for c in reference_diff(old, new)] == [
        ("removed", "reference B", "", " → "),
        (
            "changed",
            "reference A",
            "expected as of 2026-12-01",
            "near_threshold → licence_required",
        ),
        ("added", "reference A", "expected as of 2027-01-01 (EU)", " → not_controlled"),
    ]
