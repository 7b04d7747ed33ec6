"""The parameter columns: canonical units, provenance (converted text, derived values), and a
clear error for every bad cell."""

from __future__ import annotations

import pytest

from rules.cells import CellIssue
from tests.rules.helpers import BASE, parse

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("310", 310.0),
        ("0.31 kWh/kg", 310.0),
        ("310 mWh/g", 310.0),
        ("310Wh/kg", 310.0),
        ("３１０", 310.0),  # full-width digits, as typed with a Chinese input method
        ("310 wh/kg", 310.0),
    ],
)
def test_energy_density_spellings_convert_to_wh_per_kg(text, expected):
    parsed = parse(BASE, energy_density_wh_per_kg=text)
    assert parsed.errors == []
    assert parsed.specs["energy_density_wh_per_kg"].iloc[0] == expected


@pytest.mark.parametrize(
    ("column", "text", "expected"),
    [
        ("compaction_density_g_per_cm3", "2.6 g/cc", 2.6),
        ("compaction_density_g_per_cm3", "2600 kg/m³", 2.6),
        ("compaction_density_g_per_cm3", "2.6 g/cm3", 2.6),
        ("specific_capacity_mah_per_g", "0.16 Ah/g", 160.0),
        ("specific_capacity_mah_per_g", "160 Ah/kg", 160.0),
        ("granulation_volume_m3", "5000 L", 5.0),
        ("compaction_pressure_mpa", "0.22 GPa", 220.0),
        ("discharge_rate_c", "C/10", 0.1),
        ("discharge_rate_c", "0.2C", 0.2),
        ("purity_pct", "99.95 %", 99.95),
        ("purity_pct", "0.9995 fraction", 99.95),
        ("mass_kg", "45 g", 0.045),
    ],
)
def test_units_are_converted_and_the_original_text_kept(column, text, expected):
    parsed = parse(BASE, **{column: text})
    assert parsed.errors == []
    assert parsed.specs[column].iloc[0] == expected
    assert parsed.specs[f"{column}__raw"].iloc[0] == text


def test_plain_numbers_are_given_values_without_raw_text():
    parsed = parse(BASE, energy_density_wh_per_kg="310")
    assert parsed.specs["energy_density_wh_per_kg__raw"].iloc[0] is None


@pytest.mark.parametrize(
    ("column", "text", "message"),
    [
        ("energy_density_wh_per_kg", "lots", "'lots' is not a number"),
        ("energy_density_wh_per_kg", "310 blorps", "'blorps' is not a unit we know"),
        ("energy_density_wh_per_kg", "310 furlongs", "'furlongs' cannot be converted to Wh/kg"),
        ("energy_density_wh_per_kg", "5 kg", "'kg' cannot be converted to Wh/kg"),
        ("energy_density_wh_per_kg", "-5", "must not be negative"),
        ("energy_density_wh_per_kg", "inf", "'inf' is not a number"),
        ("energy_density_wh_per_kg", "1e999", "'1e999' is not a finite number"),
        ("energy_density_wh_per_kg", "nan", "'nan' is not a number"),
        ("energy_density_wh_per_kg", "2,5", "use a dot for decimals and no thousands separators"),
        (
            "energy_density_wh_per_kg",
            "9000",
            "above the plausible maximum of 2000 Wh/kg; check the unit",
        ),
        ("mass_kg", "0", "must be greater than 0"),
        ("discharge_rate_c", "0.1 A", "'A' is not a C-rate; write it like 0.1, 0.1C or C/10"),
        ("purity_pct", "120", "above the plausible maximum of 100 %; check the unit"),
    ],
)
def test_bad_numbers_give_an_error_naming_row_column_and_value(column, text, message):
    parsed = parse(BASE, **{column: text})
    assert parsed.errors == [CellIssue(2, column, text, message)]
    assert list(parsed.invalid) == [True]


@pytest.mark.parametrize(
    ("written", "celsius"), [("20", 20.0), ("20 °C", 20.0), ("68 °F", 20.0), ("293.15 K", 20.0)]
)
def test_test_temperature_converts_to_celsius(written, celsius):
    parsed = parse({**BASE, "energy_density_test_temperature_c": written})
    assert parsed.errors == []
    assert parsed.specs["energy_density_test_temperature_c"].iloc[0] == celsius


def test_a_test_temperature_below_the_plausible_range_says_so():
    parsed = parse({**BASE, "energy_density_test_temperature_c": "-300"})
    assert [e.message for e in parsed.errors] == ["below the plausible minimum of -100 °C"]


def test_derived_energy_density_is_recorded_with_its_provenance():
    parsed = parse(BASE, nominal_voltage_v="3.7", capacity_ah="5", mass_kg="0.06")
    row = parsed.specs.iloc[0]
    assert row["energy_density_wh_per_kg"] == 308.333333333
    assert bool(row["energy_density_wh_per_kg__derived"]) is True


def test_given_and_derived_energy_density_that_disagree_are_flagged():
    parsed = parse(
        BASE,
        energy_density_wh_per_kg="310",
        nominal_voltage_v="3.7",
        capacity_ah="5",
        mass_kg="0.07",
    )
    assert parsed.errors == []
    assert [(w.column, w.message) for w in parsed.warnings] == [
        (
            "energy_density_wh_per_kg",
            "given 310 Wh/kg, but nominal_voltage_v × capacity_ah ÷ mass_kg gives 264.3 Wh/kg "
            "(14.7 % apart); the given value is used, check which is right",
        )
    ]
    assert parsed.specs["energy_density_wh_per_kg"].iloc[0] == 310.0


def test_a_vanishingly_small_given_value_is_flagged_without_overflowing():
    """Found by the property test: 1e-308 Wh/kg against 1 Wh/kg is ~1e310 % apart."""
    parsed = parse(
        BASE,
        energy_density_wh_per_kg="1.1125369292536007e-308",
        nominal_voltage_v="1",
        capacity_ah="1",
        mass_kg="1",
    )
    assert [w.message for w in parsed.warnings] == [
        "given 1.11254e-308 Wh/kg, but nominal_voltage_v × capacity_ah ÷ mass_kg gives 1 Wh/kg "
        "(inf % apart); the given value is used, check which is right"
    ]
