"""Journeys on the export side, in the browser:
- approve a case → prepare and file a licence application → record the grant → enter a
  shipment that is held for lack of balance → release it by an amendment → confirm the export
  → the balance falls;
- a shipment held for a party's candidate match → the false positive dismissed by one reviewer
  and accepted by a second → the shipment released."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, TINY_PDF
from tests.e2e.conftest import login, screenshot
from trade import parties
from trade.models import Applicant

pytestmark = pytest.mark.e2e


def logout(page):
    page.get_by_role("button", name="Log out").click()


@pytest.fixture
def acme(analyst):
    party, _ = parties.save_party(
        user=analyst,
        reference="P-ACME",
        name="Acme Batteries GmbH",
        country="DE",
        roles=["consignee", "end_user"],
        end_use="Battery packs for electric buses.",
        military_end_user="no",
    )
    return party


@pytest.fixture
def applicant(db):
    return Applicant.objects.create(
        name_zh="示例电池有限公司",
        name_en="Example Battery Co., Ltd.",
        credit_code="91310000MA1FL0000X",
        address="上海市浦东新区示例路1号",
        contact="王经理",
        phone="+86 21 5555 0000",
        compliance_programme=True,
    )


def test_from_an_approved_case_to_an_export_drawn_on_an_amended_licence(
    page, live_server, case_in, analyst, analyst2, reviewer, acme, applicant
):
    case = case_in("in_review")
    sku = case.product.sku

    # The reviewer approves the case: licence required, single licence.
    login(page, live_server, reviewer, PASSWORD)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.get_by_label("Determination").select_option("licence_required")
    page.get_by_label("Licence path").select_option("single")
    page.get_by_label("CN-2025-58:3A001 (Matches)").check()
    page.get_by_label("Rationale").fill("3A001: 310 Wh/kg ≥ 300 Wh/kg, No. 58 in force.")
    page.get_by_role("button", name="Record determination").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Approved")
    logout(page)

    # The analyst prepares the application from it and attaches its documents.
    login(page, live_server, analyst, PASSWORD)
    page.get_by_role("link", name="Export", exact=True).click()
    page.get_by_role("link", name="Applications", exact=True).click()
    page.get_by_role("link", name="Prepare an application").click()
    page.get_by_label("Licence").select_option(label="Dual-use items export licence (single)")
    page.get_by_label("Applicant").select_option(str(applicant.pk))
    page.get_by_label("Contract reference").fill("C-2026-0042")
    page.get_by_label("Destination country").fill("DE")
    page.get_by_label("Consignee").fill("P-ACME")
    page.get_by_label("End user").fill("P-ACME")
    page.get_by_role("textbox", name="End use").fill("Battery packs for electric buses.")
    page.get_by_label("Approved case").select_option(str(case.pk))
    page.get_by_label("Quantity").fill("100")
    page.get_by_label("Value").fill("50000")
    page.get_by_role("button", name="Prepare the application").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")
    application_url = page.url
    for kind in (
        "Contract",
        "Technical description or test report",
        "End-user statement",
        "End-use statement",
    ):
        page.get_by_role("combobox", name=re.compile("^Document")).select_option(label=kind)
        page.locator("#id_file").set_input_files(
            files=[{"name": "document.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}]
        )
        page.get_by_role("button", name="Attach").click()
        expect(page.locator(".messages")).to_contain_text("attached")
    expect(page.locator(".checklist")).not_to_contain_text("missing")
    expect(page.locator("#file")).to_contain_text("You prepared this application")
    logout(page)

    # Someone else files it: the filing date and the decision date are shown.
    login(page, live_server, analyst2, PASSWORD)
    page.goto(application_url)
    page.get_by_label("Filed on").fill("2026-11-20")
    page.get_by_label("The authority's reference").fill("MOFCOM-2026-0815")
    page.get_by_role("button", name="Mark filed").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Filed")
    expect(page.locator("main")).to_contain_text("Decision due")
    expect(page.locator("main")).to_contain_text("45 working days after filing")
    logout(page)

    # The reviewer records the grant: 100 kg.
    login(page, live_server, reviewer, PASSWORD)
    page.goto(application_url)
    page.get_by_role("link", name="Record the grant").click()
    page.get_by_label("Licence number").fill("L-2026-E2E1")
    page.get_by_label("Valid from").fill("2026-12-01")
    page.get_by_label("Valid until (inclusive)").fill("2027-05-31")
    page.get_by_label(re.compile("authorised quantity")).fill("100")
    page.get_by_role("button", name="Record the licence").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("L-2026-E2E1")
    licence_url = page.url
    logout(page)

    # The analyst enters a shipment of 150 kg: held, the licence has 100 kg.
    login(page, live_server, analyst, PASSWORD)
    page.goto(f"{live_server.url}/trade/shipments/")
    page.get_by_role("link", name="Enter a shipment").click()
    page.get_by_label("Order number").fill("SO-E2E-1")
    page.get_by_label("Planned ship date").fill("2027-01-15")
    page.get_by_label("Destination country").fill("DE")
    page.get_by_label("Consignee").fill("P-ACME")
    page.get_by_label("End user").fill("P-ACME")
    page.get_by_label("SKU").fill(sku)
    page.get_by_label("Quantity").fill("150")
    page.get_by_role("button", name="Save and check").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Held")
    expect(page.locator(".reasons")).to_contain_text(
        "licence L-2026-E2E1 has 100 kg left; the line needs 150 kg."
    )
    shipment_url = page.url
    screenshot(page, "trade-shipment-held")

    # What clears it: the licence, amended to 200 kg. The shipment is released.
    page.get_by_role("link", name=re.compile("Open the licence")).click()
    page.get_by_role("link", name="Record an amendment").click()
    page.get_by_label("Amendment (its reference and what it changes)").fill(
        "MOFCOM amendment 2026-12-10: 200 kg."
    )
    page.get_by_label(re.compile("authorised quantity")).fill("200")
    page.get_by_role("button", name="Record the amendment").click()
    expect(page.locator(".messages")).to_contain_text("Version 2 recorded.")
    expect(page.locator(".messages")).to_contain_text("Released by the new check: SO-E2E-1.")

    # The export is confirmed: the licence is drawn.
    page.goto(shipment_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Released")
    page.get_by_label("Exported on").fill("2027-01-15")
    page.get_by_label("Customs declaration number").fill("531620270000000001")
    page.get_by_role("button", name="Confirm export").click()
    expect(page.locator(".messages")).to_contain_text("Export confirmed")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Exported")

    page.goto(licence_url)
    balance = page.locator("table", has_text="Authorised").first
    expect(balance).to_contain_text("200 kg")
    expect(balance).to_contain_text("150")  # drawn
    expect(balance).to_contain_text("50 (25 %)")  # left
    expect(page.locator(".balance-chart.js-plotly-plot")).to_be_visible()
    expect(page.locator("#ledger-title + p + .table-wrap")).to_contain_text(
        "Drawn by a confirmed export"
    )
    screenshot(page, "trade-licence-drawn")


def test_a_false_positive_dismissed_by_two_reviewers_releases_the_shipment(
    page, live_server, case_in, analyst, reviewer, reviewer2
):
    not_controlled = case_in("approved", energy="200")
    namesake, _ = parties.save_party(
        user=analyst,
        reference="P-GD",
        name="General Dynamics Corporation",
        country="US",
        military_end_user="no",
        end_use="Forklift batteries for a warehouse.",
    )
    assert namesake.matches.count() == 1

    login(page, live_server, analyst, PASSWORD)
    page.goto(f"{live_server.url}/trade/shipments/new/")
    page.get_by_label("Order number").fill("SO-E2E-2")
    page.get_by_label("Planned ship date").fill("2027-01-15")
    page.get_by_label("Destination country").fill("US")
    page.get_by_label("Consignee").fill("P-GD")
    page.get_by_label("End user").fill("P-GD")
    page.get_by_label("SKU").fill(not_controlled.product.sku)
    page.get_by_label("Quantity").fill("20")
    page.get_by_role("button", name="Save and check").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Held")
    expect(page.locator(".reasons")).to_contain_text("decide the candidate matches")
    shipment_url = page.url
    logout(page)

    login(page, live_server, reviewer, PASSWORD)
    page.goto(shipment_url)
    page.get_by_role("link", name=re.compile("Open the party")).click()
    expect(page.locator(".candidate")).to_contain_text("CL-2025-1-01")
    page.get_by_label("Rationale").fill("A namesake: another register number and address.")
    page.get_by_role("button", name="Propose: not the same party").click()
    expect(page.locator(".candidate")).to_contain_text("waiting for a second review")
    expect(page.locator(".candidate")).to_contain_text("another reviewer accepts it")
    logout(page)

    login(page, live_server, reviewer2, PASSWORD)
    page.goto(f"{live_server.url}/trade/my-work/")
    page.get_by_role("link", name=re.compile("General Dynamics Corporation")).click()
    page.get_by_role("button", name="Accept: not the same party").click()
    expect(page.locator(".messages")).to_contain_text("Released by the new check: SO-E2E-2.")
    expect(page.locator(".candidate")).to_contain_text("Not the same party")
    page.goto(shipment_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Released")
    screenshot(page, "trade-shipment-released-after-dismissal")
