"""Exports neutralise formulas (RELIABILITY.md "Exports"; OWASP CSV injection): every CSV the
application writes (dashboard sections, re-screen changes, upload error report, templates), and
the one XLSX it writes (the spec template) holds no formula cell."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from screening import rescreening, workflow
from screening.dashboard.views import CSV_SECTIONS
from screening.exports import FORMULA_PREFIXES
from screening.models import Upload
from tests.conftest import IN_FORCE_DAY, SUSPENDED_DAY

# SKUs a spreadsheet would run as formulas if written as they are.
FORMULA_SKUS = ['=HYPERLINK("http://evil.example","x")', "@SUM(1+1)", "+1+cmd", "-2+3+cmd"]


def cells(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def formula_cells(rows: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would read as a formula (numbers, negative ones too, are numbers)."""
    found = []
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_PREFIXES):
                try:
                    float(cell)
                except ValueError:
                    found.append(cell)
    return found


@pytest.fixture
def portfolio(screened, analyst, reviewer):
    """Open cases whose SKUs look like formulas, and whose outcome changes when No. 70's
    suspension ends (so they are on the dashboard's change list)."""
    for sku in FORMULA_SKUS:
        screening = screened(sku=sku)
        case = workflow.create_case(screening=screening, user=analyst)
        workflow.submit(case=case, version=case.version, user=analyst)


@pytest.mark.parametrize("section", sorted(CSV_SECTIONS))
def test_dashboard_csv_exports_neutralise_formulas(client, portfolio, reviewer, section):
    client.force_login(reviewer)
    response = client.post(
        reverse("dashboard_csv", args=[section]),
        {"as_of": SUSPENDED_DAY.isoformat(), "compare_to": IN_FORCE_DAY.isoformat()},
    )
    rows = cells(response)
    assert formula_cells(rows) == []
    if section == "changes":
        shown = {cell for row in rows for cell in row}
        assert {f"'{sku}" for sku in FORMULA_SKUS} <= shown


def test_the_rescreen_export_neutralises_formulas(client, portfolio, rule_set, reviewer):
    run = rescreening.run(
        rescreening.start(
            kind="preview",
            candidate=rule_set,
            candidate_as_of=IN_FORCE_DAY,
            baseline_as_of=SUSPENDED_DAY,
            user=reviewer,
        )
    )
    client.force_login(reviewer)
    rows = cells(client.post(reverse("rescreen_csv", args=[run.pk])))
    assert sorted(row[0] for row in rows[1:]) == sorted(f"'{sku}" for sku in FORMULA_SKUS)
    assert formula_cells(rows) == []


ERROR_ROWS = [
    ["=1+1", "=cmd|' /C calc'!A0", "spaceship"],
    ["+1+1", "+cmd", "spaceship"],
    ["-1+1", "-cmd", "spaceship"],
    ["@SUM(A1)", "@cmd", "spaceship"],
    ["X-5", "\t=cmd", "spaceship"],
]


@pytest.mark.parametrize(
    "bad",
    [ERROR_ROWS, [["X-6", "\r=cmd", "spaceship"]]],
    ids=["prefixes", "carriage return"],
)
def test_the_upload_error_report_neutralises_every_formula_prefix(
    client, analyst, settings, tmp_path, bad
):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["sku", "name", "category"])
    writer.writerows(bad)
    client.force_login(analyst)
    client.post(
        reverse("upload_new"),
        {"file": SimpleUploadedFile("bad.csv", out.getvalue().encode()), "as_of": "2026-12-01"},
    )
    upload = Upload.objects.get()
    rows = cells(client.post(reverse("upload_errors", args=[upload.pk])))
    assert len(rows) == 1 + len(bad)
    assert formula_cells(rows) == []


def test_the_upload_error_report_neutralises_its_header_row(client, analyst, settings, tmp_path):
    """Column names come from the uploaded file too: a header cell is a cell (issue 19, 3)."""
    settings.MEDIA_ROOT = tmp_path
    header = ["sku", "name", "category", '=HYPERLINK("http://evil.example","x")', "@SUM(1)"]
    data = ",".join(f'"{h}"' if "," in h else h for h in [h.replace('"', '""') for h in header])
    client.force_login(analyst)
    client.post(
        reverse("upload_new"),
        {
            "file": SimpleUploadedFile("bad.csv", (data + "\nX-1,Cell,spaceship,a,b\n").encode()),
            "as_of": "2026-12-01",
        },
    )
    rows = cells(client.post(reverse("upload_errors", args=[Upload.objects.get().pk])))
    assert rows[0] == [
        "row",
        "sku",
        "name",
        "category",
        '\'=HYPERLINK("http://evil.example","x")',
        "'@SUM(1)",
        "errors",
    ]
    assert formula_cells(rows) == []


@pytest.mark.parametrize("route", ["template_csv", "template_xlsx"])
def test_the_templates_hold_no_formula(client, analyst, route):
    client.force_login(analyst)
    response = client.get(reverse(route))
    if route == "template_csv":
        assert formula_cells(cells(response)) == []
        return
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    formulas = [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("="))
    ]
    assert formulas == []
