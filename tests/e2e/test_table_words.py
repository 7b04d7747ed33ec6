"""The list pages' tables keep their words whole: a narrow column ("Days in state", "Reviewer")
is as wide as its longest word instead of stacking it a few letters a line (issue 18), in
English and Chinese, on a desktop and on a phone. Long unbroken text is tests/e2e/test_long_text.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.layout]  # make test-postgres skips it

BROKEN_WORDS = (Path(__file__).parent / "broken_words.js").read_text()
LISTS = [
    "/cases/",
    "/products/",
    "/uploads/",
    "/trade/shipments/",
    "/trade/licences/",
    "/trade/parties/",
    "/trade/applications/",
]
CSV = (
    "sku,name,category,subtype,energy_density_wh_per_kg,destination_country\n"
    "TW-1,Cell one,battery_cell,li_ion,310,DE\nTW-2,Cell two,battery_cell,li_ion,3OO,DE\n"
)


# (language, width): a desktop and a phone, in English and in Chinese (labels without spaces).
VARIANTS = [("en", 1280), ("zh-hans", 1280), ("en", 390), ("zh-hans", 390)]


def test_list_tables_keep_their_words_whole(page, live_server, analyst, reviewer):
    """Every list in every variant, on one seeded database (seeding is most of the cost)."""
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_trade_demo", stdout=StringIO())
    login(page, live_server, analyst, PASSWORD)  # an upload, for the uploads list
    page.goto(f"{live_server.url}/uploads/new/")
    page.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(
        files=[{"name": "cells.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    page.get_by_label("Screen as of").fill("2026-12-01")
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator(".stat-bad .stat-value")).to_have_text("1")
    page.get_by_role("button", name="Log out").click()
    login(page, live_server, reviewer, PASSWORD)
    found = {}
    for language, width in VARIANTS:
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
        for path in LISTS:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            expect(page.locator("main table.data tbody tr").first).to_be_visible()
            where = f"{path} ({language}, {width} px)"
            assert page.evaluate("document.documentElement.scrollWidth") <= width, where
            broken = page.evaluate(BROKEN_WORDS)
            if broken:
                name = path.strip("/").replace("/", "-")
                screenshot(page, f"broken-words-{name}-{language}-{width}")
                found[where] = broken
    assert not found, "\n".join(f"{where}: {word}" for where, ws in found.items() for word in ws)
