"""Withdrawing is possible but never as prominent as submitting (issue 18, item 18)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_withdraw_hides_behind_a_disclosure_while_submit_is_the_main_action(
    page, live_server, case_in, analyst
):
    case = case_in("draft")
    login(page, live_server, analyst, PASSWORD)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    submit = page.get_by_role("button", name="Submit for review")
    withdraw = page.get_by_role("button", name="Withdraw", exact=True)
    expect(submit).to_be_visible()
    expect(withdraw).to_be_hidden()
    page.get_by_text("Withdraw this case…").click()
    expect(withdraw).to_be_visible()
    # Outlined, not filled like the main action.
    background = withdraw.evaluate("b => getComputedStyle(b).backgroundColor")
    assert background in ("rgba(0, 0, 0, 0)", "transparent")
    page.get_by_label("Why withdraw it?").fill("Opened by mistake.")
    withdraw.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Withdrawn")
