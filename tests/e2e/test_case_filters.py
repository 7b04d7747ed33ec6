"""The case list's filters read as a person expects (issue 18, item 12): each checkbox sits
just left of its label on the same line, and states are checkboxes, not a cut-off list box
that needs Ctrl-click."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot, wait_for_htmx

pytestmark = pytest.mark.e2e


def box(locator):
    return locator.bounding_box()


@pytest.mark.layout
@pytest.mark.parametrize("label", ["My queue", "Rules changed: re-review"])
def test_a_checkbox_sits_just_left_of_its_label(page, live_server, reviewer, label):
    login(page, live_server, reviewer, PASSWORD)
    page.goto(f"{live_server.url}/cases/")
    checkbox = page.get_by_role("checkbox", name=label)
    text = page.locator("form.filters label", has_text=label)
    check, words = box(checkbox), box(text)
    assert check["width"] < 30  # a box, not a 12rem-wide input
    assert check["x"] + check["width"] <= words["x"] + words["width"]
    assert check["x"] < words["x"] + 40  # at the start of the label, not after it
    middle = check["y"] + check["height"] / 2
    assert words["y"] <= middle <= words["y"] + words["height"]  # on the same line


def test_states_are_checkboxes_that_filter_together(page, live_server, reviewer, case_in):
    submitted, returned, approved = (
        case_in("submitted"),
        case_in("returned"),
        case_in("approved"),
    )
    login(page, live_server, reviewer, PASSWORD)
    page.goto(f"{live_server.url}/cases/")
    page.get_by_role("checkbox", name="Submitted").check()
    wait_for_htmx(page)
    page.get_by_role("checkbox", name="Returned for information").check()
    wait_for_htmx(page)
    rows = page.locator("#case-rows tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#case-rows")).to_contain_text(submitted.reference)
    expect(page.locator("#case-rows")).to_contain_text(returned.reference)
    expect(page.locator("#case-rows")).not_to_contain_text(approved.reference)
    for state in ("Draft", "In review", "Approved", "Closed", "Withdrawn"):
        expect(page.get_by_role("checkbox", name=state)).to_be_visible()
    screenshot(page, "case-filters")


def test_back_after_filtering_shows_the_whole_page(page, live_server, reviewer, case_in):
    """htmx restores history from its cache; when the cache has no snapshot it asks the server
    again (HX-History-Restore-Request), which must answer with the whole page, not the rows."""
    case_in("submitted")
    login(page, live_server, reviewer, PASSWORD)
    page.goto(f"{live_server.url}/cases/")
    page.get_by_role("checkbox", name="Submitted").check()
    wait_for_htmx(page)
    page.get_by_role("checkbox", name="Draft").check()
    wait_for_htmx(page)
    page.evaluate("localStorage.removeItem('htmx-history-cache')")
    page.go_back()
    wait_for_htmx(page)
    expect(page.get_by_role("heading", level=1, name="Cases")).to_be_visible()
    expect(page.locator("form.filters")).to_be_visible()
    expect(page.locator("header")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Draft")).not_to_be_checked()
