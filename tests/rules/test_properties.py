"""Properties of the parser and the evaluator that must hold for every input (hypothesis)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.catalogue_data import load_shipped
from rules.evaluation import screen_frame
from rules.spec_parameters import format_cell
from rules.specs import parse_specs
from rules.vocabulary import CATEGORIES, CELL_TYPES, OUTCOMES, PARAMETERS
from tests.rules.helpers import screen_raw

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it

# Both regimes: the Chinese catalogue and the EU 3A001.e.1 entries (cell types, test temperature).
CATALOGUE = load_shipped()
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
days = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2028, 12, 31))
categories = st.sampled_from(list(CATEGORIES))


@st.composite
def category_and_subtype(draw):
    category = draw(categories)
    # A blank subtype is allowed (entries that depend on it are then unknown).
    return category, draw(st.sampled_from((*CATEGORIES[category], "")))


@st.composite
def specs(draw):
    category, subtype = draw(category_and_subtype())
    cells = {"category": category, "subtype": subtype}
    cells["cell_type"] = draw(st.sampled_from(("", *CELL_TYPES)))
    for name, parameter in PARAMETERS.items():
        if draw(st.booleans()):
            low = 1e-3 if parameter.strictly_positive else 0.0
            value = draw(st.floats(min_value=low, max_value=parameter.maximum))
            cells[name] = format_cell(value)
    return cells


@SETTINGS
@given(
    entry=st.sampled_from([e for e in CATALOGUE.entries if e.criteria]),
    day=days,
)
def test_boundaries_are_pinned(entry, day):
    """Exactly at a '>=' threshold matches; exactly at a '>' threshold does not."""
    scope = entry.applies_to[0]
    cells = {
        "category": scope.category,
        "subtype": scope.subtype or "other",
        "cell_type": scope.cell_type or "",
    }
    for criterion in entry.criteria:
        cells[criterion.parameter] = format_cell(criterion.threshold)
        if criterion.condition:
            cells[criterion.condition.parameter] = format_cell(criterion.condition.value)
    result = screen_raw(CATALOGUE, day, **cells)
    results = {
        c.criterion.parameter: c.result
        for e in result.entries + result.not_met
        if e.entry.key == entry.key
        for c in e.criteria
    }
    for criterion in entry.criteria:
        expected = "true" if criterion.operator in (">=", "<=") else "false"
        if expected == "false" and not criterion.verified:
            expected = "unknown"
        assert results[criterion.parameter] == expected


ORDER = {"no_match": 0, "near": 1, "unknown": 2, "match": 3}


@SETTINGS
@given(spec=specs(), day=days, factor=st.floats(min_value=1.0, max_value=10.0))
def test_raising_a_parameter_never_turns_a_match_into_a_non_match(spec, day, factor):
    base = screen_raw(CATALOGUE, day, **spec)
    raised = dict(spec)
    for name, parameter in PARAMETERS.items():
        if (
            name in raised
            and parameter.kind == "quantity"
            and name
            not in (
                "compaction_pressure_mpa",
                "nominal_voltage_v",
                "capacity_ah",
                "mass_kg",
            )
        ):
            raised[name] = format_cell(min(float(raised[name]) * factor, parameter.maximum))
    higher = screen_raw(CATALOGUE, day, **raised)
    before = {e.entry.key: e.result for e in base.entries}
    after = {e.entry.key: e.result for e in higher.entries}
    for key, result in before.items():
        if result == "match":
            assert after.get(key) == "match"


@SETTINGS
@given(
    value=st.floats(min_value=0, max_value=1000, allow_nan=False),
    unit=st.sampled_from([("Wh/kg", 1.0), ("kWh/kg", 1e-3), ("mWh/g", 1.0), ("Wh/g", 1e-3)]),
    day=days,
)
def test_the_same_energy_density_in_any_unit_gives_the_same_result(value, unit, day):
    name, factor = unit
    value = round(value, 4)  # measured values carry a few decimals, not 17 digits
    plain = screen_raw(
        CATALOGUE,
        day,
        category="battery_cell",
        subtype="li_ion",
        energy_density_wh_per_kg=format_cell(value),
    )
    written = screen_raw(
        CATALOGUE,
        day,
        category="battery_cell",
        subtype="li_ion",
        energy_density_wh_per_kg=f"{format_cell(value * factor)} {name}",
    )
    assert written.outcome == plain.outcome
    assert [(e.entry.key, e.result) for e in written.entries] == [
        (e.entry.key, e.result) for e in plain.entries
    ]


@SETTINGS
@given(
    density=st.floats(min_value=0.5, max_value=5),
    unit=st.sampled_from([("g/cm3", 1.0), ("g/cc", 1.0), ("kg/m³", 1000.0), ("kg/L", 1.0)]),
)
def test_the_same_compaction_density_in_any_unit_gives_the_same_outcome(density, unit):
    name, factor = unit
    density = round(density, 4)
    plain = screen_raw(
        CATALOGUE,
        dt.date(2026, 12, 1),
        category="cathode_material",
        subtype="lfp",
        compaction_density_g_per_cm3=format_cell(density),
        specific_capacity_mah_per_g="157",
    )
    written = screen_raw(
        CATALOGUE,
        dt.date(2026, 12, 1),
        category="cathode_material",
        subtype="lfp",
        specific_capacity_mah_per_g="157",
        compaction_density_g_per_cm3=f"{format_cell(density * factor)} {name}",
    )
    assert written.outcome == plain.outcome


@SETTINGS
@given(
    volts=st.floats(min_value=1, max_value=5),
    amp_hours=st.floats(min_value=0.1, max_value=300),
    kilograms=st.floats(min_value=0.01, max_value=10),
    day=days,
)
def test_derived_and_given_energy_density_give_the_same_outcome(volts, amp_hours, kilograms, day):
    derived = screen_raw(
        CATALOGUE,
        day,
        category="battery_cell",
        subtype="li_ion",
        nominal_voltage_v=format_cell(volts),
        capacity_ah=format_cell(amp_hours),
        mass_kg=format_cell(kilograms),
    )
    if derived.outcome == "invalid":  # beyond the plausible maximum: a structured error
        return
    value = next(c.value for e in derived.entries + derived.not_met for c in e.criteria)
    given_ = screen_raw(
        CATALOGUE,
        day,
        category="battery_cell",
        subtype="li_ion",
        energy_density_wh_per_kg=format_cell(value),
    )
    assert given_.outcome == derived.outcome


hostile_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "nan",
            "NaN",
            "inf",
            "-inf",
            "1e999",
            "-5",
            "0",
            "1,5",
            "５",
            "3 furlongs",
            "=1+1",
            "\x00",
            " ",
            "1e-400",
            "C/0",
            "0.1C",
            "99 %",
            "∞",
            "10¹⁰",
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@SETTINGS
@given(
    cells=st.dictionaries(
        st.sampled_from(
            [
                "sku",
                "name",
                "category",
                "subtype",
                "cell_type",
                "destination_country",
                "annual_export_value_usd",
                "hs_code",
                *PARAMETERS,
            ]
        ),
        hostile_text,
    ),
    day=days,
)
def test_any_input_gives_a_result_or_a_row_error_never_an_exception(cells, day):
    parsed = parse_specs(pd.DataFrame([cells], dtype=object))
    screening = screen_frame(parsed.specs, CATALOGUE, day, invalid=parsed.invalid)
    result = screening.explain(0)
    assert result.outcome in OUTCOMES
    if result.outcome == "invalid":
        assert parsed.errors, "an invalid row always says why"
    else:
        assert not parsed.errors


@SETTINGS
@given(rows=st.lists(specs(), min_size=2, max_size=12), day=days, seed=st.integers(0, 2**16))
def test_row_order_and_entry_order_do_not_change_results(rows, day, seed):
    for i, row in enumerate(rows):
        row.update(sku=f"S{i}", name="n")
    frame = pd.DataFrame(rows, dtype=object)
    parsed = parse_specs(frame)
    forward = screen_frame(parsed.specs, CATALOGUE, day, invalid=parsed.invalid).outcomes
    order = np.random.default_rng(seed).permutation(len(rows))
    shuffled_parsed = parse_specs(frame.iloc[order].reset_index(drop=True))
    reversed_catalogue = type(CATALOGUE)(
        version=CATALOGUE.version,
        measures=tuple(reversed(CATALOGUE.measures)),
        near_band_pct=CATALOGUE.near_band_pct,
    )
    shuffled = screen_frame(
        shuffled_parsed.specs, reversed_catalogue, day, invalid=shuffled_parsed.invalid
    ).outcomes
    assert list(shuffled) == [forward.iloc[i] for i in order]


@SETTINGS
@given(rows=st.lists(specs(), min_size=1, max_size=15), day=days)
def test_whole_frame_contracts_equal_row_by_row_explanations(rows, day):
    for i, row in enumerate(rows):
        row.update(sku=f"S{i}", name="n")
    parsed = parse_specs(pd.DataFrame(rows, dtype=object))
    screening = screen_frame(parsed.specs, CATALOGUE, day, invalid=parsed.invalid)
    assert screening.contracts() == [screening.explain(i).to_contract() for i in range(len(rows))]


@SETTINGS
@given(rows=st.lists(specs(), min_size=1, max_size=10))
def test_frame_hashes_equal_the_hash_of_each_spec(rows):
    from screening.models.products import spec_content_hash, spec_content_hashes

    for i, row in enumerate(rows):
        row.update(sku=f"S{i}", name="n", destination_country="DE", annual_export_value_usd="12.5")
    parsed = parse_specs(pd.DataFrame(rows, dtype=object))
    records = parsed.specs.to_dict("records")
    assert spec_content_hashes(parsed.specs) == [spec_content_hash(r) for r in records]
