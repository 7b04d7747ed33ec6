"""The evaluator against every entry of CONTROL_CATALOGUE.md, and the rules of sections 3 and 4."""

from __future__ import annotations

import datetime as dt

import pytest

from rules.catalogue_data import catalogue_from_dict
from tests.conftest import IN_FORCE_DAY, SUSPENDED_DAY
from tests.rules.helpers import entry_results, screen_raw, screen_rows

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it

AT_20_C = {"energy_density_test_temperature_c": "20"}

# entry key, category, subtype, cells that satisfy every criterion, cells that plainly fail one
ENTRY_CASES = [
    (
        "CN-2025-58:3A001",
        "battery_cell",
        "li_ion",
        {"energy_density_wh_per_kg": "300"},
        {"energy_density_wh_per_kg": "200"},
    ),
    (
        "CN-2025-58:3A001",
        "battery_pack",
        "li_ion",
        {"energy_density_wh_per_kg": "0.31 kWh/kg"},
        {"energy_density_wh_per_kg": "150"},
    ),
    ("CN-2025-58:3B901.a.1", "equipment", "winding_machine", {}, None),
    ("CN-2025-58:3B901.a.2", "equipment", "stacking_machine", {}, None),
    ("CN-2025-58:3B901.a.3", "equipment", "electrolyte_filling_machine", {}, None),
    ("CN-2025-58:3B901.a.4", "equipment", "hot_press", {}, None),
    ("CN-2025-58:3B901.a.5", "equipment", "formation_grading_system", {}, None),
    ("CN-2025-58:3B901.a.6", "equipment", "grading_cabinet", {}, None),
    (
        "CN-2025-58:3E901.a",
        "technology",
        "battery_production",
        {"energy_density_wh_per_kg": "320"},
        {"energy_density_wh_per_kg": "250"},
    ),
    (
        "CN-2025-58:3C901.a.1",
        "cathode_material",
        "lfp",
        {"compaction_density_g_per_cm3": "2.5", "specific_capacity_mah_per_g": "156"},
        {"compaction_density_g_per_cm3": "2.0", "specific_capacity_mah_per_g": "160"},
    ),
    ("CN-2025-58:3C901.a.2.a", "cathode_precursor", "ncm_hydroxide", {}, None),
    ("CN-2025-58:3C901.a.2.b", "cathode_precursor", "nca_hydroxide", {}, None),
    ("CN-2025-58:3C901.a.3", "cathode_material", "li_rich_mn", {}, None),
    ("CN-2025-58:3B901.b.1", "equipment", "roller_kiln", {}, None),
    ("CN-2025-58:3B901.b.2", "equipment", "high_speed_mixer", {}, None),
    ("CN-2025-58:3B901.b.3", "equipment", "sand_mill", {}, None),
    ("CN-2025-58:3B901.b.4", "equipment", "jet_mill", {}, None),
    ("CN-2025-58:3C901.b.1", "anode_material", "artificial_graphite", {}, None),
    ("CN-2025-58:3C902.b.2", "anode_material", "blended_graphite", {}, None),
    (
        "CN-2025-58:3B901.c.1.a",
        "equipment",
        "granulation_kettle_vertical",
        {"granulation_volume_m3": "5"},
        {"granulation_volume_m3": "3"},
    ),
    (
        "CN-2025-58:3B901.c.1.b",
        "equipment",
        "granulation_kettle_continuous",
        {"granulation_volume_m3": "5000 L"},
        {"granulation_volume_m3": "2 m3"},
    ),
    ("CN-2025-58:3B901.c.2.a", "equipment", "graphitization_furnace_box", {}, None),
    (
        "CN-2023-39:1",
        "graphite_material",
        "synthetic_graphite",
        {"purity_pct": "99.95", "flexural_strength_mpa": "31", "density_g_per_cm3": "1.74"},
        {"purity_pct": "90", "flexural_strength_mpa": "31", "density_g_per_cm3": "1.74"},
    ),
    ("CN-2023-39:2", "graphite_material", "natural_flake_graphite", {}, None),
    ("CN-2023-39:2", "graphite_material", "spherical_graphite", {}, None),
    ("CN-2023-39:2", "graphite_material", "expanded_graphite", {}, None),
    ("CN-2023-39:2", "anode_material", "natural_graphite", {}, None),
    (
        "CN-TECH-2025-28:252604X.1",
        "technology",
        "lfp_preparation",
        {
            "compaction_density_g_per_cm3": "2.58",
            "compaction_pressure_mpa": "220",
            "specific_capacity_mah_per_g": "160",
            "discharge_rate_c": "0.1",
            "first_cycle_efficiency_pct": "97",
        },
        {
            "compaction_density_g_per_cm3": "2.0",
            "compaction_pressure_mpa": "220",
            "specific_capacity_mah_per_g": "160",
            "discharge_rate_c": "0.1",
            "first_cycle_efficiency_pct": "97",
        },
    ),
    (
        "CN-TECH-2025-28:252604X.2",
        "technology",
        "lmfp_preparation",
        {
            "compaction_density_g_per_cm3": "2.38",
            "compaction_pressure_mpa": "220",
            "specific_capacity_mah_per_g": "155",
            "discharge_rate_c": "C/10",
            "first_cycle_efficiency_pct": "95",
            "average_voltage_v": "3.85",
        },
        {
            "compaction_density_g_per_cm3": "2.0",
            "compaction_pressure_mpa": "220",
            "specific_capacity_mah_per_g": "155",
            "discharge_rate_c": "0.1",
            "first_cycle_efficiency_pct": "95",
            "average_voltage_v": "3.85",
        },
    ),
    (
        "CN-TECH-2025-28:252604X.3",
        "technology",
        "phosphate_precursor_preparation",
        {"tap_density_g_per_cm3": "1.21"},
        None,
    ),
    ("CN-TECH-2025-28:lithium-processing", "technology", "lithium_extraction", {}, None),
    (
        "EU-2021-821:3A001.e.1.a",
        "battery_cell",
        "li_metal",
        {"cell_type": "primary", "energy_density_wh_per_kg": "551", **AT_20_C},
        {"cell_type": "primary", "energy_density_wh_per_kg": "400", **AT_20_C},
    ),
    (
        "EU-2021-821:3A001.e.1.b",
        "battery_cell",
        "li_ion",
        {"energy_density_wh_per_kg": "351", **AT_20_C},
        {"energy_density_wh_per_kg": "300", **AT_20_C},
    ),
    (
        "EU-2021-821:3A001.e.1.b",
        "battery_cell",
        "li_metal",
        {"cell_type": "secondary", "energy_density_wh_per_kg": "400", **AT_20_C},
        {"cell_type": "secondary", "energy_density_wh_per_kg": "300", **AT_20_C},
    ),
    (
        "EU-2021-821:3A001.e.1.b",
        "battery_cell",
        "sodium_ion",
        {"energy_density_wh_per_kg": "351", **AT_20_C},
        {"energy_density_wh_per_kg": "300", **AT_20_C},
    ),
]

