"""The spec parser: canonical units, provenance, and a clear error for every bad cell."""

from __future__ import annotations

import pandas as pd
import pytest

from rules.specs import parse_specs
from tests.rules.helpers import BASE, parse

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


def test_required_columns_missing_values_and_unknown_category():
    parsed = parse({"sku": "", "name": "", "category": "spaceship"})
    assert [(e.column, e.message) for e in parsed.errors] == [
        ("sku", "required"),
        ("name", "required"),
        (
            "category",
            "not a category; use one of battery_cell, battery_pack, cathode_material, "
            "cathode_precursor, anode_material, graphite_material, equipment, technology",
        ),
    ]


def test_a_missing_required_column_is_an_error_on_every_row():
    rows = [{"sku": "A", "category": "equipment"}, {"sku": "B", "category": "equipment"}]
    parsed = parse_specs(pd.DataFrame(rows, dtype=object))
    assert [(e.row, e.column, e.message) for e in parsed.errors] == [
        (2, "name", "the file has no 'name' column (required)"),
        (3, "name", "the file has no 'name' column (required)"),
    ]


def test_unknown_columns_are_reported_not_dropped_silently():
    parsed = parse(BASE, colour="red", **{" Energy_Density_Wh_Per_Kg ": "300"})
    assert parsed.unknown_columns == ("colour",)
    assert parsed.specs["energy_density_wh_per_kg"].iloc[0] == 300.0


def test_category_and_subtype_spelling_is_forgiven():
    parsed = parse({**BASE, "category": " Battery Cell ", "subtype": "Li-Ion"})
    assert (parsed.specs["category"].iloc[0], parsed.specs["subtype"].iloc[0]) == (
        "battery_cell",
        "li_ion",
    )


def test_an_unknown_subtype_is_a_row_error_naming_the_accepted_values():
    parsed = parse({**BASE, "subtype": "solid_state"})
    assert [(e.row, e.column, e.value, e.message) for e in parsed.errors] == [
        (
            2,
            "subtype",
            "solid_state",
            "not a subtype of battery_cell; use one of li_ion, li_metal, sodium_ion, other",
        )
    ]
    assert parsed.specs["subtype"].iloc[0] is None
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("category", "written", "read"),
    [
        ("battery_cell", "lithium_ion", "li_ion"),
        ("battery_cell", "Li-ion", "li_ion"),
        ("battery_cell", "LIB", "li_ion"),
        ("battery_cell", "Lithium-Ion", "li_ion"),
        ("battery_cell", "锂离子", "li_ion"),
        ("battery_pack", "Na-ion", "sodium_ion"),
        ("battery_cell", "Lithium metal", "li_metal"),
        ("cathode_material", "LiFePO4", "lfp"),
        ("cathode_material", "NMC", "ncm"),
        ("cathode_material", "磷酸铁锂", "lfp"),
        ("anode_material", "人造石墨", "artificial_graphite"),
        ("graphite_material", "人造石墨", "synthetic_graphite"),
        ("graphite_material", "flake graphite", "natural_flake_graphite"),
        ("equipment", "Winding machine", "winding_machine"),
        ("battery_cell", "Other", "other"),
        ("battery_cell", "其他", "other"),
    ],
)
def test_common_spellings_of_a_subtype_map_to_the_list(category, written, read):
    parsed = parse({**BASE, "category": category, "subtype": written})
    assert parsed.errors == []
    assert parsed.specs["subtype"].iloc[0] == read


def test_a_blank_subtype_stays_blank_never_other():
    parsed = parse({**BASE, "subtype": ""})
    assert parsed.errors == []
    assert parsed.warnings == []
    assert parsed.specs["subtype"].iloc[0] is None


def test_a_spelling_of_another_category_is_not_a_subtype_of_this_one():
    parsed = parse({**BASE, "subtype": "LiFePO4"})
    assert [e.column for e in parsed.errors] == ["subtype"]


@pytest.mark.parametrize(
    ("written", "read"),
    [("secondary", "secondary"), ("Rechargeable", "secondary"), ("一次", "primary"), ("", None)],
)
def test_cell_type_reads_common_spellings(written, read):
    parsed = parse({**BASE, "cell_type": written})
    assert parsed.errors == []
    assert parsed.specs["cell_type"].iloc[0] == read


