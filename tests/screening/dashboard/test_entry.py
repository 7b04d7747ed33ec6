"""Cases by control entry: each case once per entry, with the measure's status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count, F, Sum
from django.utils import timezone, translation

from screening.dashboard import entry
from screening.dashboard.charts import Links
from screening.dashboard.filters import Filters, filtered_cases
from screening.dashboard.section import View
from screening.models import Case
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


def test_entries_are_shown_with_their_titles(portfolio, catalogue):
    """Issue 18, item 16: entry codes on the dashboard without what they control."""
    frame = entry.exposure_by_entry(filtered_cases(Filters()), catalogue, IN_FORCE_DAY)
    view = View(today=IN_FORCE_DAY, links=Links([], False), catalogue=catalogue)
    chart = entry.entry_chart(frame, view)
    title = "Rechargeable lithium-ion batteries (cells and packs)"
    assert chart.table.columns[:2] == ["Entry", "Item"]
    assert {tuple(row[:2]) for row in chart.table.rows} == {("CN-2025-58:3A001", title)}
    (label,) = chart.figure["data"][0]["y"]
    assert label.startswith("CN-2025-58:3A001 · in force<br>")  # the title on lines of its own
    assert label.replace("<br>", " ") == f"CN-2025-58:3A001 · in force {title}"
    narrow = chart.figure["layout"]["meta"]["narrow"]["data"][0]["y"]
    assert narrow[0].replace("<br>", " ") == f"CN-2025-58:3A001 · in force {title}"
    with translation.override("zh-hans"):
        chinese = entry.entry_chart(frame, view)
    assert chinese.table.rows[0][1] == "可充放电锂离子电池（包含电芯和电池组）"


def test_a_long_title_is_cut_short_in_a_bar_label_only(catalogue):
    key = "CN-TECH-2025-28:lithium-processing"
    title = entry.entry_title(key, catalogue)
    assert title.startswith("Lithium extraction and refining technologies")
    short = entry._short(title)
    assert short.endswith("…")
    assert len(short) <= entry.LABEL_TITLE_COLUMNS
    assert entry.entry_title("XX:none", catalogue) == ""


@pytest.fixture
def spread(portfolio, case_of):
    """Cases in several states, outcomes, destinations and values; one screening shared by two
    cases (each counts), and a case whose value is unknown."""
    more = [
        case_of("E-1", "approved"),
        case_of("E-2", "returned", energy="290"),
        case_of("E-3", "closed"),
        case_of("E-4", "draft", energy="100"),  # hits nothing
    ]
    cases = [*portfolio, *more]
    for case, (country, value) in zip(
        cases,
        [("JP", Decimal("1234.56")), ("US", None), ("DE", Decimal("0.07")), ("JP", None)],
        strict=False,
    ):
        Case.objects.filter(pk=case.pk).update(
            destination_country=country, expected_value_usd=value
        )
    twin = Case.objects.get(pk=more[0].pk)
    twin.pk = None
    twin.save()
    return cases


def _through_the_screenings(cases):
    """The same totals through the ORM's joins (case, screening, hit): the reference."""
    return (
        cases.filter(screening__hits__isnull=False)
        .values(
            key=F("screening__hits__key"),
            measure=F("screening__hits__measure"),
            code=F("screening__hits__code"),
            result=F("screening__hits__result"),
        )
        .annotate(cases=Count("pk"), value_usd=Sum("expected_value_usd"))
        .order_by()
    )


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(category="battery_cell"),
        Filters(destination="JP"),
        Filters(states=("draft", "returned")),
        Filters(outcome="near_threshold"),
        Filters(entry="3A001"),
        Filters(created_after=timezone.localdate()),
        Filters(destination="US", states=("submitted", "in_review")),
        Filters(created_before=timezone.localdate() - dt.timedelta(days=1)),
    ],
)
def test_hit_totals_agree_with_the_join_through_the_screenings(spread, filters):
    """Issue 17: the entry section reads the cases once and joins the hits straight to them;
    it gives exactly the rows (and value sums) the join through the screenings gives."""
    cases = filtered_cases(filters)

    def as_set(found):
        return sorted(
            (r["key"], r["measure"], r["code"], r["result"], r["cases"], r["value_usd"])
            for r in found
        )

    assert as_set(entry.hit_totals(cases)) == as_set(_through_the_screenings(cases))
    if filters == Filters():
        assert sum(r["cases"] for r in entry.hit_totals(cases)) == 7
