"""Exposure by category: exact counts and sums per outcome."""

from __future__ import annotations

from screening.dashboard import category
from screening.dashboard.filters import Filters, filtered_cases
from tests.screening.dashboard.conftest import CELL_VALUE, rows


def test_exposure_by_category_counts_and_sums_per_outcome(portfolio):
    frame = category.exposure_by_category(filtered_cases(Filters()))
    assert rows(frame, ["outcome", "category", "cases", "value_usd"]) == [
        ("licence_required", "battery_cell", 2, 2 * CELL_VALUE),
        ("near_threshold", "battery_cell", 1, CELL_VALUE),
    ]
