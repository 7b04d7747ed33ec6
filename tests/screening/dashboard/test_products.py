"""Products by their latest outcome."""

from __future__ import annotations

from screening.dashboard import products
from screening.dashboard.filters import Filters, filtered_products
from tests.screening.dashboard.conftest import rows


def test_products_follow_the_filters_that_describe_products(case_in):
    case_in("submitted")
    case_in("draft", energy="290")
    near = Filters(outcome="near_threshold", destination="DE", category="battery_cell")
    frame = products.products_by_latest_outcome(filtered_products(near))
    assert rows(frame, ["outcome", "products"]) == [("near_threshold", 1)]
    other = filtered_products(Filters(destination="US", entry="3A001"))
    assert other.count() == 0
    assert filtered_products(Filters(entry="3A001")).count() == 2
