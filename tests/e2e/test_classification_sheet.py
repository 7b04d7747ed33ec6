"""The classification sheet read on a phone (issue 18, item 13)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from screening import products
from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.mark.layout
def test_every_result_of_the_sheet_is_on_a_phone_screen(page, live_server, screened, analyst):
    """At 390 px each criterion's result was off to the right, past the table's frame; the EU
    regime adds test conditions, and a converted value its text as entered."""
    first = screened(energy="0.36 kWh/kg")
    screening = products.screen_spec(
        spec=first.spec, as_of=first.as_of, user=analyst, regimes=["CN", "EU"]
    )
    page.set_viewport_size(PHONE)
    login(page, live_server, analyst, PASSWORD)
    page.goto(f"{live_server.url}/screenings/{screening.pk}/")
    results = page.locator(".entry table.data tbody tr td:last-child")  # Result
    expect(results.first).to_be_visible()
    screenshot(page, "classification-sheet-phone")
    assert results.count() >= 2
    for i in range(results.count()):
        box = results.nth(i).bounding_box()
        assert box is not None
        # On the screen, and not squeezed to a sliver that breaks "Result" into letters.
        assert (box["x"] >= 0, box["x"] + box["width"] <= PHONE["width"]) == (True, True)
        assert box["width"] >= PHONE["width"] / 2
    expect(results.first.locator(".badge")).to_have_text("met")
    past_the_edge = page.evaluate(
        "[...document.querySelectorAll('main *')]"
        ".filter((e) => e.getBoundingClientRect().right > innerWidth + 1)"
        ".map((e) => `${e.tagName}: ${e.textContent.slice(0, 40)}`)"
    )
    assert past_the_edge == []
