"""The scenario: every case's frozen spec screened as of two dates."""

from __future__ import annotations

import datetime as dt

from screening.dashboard import scenario
from screening.dashboard.filters import Filters, filtered_cases
from screening.models import Case
from tests.conftest import IN_FORCE_DAY, SUSPENDED_DAY
from tests.screening.dashboard.conftest import CELL_VALUE, rows


def test_scenario_compares_two_dates_with_the_vectorised_evaluator(case_in, catalogue):
    high = [case_in("submitted"), case_in("approved")]
    near = case_in("draft", energy="290")
    low = case_in("draft", energy="200")
    result = scenario.scenario(filtered_cases(Filters()), catalogue, SUSPENDED_DAY, IN_FORCE_DAY)
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
    cases = filtered_cases(Filters())
    capped = scenario.scenario(cases, catalogue, SUSPENDED_DAY, IN_FORCE_DAY, limit=2)
    assert (capped.changed, len(capped.changes)) == (3, 2)
    full = scenario.scenario(cases, catalogue, SUSPENDED_DAY, IN_FORCE_DAY, limit=None)
    assert len(full.changes) == 3


def test_scenario_of_no_cases_is_empty(rule_set, catalogue):
    result = scenario.scenario(filtered_cases(Filters()), catalogue, SUSPENDED_DAY, IN_FORCE_DAY)
    assert (result.cases, result.changed, len(result.changes)) == (0, 0, 0)
    assert result.outcomes["cases_first"].sum() == 0


def test_default_comparison_date_is_the_day_after_the_suspension_lapsed(shipped):
    assert scenario.default_comparison_date(shipped, dt.date(2026, 11, 25)) == dt.date(2026, 11, 11)
    assert scenario.default_comparison_date(shipped, dt.date(2026, 6, 1)) == dt.date(2026, 11, 11)
    assert scenario.default_comparison_date(None, dt.date(2026, 6, 1)) == dt.date(2026, 6, 1)
