"""Cases by state and days in state; the ageing of open cases."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from screening.dashboard import workflow
from screening.dashboard.filters import Filters, filtered_cases
from screening.models import Case
from tests.screening.dashboard.conftest import CELL_VALUE, rows


def test_cases_by_state_buckets_days_in_state(portfolio):
    submitted, in_review, draft = portfolio
    Case.objects.filter(pk=submitted.pk).update(
        state_changed_at=timezone.now() - dt.timedelta(days=10)
    )
    Case.objects.filter(pk=draft.pk).update(state_changed_at=timezone.now() - dt.timedelta(days=90))
    by_state = workflow.cases_by_state(filtered_cases(Filters()), timezone.now())
    assert rows(by_state, ["state", "age", "cases", "value_usd"]) == [
        ("draft", "61+", 1, CELL_VALUE),
        ("submitted", "8-14", 1, CELL_VALUE),
        ("in_review", "0-2", 1, CELL_VALUE),
    ]
    totals = workflow.state_totals(by_state)
    assert rows(totals, ["state", "cases"]) == [
        ("draft", 1),
        ("submitted", 1),
        ("in_review", 1),
        ("returned", 0),
        ("approved", 0),
        ("closed", 0),
        ("withdrawn", 0),
    ]
    ageing = workflow.ageing(by_state)
    assert len(ageing) == 4 * len(workflow.AGE_BUCKETS)
    assert rows(ageing[ageing["cases"] > 0], ["state", "age", "cases"]) == [
        ("draft", "61+", 1),
        ("submitted", "8-14", 1),
        ("in_review", "0-2", 1),
    ]
