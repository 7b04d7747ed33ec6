"""Journey: upload a file with errors, read them, fix the file, import it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.e2e

HEADER = "sku,name,category,subtype,energy_density_wh_per_kg,destination_country\n"
BROKEN = (
    HEADER + "UP-1,Cell one,battery_cell,li_ion,310,DE\nUP-2,Cell two,battery_cell,li_ion,3OO,DE\n"
)
FIXED = (
    HEADER + "UP-1,Cell one,battery_cell,li_ion,310,DE\nUP-2,Cell two,battery_cell,li_ion,300,DE\n"
)


def send(page, live_server, content: str):
    page.goto(f"{live_server.url}/uploads/new/")
    page.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(
        files=[{"name": "cells.csv", "mimeType": "text/csv", "buffer": content.encode()}]
    )
    page.get_by_label("Screen as of").fill("2026-12-01")
    page.get_by_role("button", name="Upload and check").click()


def test_upload_fix_and_import(page, live_server, analyst):
    login(page, live_server, analyst, PASSWORD)
    send(page, live_server, BROKEN)
    expect(page.locator(".stat-bad .stat-value")).to_have_text("1")
    # Not "ready to import" (issue 18, item 2): what an import would do, and what it refuses.
    expect(page.locator("h1 .badge")).to_have_text("Checked: 1 row to import, 1 refused")
    expect(page.locator(".import-summary")).to_contain_text("1 row with errors is refused.")
    page.get_by_role("link", name="Errors (1)").click()
    expect(page.locator(".cell-error")).to_contain_text("“3OO”: 'OO' is not a unit we know")
    page.get_by_label("All or nothing: import only a file without errors").check()
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".messages")).to_contain_text("1 row has errors")
    screenshot(page, "upload-with-errors")

    send(page, live_server, FIXED)
    expect(page.locator(".stat-bad .stat-value")).to_have_text("0")
    page.get_by_label("All or nothing: import only a file without errors").check()
    page.get_by_role("button", name="Import").click()
    expect(page.locator("h1 .badge")).to_have_text("Imported: 2 rows")
    expect(page.locator("main")).to_contain_text(
        "2 of 2 rows imported: 2 new products, 2 spec versions, 2 draft cases."
    )
    screenshot(page, "upload-imported")
