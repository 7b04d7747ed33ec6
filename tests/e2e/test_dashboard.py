"""Journey: a manager reads the exposure dashboard under a strict Content-Security-Policy,
filters it (htmx redraws the charts and the URL follows), goes back, downloads a chart as PNG
and clicks a bar through to the matching cases."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot, wait_for_htmx

pytestmark = pytest.mark.e2e

# What a production deployment can send: scripts only from our own files; plotly.js adds <style>
# elements at run time, so styles may be inline; PNG export draws through data: and blob: URLs.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def strict_csp(page) -> list[str]:
    """Serve every response with the CSP above; return the list the violations go to."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    def with_csp(route):
        response = route.fetch()
        route.fulfill(
            response=response, headers={**response.headers, "content-security-policy": CSP}
        )

    page.route("**/*", with_csp)
    return violations


def expect_every_chart_drawn(page) -> None:
    containers = page.locator(".chart-plot")
    expect(containers.first).to_be_visible()
    for i in range(containers.count()):
        expect(containers.nth(i).locator("svg.main-svg").first).to_be_attached()


def kpi(page, label: str):
    exact = page.locator(".kpi-label", has_text=re.compile(f"^{re.escape(label)}$"))
    return page.locator(".kpi", has=exact).locator(".kpi-value")


def test_dashboard_draws_filters_and_leads_to_the_cases(page, live_server, case_in, reviewer):
    case_in("submitted")
    case_in("submitted")
    case_in("in_review")
    case_in("draft", energy="290")
    login(page, live_server, reviewer, PASSWORD)
    violations = strict_csp(page)

    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exposure dashboard")
    expect(page.locator(".scope-note")).to_contain_text("aggregates over all cases")
    expect_every_chart_drawn(page)
    expect(page.locator("#chart-category .chart-plot")).to_have_class(re.compile("chart-ready"))
    for chart in ("category", "entry", "destination", "state", "ageing", "workload", "scenario"):
        expect(page.locator(f"#chart-{chart} svg.main-svg").first).to_be_attached()
    expect(
        page.locator("#chart-threshold-energy_density_wh_per_kg svg.main-svg").first
    ).to_be_attached()
    expect(kpi(page, "Cases")).to_have_text("4")
    screenshot(page, "dashboard")

    # A filter redraws the charts in place, and the URL carries it (without the empty fields).
    page.locator("#chart-category .chart-plot").evaluate("element => element.dataset.old = 'yes'")
    page.get_by_label("Automated outcome:").select_option("licence_required")
    wait_for_htmx(page)
    expect(page).to_have_url(re.compile(r"/dashboard/\?.*outcome=licence_required"))
    assert "created_after" not in page.url
    expect(kpi(page, "Cases")).to_have_text("3")
    expect(page.locator("#chart-category .chart-plot[data-old]")).to_have_count(0)
    expect_every_chart_drawn(page)
    screenshot(page, "dashboard-filtered")

    # Back restores the unfiltered dashboard, drawn again.
    page.go_back()
    expect(kpi(page, "Cases")).to_have_text("4")
    expect(page.get_by_label("Automated outcome:")).to_have_value("")
    expect_every_chart_drawn(page)
    page.go_forward()
    expect(kpi(page, "Cases")).to_have_text("3")
    expect_every_chart_drawn(page)

    # The modebar's camera downloads the chart as a PNG, drawn in the browser.
    chart = page.locator("#chart-category .chart-plot")
    chart.hover()
    with page.expect_download() as download:
        chart.get_by_role("button", name="Download plot as a PNG").click()
    today = timezone.localdate().isoformat()
    assert download.value.suggested_filename == f"exposure-category-{today}.png"

    # Clicking a bar opens the case list with that bar's cases.
    bar = page.locator("#chart-category .point path").first
    box = bar.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page).to_have_url(re.compile(r"/cases/\?"))
    assert "category=battery_cell" in page.url
    assert "outcome=licence_required" in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    expect(page.locator("#case-rows tbody tr")).to_have_count(3)
    assert violations == []
