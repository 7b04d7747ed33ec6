"""Accessibility: axe-core (from the npm registry, served to the browser from node_modules) finds
no serious issue on the main pages (the export side's at 1280 and 390 px too), and the main
journey works with the keyboard alone."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import login
from trade.models import Licence, LicenceApplication, Party, Shipment

pytestmark = [pytest.mark.e2e, pytest.mark.layout]  # make test-postgres skips it

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe_page(browser, browser_context_args):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does it)")
    # The app's CSP refuses injected scripts, as it should; the audit's own context lifts it.
    context = browser.new_context(**browser_context_args, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def audit(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'], "
        "runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_main_pages_have_no_serious_accessibility_issue(
    axe_page, live_server, reviewer, analyst, case_in
):
    case = case_in("in_review")
    page = axe_page
    page.goto(f"{live_server.url}/login/")
    assert audit(page) == []
    login(page, live_server, reviewer, PASSWORD)
    pages = [
        "/dashboard/",
        "/cases/",
        case.get_absolute_url(),
        "/products/",
        "/catalogue/",
        "/rules/",
        f"/screenings/{case.screening_id}/",
        "/uploads/",
    ]
    found = {}
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        issues = audit(page)
        if issues:
            found[path] = issues
    page.get_by_role("button", name="Log out").click()
    login(page, live_server, analyst, PASSWORD)
    for path in ["/products/new/", "/uploads/new/"]:
        page.goto(f"{live_server.url}{path}")
        issues = audit(page)
        if issues:
            found[path] = issues
    assert found == {}


@pytest.mark.parametrize("path", ["/dashboard/", "/catalogue/", "/screenings/{screening}/"])
def test_pages_have_no_serious_accessibility_issue_at_phone_width(
    axe_page, live_server, reviewer, case_in, path
):
    """At 390 px the tables scroll sideways in their frames: a reader with a keyboard must be
    able to reach and scroll them (axe's scrollable-region-focusable; issue 18, item 13). The
    classification sheet's tables stack instead."""
    cases = [case_in(state) for state in ("submitted", "in_review", "approved")]
    page = axe_page
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, reviewer, PASSWORD)
    page.goto(f"{live_server.url}{path.format(screening=cases[0].screening_id)}")
    page.wait_for_load_state("networkidle")
    page.locator("details.chart-data").evaluate_all("all => all.forEach(d => d.open = true)")
    assert audit(page) == []


def trade_pages() -> list[str]:
    """The export side's main pages, on the demo data (every state and hold reason)."""
    held = Shipment.objects.filter(state="held").order_by("pk").first()
    filed = LicenceApplication.objects.filter(state="filed").order_by("pk").first()
    matched = Party.objects.filter(matches__isnull=False).order_by("pk").first()
    assert held is not None
    assert filed is not None
    assert matched is not None
    return [
        "/trade/dashboard/",
        "/trade/my-work/",
        "/trade/shipments/",
        held.get_absolute_url(),
        "/trade/licences/",
        Licence.objects.get(number="L-DEMO-001").get_absolute_url(),  # most orders draw on it
        "/trade/licences/record/",
        "/trade/applications/",
        filed.get_absolute_url(),
        "/trade/parties/",
        matched.get_absolute_url(),
    ]


def test_trade_pages_have_no_serious_accessibility_issue(axe_page, live_server, reviewer, analyst):
    """Shipments, licences, applications, parties (lists and details), my work and the trade
    dashboard on the demo data (every state and hold reason), at desktop and phone width (one
    seeded database for both), with every <details> open (tables scroll in their frames at
    390 px: reachable by keyboard)."""
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_trade_demo", stdout=StringIO())
    page = axe_page
    found = {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
        login(page, live_server, reviewer, PASSWORD)
        for path in trade_pages():
            response = page.goto(f"{live_server.url}{path}")
            assert (response.status, page.url) == (200, f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            page.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")
            found[f"{path} ({width} px)"] = audit(page)
        # A form shown again with its errors (the new "Record a licence" page, sent empty).
        page.goto(f"{live_server.url}/trade/licences/record/")
        page.get_by_role("button", name="Record the licence").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator(".errorlist").first).to_be_visible()
        found[f"record a licence, with errors ({width} px)"] = audit(page)
        # An analyst's own queues and the order form.
        page.get_by_role("button", name="Log out").click()
        login(page, live_server, analyst, PASSWORD)
        for path in ("/trade/my-work/", "/trade/shipments/new/"):
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            found[f"{path} (analyst, {width} px)"] = audit(page)
        page.get_by_role("button", name="Log out").click()
    assert {where: issues for where, issues in found.items() if issues} == {}


def test_screening_a_spec_with_the_keyboard_alone(page, live_server, analyst):
    page.goto(f"{live_server.url}/login/")
    page.keyboard.press("Tab")  # skip link first
    page.get_by_label("Username").focus()
    page.keyboard.type(analyst.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login/" not in url)
    page.goto(f"{live_server.url}/products/new/")
    page.get_by_label("SKU (part number)").focus()
    focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused != "none"  # visible focus
    page.keyboard.type("KB-1")
    page.keyboard.press("Tab")  # revision
    page.keyboard.press("Tab")  # name
    page.keyboard.type("Keyboard cell")
    page.keyboard.press("Tab")  # manufacturer
    page.keyboard.press("Tab")  # category
    page.keyboard.press("ArrowDown")  # battery_cell, the first category
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    expect(page.get_by_label("Gravimetric energy density")).to_be_visible()
    page.get_by_label("Subtype").focus()
    page.keyboard.press("ArrowDown")  # li_ion
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.get_by_label("Gravimetric energy density").focus()
    page.keyboard.type("310")
    page.get_by_label("Screen as of").focus()
    page.keyboard.type("12012026")
    page.get_by_role("button", name="Save and screen").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".big-outcome")).to_have_text("Licence required")
