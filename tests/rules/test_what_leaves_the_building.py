"""What leaves the building is true (CONTROL_CATALOGUE.md §2.4 and §5): customs remarks, codes,
regimes, warnings and status certainty, in the `screen` contract and in the evaluator."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pandas as pd
import pytest
from django.core.management import call_command

from rules.certainty import Confirmation, assumptions_on
from rules.evaluation import screen_frame
from rules.specs import parse_specs
from rules.watch import unconfirmed
from tests.rules.helpers import screen_raw

AS_OF = "2026-12-01"
COLUMNS = [
    "sku",
    "name",
    "category",
    "subtype",
    "cell_type",
    "energy_density_wh_per_kg",
    "energy_density_test_temperature_c",
    "nominal_voltage_v",
    "capacity_ah",
    "mass_kg",
    "compaction_density_g_per_cm3",
    "specific_capacity_mah_per_g",
]
# One row per point of issue 12.
ROWS = [
    {"sku": "GRAPHITE", "category": "graphite_material", "subtype": "natural_flake_graphite"},
    {"sku": "BLEND", "category": "anode_material", "subtype": "blended_graphite"},
    {
        "sku": "LI-351",
        "category": "battery_cell",
        "subtype": "li_ion",
        "energy_density_wh_per_kg": "351",
        "energy_density_test_temperature_c": "20",
    },
    {
        "sku": "NA-350",
        "category": "battery_cell",
        "subtype": "sodium_ion",
        "energy_density_wh_per_kg": "350",
        "energy_density_test_temperature_c": "20",
    },
    {
        "sku": "LIMETAL-400",
        "category": "battery_cell",
        "subtype": "li_metal",
        "cell_type": "secondary",
        "energy_density_wh_per_kg": "400",
        "energy_density_test_temperature_c": "20",
    },
    {
        "sku": "SPELLED",
        "category": "battery_cell",
        "subtype": "lithium_ion",
        "energy_density_wh_per_kg": "310",
        "energy_density_test_temperature_c": "20",
    },
    {"sku": "UNKNOWN-SUBTYPE", "category": "battery_cell", "subtype": "li_graphene"},
    {
        "sku": "NO-SUBTYPE",
        "category": "battery_cell",
        "nominal_voltage_v": "3.7",
        "capacity_ah": "5",
        "mass_kg": "60 g",
    },
    {
        "sku": "DISAGREE",
        "category": "battery_cell",
        "subtype": "li_ion",
        "energy_density_wh_per_kg": "300",
        "energy_density_test_temperature_c": "20",
        "nominal_voltage_v": "3.7",
        "capacity_ah": "5",
        "mass_kg": "66.1 g",
    },
    {
        "sku": "LFP-NEAR",
        "category": "cathode_material",
        "subtype": "lfp",
        "compaction_density_g_per_cm3": "2.45",
        "specific_capacity_mah_per_g": "150",
    },
]

NO58 = (
    "MOFCOM + GAC Announcement 2025 No. 58 (CN-2025-58) has never applied in practice: its "
    "suspension by MOFCOM + GAC Announcement 2025 No. 70 (CN-2025-70) ended on 2026-11-10; what "
    "followed is not recorded. This result assumes it is in force."
)
NO58_WARNING = {"column": None, "message": NO58}


@pytest.fixture
def document(rule_set, tmp_path, capsys):
    path = tmp_path / "specs.csv"
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS)
    writer.writeheader()
    for row in ROWS:
        writer.writerow({"name": row["sku"].title(), **row})
    path.write_text(text.getvalue(), encoding="utf-8")
    call_command("screen", str(path), "--as-of", AS_OF, "--regime", "CN", "--regime", "EU")
    return json.loads(capsys.readouterr().out)


def by_sku(document):
    return {r["sku"]: r for r in document["results"]}


def test_every_result_and_entry_carries_every_field_of_the_contract(document):
    assert set(document) == {"as_of", "rule_set", "results", "warnings"}
    for result in document["results"]:
        assert list(result) == [
            "row",
            "sku",
            "revision",
            "outcome",
            "outcomes_by_regime",
            "customs_remark",
            "entries",
            "missing",
            "warnings",
            "errors",
        ]
        assert list(result["outcomes_by_regime"]) == ["CN", "EU"]
        for entry in result["entries"]:
            assert list(entry) == [
                "key",
                "measure",
                "regime",
                "code",
                "code_confirmed",
                "result",
                "measure_status",
                "status_needs_confirmation",
                "criteria",
            ]
            assert entry["regime"] == entry["measure"].split("-")[0]
        for warning in result["warnings"]:
            assert list(warning) == ["column", "message"]


def test_an_unconfirmed_code_never_reaches_the_remark(document):
    graphite = by_sku(document)["GRAPHITE"]
    assert graphite["outcome"] == "licence_required"
    assert graphite["customs_remark"] is None
    assert [(e["key"], e["code_confirmed"]) for e in graphite["entries"]] == [
        ("CN-2023-39:2", False)
    ]
    assert graphite["warnings"] == [
        {
            "column": None,
            "message": "No customs remark: the control code of CN-2023-39:2 is not confirmed "
            "(an item number is not a control code). A rules administrator must record the "
            "confirmed code in the catalogue first.",
        }
    ]


def test_the_blended_graphite_anode_is_3c902_b_2(document):
    blend = by_sku(document)["BLEND"]
    assert [e["key"] for e in blend["entries"]] == ["CN-2025-58:3C902.b.2"]
    assert blend["customs_remark"] == "属于两用物项，管制编码：3C902.b.2"
    assert blend["warnings"] == [NO58_WARNING]


def test_the_remark_carries_chinese_codes_only(document):
    cell = by_sku(document)["LI-351"]
    assert cell["outcomes_by_regime"] == {"CN": "licence_required", "EU": "licence_required"}
    assert [e["key"] for e in cell["entries"]] == [
        "CN-2025-58:3A001",
        "EU-2021-821:3A001.e.1.b",
    ]
    assert cell["customs_remark"] == "属于两用物项，管制编码：3A001"


def test_an_eu_near_result_gives_no_chinese_remark(document):
    sodium = by_sku(document)["NA-350"]
    assert sodium["outcome"] == "near_threshold"
    assert sodium["outcomes_by_regime"] == {"CN": "not_controlled", "EU": "near_threshold"}
    assert sodium["customs_remark"] is None
    assert [(e["key"], e["result"]) for e in sodium["entries"]] == [
        ("EU-2021-821:3A001.e.1.b", "near")
    ]


def test_eu_secondary_cells_of_any_chemistry_are_controlled(document):
    cell = by_sku(document)["LIMETAL-400"]
    assert cell["outcomes_by_regime"] == {"CN": "not_controlled", "EU": "licence_required"}
    assert cell["customs_remark"] is None


def test_common_spellings_map_and_unknown_subtypes_are_row_errors(document):
    results = by_sku(document)
    assert results["SPELLED"]["outcome"] == "licence_required"
    unknown = results["UNKNOWN-SUBTYPE"]
    assert unknown["outcome"] == "invalid"
    assert unknown["errors"] == [
        {
            "column": "subtype",
            "message": "not a subtype of battery_cell; use one of li_ion, li_metal, sodium_ion, "
            "other",
        }
    ]


def test_a_blank_subtype_is_indeterminate_and_named_as_missing(document):
    cell = by_sku(document)["NO-SUBTYPE"]
    assert cell["outcome"] == "indeterminate"
    assert cell["outcomes_by_regime"] == {"CN": "indeterminate", "EU": "indeterminate"}
    assert cell["missing"] == ["subtype", "cell_type", "energy_density_test_temperature_c"]
    no58 = cell["entries"][0]
    assert (no58["key"], no58["result"]) == ("CN-2025-58:3A001", "unknown")
    assert no58["criteria"][0]["value"] == 308.333333333
    assert no58["criteria"][0]["derived"] is True


def test_the_given_and_derived_disagreement_reaches_the_output(document):
    cell = by_sku(document)["DISAGREE"]
    assert cell["warnings"] == [
        {
            "column": "energy_density_wh_per_kg",
            "message": "given 300 Wh/kg, but nominal_voltage_v × capacity_ah ÷ mass_kg gives "
            "279.9 Wh/kg (6.7 % apart); the given value is used, check which is right",
        },
        NO58_WARNING,
    ]


def test_the_near_remark_uses_the_words_of_no_58(document):
    lfp = by_sku(document)["LFP-NEAR"]
    assert lfp["outcome"] == "near_threshold"
    assert lfp["customs_remark"] == "不属于管制物项；压实密度 2.45 g/cm³，克容量 150 mAh/g"
    assert lfp["entries"][0]["status_needs_confirmation"] is True


def test_the_run_says_which_statuses_are_assumed(document):
    assert [w["measure"] for w in document["warnings"]] == [
        "CN-2025-58",
        "CN-2025-70",
        "CN-2024-46-P2",
    ]
    assert document["warnings"][0]["message"] == NO58


# --- the evaluator ------------------------------------------------------------------------


def test_no_status_is_assumed_inside_a_window(shipped):
    assert assumptions_on(shipped, dt.date(2026, 11, 5)) == {}
    lfp = screen_raw(
        shipped.for_regimes(["CN"]),
        dt.date(2026, 11, 5),
        category="cathode_material",
        subtype="lfp",
        compaction_density_g_per_cm3="2.6",
        specific_capacity_mah_per_g="160",
    )
    assert lfp.outcome == "not_in_force"
    assert [e.status_needs_confirmation for e in lfp.entries] == [False]
    assert lfp.warnings == ()


def test_a_confirmation_that_agrees_ends_the_assumption(shipped):
    agreeing = [Confirmation("CN-2025-58", dt.date(2026, 11, 20), "in_force")]
    assert "CN-2025-58" not in assumptions_on(shipped, dt.date(2026, 12, 1), agreeing)
    before_the_end = [Confirmation("CN-2025-58", dt.date(2026, 11, 9), "in_force")]
    assert "CN-2025-58" in assumptions_on(shipped, dt.date(2026, 12, 1), before_the_end)


def test_a_confirmation_that_contradicts_the_catalogue_does_not_end_the_assumption(shipped):
    contradicting = [Confirmation("CN-2025-58", dt.date(2026, 11, 20), "suspended")]
    assert "CN-2025-58" in assumptions_on(shipped, dt.date(2026, 12, 1), contradicting)


def test_the_watch_asks_to_confirm_the_end_of_no_70_and_of_no_46_paragraph_2(shipped):
    on_the_26th = [a.measure.key for a in unconfirmed(shipped, dt.date(2026, 11, 26), [])]
    assert on_the_26th == ["CN-2025-58", "CN-2025-70"]
    later = [a.measure.key for a in unconfirmed(shipped, dt.date(2026, 11, 28), [])]
    assert later == ["CN-2025-58", "CN-2025-70", "CN-2024-46-P2"]
    assert shipped.measures_by_key["CN-2025-70"].status_on(dt.date(2026, 11, 26)) == "expired"


def test_the_graphite_overlay_revives_as_an_assumption(shipped):
    rows = [
        {
            "sku": "G",
            "name": "Graphite",
            "category": "graphite_material",
            "subtype": "spherical_graphite",
            "destination_country": "US",
        }
    ]
    parsed = parse_specs(pd.DataFrame(rows, dtype=object))
    china = shipped.for_regimes(["CN"])
    during = screen_frame(parsed.specs, china, dt.date(2026, 11, 27)).explain(0)
    after = screen_frame(parsed.specs, china, dt.date(2026, 11, 28)).explain(0)
    assert during.advisories == ()
    assert [en for en, _ in after.advisories] == [
        "Exports of graphite dual-use items to the United States get stricter end-user and "
        "end-use review (MOFCOM 2024 No. 46 para. 2)."
    ]
    assert [a.measure.key for a in after.assumptions] == ["CN-2024-46-P2"]
    assert [w["column"] for w in after.warnings] == [None, "destination_country", None]


def test_a_technology_item_never_makes_a_customs_remark(shipped):
    result = screen_raw(
        shipped.for_regimes(["CN"]),
        dt.date(2026, 11, 1),
        category="technology",
        subtype="lfp_preparation",
        compaction_density_g_per_cm3="2.6",
        compaction_pressure_mpa="220",
        specific_capacity_mah_per_g="161",
        discharge_rate_c="0.1",
        first_cycle_efficiency_pct="97.5",
    )
    assert result.outcome == "licence_required"
    assert result.licence_paths == ("technology",)
    assert result.customs_remark is None
    assert result.codes_to_confirm == ()


def test_a_battery_pack_never_matches_the_eu_entry(shipped):
    pack = screen_raw(
        shipped.for_regimes(["EU"]),
        dt.date(2026, 12, 1),
        category="battery_pack",
        subtype="li_ion",
        energy_density_wh_per_kg="500",
        energy_density_test_temperature_c="20",
    )
    assert pack.outcome == "not_controlled"
    assert pack.entries == ()
    assert pack.not_met == ()


@pytest.mark.parametrize(
    ("temperature", "outcome", "reason"),
    [("20", "licence_required", ""), ("25", "indeterminate", "condition_mismatch")],
)
def test_the_eu_criterion_holds_at_20_degrees_only(shipped, temperature, outcome, reason):
    cell = screen_raw(
        shipped.for_regimes(["EU"]),
        dt.date(2026, 12, 1),
        category="battery_cell",
        subtype="li_ion",
        energy_density_wh_per_kg="400",
        energy_density_test_temperature_c=temperature,
    )
    assert cell.outcome == outcome
    assert [c.reason for c in cell.entries[0].criteria] == [reason]
