"""Journey: a new analyst logs in, enters an LFP cathode spec and reads why it is controlled."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot, wait_for_htmx

pytestmark = pytest.mark.e2e


def test_enter_and_screen_an_lfp_spec(page, live_server, analyst):
    login(page, live_server, analyst, PASSWORD)
    page.get_by_role("link", name="Screen a product").first.click()
    page.get_by_label("SKU (part number)").fill("LFP-E2E")
    page.get_by_label("Product name").fill("LFP cathode E2E")
    page.get_by_label("Category").select_option("cathode_material")
    # htmx swaps in the subtype and the parameters that matter for cathode materials
    expect(page.get_by_label("Compaction density")).to_be_visible()
    page.get_by_label("Subtype").select_option("lfp")
    wait_for_htmx(page)
    expect(page.get_by_label("Specific (discharge) capacity")).to_be_visible()
    expect(page.get_by_label("Gravimetric energy density")).to_be_hidden()
    page.get_by_label("Compaction density").fill("2.6 g/cc")
    page.get_by_label("Screen as of").fill("2026-12-01")
    page.get_by_role("button", name="Save and screen").click()

    verdict = page.locator(".verdict")
    expect(verdict.locator(".big-outcome")).to_have_text("Indeterminate: data missing")
    expect(page.locator(".callout.missing")).to_contain_text("specific_capacity_mah_per_g")
    expect(page.locator(".entry").first).to_contain_text("3C901.a.1")
    expect(page.locator(".entry").first).to_contain_text("entered as “2.6 g/cc”, converted")
    screenshot(page, "spec-entry-indeterminate")

    page.get_by_role("link", name="Back to the product").click()
    page.get_by_role("link", name="New spec version").click()
    page.get_by_label("Specific (discharge) capacity").fill("158")
    page.get_by_label("Screen as of").fill("2026-12-01")
    page.get_by_role("button", name="Save and screen").click()
    expect(page.locator(".big-outcome")).to_have_text("Licence required")
    expect(page.locator(".callout.customs")).to_contain_text("属于两用物项，管制编码：3C901.a.1")
    screenshot(page, "spec-entry-licence-required")


def test_bad_value_is_marked_on_its_field(page, live_server, analyst):
    login(page, live_server, analyst, PASSWORD)
    page.goto(f"{live_server.url}/products/new/")
    page.get_by_label("SKU (part number)").fill("BAD-1")
    page.get_by_label("Product name").fill("Bad cell")
    page.get_by_label("Category").select_option("battery_cell")
    wait_for_htmx(page)
    page.get_by_label("Gravimetric energy density").fill("310 furlongs")
    page.get_by_role("button", name="Save and screen").click()
    expect(page.locator("#id_energy_density_wh_per_kg_error")).to_have_text(
        "'furlongs' cannot be converted to Wh/kg"
    )


def test_a_value_typed_while_the_fields_reload_is_kept(page, live_server, analyst):
    """Changing the subtype reloads the parameter fields; what the user types into a field
    while that request is in flight must survive the swap."""
    login(page, live_server, analyst, PASSWORD)
    page.goto(f"{live_server.url}/products/new/")
    page.get_by_label("Category").select_option("cathode_material")
    wait_for_htmx(page)
    # Type into the field at the moment the response arrives, before htmx swaps it in.
    page.evaluate(
        """() => document.body.addEventListener('htmx:beforeSwap', () => {
            document.getElementById('id_compaction_density_g_per_cm3').value = '2.6 g/cc';
        }, {once: true})"""
    )
    page.get_by_label("Subtype").select_option("lfp")
    wait_for_htmx(page)
    expect(page.get_by_label("Specific (discharge) capacity")).to_be_visible()
    expect(page.get_by_label("Compaction density")).to_have_value("2.6 g/cc")
