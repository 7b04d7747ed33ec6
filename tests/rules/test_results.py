"""What a result says beyond its outcome: the customs remark, advisories, the contract form."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import IN_FORCE_DAY
from tests.rules.helpers import screen_raw

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


def test_near_threshold_gives_the_customs_remark_with_actual_parameters(china):
    result = screen_raw(
        china,
        IN_FORCE_DAY,
        category="battery_cell",
        subtype="li_ion",
        energy_density_wh_per_kg="290",
    )
    assert result.outcome == "near_threshold"
    assert result.customs_remark == "不属于管制物项；重量能量密度 290 Wh/kg"


def test_licence_required_gives_the_dual_use_customs_remark(china):
    result = screen_raw(china, IN_FORCE_DAY, category="cathode_precursor", subtype="ncm_hydroxide")
    assert result.customs_remark == "属于两用物项，管制编码：3C901.a.2.a"
    assert result.licence_paths == ("dual_use",)


def test_overlay_adds_us_review_advice_only_while_in_force(china):
    cells = {
        "category": "graphite_material",
        "subtype": "spherical_graphite",
        "destination_country": "US",
    }
    suspended = screen_raw(china, dt.date(2026, 11, 25), **cells)
    in_force = screen_raw(china, dt.date(2026, 11, 28), **cells)
    assert suspended.advisories == ()
    assert [en for en, _ in in_force.advisories] == [
        "Exports of graphite dual-use items to the United States get stricter end-user and "
        "end-use review (MOFCOM 2024 No. 46 para. 2)."
    ]


def test_contract_form_of_a_result(china):
    result = screen_raw(
        china,
        IN_FORCE_DAY,
        category="battery_cell",
        subtype="li_ion",
        energy_density_wh_per_kg="310",
    )
    assert result.to_contract() == {
        "outcome": "licence_required",
        "outcomes_by_regime": {"CN": "licence_required"},
        "customs_remark": "属于两用物项，管制编码：3A001",
        "entries": [
            {
                "key": "CN-2025-58:3A001",
                "measure": "CN-2025-58",
                "regime": "CN",
                "code": "3A001",
                "code_confirmed": True,
                "result": "match",
                "measure_status": "in_force",
                "status_needs_confirmation": True,
                "criteria": [
                    {
                        "parameter": "energy_density_wh_per_kg",
                        "operator": ">=",
                        "threshold": 300,
                        "unit": "Wh/kg",
                        "value": 310.0,
                        "derived": False,
                        "result": "true",
                    }
                ],
            }
        ],
        "missing": [],
        "warnings": [
            {
                "column": None,
                "message": "MOFCOM + GAC Announcement 2025 No. 58 (CN-2025-58) has never "
                "applied in practice: its suspension by MOFCOM + GAC Announcement 2025 No. 70 "
                "(CN-2025-70) ended on 2026-11-10; what followed is not recorded. This result "
                "assumes it is in force.",
            }
        ],
    }
