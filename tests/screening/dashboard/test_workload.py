"""Reviewer workload."""

from __future__ import annotations

from screening.dashboard import workload
from screening.dashboard.filters import Filters, filtered_cases
from tests.screening.dashboard.conftest import CELL_VALUE, rows


def test_reviewer_workload_lists_reviewers_and_the_unassigned_queue(portfolio, reviewer):
    frame = workload.reviewer_workload(filtered_cases(Filters()))
    assert rows(frame, ["state", "reviewer", "cases", "value_usd"]) == [
        ("in_review", reviewer.username, 1, CELL_VALUE),
        ("submitted", "", 1, CELL_VALUE),
    ]
