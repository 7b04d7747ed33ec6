"""The words the catalogue and the spec template share: categories, subtypes, parameters.

Plain Python (no Django), so the evaluator, the spec parser and the benchmarks can use it without
a database. Labels are plain strings here; the web layer translates them.
The column names and canonical units are a contract (../shared/domain/SPEC_TEMPLATE.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CATEGORIES: dict[str, tuple[str, ...]] = {
    "battery_cell": ("li_ion", "li_metal", "sodium_ion", "other"),
    "battery_pack": ("li_ion", "li_metal", "sodium_ion", "other"),
    "cathode_material": ("lfp", "lmfp", "ncm", "nca", "lco", "lmo", "li_rich_mn", "other"),
    "cathode_precursor": ("ncm_hydroxide", "nca_hydroxide", "iron_phosphate", "other"),
    "anode_material": (
        "artificial_graphite",
        "natural_graphite",
        "blended_graphite",
        "silicon_carbon",
        "hard_carbon",
        "other",
    ),
    "graphite_material": (
        "synthetic_graphite",
        "natural_flake_graphite",
        "spherical_graphite",
        "expanded_graphite",
        "other",
    ),
    "equipment": (
        "winding_machine",
        "stacking_machine",
        "electrolyte_filling_machine",
        "hot_press",
        "formation_grading_system",
        "grading_cabinet",
        "roller_kiln",
        "high_speed_mixer",
        "sand_mill",
        "jet_mill",
        "granulation_kettle_vertical",
        "granulation_kettle_continuous",
        "graphitization_furnace_box",
        "graphitization_furnace_acheson",
        "coating_modification_equipment",
        "other",
    ),
    "technology": (
        "battery_production",
        "lfp_preparation",
        "lmfp_preparation",
        "phosphate_precursor_preparation",
        "graphite_anode_process",
        "lithium_extraction",
        "other",
    ),
}

CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "battery_cell": ("Battery cell", "电芯"),
    "battery_pack": ("Battery pack", "电池组"),
    "cathode_material": ("Cathode material", "正极材料"),
    "cathode_precursor": ("Cathode precursor", "正极材料前驱体"),
    "anode_material": ("Anode material", "负极材料"),
    "graphite_material": ("Graphite material", "石墨材料"),
    "equipment": ("Equipment", "设备"),
    "technology": ("Technology", "技术"),
}

SUBTYPE_LABELS: dict[str, tuple[str, str]] = {
    "li_ion": ("Lithium-ion", "锂离子"),
    "li_metal": ("Lithium metal", "锂金属"),
    "sodium_ion": ("Sodium-ion", "钠离子"),
    "other": ("Other", "其他"),
    "lfp": ("LFP (lithium iron phosphate)", "磷酸铁锂"),
    "lmfp": ("LMFP (lithium manganese iron phosphate)", "磷酸锰铁锂"),
    "ncm": ("NCM", "镍钴锰"),
    "nca": ("NCA", "镍钴铝"),
    "lco": ("LCO", "钴酸锂"),
    "lmo": ("LMO", "锰酸锂"),
    "li_rich_mn": ("Lithium-rich manganese-based", "富锂锰基"),
    "ncm_hydroxide": ("NCM hydroxide", "镍钴锰氢氧化物"),
    "nca_hydroxide": ("NCA hydroxide", "镍钴铝氢氧化物"),
    "iron_phosphate": ("Iron phosphate", "磷酸铁"),
    "artificial_graphite": ("Artificial graphite", "人造石墨"),
    "natural_graphite": ("Natural graphite", "天然石墨"),
    "blended_graphite": ("Blended artificial + natural graphite", "人造与天然石墨混合"),
    "silicon_carbon": ("Silicon-carbon", "硅碳"),
    "hard_carbon": ("Hard carbon", "硬碳"),
    "synthetic_graphite": ("Synthetic graphite", "人造石墨"),
    "natural_flake_graphite": ("Natural flake graphite", "天然鳞片石墨"),
    "spherical_graphite": ("Spherical graphite", "球化石墨"),
    "expanded_graphite": ("Expanded graphite", "膨胀石墨"),
    "winding_machine": ("Winding machine", "卷绕机"),
    "stacking_machine": ("Stacking machine", "叠片机"),
    "electrolyte_filling_machine": ("Electrolyte filling machine", "注液机"),
    "hot_press": ("Hot press", "热压机"),
    "formation_grading_system": ("Formation and capacity-grading system", "化成分容系统"),
    "grading_cabinet": ("Capacity-grading cabinet", "分容柜"),
    "roller_kiln": ("Roller kiln", "辊道窑"),
    "high_speed_mixer": ("High-speed mixer", "高速混料机"),
    "sand_mill": ("Sand mill", "砂磨机"),
    "jet_mill": ("Jet mill", "气流粉碎机"),
    "granulation_kettle_vertical": ("Vertical granulation kettle", "立式造粒釜"),
    "granulation_kettle_continuous": ("Continuous granulation kettle", "连续造粒釜"),
    "graphitization_furnace_box": ("Graphitisation box furnace", "石墨化箱体炉"),
    "graphitization_furnace_acheson": ("Acheson graphitisation furnace", "艾奇逊石墨化炉"),
    "coating_modification_equipment": ("Coating-modification equipment", "包覆改性设备"),
    "battery_production": ("Battery production technology", "电池生产技术"),
    "lfp_preparation": ("LFP preparation technology", "磷酸铁锂制备技术"),
    "lmfp_preparation": ("LMFP preparation technology", "磷酸锰铁锂制备技术"),
    "phosphate_precursor_preparation": (
        "Phosphate cathode precursor preparation technology",
        "磷酸盐正极前驱体制备技术",
    ),
    "graphite_anode_process": ("Graphite anode process technology", "石墨负极材料工艺及技术"),
    "lithium_extraction": ("Lithium extraction and refining technology", "锂提取及精炼技术"),
}


@dataclass(frozen=True)
class Parameter:
    """A technical parameter column of the spec template, in its canonical unit."""

    name: str
    unit: str  # canonical unit as shown to users
    pint_unit: str  # the same unit in pint's syntax
    label_en: str
    label_zh: str
    minimum: float  # smallest accepted value
    maximum: float  # largest plausible value; beyond it the unit is almost surely wrong
    # Zero is not a measured value of any of these (it divides, it is a rate, or it means "not
    # measured"): refused like a negative one. Only temperatures may be zero.
    strictly_positive: bool = True
    kind: str = "quantity"  # quantity | c_rate | percent | temperature


PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in (
        Parameter(
            "energy_density_wh_per_kg",
            "Wh/kg",
            "Wh/kg",
            "Gravimetric energy density",
            "重量能量密度",
            0,
            2000,
        ),
        Parameter("nominal_voltage_v", "V", "V", "Nominal voltage", "标称电压", 0, 2000, True),
        Parameter("capacity_ah", "Ah", "Ah", "Nominal capacity", "标称容量", 0, 100_000, True),
        Parameter("mass_kg", "kg", "kg", "Mass", "质量", 0, 100_000, True),
        Parameter(
            "compaction_density_g_per_cm3",
            "g/cm³",
            "g/cm**3",
            "Compaction density",
            "压实密度",
            0,
            10,
        ),
        Parameter(
            "compaction_pressure_mpa",
            "MPa",
            "MPa",
            "Compaction test pressure",
            "压实密度测试压力",
            0,
            10_000,
            True,
        ),
        Parameter(
            "specific_capacity_mah_per_g",
            "mAh/g",
            "mAh/g",
            "Specific (discharge) capacity",
            "克容量",
            0,
            4000,
        ),
        Parameter(
            "discharge_rate_c",
            "C",
            "",
            "Discharge rate of the capacity test",
            "克容量测试放电倍率",
            0,
            1000,
            True,
            kind="c_rate",
        ),
        Parameter(
            "first_cycle_efficiency_pct",
            "%",
            "percent",
            "First-cycle coulombic efficiency",
            "首次库仑效率",
            0,
            100,
            kind="percent",
        ),
        Parameter("average_voltage_v", "V", "V", "Average voltage", "平均电压", 0, 10),
        Parameter("tap_density_g_per_cm3", "g/cm³", "g/cm**3", "Tap density", "振实密度", 0, 10),
        Parameter("purity_pct", "%", "percent", "Purity", "纯度", 0, 100, kind="percent"),
        Parameter(
            "flexural_strength_mpa", "MPa", "MPa", "Flexural strength", "抗折强度", 0, 10_000
        ),
        Parameter("density_g_per_cm3", "g/cm³", "g/cm**3", "Bulk density", "体积密度", 0, 25),
        Parameter(
            "granulation_volume_m3",
            "m³",
            "m**3",
            "Granulation kettle volume",
            "造粒釜容积",
            0,
            10_000,
        ),
        Parameter(
            "energy_density_test_temperature_c",
            "°C",
            "degC",
            "Test temperature of the energy density",
            "能量密度测试温度",
            -100,
            200,
            strictly_positive=False,
            kind="temperature",
        ),
    )
}


@dataclass(frozen=True)
class Derivation:
    """A parameter that may be computed from others when it is not given."""

    target: str
    inputs: tuple[str, ...]
    formula: str  # as shown to users
    # Computes the target from the inputs; works on numbers and on numpy arrays alike.
    compute: Callable[..., Any]
    # Relative disagreement between a given and a derived value beyond which we flag it.
    tolerance: float = 0.02


DERIVATIONS: tuple[Derivation, ...] = (
    Derivation(
        target="energy_density_wh_per_kg",
        inputs=("nominal_voltage_v", "capacity_ah", "mass_kg"),
        formula="nominal_voltage_v × capacity_ah ÷ mass_kg",
        compute=lambda volts, amp_hours, kilograms: volts * amp_hours / kilograms,
    ),
)

# Whether a cell is primary (single use) or secondary (rechargeable): EU 3A001.e.1.a/.b.
CELL_TYPES = ("primary", "secondary")
CELL_TYPE_LABELS: dict[str, tuple[str, str]] = {
    "primary": ("Primary (not rechargeable)", "一次电池（不可充电）"),
    "secondary": ("Secondary (rechargeable)", "二次电池（可充电）"),
}
# The template's default when `cell_type` is blank: these chemistries are rechargeable by
# nature. Lithium-metal and other cells exist as both, so they have no default.
CELL_TYPE_DEFAULTS: dict[str, str] = {"li_ion": "secondary", "sodium_ion": "secondary"}

# Attributes (besides the category) that decide whether an entry applies to a product. A blank
# one is unknown, never a silent "other": entries that depend on it cannot be decided.
SCOPE_ATTRIBUTES = ("subtype", "cell_type")

# Common spellings of the listed values, after normalising (NFKC, lower case, runs of spaces,
# hyphens and slashes as "_"). The listed codes and their English and Chinese labels are
# accepted too (see `canonical_subtype`); anything else is an error of the row.
CATEGORY_SYNONYMS: dict[str, str] = {
    "cell": "battery_cell",
    "battery_cells": "battery_cell",
    "pack": "battery_pack",
    "battery": "battery_pack",
    "battery_packs": "battery_pack",
    "module": "battery_pack",
    "battery_module": "battery_pack",
    "cathode": "cathode_material",
    "precursor": "cathode_precursor",
    "anode": "anode_material",
    "graphite": "graphite_material",
    "machine": "equipment",
    "machinery": "equipment",
    "tech": "technology",
    "电池": "battery_pack",
    "电池包": "battery_pack",
    "电池模组": "battery_pack",
    "正极": "cathode_material",
    "前驱体": "cathode_precursor",
    "负极": "anode_material",
}
SUBTYPE_SYNONYMS: dict[str, dict[str, str]] = {
    "battery_cell": {
        "lithium_ion": "li_ion",
        "li_ion_polymer": "li_ion",
        "li_polymer": "li_ion",
        "lithium_polymer": "li_ion",
        "lipo": "li_ion",
        "li_po": "li_ion",
        "lib": "li_ion",
        "liion": "li_ion",
        "lithium_ion_battery": "li_ion",
        "锂电": "li_ion",
        "锂离子电池": "li_ion",
        "lithium_metal": "li_metal",
        "li_metal_battery": "li_metal",
        "lmb": "li_metal",
        "锂金属电池": "li_metal",
        "sodium": "sodium_ion",
        "na_ion": "sodium_ion",
        "naion": "sodium_ion",
        "sib": "sodium_ion",
        "sodium_ion_battery": "sodium_ion",
        "钠电": "sodium_ion",
        "钠离子电池": "sodium_ion",
    },
    "cathode_material": {
        "lifepo4": "lfp",
        "lithium_iron_phosphate": "lfp",
        "lifemnpo4": "lmfp",
        "limnfepo4": "lmfp",
        "lithium_manganese_iron_phosphate": "lmfp",
        "nmc": "ncm",
        "lithium_nickel_cobalt_manganese_oxide": "ncm",
        "三元": "ncm",
        "lithium_nickel_cobalt_aluminium_oxide": "nca",
        "lithium_nickel_cobalt_aluminum_oxide": "nca",
        "licoo2": "lco",
        "lithium_cobalt_oxide": "lco",
        "limn2o4": "lmo",
        "lithium_manganese_oxide": "lmo",
        "lithium_rich_manganese": "li_rich_mn",
        "li_rich": "li_rich_mn",
        "lrmo": "li_rich_mn",
    },
    "cathode_precursor": {
        "nmc_hydroxide": "ncm_hydroxide",
        "ncm_precursor": "ncm_hydroxide",
        "nmc_precursor": "ncm_hydroxide",
        "nca_precursor": "nca_hydroxide",
        "fepo4": "iron_phosphate",
        "ferric_phosphate": "iron_phosphate",
    },
    "anode_material": {
        "synthetic_graphite": "artificial_graphite",
        "artificial": "artificial_graphite",
        "natural": "natural_graphite",
        "blended": "blended_graphite",
        "mixed_graphite": "blended_graphite",
        "si_c": "silicon_carbon",
        "sic_composite": "silicon_carbon",
        "silicon_carbon_composite": "silicon_carbon",
        "硅碳负极": "silicon_carbon",
    },
    "graphite_material": {
        "artificial_graphite": "synthetic_graphite",
        "flake_graphite": "natural_flake_graphite",
        "natural_flake": "natural_flake_graphite",
        "spherical": "spherical_graphite",
        "spheroidal_graphite": "spherical_graphite",
        "球形石墨": "spherical_graphite",
        "expanded": "expanded_graphite",
        "expandable_graphite": "expanded_graphite",
    },
}
# battery_pack takes the same chemistries as battery_cell.
SUBTYPE_SYNONYMS["battery_pack"] = SUBTYPE_SYNONYMS["battery_cell"]
CELL_TYPE_SYNONYMS: dict[str, str] = {
    "rechargeable": "secondary",
    "secondary_cell": "secondary",
    "二次": "secondary",
    "二次电池": "secondary",
    "可充电": "secondary",
    "non_rechargeable": "primary",
    "nonrechargeable": "primary",
    "primary_cell": "primary",
    "一次": "primary",
    "一次电池": "primary",
    "不可充电": "primary",
}


def _label_spellings(labels: dict[str, tuple[str, str]]) -> dict[str, dict[str, str]]:
    """The English and Chinese label of each code, as a normalised spelling → codes."""
    found: dict[str, dict[str, str]] = {}
    for code, (english, chinese) in labels.items():
        for label in (english, chinese):
            found.setdefault(slug(label), {})[code] = code
    return found


def slug(text: str) -> str:
    """A spelling as compared with the lists: lower case, spaces/hyphens/slashes as '_'."""
    out: list[str] = []
    pending = False
    for char in text.strip().lower():
        if char in " \t-/_":
            pending = bool(out)
            continue
        if pending:
            out.append("_")
            pending = False
        out.append(char)
    return "".join(out)


def canonical_category(spelling: str) -> str | None:
    """The category a normalised spelling names (see `slug`), or None."""
    if spelling in CATEGORIES:
        return spelling
    if spelling in CATEGORY_SYNONYMS:
        return CATEGORY_SYNONYMS[spelling]
    labelled = _CATEGORY_LABEL_SPELLINGS.get(spelling, {})
    return next(iter(labelled)) if len(labelled) == 1 else None


def canonical_subtype(category: str, spelling: str) -> str | None:
    """The subtype of `category` a normalised spelling names, or None. `other` only as written."""
    allowed = CATEGORIES[category]
    if spelling in allowed:
        return spelling
    synonym = SUBTYPE_SYNONYMS.get(category, {}).get(spelling)
    if synonym is not None:
        return synonym
    labelled = [c for c in _SUBTYPE_LABEL_SPELLINGS.get(spelling, {}) if c in allowed]
    return labelled[0] if len(labelled) == 1 else None


def canonical_cell_type(spelling: str) -> str | None:
    if spelling in CELL_TYPES:
        return spelling
    if spelling in CELL_TYPE_SYNONYMS:
        return CELL_TYPE_SYNONYMS[spelling]
    labelled = _CELL_TYPE_LABEL_SPELLINGS.get(spelling, {})
    return next(iter(labelled)) if len(labelled) == 1 else None


_CATEGORY_LABEL_SPELLINGS = _label_spellings(CATEGORY_LABELS)
_SUBTYPE_LABEL_SPELLINGS = _label_spellings(SUBTYPE_LABELS)
_CELL_TYPE_LABEL_SPELLINGS = _label_spellings(CELL_TYPE_LABELS)

IDENTITY_COLUMNS = ("sku", "revision", "name", "category", "subtype", "manufacturer")
TRADE_COLUMNS = ("hs_code", "destination_country", "annual_export_value_usd", "source_document")
REQUIRED_COLUMNS = ("sku", "name", "category")
# The technical columns in the template's order: the parameters, with the cell type (text)
# before the test temperature of the energy density (SPEC_TEMPLATE.md).
TECHNICAL_COLUMNS = (
    *(p for p in PARAMETERS if p != "energy_density_test_temperature_c"),
    "cell_type",
    "energy_density_test_temperature_c",
)
# Every column of the template, in the template's order.
TEMPLATE_COLUMNS = IDENTITY_COLUMNS + TECHNICAL_COLUMNS + TRADE_COLUMNS
# The template's columns before cell_type and the test temperature were added (2026-11-26).
# Spec content hashes cover these always and the newer ones only when filled, so a spec stored
# before stays "unchanged" when the same row is uploaded again.
TEMPLATE_COLUMNS_2025 = tuple(
    c for c in TEMPLATE_COLUMNS if c not in ("cell_type", "energy_density_test_temperature_c")
)


def raw_column(parameter: str) -> str:
    """Name of the column of a parsed spec frame keeping a cell's original text when its unit
    was converted."""
    return f"{parameter}__raw"


def derived_column(parameter: str) -> str:
    """Name of the boolean column of a parsed spec frame saying a parameter's value was derived
    by a formula."""
    return f"{parameter}__derived"


OUTCOMES = (
    "invalid",
    "licence_required",
    "indeterminate",
    "not_in_force",
    "near_threshold",
    "not_controlled",
)
# "expired": a suspension (or another measure with a term) whose term has ended.
MEASURE_STATUSES = ("in_force", "suspended", "not_yet_effective", "repealed", "expired")
VERIFICATION_LEVELS = ("V1", "V2", "UNVERIFIED")
OPERATORS = (">=", ">", "<=", "<")