def test_an_unknown_cell_type_is_a_row_error():
    parsed = parse({**BASE, "cell_type": "solid"})
    assert [(e.column, e.message) for e in parsed.errors] == [
        ("cell_type", "not a cell type; use primary or secondary")
    ]


def test_duplicate_natural_keys_in_one_file_are_errors_after_the_first():
    parsed = parse(BASE, BASE, {**BASE, "revision": "B"})
    assert [(e.row, e.message) for e in parsed.errors] == [(3, "same sku and revision as row 2")]


@pytest.mark.parametrize(
    ("column", "text", "message"),
    [
        ("destination_country", "UK", "'UK' is not an ISO code; the United Kingdom is GB"),
        (
            "destination_country",
            "Germany",
            "not an ISO 3166-1 alpha-2 country code (e.g. DE, US, JP)",
        ),
        ("hs_code", "8507-60", "an HS code is 4 to 10 digits (dots and spaces allowed)"),
        ("annual_export_value_usd", "a lot", "not an amount in USD"),
        ("annual_export_value_usd", "-3", "must be a finite amount ≥ 0"),
        ("name", "bad\x00name", "contains control characters"),
        ("sku", "X" * 65, "longer than 64 characters"),
    ],
)
def test_bad_trade_and_text_cells(column, text, message):
    parsed = parse({**BASE, column: text})
    assert [(e.column, e.message) for e in parsed.errors] == [(column, message)]


def test_trade_data_is_normalised():
    parsed = parse(
        {
            **BASE,
            "destination_country": " de ",
            "hs_code": "8507.60.00",
            "annual_export_value_usd": "$1,250,000",
        }
    )
    row = parsed.specs.iloc[0]
    assert (row["destination_country"], row["hs_code"], row["annual_export_value_usd"]) == (
        "DE",
        "85076000",
        1250000.0,
    )


def test_spreadsheet_numbers_and_text_numbers_parse_alike():
    typed = parse_specs(pd.DataFrame([{**BASE, "sku": 12345.0, "energy_density_wh_per_kg": 310.0}]))
    assert typed.errors == []
    assert (typed.specs["sku"].iloc[0], typed.specs["energy_density_wh_per_kg"].iloc[0]) == (
        "12345",
        310.0,
    )


def test_a_long_file_repeating_a_few_spellings_is_read_cell_by_cell_all_the_same():
    """Category, country and HS code are worked out once per distinct spelling on long files;
    every row still gets its own value and its own error."""
    spellings = [
        ("Battery Cell", "Li-Ion", " de ", "8507.60"),
        ("battery_cell", "li_ion", "UK", "85076000"),
        ("batery cell", "li_ion", "DE", "85x"),
        (None, None, None, None),
    ]
    rows = [
        {
            "sku": f"S-{i}",
            "name": "Thing",
            "category": category,
            "subtype": subtype,
            "destination_country": country,
            "hs_code": hs,
        }
        for i, (category, subtype, country, hs) in enumerate(spellings * 5)
    ]
    parsed = parse(*rows)
    specs = parsed.specs
    assert specs["category"].tolist() == ["battery_cell", "battery_cell", None, None] * 5
    assert specs["subtype"].tolist() == ["li_ion", "li_ion", None, None] * 5
    assert specs["destination_country"].tolist() == ["DE", None, "DE", None] * 5
    assert specs["hs_code"].tolist() == ["850760", "85076000", None, None] * 5
    by_column = {}
    for error in parsed.errors:
        by_column.setdefault(error.column, []).append(error.row)
    rows_of = {k: [r for r in range(2, 22) if (r - 2) % 4 == k] for k in range(4)}
    assert by_column["category"] == sorted(rows_of[2] + rows_of[3])
    assert by_column["destination_country"] == rows_of[1]
    assert by_column["hs_code"] == rows_of[2]


def test_missing_markers_of_every_kind_read_as_empty_cells():
    frame = pd.DataFrame(
        {
            "sku": ["A-1", "A-2", "A-3", "A-4"],
            "name": ["x", "y", "z", "w"],
            "category": ["battery_cell"] * 4,
            "manufacturer": [pd.NA, None, float("nan"), "  Acme  "],
        },
        dtype=object,
    )
    parsed = parse_specs(frame)
    assert parsed.errors == []
    assert parsed.specs["manufacturer"].tolist() == [None, None, None, "Acme"]
