"""`manage.py screen`: the JSON contract of SPEC_TEMPLATE.md, for CSV and XLSX."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from tests.rules.helpers import xlsx_bytes

HEADER = [
    "sku",
    "revision",
    "name",
    "category",
    "subtype",
    "energy_density_wh_per_kg",
    "compaction_density_g_per_cm3",
    "specific_capacity_mah_per_g",
]
ROWS = [
    ["C-100", "", "Cell", "battery_cell", "li_ion", "310", "", ""],
    ["L-1", "B", "LFP", "cathode_material", "lfp", "", "2.55 g/cc", ""],
    ["", "", "Nameless", "battery_cell", "li_ion", "abc", "", ""],
]

NO58_ASSUMED = (
    "MOFCOM + GAC Announcement 2025 No. 58 (CN-2025-58) has never applied in practice: its "
    "suspension by MOFCOM + GAC Announcement 2025 No. 70 (CN-2025-70) ended on 2026-11-10; what "
    "followed is not recorded. This result assumes it is in force."
)

EXPECTED_RESULTS = [
    {
        "row": 2,
        "sku": "C-100",
        "revision": "",
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
        "warnings": [{"column": None, "message": NO58_ASSUMED}],
        "errors": [],
    },
    {
        "row": 3,
        "sku": "L-1",
        "revision": "B",
        "outcome": "indeterminate",
        "outcomes_by_regime": {"CN": "indeterminate"},
        "customs_remark": None,
        "entries": [
            {
                "key": "CN-2025-58:3C901.a.1",
                "measure": "CN-2025-58",
                "regime": "CN",
                "code": "3C901.a.1",
                "code_confirmed": True,
                "result": "unknown",
                "measure_status": "in_force",
                "status_needs_confirmation": True,
                "criteria": [
                    {
                        "parameter": "compaction_density_g_per_cm3",
                        "operator": ">=",
                        "threshold": 2.5,
                        "unit": "g/cm³",
                        "value": 2.55,
                        "derived": False,
                        "result": "true",
                    },
                    {
                        "parameter": "specific_capacity_mah_per_g",
                        "operator": ">=",
                        "threshold": 156,
                        "unit": "mAh/g",
                        "value": None,
                        "derived": False,
                        "result": "unknown",
                    },
                ],
            }
        ],
        "missing": ["specific_capacity_mah_per_g"],
        "warnings": [{"column": None, "message": NO58_ASSUMED}],
        "errors": [],
    },
    {
        "row": 4,
        "sku": "",
        "revision": "",
        "outcome": "invalid",
        "outcomes_by_regime": {"CN": "invalid"},
        "customs_remark": None,
        "entries": [],
        "missing": [],
        "warnings": [],
        "errors": [
            {"column": "sku", "message": "required"},
            {"column": "energy_density_wh_per_kg", "message": "'abc' is not a number"},
        ],
    },
]

RUN_WARNINGS = [
    {"measure": "CN-2025-58", "message": NO58_ASSUMED},
    {
        "measure": "CN-2025-70",
        "message": "MOFCOM + GAC Announcement 2025 No. 70 (CN-2025-70): its stated term ended on "
        "2026-11-10; no extension is recorded. This result assumes it has expired.",
    },
    {
        "measure": "CN-2024-46-P2",
        "message": "MOFCOM Announcement 2024 No. 46, paragraph 2 (CN-2024-46-P2) was suspended by "
        "MOFCOM Announcement 2025 No. 72 until 2026-11-27; what followed is not recorded. This "
        "result assumes it is in force again.",
    },
]


def run_screen(path, *args, capsys):
    call_command("screen", str(path), *args)
    return capsys.readouterr()


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "specs.csv"
    path.write_text("\n".join(",".join(row) for row in [HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def xlsx_file(tmp_path):
    path = tmp_path / "specs.xlsx"
    path.write_bytes(xlsx_bytes([HEADER, *[[c or None for c in row] for row in ROWS]]))
    return path


@pytest.mark.parametrize("fixture", ["csv_file", "xlsx_file"])
def test_json_output_follows_the_contract(request, rule_set, capsys, fixture):
    out = run_screen(
        request.getfixturevalue(fixture), "--as-of", "2026-12-01", "--format", "json", capsys=capsys
    )
    document = json.loads(out.out)
    assert document == {
        "as_of": "2026-12-01",
        "rule_set": {"version": rule_set.version, "hash": rule_set.content_hash},
        "results": EXPECTED_RESULTS,
        "warnings": RUN_WARNINGS,
    }


def test_json_is_one_object_on_stdout_and_notes_go_to_stderr(rule_set, capsys, tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text("sku,name,category,subtype,colour\nA,n,equipment,other,red\n", encoding="utf-8")
    out = run_screen(path, "--as-of", "2026-11-01", capsys=capsys)
    assert json.loads(out.out)["results"][0]["outcome"] == "not_controlled"
    assert out.err.strip() == "warning: unknown columns, not used: colour"


def test_as_of_defaults_to_today(rule_set, capsys, csv_file):
    from django.utils import timezone

    out = run_screen(csv_file, capsys=capsys)
    assert json.loads(out.out)["as_of"] == timezone.localdate().isoformat()


def test_suspension_shows_in_the_measure_status(rule_set, capsys, csv_file):
    out = run_screen(csv_file, "--as-of", "2026-11-10", capsys=capsys)
    results = json.loads(out.out)["results"]
    assert [r["outcome"] for r in results] == ["not_in_force", "not_in_force", "invalid"]
    assert results[0]["entries"][0]["measure_status"] == "suspended"


def test_table_format_is_readable(rule_set, capsys, csv_file):
    out = run_screen(csv_file, "--as-of", "2026-12-01", "--format", "table", capsys=capsys)
    lines = out.out.splitlines()
    assert lines[0].startswith(f"As of 2026-12-01 · rule set {rule_set.version}")
    assert lines[1] == f"warning: {NO58_ASSUMED}"
    assert lines[6].split() == [
        "2",
        "C-100",
        "licence_required",
        "3A001",
        "match",
        "(in_force,",
        "assumed)",
    ]
    assert lines[7].strip() == "customs remark: 属于两用物项，管制编码：3A001"
    assert lines[8].strip() == f"warning: {NO58_ASSUMED}"


def test_unreadable_file_exits_non_zero_with_one_line(rule_set, capsys, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n....")
    with pytest.raises(SystemExit) as exit_:
        run_screen(path, capsys=capsys)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert (
        err.strip()
        == f"error: cannot read {path}: This is a PNG image, not a CSV or XLSX spreadsheet."
    )


def test_missing_file_exits_non_zero(rule_set, capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        run_screen(tmp_path / "nope.csv", capsys=capsys)
    assert exit_.value.code == 2
