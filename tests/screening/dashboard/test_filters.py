"""Which cases the filters select."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from screening.dashboard.filters import Filters, filtered_cases


def test_filters_select_cases(portfolio):
    submitted, in_review, draft = portfolio
    today = timezone.localdate()

    def selected(**filters):
        return sorted(filtered_cases(Filters(**filters)).values_list("pk", flat=True))

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