UNCONFIRMED = [
    ("CN-2025-58:3B901.c.2.b", "equipment", "graphitization_furnace_acheson"),
    ("CN-2025-58:3B901.c.3", "equipment", "coating_modification_equipment"),
    ("CN-2025-58:3E901.b", "technology", "graphite_anode_process"),
]


def test_every_catalogue_entry_is_exercised(shipped):
    keys = {case[0] for case in ENTRY_CASES} | {case[0] for case in UNCONFIRMED}
    assert keys == set(shipped.entries_by_key)


@pytest.mark.parametrize(("key", "category", "subtype", "passing", "failing"), ENTRY_CASES)
def test_entry_matches_when_every_criterion_holds(
    shipped, key, category, subtype, passing, failing
):
    regime = shipped.measures_by_key[key.split(":")[0]].regime
    result = screen_raw(
        shipped.for_regimes([regime]), IN_FORCE_DAY, category=category, subtype=subtype, **passing
    )
    assert entry_results(result) == {key: "match"}
    assert result.outcome == "licence_required"
    assert result.missing == ()


@pytest.mark.parametrize(
    ("key", "category", "subtype", "passing", "failing"), [c for c in ENTRY_CASES if c[4]]
)
def test_entry_does_not_match_when_a_criterion_plainly_fails(
    shipped, key, category, subtype, passing, failing
):
    regime = shipped.measures_by_key[key.split(":")[0]].regime
    result = screen_raw(
        shipped.for_regimes([regime]), IN_FORCE_DAY, category=category, subtype=subtype, **failing
    )
    assert entry_results(result) == {}
    assert [e.entry.key for e in result.not_met] == [key]
    assert result.outcome == "not_controlled"


@pytest.mark.parametrize(("key", "category", "subtype"), UNCONFIRMED)
def test_unconfirmed_entries_are_surfaced_as_unknown_for_a_reviewer(china, key, category, subtype):
    result = screen_raw(china, IN_FORCE_DAY, category=category, subtype=subtype)
    assert entry_results(result) == {key: "unknown"}
    assert result.entries[0].reason == "criteria_unconfirmed"
    assert result.entries[0].entry.level == "UNVERIFIED"
    assert result.outcome == "indeterminate"


