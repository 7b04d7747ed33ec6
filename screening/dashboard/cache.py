"""The dashboard's figures, cached per section and filter set, refreshed in the background.

At a million cases one chart's grouped query takes a second or more on SQLite (the raw
GROUP BY alone does), so every section's result is kept in Django's cache (the database cache
by default: shared by every app server) and served while it is younger than
DASHBOARD_FRESH_SECONDS. An older result is still served at once, marked with its age, and a
task recomputes it (stale-while-revalidate); only a filter set nobody has asked for yet is
computed in the request. After imports and re-screens the default view is recomputed ahead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Collection
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from rules import background
from rules.catalogue import Catalogue
from screening.dashboard import scenario
from screening.dashboard.filters import Filters, from_params
from screening.dashboard.report import BY_NAME, SECTIONS, Report, current_catalogue
from screening.dashboard.report import report as full_report
from screening.models import Case

VERSION = "v3"  # v2: the scenario lists what its viewer may open; v3: products, re-review
T = TypeVar("T")


def _key(
    section: str,
    filters: Filters,
    first: dt.date,
    second: dt.date,
    catalogue: Catalogue | None,
    today: dt.date,
) -> str:
    identity = json.dumps(
        [
            VERSION,
            section,
            filters.params(),
            first.isoformat(),
            second.isoformat(),
            catalogue.content_hash if catalogue else "",
            today.isoformat(),
        ],
        sort_keys=True,
    )
    return "dashboard:" + hashlib.sha256(identity.encode()).hexdigest()


def _cached(change_limit: int | None) -> bool:
    """Whether figures go through the cache: only in the page's own form (the full change list
    of the scenario's CSV download is computed as asked), and not when DASHBOARD_FRESH_SECONDS
    is 0 (then nothing is stored either)."""
    return change_limit == scenario.CHANGE_LIST_LIMIT and settings.DASHBOARD_FRESH_SECONDS > 0


def compute(
    section: str,
    *,
    filters: Filters,
    catalogue: Catalogue | None,
    today: dt.date,
    first: dt.date,
    second: dt.date,
    change_limit: int | None,
    viewer: User | None = None,
) -> dict[str, Any]:
    """One section's fields, computed now, and stored in the cache. The section "changes:…"
    is a viewer's own list of changes (report())."""
    if section.startswith("changes:"):
        changes, listed = (
            scenario.visible_changes(
                viewer,
                filters=filters,
                catalogue=catalogue,
                first=first,
                second=second,
                limit=change_limit,
            )
            if catalogue is not None and viewer is not None
            else (scenario.no_changes(), 0)
        )
        fields: dict[str, Any] = {"changes": changes, "listed": listed}
    else:
        part = full_report(
            filters=filters,
            catalogue=catalogue,
            today=today,
            now=timezone.now(),
            first=first,
            second=second,
            sections={section},
            change_limit=change_limit,
        )
        fields = {name: getattr(part, name) for name in BY_NAME[section].fields}
    entry = {"computed_at": timezone.now(), "fields": fields}
    if _cached(change_limit):
        key = _key(section, filters, first, second, catalogue, today)
        cache.set(key, entry, timeout=settings.DASHBOARD_CACHE_KEEP_SECONDS)
    return entry


def report(
    *,
    filters: Filters,
    catalogue: Catalogue | None,
    today: dt.date,
    first: dt.date,
    second: dt.date,
    viewer: User,
    sections: Collection[str] = SECTIONS,
    change_limit: int | None = scenario.CHANGE_LIST_LIMIT,
    change_list: bool = True,
) -> tuple[Report, dt.datetime | None]:
    """The report for these sections as `viewer` may see it, from the cache where it is there;
    with the time the oldest part was computed (None when everything was computed now).

    The figures are the same for everyone and cached once per filter set. The scenario's list
    of changes is row-level, so it holds only cases the viewer may open: kept per set of
    visible cases (Case.objects.visibility_key), computed over those cases alone; without
    `change_list` (a download of the figures only) it is left empty.
    """
    result = Report(filters=filters, today=today, first=first, second=second, catalogue=catalogue)
    scope = Case.objects.visibility_key(viewer)
    # The shared list is only shown to those who may open every case; others get their own.
    shared_limit = change_limit if scope == "all" else scenario.CHANGE_LIST_LIMIT
    times = []
    stamps: list[str] | None = [] if _cached(shared_limit) else None
    for section in sections:
        entry = _entry(
            section,
            filters=filters,
            catalogue=catalogue,
            today=today,
            first=first,
            second=second,
            change_limit=shared_limit,
        )
        times.append(entry.get("cached_at"))
        if stamps is not None:
            stamps.append(_stamp(section, filters, first, second, catalogue, today, entry))
        for name, value in entry["fields"].items():
            setattr(result, name, value)
    if result.scenario is not None and scope != "all" and not change_list:
        stamps = None  # a part not in the cache: the charts are made for this request alone
        result.scenario = dataclasses.replace(
            result.scenario, changes=scenario.no_changes(), listed=0
        )
    elif result.scenario is not None and scope != "all":
        entry = _entry(
            f"changes:{scope}",
            filters=filters,
            catalogue=catalogue,
            today=today,
            first=first,
            second=second,
            change_limit=change_limit,
            viewer=viewer,
        )
        times.append(entry.get("cached_at"))
        if stamps is not None and _cached(change_limit):
            stamps.append(
                _stamp(f"changes:{scope}", filters, first, second, catalogue, today, entry)
            )
        else:
            stamps = None
        result.scenario = dataclasses.replace(result.scenario, **entry["fields"])
    result.stamps = tuple(stamps or ())
    oldest = min((t for t in times if t is not None), default=None)
    return result, oldest


