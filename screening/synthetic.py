"""A realistic synthetic portfolio: spec rows as a spreadsheet would hold them.

Parameters are drawn around the catalogue's thresholds, so a good share of the portfolio sits
just below a line, as real portfolios do. Every value is kept inside the spec parser's plausible
range for its parameter (rules.vocabulary.PARAMETERS: a purity never above 100 %), so every row
parses whatever the seed. Used by `seed_demo --products N` and the benchmarks.
Plain Python (numpy and pandas).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rules.vocabulary import CATEGORY_LABELS, PARAMETERS, SUBTYPE_LABELS, TEMPLATE_COLUMNS

CATEGORY_WEIGHTS = {
    "battery_cell": 0.30,
    "battery_pack": 0.12,
    "cathode_material": 0.20,
    "cathode_precursor": 0.06,
    "anode_material": 0.12,
    "graphite_material": 0.08,
    "equipment": 0.08,
    "technology": 0.04,
}
SUBTYPE_WEIGHTS = {
    "battery_cell": {"li_ion": 0.85, "sodium_ion": 0.08, "li_metal": 0.04, "other": 0.03},
    "battery_pack": {"li_ion": 0.9, "sodium_ion": 0.05, "other": 0.05},
    "cathode_material": {
        "lfp": 0.5,
        "lmfp": 0.1,
        "ncm": 0.25,
        "nca": 0.05,
        "li_rich_mn": 0.05,
        "lco": 0.05,
    },
    "cathode_precursor": {"ncm_hydroxide": 0.6, "nca_hydroxide": 0.2, "iron_phosphate": 0.2},
    "anode_material": {
        "artificial_graphite": 0.55,
        "natural_graphite": 0.2,
        "blended_graphite": 0.15,
        "silicon_carbon": 0.07,
        "hard_carbon": 0.03,
    },
    "graphite_material": {
        "synthetic_graphite": 0.4,
        "natural_flake_graphite": 0.25,
        "spherical_graphite": 0.25,
        "expanded_graphite": 0.1,
    },
    "equipment": {
        "winding_machine": 0.15,
        "stacking_machine": 0.1,
        "electrolyte_filling_machine": 0.08,
        "hot_press": 0.05,
        "formation_grading_system": 0.08,
        "grading_cabinet": 0.06,
        "roller_kiln": 0.08,
        "high_speed_mixer": 0.06,
        "sand_mill": 0.05,
        "jet_mill": 0.05,
        "granulation_kettle_vertical": 0.06,
        "granulation_kettle_continuous": 0.04,
        "graphitization_furnace_box": 0.04,
        "graphitization_furnace_acheson": 0.03,
        "coating_modification_equipment": 0.03,
    },
    "technology": {
        "battery_production": 0.3,
        "lfp_preparation": 0.25,
        "lmfp_preparation": 0.1,
        "phosphate_precursor_preparation": 0.1,
        "graphite_anode_process": 0.1,
        "lithium_extraction": 0.15,
    },
}
DESTINATIONS = {
    "DE": 0.14,
    "US": 0.12,
    "KR": 0.09,
    "JP": 0.08,
    "HU": 0.07,
    "PL": 0.06,
    "VN": 0.06,
    "IN": 0.06,
    "MX": 0.05,
    "TH": 0.05,
    "FR": 0.05,
    "BR": 0.04,
    "GB": 0.04,
    "TR": 0.04,
    "ID": 0.03,
    "MA": 0.02,
}


def _choice(rng: np.random.Generator, weights: dict[str, float], size: int) -> np.ndarray:
    keys = list(weights)
    p = np.array(list(weights.values()), dtype=float)
    return rng.choice(np.array(keys, dtype=object), size=size, p=p / p.sum())


def _fmt(values: np.ndarray, mask: np.ndarray, decimals: int) -> np.ndarray:
    out = np.full(len(values), "", dtype=object)
    out[mask] = np.char.mod(f"%.{decimals}f", np.round(values[mask], decimals))
    return out


def _param(name: str, values: np.ndarray, mask: np.ndarray, decimals: int) -> np.ndarray:
    """A parameter's cells: the drawn values, clipped to the range the parser accepts (a normal
    draw has tails), as text with `decimals` decimals."""
    parameter = PARAMETERS[name]
    smallest = 10.0**-decimals if parameter.strictly_positive else parameter.minimum
    return _fmt(np.clip(values, smallest, parameter.maximum), mask, decimals)


def portfolio(n: int, *, seed: int = 7, prefix: str = "SYN") -> pd.DataFrame:
    """n spec rows (all template columns, as text) with realistic distributions."""
    rng = np.random.default_rng(seed)
    category = _choice(rng, CATEGORY_WEIGHTS, n)
    subtype = np.empty(n, dtype=object)
    for name, weights in SUBTYPE_WEIGHTS.items():
        mask = category == name
        subtype[mask] = _choice(rng, weights, int(mask.sum()))
    frame = pd.DataFrame({column: np.full(n, "", dtype=object) for column in TEMPLATE_COLUMNS})
    frame["sku"] = np.char.add(f"{prefix}-", np.char.zfill(np.arange(1, n + 1).astype(str), 7))
    # Names as a catalogue would print them: "Lithium-ion battery cell B-0040".
    kinds = pd.Series(category).str.cat(pd.Series(subtype), sep="|")
    words = {
        kind: f"{SUBTYPE_LABELS[kind.split('|')[1]][0]} "
        f"{CATEGORY_LABELS[kind.split('|')[0]][0].lower()} {kind[0].upper()}-"
        for kind in kinds.unique()
    }
    models = pd.Series(np.arange(1, n + 1) % 10_000).astype(str).str.zfill(4)
    frame["name"] = (kinds.map(words) + models).to_numpy(dtype=object)
    frame["category"], frame["subtype"] = category, subtype
    frame["manufacturer"] = np.select(
        [np.isin(category, ["battery_cell", "battery_pack"]), np.isin(category, ["equipment"])],
        ["Demo Cells Ltd", "Demo Equipment"],
        default="Demo Materials",
    ).astype(object)

    battery = np.isin(category, ["battery_cell", "battery_pack"]) | (
        subtype == "battery_production"
    )
    energy = rng.normal(275, 30, n)
    given = battery & (rng.random(n) < 0.8)
    frame["energy_density_wh_per_kg"] = _param("energy_density_wh_per_kg", energy, given, 1)
    derive = battery & ~given & (rng.random(n) < 0.7)
    volts = rng.choice([3.2, 3.6, 3.7], n)
    amp_hours = rng.uniform(2, 300, n)
    # At most 600 Wh/kg, so the mass (≥ 0.01 kg) keeps its precision at 4 decimals and V × Ah ÷ kg
    # stays far below the parser's maximum.
    mass = volts * amp_hours / np.clip(energy, 80, 600)
    frame["nominal_voltage_v"] = _param("nominal_voltage_v", volts, derive, 2)
    frame["capacity_ah"] = _param("capacity_ah", amp_hours, derive, 2)
    frame["mass_kg"] = _param("mass_kg", mass, derive, 4)

    lfp = (subtype == "lfp") | (subtype == "lfp_preparation") | (subtype == "lmfp_preparation")
    compaction = rng.normal(2.47, 0.09, n)
    frame["compaction_density_g_per_cm3"] = _param(
        "compaction_density_g_per_cm3", compaction, lfp & (rng.random(n) < 0.95), 3
    )
    frame["specific_capacity_mah_per_g"] = _param(
        "specific_capacity_mah_per_g", rng.normal(155, 4, n), lfp & (rng.random(n) < 0.8), 1
    )
    tech = np.isin(subtype, ["lfp_preparation", "lmfp_preparation"])
    frame["compaction_pressure_mpa"] = np.where(tech & (rng.random(n) < 0.8), "220", "")
    frame["discharge_rate_c"] = np.where(tech & (rng.random(n) < 0.8), "0.1", "")
    frame["first_cycle_efficiency_pct"] = _param(
        "first_cycle_efficiency_pct", rng.normal(96, 1.2, n), tech, 1
    )
    frame["average_voltage_v"] = _param(
        "average_voltage_v", rng.normal(3.9, 0.1, n), subtype == "lmfp_preparation", 2
    )
    frame["tap_density_g_per_cm3"] = _param(
        "tap_density_g_per_cm3",
        rng.normal(1.15, 0.1, n),
        subtype == "phosphate_precursor_preparation",
        2,
    )
    synthetic = subtype == "synthetic_graphite"
    frame["purity_pct"] = _param("purity_pct", rng.normal(99.9, 0.05, n), synthetic, 3)
    frame["flexural_strength_mpa"] = _param(
        "flexural_strength_mpa", rng.normal(32, 6, n), synthetic, 1
    )
    frame["density_g_per_cm3"] = _param(
        "density_g_per_cm3", rng.normal(1.75, 0.06, n), synthetic, 3
    )
    kettle = np.isin(subtype, ["granulation_kettle_vertical", "granulation_kettle_continuous"])
    frame["granulation_volume_m3"] = _param(
        "granulation_volume_m3", rng.gamma(6, 0.85, n), kettle, 2
    )

    frame["destination_country"] = _choice(rng, DESTINATIONS, n)
    frame["annual_export_value_usd"] = _fmt(rng.lognormal(13, 1.1, n), np.ones(n, bool), 0)
    frame["source_document"] = "synthetic datasheet"
    return frame
