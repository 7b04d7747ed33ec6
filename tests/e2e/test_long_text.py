"""Long input is refused with a message, never cut silently; long unbroken text wraps instead of
widening the page (issue 18, item 10)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, wait_for_htmx

pytestmark = [pytest.mark.e2e, pytest.mark.layout]  # make test-postgres skips it


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_too_long_sku_is_refused_with_a_message_and_kept(page, live_server, analyst):
    login(page, live_server, analyst, PASSWORD)
    page.goto(f"{live_server.url}/products/new/")
    sku = "S" * 70
    page.get_by_label("SKU (part number)").fill(sku)
    page.get_by_label("Product name").fill("Cell")
    page.get_by_label("Category").select_option("battery_cell")
    wait_for_htmx(page)
    page.get_by_role("button", name="Save and screen").click()
    expect(page.locator("#id_sku_error")).to_contain_text(
        "Ensure this value has at most 64 characters (it has 70)."
    )
    expect(page.get_by_label("SKU (part number)")).to_have_value(sku)


def test_a_too_long_comment_is_refused_not_cut(page, live_server, case_in, analyst):
    case = case_in("draft")
    login(page, live_server, analyst, PASSWORD)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.get_by_label("Comment").fill("x" * 5001)
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator(".messages, .errorlist").first).to_contain_text("5000")
    expect(page.locator(".timeline")).not_to_contain_text("x" * 100)


def test_long_unbroken_text_wraps_instead_of_widening_the_page(page, live_server, case_in, analyst):
    case = case_in("draft")
    login(page, live_server, analyst, PASSWORD)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    viewport = page.viewport_size["width"]
    page.get_by_label("Comment").fill("y" * 4000)
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator(".timeline")).to_contain_text("y" * 100)
    assert page_width(page) <= viewport
    page.goto(f"{live_server.url}/products/new/")
    page.get_by_label("SKU (part number)").fill("Z" * 64)
    page.get_by_label("Product name").fill("N" * 200)
    page.get_by_label("Category").select_option("equipment")
    wait_for_htmx(page)
    page.get_by_label("Subtype").select_option("winding_machine")
    wait_for_htmx(page)
    page.get_by_label("Screen as of").fill("2026-12-01")
    page.get_by_role("button", name="Save and screen").click()
    expect(page.locator(".big-outcome")).to_be_visible()
    assert page_width(page) <= viewport
    page.goto(f"{live_server.url}/products/")
    assert page_width(page) <= viewport
    # In the list it wraps in its cell too: the table fits its frame instead of scrolling in it.
    frame = page.locator(".table-wrap", has_text="Z" * 64)
    widths = frame.evaluate("(e) => ({table: e.scrollWidth, frame: e.clientWidth})")
    assert widths["table"] <= widths["frame"], widths