def test_no58_entries_are_not_in_force_while_suspended(china):
    result = screen_raw(
        china,
        SUSPENDED_DAY,
        category="battery_cell",
        subtype="li_ion",
        energy_density_wh_per_kg="350",
    )
    assert result.outcome == "not_in_force"
    assert [(e.entry.key, e.result, e.measure_status) for e in result.entries] == [
        ("CN-2025-58:3A001", "match", "suspended")
    ]


@pytest.mark.parametrize(
    ("day", "status", "outcome"),
    [
        (dt.date(2025, 10, 9), "not_yet_effective", "not_in_force"),
        (dt.date(2025, 11, 6), "not_yet_effective", "not_in_force"),
        (dt.date(2025, 11, 7), "suspended", "not_in_force"),
        (dt.date(2026, 11, 10), "suspended", "not_in_force"),  # last suspended day, inclusive
        (dt.date(2026, 11, 11), "in_force", "licence_required"),
        (dt.date(2027, 6, 1), "in_force", "licence_required"),
    ],
)
def test_no58_status_follows_the_windows(china, day, status, outcome):
    result = screen_raw(china, day, category="equipment", subtype="winding_machine")
    assert result.outcome == outcome
    assert result.entries[0].measure_status == status


def test_technology_catalogue_is_in_force_during_the_no58_suspension(china):
    result = screen_raw(china, SUSPENDED_DAY, category="technology", subtype="lithium_extraction")
    assert result.outcome == "licence_required"
    assert result.licence_paths == ("technology",)


def test_lfp_below_compaction_threshold_without_capacity_is_not_controlled(china):
    result = screen_raw(
        china,
        IN_FORCE_DAY,
        category="cathode_material",
        subtype="lfp",
        compaction_density_g_per_cm3="2.4",
    )
    assert result.outcome == "not_controlled"
    assert result.missing == ()


def test_lfp_above_compaction_threshold_without_capacity_is_indeterminate(china):
    result = screen_raw(
        china,
        IN_FORCE_DAY,
        category="cathode_material",
        subtype="lfp",
        compaction_density_g_per_cm3="2.55",
    )
    assert result.outcome == "indeterminate"
    assert result.missing == ("specific_capacity_mah_per_g",)
    criteria = {c.criterion.parameter: (c.result, c.reason) for c in result.entries[0].criteria}
    assert criteria == {
        "compaction_density_g_per_cm3": ("true", ""),
        "specific_capacity_mah_per_g": ("unknown", "missing_value"),
    }


def test_missing_data_of_a_suspended_measure_is_not_reported_missing(china):
    result = screen_raw(
        china,
        SUSPENDED_DAY,
        category="cathode_material",
        subtype="lfp",
        compaction_density_g_per_cm3="2.55",
    )
    assert result.outcome == "not_in_force"
    assert result.missing == ()


def test_greater_or_equal_matches_exactly_at_the_threshold(china):
    at = screen_raw(
        china,
        IN_FORCE_DAY,
        category="battery_cell",
        subtype="li_ion",
        energy_density_wh_per_kg="300",
    )
    assert at.outcome == "licence_required"


def test_strictly_greater_does_not_match_exactly_at_the_threshold(china):
    result = screen_raw(
        china,
        IN_FORCE_DAY,
        category="graphite_material",
        subtype="synthetic_graphite",
        purity_pct="99.9",
        flexural_strength_mpa="30",
        density_g_per_cm3="1.73",
    )
    assert entry_results(result) == {"CN-2023-39:1": "near"}
    assert [c.result for c in result.entries[0].criteria] == ["false", "false", "false"]
    assert result.outcome == "near_threshold"


@pytest.mark.parametrize(
    ("value", "outcome"), [("285", "near_threshold"), ("284.9", "not_controlled")]
)
def test_near_band_is_five_percent_below_the_threshold(china, value, outcome):
    result = screen_raw(
        china,
        IN_FORCE_DAY,
        category="battery_cell",
        subtype="li_ion",
        energy_density_wh_per_kg=value,
    )
    assert result.outcome == outcome


def test_near_band_comes_from_the_rule_set(china):
    wider = catalogue_from_dict({**china.to_dict(), "near_band_pct": 10.0})
    result = screen_raw(
        wider,
        IN_FORCE_DAY,
        category="battery_cell",
        subtype="li_ion",
        energy_density_wh_per_kg="275",
    )
    assert result.outcome == "near_threshold"


