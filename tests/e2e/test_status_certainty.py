"""Journey: an analyst screens an LFP cathode as of 2026-12-01, after No. 70's suspension of
No. 58 ended with nobody confirming what followed. The sheet, the case and the decision record
all say the status is assumed (CONTROL_CATALOGUE.md §5)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot, wait_for_htmx

pytestmark = pytest.mark.e2e

NO58_NEVER_APPLIED = (
    "MOFCOM + GAC Announcement 2025 No. 58 has never applied in practice: its suspension by "
    "MOFCOM + GAC Announcement 2025 No. 70 ended on 2026-11-10; what followed is not recorded."
)


def test_an_assumed_status_shows_on_the_sheet_the_case_and_the_record(
    page, live_server, analyst, reviewer
):
    login(page, live_server, analyst, PASSWORD)
    # Every role sees the banner, analysts included.
    expect(page.locator(".banner.warning").first).to_contain_text("Status needs confirmation")
    page.goto(f"{live_server.url}/products/new/")
    page.get_by_label("SKU (part number)").fill("LFP-ASSUMED")
    page.get_by_label("Product name").fill("LFP cathode")
    page.get_by_label("Category").select_option("cathode_material")
    wait_for_htmx(page)
    page.get_by_label("Subtype").select_option("lfp")
    wait_for_htmx(page)
    page.get_by_label("Compaction density").fill("2.6")
    page.get_by_label("Specific (discharge) capacity").fill("158")
    page.get_by_label("Screen as of").fill("2026-12-01")
    page.get_by_role("button", name="Save and screen").click()

    expect(page.locator(".big-outcome")).to_have_text("Licence required")
    assumed = page.locator(".verdict .callout.assumed")
    expect(assumed).to_contain_text("Status assumed, not confirmed")
    expect(assumed).to_contain_text(NO58_NEVER_APPLIED)
    expect(assumed).to_contain_text("This result assumes it is in force.")
    expect(page.locator(".callout.customs")).to_contain_text("属于两用物项，管制编码：3C901.a.1")
    expect(page.locator(".entry").first.locator(".badge.status-assumed")).to_have_text("assumed")
    screenshot(page, "status-assumed-sheet")

    page.get_by_role("link", name="Open a case").click()
    page.get_by_role("button", name="Open the case").click()
    expect(page.locator(".callout.assumed").first).to_contain_text(NO58_NEVER_APPLIED)
    case_url = page.url
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_role("button", name="Log out").click()

    login(page, live_server, reviewer, PASSWORD)
    page.goto(case_url)
    page.get_by_role("button", name="Start review").click()
    page.get_by_label("Determination").select_option("licence_required")
    page.get_by_label("Licence path").select_option("single")
    page.get_by_label("Rationale").fill("3C901.a.1: 2.6 g/cm³ and 158 mAh/g.")
    page.get_by_role("button", name="Record determination").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Approved")
    decided = page.locator("#determination-title").locator("xpath=..")
    expect(decided.locator(".callout.assumed")).to_contain_text(
        "Decided while a status was assumed, not confirmed"
    )

    page.get_by_role("link", name="Printable record").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Decision record")
    # A page: it reloads (it was a POST that answered 405), and the export is logged once.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Decision record")
    expect(page.locator(".callout.assumed").first).to_contain_text(
        "Decided while a status was assumed, not confirmed"
    )
    expect(page.locator(".callout.assumed").first).to_contain_text("CN-2025-58")
    screenshot(page, "status-assumed-record")
    page.goto(case_url)
    expect(page.locator(".timeline .kind-exported")).to_have_count(1)
