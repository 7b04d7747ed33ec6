"""The dashboard's numbers on known cases: exact counts and sums, and a bounded query count per
chart that does not grow with the number of cases."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from django.utils import timezone

from screening import dashboard
from screening.dashboard import Filters
from screening.models import Case
from tests.conftest import IN_FORCE_DAY, SUSPENDED_DAY

CELL_VALUE = 250_000.0  # the `screened` fixture's annual export value, copied to the case


def rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(r) for r in frame[columns].itertuples(index=False)]


@pytest.fixture
def portfolio(case_in):
    """Two li-ion cells at 310 Wh/kg (licence required) and one at 290 (near the threshold)."""
    return [
        case_in("submitted"),
        case_in("in_review"),
        case_in("draft", energy="290"),
    ]


@pytest.fixture
def catalogue(rule_set):
    return dashboard.current_catalogue()


def test_exposure_by_category_counts_and_sums_per_outcome(portfolio):
    frame = dashboard.exposure_by_category(dashboard.filtered_cases(Filters()))
    assert rows(frame, ["outcome", "category", "cases", "value_usd"]) == [
        ("licence_required", "battery_cell", 2, 2 * CELL_VALUE),
        ("near_threshold", "battery_cell", 1, CELL_VALUE),
    ]


def test_exposure_by_entry_counts_each_case_once_per_entry_with_status(portfolio, catalogue):
    cases = dashboard.filtered_cases(Filters())
    frame = dashboard.exposure_by_entry(cases, catalogue, IN_FORCE_DAY)
    assert rows(frame, ["key", "code", "result", "cases", "value_usd", "status"]) == [
        ("CN-2025-58:3A001", "3A001", "match", 2, 2 * CELL_VALUE, "in_force"),
        ("CN-2025-58:3A001", "3A001", "near", 1, CELL_VALUE, "in_force"),
    ]
    suspended = dashboard.exposure_by_entry(cases, catalogue, SUSPENDED_DAY)
    assert set(suspended["status"]) == {"suspended"}


def test_exposure_by_destination(portfolio):
    frame = dashboard.exposure_by_destination(dashboard.filtered_cases(Filters()))
    assert rows(frame, ["destination", "outcome", "cases", "value_usd"]) == [
        ("DE", "licence_required", 2, 2 * CELL_VALUE),
        ("DE", "near_threshold", 1, CELL_VALUE),
    ]


def test_filters_select_cases(portfolio):
    submitted, in_review, draft = portfolio
    today = timezone.localdate()

    def selected(**filters):
        return sorted(dashboard.filtered_cases(Filters(**filters)).values_list("pk", flat=True))

    assert selected(states=("submitted", "draft")) == sorted([submitted.pk, draft.pk])
    assert selected(outcome="near_threshold") == [draft.pk]
    assert selected(entry="3A001") == sorted(c.pk for c in portfolio)
    assert selected(entry="CN-2025-58:3a001") == sorted(c.pk for c in portfolio)
    assert selected(entry="3C901.a.1") == []
    assert selected(category="battery_cell", destination="DE") == sorted(c.pk for c in portfolio)
    assert selected(category="cathode_material") == []
    assert selected(destination="US") == []
    assert selected(created_after=today, created_before=today) == sorted(c.pk for c in portfolio)
    assert selected(created_after=today + dt.timedelta(days=1)) == []
    assert selected(created_before=today - dt.timedelta(days=1)) == []


def test_cases_by_state_buckets_days_in_state(portfolio):
    submitted, in_review, draft = portfolio
    Case.objects.filter(pk=submitted.pk).update(
        state_changed_at=timezone.now() - dt.timedelta(days=10)
    )
    Case.objects.filter(pk=draft.pk).update(state_changed_at=timezone.now() - dt.timedelta(days=90))
    by_state = dashboard.cases_by_state(dashboard.filtered_cases(Filters()), timezone.now())
    assert rows(by_state, ["state", "age", "cases", "value_usd"]) == [
        ("draft", "61+", 1, CELL_VALUE),
        ("submitted", "8-14", 1, CELL_VALUE),
        ("in_review", "0-2", 1, CELL_VALUE),
    ]
    totals = dashboard.state_totals(by_state)
    assert rows(totals, ["state", "cases"]) == [
        ("draft", 1),
        ("submitted", 1),
        ("in_review", 1),
        ("returned", 0),
        ("approved", 0),
        ("closed", 0),
        ("withdrawn", 0),
    ]
    ageing = dashboard.ageing(by_state)
    assert len(ageing) == 4 * len(dashboard.AGE_BUCKETS)
    assert rows(ageing[ageing["cases"] > 0], ["state", "age", "cases"]) == [
        ("draft", "61+", 1),
        ("submitted", "8-14", 1),
        ("in_review", "0-2", 1),
    ]


def test_reviewer_workload_lists_reviewers_and_the_unassigned_queue(portfolio, reviewer):
    frame = dashboard.reviewer_workload(dashboard.filtered_cases(Filters()))
    assert rows(frame, ["state", "reviewer", "cases", "value_usd"]) == [
        ("in_review", reviewer.username, 1, CELL_VALUE),
        ("submitted", "", 1, CELL_VALUE),
    ]


def test_activity_counts_screenings_and_determinations_per_week(case_in):
    case_in("approved")
    case_in("closed")
    case_in("draft")
    cases = dashboard.filtered_cases(Filters())
    frame = dashboard.activity_by_week(cases, dashboard.filtered_screenings(Filters()))
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    assert rows(frame, ["week", "screenings", "determinations"]) == [(monday, 3, 2)]


def test_histogram_of_energy_density_with_threshold_and_near_band(case_in, catalogue):
    for energy in ("310", "300", "290", "200"):
        case_in("draft", energy=energy)
    histograms = dashboard.parameter_histograms(dashboard.filtered_cases(Filters()), catalogue)
    by_parameter = {h.parameter: h for h in histograms}
    # Every parameter a criterion tests, in vocabulary order, thresholds from the catalogue.
    assert list(by_parameter) == [
        "energy_density_wh_per_kg",
        "compaction_density_g_per_cm3",
        "specific_capacity_mah_per_g",
        "first_cycle_efficiency_pct",
        "average_voltage_v",
        "tap_density_g_per_cm3",
        "purity_pct",
        "flexural_strength_mpa",
        "density_g_per_cm3",
        "granulation_volume_m3",
    ]
    assert [t.value for t in by_parameter["compaction_density_g_per_cm3"].thresholds] == [
        2.38,
        2.5,
        2.58,
    ]
    energy = by_parameter["energy_density_wh_per_kg"]
    assert (energy.cases, energy.minimum, energy.maximum) == (4, 200.0, 310.0)
    [threshold] = energy.thresholds
    assert (threshold.value, threshold.operator) == (300.0, ">=")
    assert threshold.entries == ("CN-2025-58:3A001", "CN-2025-58:3E901.a")
    assert (threshold.near_low, threshold.near_high) == (285.0, 300.0)
    assert (threshold.meeting_cases, threshold.near_cases) == (2, 1)  # 300 and 310; 290
    edges = energy.edges
    assert (edges[1] - edges[0], edges[0], edges[-1]) == (5.0, 195.0, 315.0)
    # A value exactly at the threshold lands in the bin that starts at it.
    placed = {
        edges[b]: c for b, c in zip(energy.counts["bin"], energy.counts["cases"], strict=True)
    }
    assert placed == {200.0: 1, 290.0: 1, 300.0: 1, 310.0: 1}
    assert set(energy.counts["category"]) == {"battery_cell"}
    assert by_parameter["purity_pct"].cases == 0
    assert by_parameter["purity_pct"].counts.empty


def test_bin_edges_put_the_lowest_threshold_on_an_edge_and_clip_outliers():
    edges = dashboard.bin_edges(2.159, 2.693, [2.38, 2.5, 2.58])
    assert 2.38 in edges
    width = edges[1] - edges[0]
    assert width == pytest.approx(0.02)
    assert edges[0] <= 2.159
    assert edges[-1] >= 2.693
    wide = dashboard.bin_edges(0.0, 1e6, [300.0])
    # Outliers do not stretch the axis beyond half to one and a half times the threshold.
    assert wide[0] >= 150.0 - (wide[1] - wide[0])
    assert wide[-1] <= 450.0 + (wide[1] - wide[0])


def test_scenario_compares_two_dates_with_the_vectorised_evaluator(case_in, catalogue):
    high = [case_in("submitted"), case_in("approved")]
    near = case_in("draft", energy="290")
    low = case_in("draft", energy="200")
    result = dashboard.scenario(
        dashboard.filtered_cases(Filters()), catalogue, SUSPENDED_DAY, IN_FORCE_DAY
    )
    assert (result.first, result.second, result.cases) == (SUSPENDED_DAY, IN_FORCE_DAY, 4)
    outcomes = result.outcomes.set_index("outcome")
    assert outcomes.loc["not_in_force", "cases_first"] == 2
    assert outcomes.loc["licence_required", "cases_first"] == 0
    assert outcomes.loc["licence_required", "cases_second"] == 2
    assert outcomes.loc["licence_required", "value_second"] == 2 * CELL_VALUE
    assert outcomes.loc["not_controlled", "cases_first"] == 2
    assert outcomes.loc["not_controlled", "cases_second"] == 1
    assert outcomes.loc["near_threshold", "cases_second"] == 1
    assert (result.changed, result.changed_value) == (3, 3 * CELL_VALUE)
    assert rows(result.transitions, ["outcome_first", "outcome_second", "cases", "value_usd"]) == [
        ("not_in_force", "licence_required", 2, 2 * CELL_VALUE),
        ("not_controlled", "near_threshold", 1, CELL_VALUE),
    ]
    changed = {r.case: (r.outcome_first, r.outcome_second) for r in result.changes.itertuples()}
    assert changed == {
        high[0].pk: ("not_in_force", "licence_required"),
        high[1].pk: ("not_in_force", "licence_required"),
        near.pk: ("not_controlled", "near_threshold"),
    }
    assert low.pk not in changed
    assert list(result.changes["reference"]) == [
        Case.objects.get(pk=pk).reference for pk in result.changes["case"]
    ]
    assert list(result.changes["sku"]) == [
        Case.objects.get(pk=pk).product.sku for pk in result.changes["case"]
    ]


def test_scenario_caps_the_change_list_but_counts_every_change(case_in, catalogue):
    for _ in range(3):
        case_in("draft")
    cases = dashboard.filtered_cases(Filters())
    capped = dashboard.scenario(cases, catalogue, SUSPENDED_DAY, IN_FORCE_DAY, limit=2)
    assert (capped.changed, len(capped.changes)) == (3, 2)
    full = dashboard.scenario(cases, catalogue, SUSPENDED_DAY, IN_FORCE_DAY, limit=None)
    assert len(full.changes) == 3


def test_scenario_of_no_cases_is_empty(rule_set, catalogue):
    result = dashboard.scenario(
        dashboard.filtered_cases(Filters()), catalogue, SUSPENDED_DAY, IN_FORCE_DAY
    )
    assert (result.cases, result.changed, len(result.changes)) == (0, 0, 0)
    assert result.outcomes["cases_first"].sum() == 0


def test_default_comparison_date_is_the_day_after_the_suspension_lapsed(shipped):
    assert dashboard.default_comparison_date(shipped, dt.date(2026, 11, 25)) == dt.date(
        2026, 11, 11
    )
    assert dashboard.default_comparison_date(shipped, dt.date(2026, 6, 1)) == dt.date(2026, 11, 11)
    assert dashboard.default_comparison_date(None, dt.date(2026, 6, 1)) == dt.date(2026, 6, 1)


def test_report_runs_only_the_sections_asked_for(portfolio, catalogue):
    result = dashboard.report(
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
        dashboard.report(
            filters=Filters(),
            catalogue=catalogue,
            today=IN_FORCE_DAY,
            now=timezone.now(),
            sections={"nope"},
        )


def test_headline_numbers(portfolio, catalogue):
    result = dashboard.report(
        filters=Filters(),
        catalogue=catalogue,
        today=IN_FORCE_DAY,
        now=timezone.now(),
        first=SUSPENDED_DAY,
        second=IN_FORCE_DAY,
    )
    headline = dashboard.headline(result)
    assert headline == dashboard.Headline(
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
    result = dashboard.report(
        filters=Filters(),
        catalogue=dashboard.current_catalogue(),
        today=IN_FORCE_DAY,
        now=timezone.now(),
        sections={"products", "category", "workflow"},
    )
    assert rows(result.products, ["outcome", "category", "products", "value_usd"]) == [
        ("licence_required", "battery_cell", 4, 4 * CELL_VALUE),
    ]
    headline = dashboard.headline(result)
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


def test_products_follow_the_filters_that_describe_products(case_in):
    case_in("submitted")
    case_in("draft", energy="290")
    near = Filters(outcome="near_threshold", destination="DE", category="battery_cell")
    frame = dashboard.products_by_latest_outcome(dashboard.filtered_products(near))
    assert rows(frame, ["outcome", "products"]) == [("near_threshold", 1)]
    other = dashboard.filtered_products(Filters(destination="US", entry="3A001"))
    assert other.count() == 0
    assert dashboard.filtered_products(Filters(entry="3A001")).count() == 2


# --- query counts ----------------------------------------------------------------------------

FUNCTIONS = {
    "products": (
        1,
        lambda cases, catalogue: dashboard.products_by_latest_outcome(
            dashboard.filtered_products(Filters(entry="3A001", category="battery_cell"))
        ),
    ),
    "rereview": (1, lambda cases, catalogue: dashboard.to_rereview(cases)),
    "category": (1, lambda cases, catalogue: dashboard.exposure_by_category(cases)),
    "entry": (
        1,
        lambda cases, catalogue: dashboard.exposure_by_entry(cases, catalogue, IN_FORCE_DAY),
    ),
    "destination": (1, lambda cases, catalogue: dashboard.exposure_by_destination(cases)),
    "workflow": (1, lambda cases, catalogue: dashboard.cases_by_state(cases, timezone.now())),
    "workload": (1, lambda cases, catalogue: dashboard.reviewer_workload(cases)),
    "activity": (
        2,
        lambda cases, catalogue: dashboard.activity_by_week(
            cases, dashboard.filtered_screenings(Filters())
        ),
    ),
    "thresholds": (2, lambda cases, catalogue: dashboard.parameter_histograms(cases, catalogue)),
    "scenario": (  # the spec frame, and the references and names of the changes listed
        2,
        lambda cases, catalogue: dashboard.scenario(cases, catalogue, SUSPENDED_DAY, IN_FORCE_DAY),
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
    cases = dashboard.filtered_cases(filters)
    with django_assert_num_queries(expected):
        function(cases, catalogue)


@pytest.mark.parametrize("count", [1, 3])
def test_the_whole_report_runs_a_fixed_number_of_queries(
    case_in, rule_set, count, django_assert_num_queries
):
    for _ in range(count):
        case_in("in_review")
    dashboard.current_catalogue()  # the snapshot is parsed once per process: not counted
    # 1 rule set + products, category, entry, destination, workload (1 each), workflow (2: by
    # state, and the cases to re-review), activity (2), thresholds (1 + 1 per parameter with
    # values: here energy density), scenario (1: nothing changes between today and 2026-11-11,
    # so there is no change list to describe)
    with django_assert_num_queries(13):
        result = dashboard.report(
            filters=Filters(),
            catalogue=dashboard.current_catalogue(),
            today=IN_FORCE_DAY,
            now=timezone.now(),
        )
    assert result.scenario.cases == count