def test_an_entry_with_an_unknown_criterion_is_never_near(china):
    result = screen_raw(
        china,
        IN_FORCE_DAY,
        category="cathode_material",
        subtype="lfp",
        compaction_density_g_per_cm3="2.45",
    )
    assert result.outcome == "not_controlled"
    assert entry_results(result) == {}


def test_near_in_a_suspended_measure_does_not_make_the_outcome_near(china):
    result = screen_raw(
        china,
        SUSPENDED_DAY,
        category="battery_cell",
        subtype="li_ion",
        energy_density_wh_per_kg="295",
    )
    assert entry_results(result) == {"CN-2025-58:3A001": "near"}
    assert result.outcome == "not_controlled"


def test_test_condition_other_than_stated_gives_unknown(china):
    result = screen_raw(
        china,
        IN_FORCE_DAY,
        category="technology",
        subtype="lfp_preparation",
        compaction_density_g_per_cm3="2.7",
        compaction_pressure_mpa="300",
        specific_capacity_mah_per_g="165",
        discharge_rate_c="0.1",
        first_cycle_efficiency_pct="98",
    )
    assert result.outcome == "indeterminate"
    compaction = result.entries[0].criteria[0]
    assert (compaction.result, compaction.reason, compaction.condition_value) == (
        "unknown",
        "condition_mismatch",
        300.0,
    )
    assert result.missing == ()


def test_test_condition_not_recorded_is_reported_missing(china):
    result = screen_raw(
        china,
        IN_FORCE_DAY,
        category="technology",
        subtype="lfp_preparation",
        compaction_density_g_per_cm3="2.7",
        specific_capacity_mah_per_g="165",
        discharge_rate_c="C/10",
        first_cycle_efficiency_pct="98",
    )
    assert result.outcome == "indeterminate"
    assert result.missing == ("compaction_pressure_mpa",)


def test_test_condition_in_another_unit_is_converted_before_comparing(china):
    result = screen_raw(
        china,
        IN_FORCE_DAY,
        category="technology",
        subtype="lfp_preparation",
        compaction_density_g_per_cm3="2.6",
        compaction_pressure_mpa="0.22 GPa",
        specific_capacity_mah_per_g="0.161 Ah/g",
        discharge_rate_c="0.1C",
        first_cycle_efficiency_pct="0.975 fraction",
    )
    assert result.outcome == "licence_required"


def test_failing_only_an_unverified_criterion_leaves_the_entry_unknown(china):
    result = screen_raw(
        china,
        IN_FORCE_DAY,
        category="technology",
        subtype="lmfp_preparation",
        compaction_density_g_per_cm3="2.40",
        compaction_pressure_mpa="220",
        specific_capacity_mah_per_g="158",
        discharge_rate_c="0.1",
        first_cycle_efficiency_pct="96",
        average_voltage_v="3.7",
    )
    assert entry_results(result) == {"CN-TECH-2025-28:252604X.2": "unknown"}
    voltage = result.entries[0].criteria[3]
    assert (voltage.result, voltage.reason) == ("unknown", "unverified_criterion_fails")
    assert result.outcome == "indeterminate"
    assert result.missing == ()


def test_failing_a_verified_criterion_rules_the_entry_out_whatever_the_unverified_ones(china):
    result = screen_raw(
        china,
        IN_FORCE_DAY,
        category="technology",
        subtype="lmfp_preparation",
        compaction_density_g_per_cm3="2.0",
        compaction_pressure_mpa="220",
        average_voltage_v="3.7",
    )
    assert result.outcome == "not_controlled"


def test_energy_density_is_derived_from_voltage_capacity_and_mass(china):
    result = screen_raw(
        china,
        IN_FORCE_DAY,
        category="battery_cell",
        subtype="li_ion",
        nominal_voltage_v="3.6",
        capacity_ah="5",
        mass_kg="60 g",
    )
    criterion = result.entries[0].criteria[0]
    assert (criterion.value, criterion.derived, criterion.result) == (300.0, True, "true")
    assert result.outcome == "licence_required"


def test_a_given_energy_density_wins_over_the_derived_one(china):
    rows = [
        {
            "sku": "T",
            "name": "n",
            "category": "battery_cell",
            "subtype": "li_ion",
            "energy_density_wh_per_kg": "250",
            "nominal_voltage_v": "3.6",
            "capacity_ah": "5",
            "mass_kg": "0.06",
        }
    ]
    [result] = screen_rows(rows, china, IN_FORCE_DAY)
    assert result.outcome == "not_controlled"
    assert [c.derived for e in result.not_met for c in e.criteria] == [False]


