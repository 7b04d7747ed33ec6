"""Exposure by control entry: each case once per entry, with the measure's status."""

from __future__ import annotations

from screening.dashboard import entry
from screening.dashboard.filters import Filters, filtered_cases
from tests.conftest import IN_FORCE_DAY, SUSPENDED_DAY
from tests.screening.dashboard.conftest import CELL_VALUE, rows


def test_exposure_by_entry_counts_each_case_once_per_entry_with_status(portfolio, catalogue):
    cases = filtered_cases(Filters())
    frame = entry.exposure_by_entry(cases, catalogue, IN_FORCE_DAY)
    assert rows(frame, ["key", "code", "result", "cases", "value_usd", "status"]) == [
        ("CN-2025-58:3A001", "3A001", "match", 2, 2 * CELL_VALUE, "in_force"),
        ("CN-2025-58:3A001", "3A001", "near", 1, CELL_VALUE, "in_force"),
    ]
    suspended = entry.exposure_by_entry(cases, catalogue, SUSPENDED_DAY)
    assert set(suspended["status"]) == {"suspended"}
