"""The whole report: the sections asked for, the headline numbers, and a bounded query count per
chart that does not grow with the number of cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from screening.dashboard import (
    activity,
    category,
    destination,
    entry,
    products,
    report,
    scenario,
    thresholds,
    workflow,
    workload,
)
from screening.dashboard.filters import (
    Filters,
    filtered_cases,
    filtered_products,
    filtered_screenings,
)
from tests.conftest import IN_FORCE_DAY, SUSPENDED_DAY
from tests.screening.dashboard.conftest import CELL_VALUE, rows


def test_report_runs_only_the_sections_asked_for(portfolio, catalogue):
    result = report.report(
        filters=Filters(),
        catalogue=catalogue,
        today=IN_FORCE_DAY,
        now=timezone.now(),
        sections={"category"},
    )
    assert result.by_category is not None
    assert (result.by_entry, result.scenario, result.histograms) == (None, None, [])
    assert (result.first, result.second) == (IN_FORCE_DAY, dt.date(2026, 11, 11))
    with pytest.raises(ValueError, match="unknown dashboard sections: nope"):
        report.report(
            filters=Filters(),
            catalogue=catalogue,
            today=IN_FORCE_DAY,
            now=timezone.now(),
            sections={"nope"},
        )


def test_headline_numbers(portfolio, catalogue):
    result = report.report(
        filters=Filters(),
        catalogue=catalogue,
        today=IN_FORCE_DAY,
        now=timezone.now(),
        first=SUSPENDED_DAY,
        second=IN_FORCE_DAY,
    )
    headline = report.headline(result)
    assert headline == report.Headline(
        cases=3,
        value_usd=3 * CELL_VALUE,
        licence_cases=2,
        licence_value_usd=2 * CELL_VALUE,
        open_cases=3,
        changed=3,
        changed_value_usd=3 * CELL_VALUE,
        licence_products=2,
        licence_products_value_usd=2 * CELL_VALUE,
        rereview=0,
    )
    assert headline.licence_share == pytest.approx(2 / 3)


def test_after_a_rule_change_products_follow_the_new_rules_and_cases_wait_for_re_review(
    client, rule_set, rules_admin, rules_admin2, case_in, superuser
):
    """The issue's numbers in small: lowering 3A001 to 250 Wh/kg turns the 280 Wh/kg products
    into "licence required" at once, while their cases keep the outcome they were opened with
    and are counted as to re-review (open ones only)."""
    from tests.screening.test_rule_changes import publish_3a001_at_250, rescreen

    case_in("submitted")  # 310 Wh/kg: licence required before and after
    for state in ("draft", "in_review", "approved"):
        case_in(state, energy="280")
    rescreen(rule_set, publish_3a001_at_250(rule_set, rules_admin, rules_admin2), rules_admin2)
    result = report.report(
        filters=Filters(),
        catalogue=report.current_catalogue(),
        today=IN_FORCE_DAY,
        now=timezone.now(),
        sections={"products", "category", "workflow"},
    )
    assert rows(result.products, ["outcome", "category", "products", "value_usd"]) == [
        ("licence_required", "battery_cell", 4, 4 * CELL_VALUE),
    ]
    headline = report.headline(result)
    assert (
        headline.licence_cases,
        headline.licence_products,
        headline.licence_products_value_usd,
        headline.rereview,
    ) == (1, 4, 4 * CELL_VALUE, 2)
    client.force_login(superuser)  # sees every case, as the dashboard counts them
    page = client.get("/dashboard/").content.decode()
    assert (
        '<span class="kpi-label">To re-review (rules changed)</span>\n'
        '    <span class="kpi-value"><a href="/cases/?rules_changed=true">2</a></span>'
    ) in page
    assert (
        '<span class="kpi-label">Licence required (products, latest outcome)</span>\n'
        '    <span class="kpi-value"><a href="/products/?outcome=licence_required">4</a></span>'
    ) in page
    listed = client.get("/cases/", {"rules_changed": "true"}).context["page"]
    assert len(listed.object_list) == 2


# --- query counts ----------------------------------------------------------------------------

FUNCTIONS = {
    "products": (
        1,
        lambda cases, catalogue: products.products_by_latest_outcome(
            filtered_products(Filters(entry="3A001", category="battery_cell"))
        ),
    ),
    "rereview": (1, lambda cases, catalogue: workflow.to_rereview(cases)),
    "category": (1, lambda cases, catalogue: category.exposure_by_category(cases)),
    "entry": (
        1,
        lambda cases, catalogue: entry.exposure_by_entry(cases, catalogue, IN_FORCE_DAY),
    ),
    "destination": (1, lambda cases, catalogue: destination.exposure_by_destination(cases)),
    "workflow": (1, lambda cases, catalogue: workflow.cases_by_state(cases, timezone.now())),
    "workload": (1, lambda cases, catalogue: workload.reviewer_workload(cases)),
    "activity": (
        2,
        lambda cases, catalogue: activity.activity_by_week(cases, filtered_screenings(Filters())),
    ),
    "thresholds": (2, lambda cases, catalogue: thresholds.parameter_histograms(cases, catalogue)),
    "scenario": (  # the spec frame, and the references and names of the changes listed
        2,
        lambda cases, catalogue: scenario.scenario(cases, catalogue, SUSPENDED_DAY, IN_FORCE_DAY),
    ),
}


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("section", list(FUNCTIONS))
def test_each_chart_runs_a_fixed_number_of_queries(
    case_in, catalogue, section, count, django_assert_num_queries
):
    for state in ("submitted", "in_review", "approved")[:count]:
        case_in(state)
    expected, function = FUNCTIONS[section]
    filters = Filters(entry="3A001", states=("submitted", "in_review", "approved"))
    cases = filtered_cases(filters)
    with django_assert_num_queries(expected):
        function(cases, catalogue)


@pytest.mark.parametrize("count", [1, 3])
def test_the_whole_report_runs_a_fixed_number_of_queries(
    case_in, rule_set, count, django_assert_num_queries
):
    for _ in range(count):
        case_in("in_review")
    report.current_catalogue()  # the snapshot is parsed once per process: not counted
    # 1 rule set + products, category, entry, destination, workload (1 each), workflow (2: by
    # state, and the cases to re-review), activity (2), thresholds (1 + 1 per parameter with
    # values: here energy density), scenario (1: nothing changes between today and 2026-11-11,
    # so there is no change list to describe)
    with django_assert_num_queries(13):
        result = report.report(
            filters=Filters(),
            catalogue=report.current_catalogue(),
            today=IN_FORCE_DAY,
            now=timezone.now(),
        )
    assert result.scenario.cases == count
