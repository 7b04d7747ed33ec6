"""The sections that read the summaries give exactly what the same query on the cases gives,
for filter combinations on every dimension (day opened, category, destination, state,
outcome); a filter the summary cannot answer (an entry) asks the cases. The entry section's
summary path gives what its direct query (entry.hit_totals) gives."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from django.utils import timezone

from screening import rollup, workflow
from screening.dashboard import activity, category, destination, entry, products
from screening.dashboard import workflow as workflow_section
from screening.dashboard.filters import (
    Filters,
    filtered_cases,
    filtered_entry_rollup,
    filtered_product_rollup,
    filtered_products,
    filtered_rollup,
    filtered_screening_rollup,
    filtered_screenings,
)
from screening.models import Case

TODAY = timezone.localdate()
FILTERS = [
    Filters(),
    Filters(category="battery_cell"),
    Filters(destination="JP"),
    Filters(states=("draft", "returned")),
    Filters(outcome="near_threshold"),
    Filters(created_after=TODAY - dt.timedelta(days=3)),
    Filters(created_before=TODAY - dt.timedelta(days=3)),
    Filters(created_after=TODAY - dt.timedelta(days=9), created_before=TODAY - dt.timedelta(1)),
    Filters(category="battery_cell", destination="DE", states=("submitted",)),
    Filters(outcome="licence_required", created_after=TODAY, states=("draft", "approved")),
]


@pytest.fixture
def varied(case_in, analyst):
    """Cases in several states, outcomes, destinations and values, opened on several days."""
    cases = [
        case_in(state, energy=energy)
        for state, energy in [
            ("draft", "310"),
            ("draft", "290"),
            ("submitted", "310"),
            ("in_review", "290"),
            ("returned", "310"),
            ("approved", "310"),
            ("closed", "290"),
            ("withdrawn", "310"),
        ]
    ]
    for case, (country, value) in zip(
        cases[:2], [("JP", Decimal("1234.56")), ("US", None)], strict=True
    ):
        workflow.update_shipment(
            case=case,
            version=case.version,
            user=analyst,
            changes={"destination_country": country, "expected_value_usd": value},
        )
    for days, case in enumerate(cases):
        moved = Case.objects.filter(pk=case.pk)
        with rollup.track(moved):
            moved.update(created_at=timezone.now() - dt.timedelta(days=2 * days))
    decided_earlier = Case.objects.filter(pk=cases[5].pk)  # the approved one
    with rollup.track(decided_earlier):
        decided_earlier.update(decided_at=timezone.now() - dt.timedelta(days=15))
    return cases


@pytest.mark.parametrize("filters", FILTERS, ids=[str(f.params()) for f in FILTERS])
def test_the_summary_and_the_cases_give_the_same_rows(varied, filters):
    cases, rows = filtered_cases(filters), filtered_rollup(filters)
    assert rows is not None
    for section in (category.exposure_by_category, destination.exposure_by_destination):
        pd.testing.assert_frame_equal(section(cases, rows), section(cases))
    assert workflow_section.to_rereview(cases, rows) == workflow_section.to_rereview(cases)
    screenings = filtered_screenings(filters)
    pd.testing.assert_frame_equal(
        activity.activity_by_week(cases, screenings, rows, filtered_screening_rollup(filters)),
        activity.activity_by_week(cases, screenings),
    )
    hits = filtered_entry_rollup(filters)
    assert hits is not None
    pd.testing.assert_frame_equal(
        entry.exposure_by_entry(cases, None, TODAY, hits),
        entry.exposure_by_entry(cases, None, TODAY),
    )
    pd.testing.assert_frame_equal(
        products.products_by_latest_outcome(
            filtered_products(filters), filtered_product_rollup(filters)
        ),
        products.products_by_latest_outcome(filtered_products(filters)),
    )


def _totals(found):
    return sorted(
        (r["key"], r["measure"], r["code"], r["result"], r["cases"], round(r["value_usd"] or 0, 2))
        for r in found
    )


@pytest.mark.parametrize("filters", FILTERS, ids=[str(f.params()) for f in FILTERS])
def test_the_entry_summary_gives_the_direct_query_rows(varied, filters):
    summed = entry.summed_hit_totals(filtered_entry_rollup(filters))
    assert _totals(summed) == _totals(entry.hit_totals(filtered_cases(filters)))
    if filters == Filters():
        assert sum(r["cases"] for r in summed) >= len(varied)


def test_some_filters_select_nothing_and_both_say_so(varied):
    filters = Filters(destination="JP", states=("closed",))
    cases, rows = filtered_cases(filters), filtered_rollup(filters)
    assert len(category.exposure_by_category(cases, rows)) == 0
    assert len(category.exposure_by_category(cases)) == 0


def test_an_entry_filter_asks_the_cases():
    assert filtered_rollup(Filters(entry="3A001")) is None
    assert filtered_screening_rollup(Filters(entry="3A001")) is None
    assert filtered_entry_rollup(Filters(entry="3A001")) is None
    assert filtered_product_rollup(Filters(entry="3A001")) is None