def test_missing_energy_density_is_reported_when_it_cannot_be_derived(china):
    result = screen_raw(
        china,
        IN_FORCE_DAY,
        category="battery_cell",
        subtype="li_ion",
        nominal_voltage_v="3.6",
        capacity_ah="5",
    )
    assert result.outcome == "indeterminate"
    assert result.missing == ("energy_density_wh_per_kg",)


def test_other_subtypes_are_outside_an_entry_for_a_specific_subtype(china):
    result = screen_raw(
        china,
        IN_FORCE_DAY,
        category="battery_cell",
        subtype="sodium_ion",
        energy_density_wh_per_kg="400",
    )
    assert result.outcome == "not_controlled"
    assert result.entries == ()
    assert result.not_met == ()


def test_invalid_rows_are_not_screened(china):
    result = screen_raw(
        china,
        IN_FORCE_DAY,
        category="battery_cell",
        subtype="li_ion",
        energy_density_wh_per_kg="lots",
    )
    assert result.outcome == "invalid"
    assert result.entries == ()
    assert result.missing == ()


# --- outcome precedence, on a small catalogue made for it ---------------------------------


def _two_measure_catalogue():
    def measure(key, windows, code, criteria):
        return {
            "key": key,
            "instrument_zh": key,
            "instrument_en": key,
            "published": "2025-01-01",
            "effective": "2025-01-01",
            "level": "V1",
            "windows": windows,
            "entries": [
                {
                    "code": code,
                    "title_zh": code,
                    "title_en": code,
                    "level": "V1",
                    "applies_to": [{"category": "battery_cell", "subtype": "li_ion"}],
                    "criteria": criteria,
                }
            ],
        }

    energy = [
        {
            "parameter": "energy_density_wh_per_kg",
            "operator": ">=",
            "threshold": 300,
            "unit": "Wh/kg",
        }
    ]
    mass = [{"parameter": "mass_kg", "operator": ">=", "threshold": 10, "unit": "kg"}]
    return catalogue_from_dict(
        {
            "version": "t",
            "measures": [
                measure("IN", [], "A", energy),
                measure(
                    "OFF", [{"status": "suspended", "start": "2025-01-01", "end": None}], "B", mass
                ),
            ],
        }
    )


@pytest.mark.parametrize(
    ("cells", "outcome"),
    [
        ({"energy_density_wh_per_kg": "310", "mass_kg": "20"}, "licence_required"),
        ({"mass_kg": "20"}, "indeterminate"),  # in-force unknown beats suspended match
        ({"energy_density_wh_per_kg": "100", "mass_kg": "20"}, "not_in_force"),
        ({"energy_density_wh_per_kg": "100"}, "not_in_force"),  # suspended unknown
        ({"energy_density_wh_per_kg": "290", "mass_kg": "1"}, "near_threshold"),
        ({"energy_density_wh_per_kg": "290", "mass_kg": "20"}, "not_in_force"),
        ({"energy_density_wh_per_kg": "100", "mass_kg": "1"}, "not_controlled"),
    ],
)
def test_outcome_precedence(cells, outcome):
    result = screen_raw(
        _two_measure_catalogue(), IN_FORCE_DAY, category="battery_cell", subtype="li_ion", **cells
    )
    assert result.outcome == outcome


def test_eu_regime_counts_cells_only_and_uses_strict_greater_than(shipped):
    eu = shipped.for_regimes(["EU"])

    def screen(category, value):
        return screen_raw(
            eu,
            SUSPENDED_DAY,
            category=category,
            subtype="li_ion",
            energy_density_wh_per_kg=value,
            **AT_20_C,
        )

    at, above, pack = (
        screen("battery_cell", "350"),
        screen("battery_cell", "360"),
        screen("battery_pack", "400"),
    )
    assert (at.outcome, above.outcome, pack.outcome) == (
        "near_threshold",
        "licence_required",
        "not_controlled",
    )


def test_chinese_and_eu_3a001_never_mix(shipped):
    both = screen_raw(
        shipped.for_regimes(["CN", "EU"]),
        IN_FORCE_DAY,
        category="battery_cell",
        subtype="li_ion",
        energy_density_wh_per_kg="360",
        **AT_20_C,
    )
    assert [(e.entry.key, e.entry.code, e.result) for e in both.entries] == [
        ("CN-2025-58:3A001", "3A001", "match"),
        ("EU-2021-821:3A001.e.1.b", "3A001.e.1.b", "match"),
    ]
    china = screen_raw(
        shipped.for_regimes(["CN"]),
        IN_FORCE_DAY,
        category="battery_cell",
        subtype="li_ion",
        energy_density_wh_per_kg="360",
    )
    assert [e.entry.key for e in china.entries] == ["CN-2025-58:3A001"]
