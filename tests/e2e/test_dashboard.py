"""Journey: a manager reads the exposure dashboard under a strict Content-Security-Policy,
filters it (htmx redraws the charts and the URL follows), goes back, downloads a chart as PNG
and clicks a bar through to the matching cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from screening.dashboard.report import current_catalogue
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


# What a reader at this width would see collide, per chart: its title, legend and panel titles
# (annotations) overlapping each other or cut off at the chart's edge; tick labels overlapping
# each other (within an axis or across axes), a title or the legend, or inside another
# subplot's plot area. And whether the page scrolls sideways.
LAYOUT_PROBLEMS = (Path(__file__).parent / "layout_problems.js").read_text()
PHONE = {"width": 390, "height": 844}


def cases_of_five_outcomes(case_in) -> None:
    """Cases whose outcomes fill the charts' axes: four outcomes today, five in the scenario."""
    for state, energy in (
        ("submitted", "310"),
        ("in_review", "310"),
        ("draft", "290"),
        ("approved", "200"),
        ("returned", "310"),
        ("submitted", ""),  # no energy density: indeterminate
    ):
        case_in(state, energy=energy)


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

    # The modebar's camera downloads the chart as a PNG, drawn in the browser, with the day,
    # the rule set and the filters written under the chart (issue 18, item 16).
    page.evaluate(
        """() => {
        window.drawnText = [];
        const fillText = CanvasRenderingContext2D.prototype.fillText;
        CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
          window.drawnText.push(text);
          return fillText.call(this, text, ...rest);
        };
      }"""
    )
    chart = page.locator("#chart-category .chart-plot")
    chart.hover()
    with page.expect_download() as download:
        chart.get_by_role("button", name="Download plot as a PNG").click()
    today = timezone.localdate().isoformat()
    assert download.value.suggested_filename == f"exposure-category-{today}.png"
    png = Path(download.value.path()).read_bytes()
    assert png.startswith(b"\x89PNG")
    height = int.from_bytes(png[20:24], "big")
    shown = chart.bounding_box()
    assert shown is not None
    assert height > 2 * shown["height"] + 2 * 17  # scale 2, and a strip of caption lines
    caption = " ".join(page.evaluate("window.drawnText"))
    version = current_catalogue().version
    assert f"Exposure dashboard, {today}; rule set {version}." in caption
    assert "Filters: Automated outcome: Licence required." in caption

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


@pytest.mark.layout
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_dashboard_fits_a_phone(page, live_server, case_in, reviewer, language):
    """At 390 px: no subplot titles over each other, no axes colliding, nothing cut off, and the
    page does not scroll sideways (issue 18, item 13); in Chinese too (labels without spaces)."""
    cases_of_five_outcomes(case_in)
    page.set_viewport_size(PHONE)
    login(page, live_server, reviewer, PASSWORD)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/dashboard/")
    expect_every_chart_drawn(page)
    assert page.evaluate(LAYOUT_PROBLEMS) == []
    screenshot(page, "dashboard-phone" if language == "en" else "dashboard-phone-zh")


@pytest.mark.layout
@pytest.mark.parametrize("width", [1024, 1280])
def test_no_chart_labels_overlap_on_a_desktop(page, live_server, case_in, reviewer, width):
    """The scenario chart's x labels overlapped at 1280 px with five outcomes (issue 18, item
    13); so did the category chart's at 1024 px."""
    cases_of_five_outcomes(case_in)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, reviewer, PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    expect_every_chart_drawn(page)
    assert page.evaluate(LAYOUT_PROBLEMS) == []


@pytest.mark.layout
def test_charts_take_the_phone_layout_when_the_window_narrows(page, live_server, case_in, reviewer):
    cases_of_five_outcomes(case_in)
    login(page, live_server, reviewer, PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    expect_every_chart_drawn(page)
    page.set_viewport_size(PHONE)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart-plot.js-plotly-plot')].every((e) =>"
        " e.dataset.layout === (e.clientWidth < +e.dataset.wideFrom ? 'narrow' : 'wide'))"
    )
    page.wait_for_timeout(300)  # plotly redraws after its own resize handler
    assert page.evaluate(LAYOUT_PROBLEMS) == []


def test_a_reviewer_following_a_bar_of_drafts_is_told_why_no_case_shows(
    page, live_server, case_in, reviewer
):
    """Issue 18, item 1: the case figures count drafts, which a reviewer may not open."""
    case_in("submitted")
    case_in("draft", energy="290")
    login(page, live_server, reviewer, PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    expect_every_chart_drawn(page)
    expect(page.locator("#section-exposure")).to_have_text("Exposure: products screened")
    expect(kpi(page, "Products screened")).to_have_text("2")
    state = page.locator("#chart-state")
    state.locator("summary").click()
    state.get_by_role("link", name="Draft", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    expect(page.locator("#case-rows")).to_contain_text("No case you may open matches.")
    expect(page.locator("#case-rows")).to_contain_text(
        "1 draft: a draft is seen only by the analyst who prepared it, until it is submitted."
    )


def test_the_state_filter_is_checkboxes_and_old_links_still_work(
    page, live_server, case_in, reviewer
):
    """Issue 18, item 12: the State filter was a cut-off list box that needed Ctrl-click. A
    shared link with `state=` parameters keeps its meaning."""
    for state in ("submitted", "returned", "approved"):
        case_in(state)
    login(page, live_server, reviewer, PASSWORD)
    page.goto(f"{live_server.url}/dashboard/?state=submitted")
    expect_every_chart_drawn(page)
    expect(kpi(page, "Cases")).to_have_text("1")
    submitted = page.get_by_role("checkbox", name="Submitted")
    expect(submitted).to_be_checked()
    check = submitted.bounding_box()
    assert check is not None
    assert check["width"] < 30  # a box, not a widened input
    for state in ("Draft", "In review", "Approved", "Closed", "Withdrawn"):
        expect(page.get_by_role("checkbox", name=state)).to_be_visible()
        expect(page.get_by_role("checkbox", name=state)).not_to_be_checked()
    page.get_by_role("checkbox", name="Returned for information").check()
    wait_for_htmx(page)
    expect(page).to_have_url(re.compile(r"/dashboard/\?.*state=submitted&state=returned"))
    expect(kpi(page, "Cases")).to_have_text("2")
    expect_every_chart_drawn(page)
    screenshot(page, "dashboard-state-filter")