def _stamp(
    section: str,
    filters: Filters,
    first: dt.date,
    second: dt.date,
    catalogue: Catalogue | None,
    today: dt.date,
    entry: dict[str, Any],
) -> str:
    key = _key(section, filters, first, second, catalogue, today)
    return f"{key}@{entry['computed_at'].isoformat()}"


def finished_charts(report: Report, *, link_cases: bool, build: Callable[[], T]) -> T:
    """The charts built from a report (plotly figures, tables, links), kept beside its cached
    parts: under the parts' keys and computed times, the reader's language and whether bars
    open the case list. A recomputed part has another time, so its charts are built again (the
    same invalidation as the figures'); a report not wholly from the cache is built each time."""
    if not report.stamps:
        return build()
    identity = json.dumps([VERSION, report.stamps, get_language(), link_cases])
    key = "dashboard-charts:" + hashlib.sha256(identity.encode()).hexdigest()
    built = cache.get(key)
    if built is None:
        built = build()
        cache.set(key, built, timeout=settings.DASHBOARD_CACHE_KEEP_SECONDS)
    return cast(T, built)


def _entry(
    section: str,
    *,
    filters: Filters,
    catalogue: Catalogue | None,
    today: dt.date,
    first: dt.date,
    second: dt.date,
    change_limit: int | None,
    viewer: User | None = None,
) -> dict[str, Any]:
    """One section's entry from the cache (with "cached_at"; a stale one is refreshed in the
    background), or computed now."""
    cached = None
    if _cached(change_limit):
        cached = cache.get(_key(section, filters, first, second, catalogue, today))
    if cached is None:
        return compute(
            section,
            filters=filters,
            catalogue=catalogue,
            today=today,
            first=first,
            second=second,
            change_limit=change_limit,
            viewer=viewer,
        )
    fresh_for = dt.timedelta(seconds=settings.DASHBOARD_FRESH_SECONDS)
    if timezone.now() - cached["computed_at"] > fresh_for:
        _refresh_later(section, filters, first, second, viewer)
    return {**cached, "cached_at": cached["computed_at"]}


def _refresh_later(
    section: str,
    filters: Filters,
    first: dt.date,
    second: dt.date,
    viewer: User | None,
) -> None:
    """Queue one recomputation of a stale section (several requests queue it once)."""
    arguments = [section, filters.params(), first.isoformat(), second.isoformat()]
    marker = "dashboard-refreshing:" + hashlib.sha256(json.dumps(arguments).encode()).hexdigest()
    if cache.add(marker, 1, timeout=settings.DASHBOARD_FRESH_SECONDS or 60):
        # A viewer's own list is recomputed as that viewer (any viewer of the same scope).
        viewer_id = viewer.pk if viewer is not None and section.startswith("changes:") else None
        background.enqueue("refresh_dashboard", *arguments, viewer_id)


def refresh(
    section: str,
    params: list[list[str]],
    first: str,
    second: str,
    viewer: User | None = None,
) -> None:
    """Recompute one section for a filter set (the refresh task)."""
    compute(
        section,
        filters=from_params(params),
        catalogue=current_catalogue(),
        today=timezone.localdate(),
        first=dt.date.fromisoformat(first),
        second=dt.date.fromisoformat(second),
        change_limit=scenario.CHANGE_LIST_LIMIT,
        viewer=viewer,
    )


def warm_default_view() -> None:
    """Recompute every section of the unfiltered view (after imports and re-screens)."""
    catalogue = current_catalogue()
    today = timezone.localdate()
    first, second = scenario.default_scenario(catalogue, today)
    for section in SECTIONS:
        compute(
            section,
            filters=Filters(),
            catalogue=catalogue,
            today=today,
            first=first,
            second=second,
            change_limit=scenario.CHANGE_LIST_LIMIT,
        )
