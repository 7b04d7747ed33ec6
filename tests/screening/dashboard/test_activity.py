"""Screenings and determinations per week."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from screening.dashboard import activity
from screening.dashboard.filters import Filters, filtered_cases, filtered_screenings
from tests.screening.dashboard.conftest import rows


def test_activity_counts_screenings_and_determinations_per_week(case_in):
    case_in("approved")
    case_in("closed")
    case_in("draft")
    cases = filtered_cases(Filters())
    frame = activity.activity_by_week(cases, filtered_screenings(Filters()))
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    assert rows(frame, ["week", "screenings", "determinations"]) == [(monday, 3, 2)]
