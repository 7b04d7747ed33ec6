"""Journey: analyst opens and submits a case; reviewer asks; analyst answers; reviewer approves.
Then the four-eyes rule seen from the browser."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from rules.access import REVIEWER
from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot, wait_for_htmx

pytestmark = pytest.mark.e2e


def logout(page):
    page.get_by_role("button", name="Log out").click()


def test_case_from_screening_to_approval(page, live_server, analyst, reviewer):
    login(page, live_server, analyst, PASSWORD)
    page.goto(f"{live_server.url}/products/new/")
    page.get_by_label("SKU (part number)").fill("CELL-J1")
    page.get_by_label("Product name").fill("Journey cell")
    page.get_by_label("Category").select_option("battery_cell")
    wait_for_htmx(page)
    page.get_by_label("Subtype").select_option("li_ion")
    wait_for_htmx(page)
    page.get_by_label("Gravimetric energy density").fill("0.31 kWh/kg")
    page.get_by_label("Destination country").fill("DE")
    page.get_by_label("Screen as of").fill("2026-12-01")
    page.get_by_role("button", name="Save and screen").click()
    expect(page.locator(".big-outcome")).to_have_text("Licence required")

    page.get_by_role("link", name="Open a case").click()
    page.get_by_label("End user").fill("Acme Batteries GmbH")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")
    case_url = page.url
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Submitted")
    logout(page)

    login(page, live_server, reviewer, PASSWORD)
    page.goto(case_url)
    page.get_by_role("button", name="Start review").click()
    page.get_by_label("What information do you need?").fill("Which test method gave 310 Wh/kg?")
    page.get_by_role("button", name="Return for information").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Returned for information")
    logout(page)

    login(page, live_server, analyst, PASSWORD)
    page.goto(case_url)
    expect(page.locator(".timeline")).to_contain_text("Which test method gave 310 Wh/kg?")
    # The open question, who asked it and when, directly above the answer box (issue 18,
    # item 8), not only in the timeline far below.
    question = page.locator("#open-request")
    expect(question).to_contain_text(f"{reviewer.username} asked on")
    expect(question).to_contain_text("Which test method gave 310 Wh/kg?")
    answer_box = page.get_by_label("Your answer")
    question_box, box = question.bounding_box(), answer_box.bounding_box()
    assert 0 <= box["y"] - (question_box["y"] + question_box["height"]) < 60
    answer_box.scroll_into_view_if_needed()
    expect(question).to_be_in_viewport()
    screenshot(page, "case-answer-request")
    answer_box.fill("IEC 62660-1 at 25 °C, report attached.")
    page.get_by_role("button", name="Answer and resubmit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Submitted")
    logout(page)

    login(page, live_server, reviewer, PASSWORD)
    page.goto(case_url)
    page.get_by_role("button", name="Start review").click()
    page.get_by_label("Determination").select_option("licence_required")
    page.get_by_label("Licence path").select_option("single")
    page.get_by_label("CN-2025-58:3A001 (Matches)").check()
    page.get_by_label("Rationale").fill("3A001: 310 Wh/kg ≥ 300 Wh/kg, No. 58 in force.")
    page.get_by_role("button", name="Record determination").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Approved")
    timeline = page.locator(".timeline")
    for text in (
        "Created",
        "Submitted",
        "Review started",
        "Information requested",
        "Answered",
        "Approved",
    ):
        expect(timeline).to_contain_text(text)
    screenshot(page, "case-approved")


def test_a_reviewer_cannot_approve_a_case_they_submitted(page, live_server, case_in, analyst):
    analyst.groups.add(Group.objects.get(name=REVIEWER))
    case = case_in("submitted")
    login(page, live_server, analyst, PASSWORD)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    # The review actions are not offered to the person who submitted the case.
    expect(page.get_by_role("button", name="Start review")).to_have_count(0)
    expect(page.get_by_role("button", name="Record determination")).to_have_count(0)
    # Forcing the request anyway is refused with the four-eyes message.
    page.evaluate(
        """([url, token, version]) => {
            const f = document.createElement('form'); f.method = 'post'; f.action = url;
            for (const [k, v] of [['csrfmiddlewaretoken', token], ['version', version],
                ['determination', 'licence_required'], ['licence_path', 'single'],
                ['rationale', 'mine']]) {
              const i = document.createElement('input'); i.name = k; i.value = v; f.append(i);
            }
            document.body.append(f); f.submit();
        }""",
        [
            f"/cases/{case.pk}/approve/",
            page.locator("[name=csrfmiddlewaretoken]").first.get_attribute("value"),
            str(case.version),
        ],
    )
    expect(page.locator(".messages")).to_contain_text(
        "Four-eyes rule: you prepared, submitted, edited or added evidence"
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Submitted")
