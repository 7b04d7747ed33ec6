"""Exposure by destination."""

from __future__ import annotations

from screening.dashboard import destination
from screening.dashboard.filters import Filters, filtered_cases
from tests.screening.dashboard.conftest import CELL_VALUE, rows


def test_exposure_by_destination(portfolio):
    frame = destination.exposure_by_destination(filtered_cases(Filters()))
    assert rows(frame, ["destination", "outcome", "cases", "value_usd"]) == [
        ("DE", "licence_required", 2, 2 * CELL_VALUE),
        ("DE", "near_threshold", 1, CELL_VALUE),
    ]
