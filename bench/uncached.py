"""dashboard_uncached_1m: dashboard sections for filter combinations nobody asked for before,
each with an empty cache, over the benchmark's portfolio (bench.data.fill)."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from typing import Any

import numpy as np
from django.utils import timezone

# The sections a filter combination nobody asked for before is computed for in the request;
# thresholds and scenario evaluate each case's spec and stay on their cached path.
UNCACHED_SECTIONS = (
    "category",
    "destination",
    "workflow",
    "workload",
    "entry",
    "activity",
    "products",
)


def random_filters(rng: np.random.Generator, today: dt.date) -> dict[str, Any]:
    """A filter combination as a manager exploring the data makes one: each filter set or not,
    with a value that selects some cases (the benchmark's cases were opened in the last 90
    days); an entry code in one combination in ten."""
    from bench.data import STATES
    from rules.vocabulary import CATEGORIES, OUTCOMES
    from screening.synthetic import DESTINATIONS

    chosen: dict[str, Any] = {}
    if rng.random() < 0.5:
        chosen["category"] = str(rng.choice(list(CATEGORIES)))
    if rng.random() < 0.4:
        chosen["outcome"] = str(rng.choice(list(OUTCOMES)))
    if rng.random() < 0.4:
        chosen["destination"] = str(rng.choice(list(DESTINATIONS)))
    if rng.random() < 0.4:
        names = [name for name, _weight in STATES]
        picked = rng.choice(names, size=int(rng.integers(1, 4)), replace=False)
        chosen["state"] = sorted(str(name) for name in picked)
    if rng.random() < 0.5:
        start = int(rng.integers(0, 90))
        chosen["created_after"] = (today - dt.timedelta(days=start)).isoformat()
        if rng.random() < 0.5:
            end = int(rng.integers(0, start + 1))
            chosen["created_before"] = (today - dt.timedelta(days=end)).isoformat()
    if rng.random() < 0.1:
        chosen["entry"] = "3A001"
    return chosen


def dashboard_uncached(requests: int = 100) -> dict[str, Any]:
    """A section of the dashboard for a random filter combination, each with an empty cache
    (what a manager exploring the data waits for): the p95 over `requests` such requests,
    also for those the case summary answers (no entry filter) and per section."""
    from django.core.cache import cache
    from django.test import Client

    from bench.data import users
    from screening.models import Case

    _analysts, reviewers = users()
    client = Client()
    client.force_login(reviewers[0])
    # The process's first requests load code and the catalogue: not what a filter costs.
    for section in UNCACHED_SECTIONS:
        client.get("/dashboard/section/", {"section": section}, HTTP_HX_REQUEST="true")
    rng = np.random.default_rng(17)
    today = timezone.localdate()
    timings: list[tuple[str, bool, float]] = []
    for i in range(requests):
        chosen = random_filters(rng, today)
        section = UNCACHED_SECTIONS[i % len(UNCACHED_SECTIONS)]
        cache.clear()
        started = time.perf_counter()
        response = client.get(
            "/dashboard/section/", {**chosen, "section": section}, HTTP_HX_REQUEST="true"
        )
        timings.append((section, "entry" not in chosen, (time.perf_counter() - started) * 1000))
        assert response.status_code == 200, response.status_code
    every = [ms for _section, _rolled, ms in timings]
    rolled = [ms for _section, summary, ms in timings if summary]
    by_section = {
        section: round(float(np.percentile([ms for s, _r, ms in timings if s == section], 95)), 1)
        for section in UNCACHED_SECTIONS
        if any(s == section for s, _r, _ms in timings)
    }
    return {
        "p50_ms": round(statistics.median(every), 1),
        "p95_ms": round(float(np.percentile(every, 95)), 1),
        "without_entry_p95_ms": round(float(np.percentile(rolled, 95)), 1) if rolled else None,
        "section_p95_ms": by_section,
        "requests": len(timings),
        "cases": Case.objects.count(),
    }
