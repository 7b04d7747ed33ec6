"""Keeping the dashboard's summaries (screening.models.CaseRollup, EntryRollup,
ScreeningRollup) equal to the cases and screenings they sum.

Every write that adds, removes or changes a case's dimensions (DIMENSIONS: day opened, category,
automated outcome, destination, state, re-review flag, week decided) or its expected value calls
one of these in its own transaction: `add` (or `add_new`, from what was written) after inserting
cases, `move` for a case whose row changed, `remove` before deleting one, or `track` around an
UPDATE of many; a new screening calls `add_screenings`. They all end in `apply` (or
`apply_screenings`), one upsert per summary row that adds to the stored figures (`INSERT … ON
CONFLICT … DO UPDATE SET case_count = case_count + excluded.case_count`), the same SQL on SQLite
and PostgreSQL: two transactions changing one row are serialised by the row's lock, never a lost
update, and rows are written in key order so that they cannot deadlock; a transaction that
changes several summaries changes them in one order, screenings, then products, then cases (an
import, a re-screen's chunks), so that two cannot deadlock across them. Each of them keeps the
entry summary too (screening.rollup_entries: a case's rows there follow its screening's hits),
so a case's screening is part of what it contributes (CASE_COLUMNS).

The product summary (screening.rollup_products) follows products' current spec and latest
screening: `track_products` around the writes that set them, `moved_products` after one that read
the rows before and after itself, `add_products` after inserting products with them set.

`recompute` sums from scratch; `differences` compares with the tables (the `verify_rollup`
command) and `rebuild` replaces the tables with the recomputation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from operator import itemgetter
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import TruncDate

from screening import rollup_entries as entries
from screening import rollup_products as products
from screening.drafts import DraftCases
from screening.models import (
    Case,
    CaseRollup,
    EntryRollup,
    Product,
    ProductRollup,
    Screening,
    ScreeningRollup,
)
from screening.models.rollup import DIMENSIONS, NOT_DECIDED, SCREENING_DIMENSIONS
from screening.rollup_base import BATCH, ZERO, Figures, combined, negated, opened_on, upsert_figures
from screening.rollup_base import upsert as _upsert

# (created_on, category, automated_outcome, destination_country, state, rules_changed,
#  decided_week)
Key = tuple[dt.date, str, str, str, str, bool, dt.date]
# (created_on, category, destination_country, outcome)
ScreeningKey = tuple[dt.date, str, str, str]
# The fields `key` reads: cases alike in these are in the same summary row.
KEYED = (
    "created_at",
    "category",
    "automated_outcome",
    "destination_country",
    "state",
    "rules_changed",
    "decided_at",
)
# What a case contributes: its key, its expected value (None counts as zero) and its screening
# (whose hits the entry summary counts).
CASE_COLUMNS = (*KEYED, "expected_value_usd", "screening_id")
__all__ = [
    "BATCH",
    "ZERO",
    "Figures",
    "combined",
    "negated",
    "opened_on",
    "add_products",
    "moved_products",
    "product_summary_sql",
    "track_products",
]
add_products = products.add
moved_products = products.moved
track_products = products.track
product_summary_sql = products.summary_sql

Deltas = dict[Key, Figures]
# A case's contribution: its key, its value and its screening (`row`).
Row = tuple[Key, Decimal | float | None, int | None]


def week_of(day: dt.date | None) -> dt.date:
    """The Monday of a day's week (NOT_DECIDED for no day), as the activity chart counts."""
    return NOT_DECIDED if day is None else day - dt.timedelta(days=day.weekday())


def key(values: Mapping[str, Any] | Case) -> Key:
    """The summary row of a case (a Case, or a dict of CASE_COLUMNS)."""

    # Asked once: isinstance against an abstract Mapping, per field of 100,000 cases, was most
    # of an import's counting.
    get: Callable[[str], Any] = (
        values.__getitem__ if isinstance(values, Mapping) else partial(getattr, values)
    )
    decided = get("decided_at")
    return (
        opened_on(get("created_at")),
        get("category"),
        get("automated_outcome"),
        get("destination_country") or "",
        str(get("state")),
        bool(get("rules_changed")),
        week_of(opened_on(decided) if decided is not None else None),
    )


def row(case: Case | Mapping[str, Any]) -> Row:
    """A case's key, value and screening, to pass to `move` later."""
    if isinstance(case, Mapping):
        screening = case["screening_id"] if "screening_id" in case else case.get("screening")
        return key(case), case["expected_value_usd"], screening
    return key(case), case.expected_value_usd, case.screening_id


def deltas_of(rows: Iterable[Row], sign: int = 1) -> Deltas:
    deltas: Deltas = defaultdict(Figures)
    for k, value, _screening in rows:
        deltas[k].add(sign, None if value is None else sign * value)
    return deltas


def apply(deltas: Mapping[Key, Figures]) -> int:
    """Add these differences to the case summary (one upsert per row, in key order). Returns
    how many rows changed. Call it inside the transaction of the write it accounts for."""
    return upsert_figures(CaseRollup, DIMENSIONS, ("case_count", "value_sum_usd"), deltas)


def apply_screenings(counts: Mapping[ScreeningKey, int]) -> int:
    """Add these screening counts to the screening summary (in key order)."""
    ops = connection.ops
    params = [(ops.adapt_datefield_value(k[0]), *k[1:], n) for k, n in sorted(counts.items()) if n]
    return _upsert(ScreeningRollup, SCREENING_DIMENSIONS, ("screening_count",), params)


def grouped(cases: QuerySet[Case]) -> Deltas:
    """The summary rows of these cases, summed by the database."""
    rows = (
        cases.order_by()
        .annotate(created_on=TruncDate("created_at"), decided_on=TruncDate("decided_at"))
        .values(*DIMENSIONS[:-1], "decided_on")
        .annotate(n=Count("pk"), value=Sum("expected_value_usd"))
    )
    deltas: Deltas = defaultdict(Figures)
    for r in rows:
        k = (
            r["created_on"],
            r["category"],
            r["automated_outcome"],
            r["destination_country"] or "",
            r["state"],
            bool(r["rules_changed"]),
            week_of(r["decided_on"]),
        )
        deltas[k].add(r["n"], r["value"])
    return deltas


def grouped_screenings(
    screenings: QuerySet[Screening], made_at: dt.datetime | None = None
) -> dict[ScreeningKey, int]:
    """The summary rows of these screenings; `made_at` when they were all made at that moment
    (a batch), which spares the database a local date per row."""
    fields = {
        "category": F("spec__category"),
        "destination_country": F("spec__destination_country"),
    }
    if made_at is None:
        screenings = screenings.annotate(created_on=TruncDate("created_at"))
    rows = (
        screenings.order_by()
        .values(*(["created_on"] if made_at is None else []), **fields, kind=F("outcome"))
        .annotate(n=Count("pk"))
    )
    day = opened_on(made_at) if made_at is not None else None
    counts: dict[ScreeningKey, int] = defaultdict(int)
    for r in rows:
        made = r["created_on"] if day is None else day
        counts[(made, r["category"], r["destination_country"] or "", r["kind"])] += r["n"]
    return counts


def add(cases: QuerySet[Case]) -> int:
    """Count cases just inserted (by a bulk insert)."""
    return apply(grouped(cases)) + entries.apply(entries.grouped(cases))


def add_new(
    cases: Iterable[Case | Mapping[str, Any]],
    hits: Mapping[int, list[tuple[str, str, str, str]]] | None = None,
) -> int:
    """Count cases just inserted, from what was written (instances, or their fields by name:
    `screening.drafts.DraftCases.fields()`), without reading them back; their screenings' hits
    (for the entry summary) are read unless given (`rollup_entries.hits_in`)."""
    rows = list(map(row, cases))
    return apply(deltas_of(rows)) + entries.apply(entries.changes(after=rows, hits=hits))


@dataclass(frozen=True)
class Counted:
    """Differences to the case and entry summaries, computed before they are added (`add`)."""

    cases: Deltas
    entries: entries.EntryDeltas

    def add(self) -> int:
        return apply(self.cases) + entries.apply(self.entries)


def count_drafts(drafts: DraftCases, hits: Sequence[Sequence[entries.Hit]]) -> Counted:
    """What draft cases just inserted add, as add_new counts them, `hits` each one's
    screening's hits (in the order of drafts.rows), a group of alike cases at a time: cases
    alike in every field `key` reads and in their hits share their rows in both summaries (an
    import's 100,000 draft cases fall in a few hundred groups). Reads nothing: the import
    counts them while its writes go on, and adds them (Counted.add) after the others."""
    alike = itemgetter(*[j for j, name in enumerate(drafts.columns) if name in KEYED])
    at_value = drafts.columns.index("expected_value_usd")
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, (row, found) in enumerate(zip(drafts.rows, hits, strict=True)):
        group = groups.setdefault((alike(row), tuple(found)), [i, 0, 0])
        group[1] += 1
        group[2] += entries.cents(row[at_value])
    deltas: Deltas = defaultdict(Figures)
    parts = []
    for (_alike, found), (i, n, value) in groups.items():
        k = key(drafts.fields_of(i))
        deltas[k].add(n, Decimal(value).scaleb(-2))
        parts.append((k[:5], n, value, found))
    return Counted(deltas, entries.summed(parts))


def add_screenings(screenings: QuerySet[Screening], made_at: dt.datetime | None = None) -> int:
    """Count screenings just inserted (all made at `made_at`, when given)."""
    return apply_screenings(grouped_screenings(screenings, made_at))


def add_written_screenings(made_at: dt.datetime, written: Iterable[tuple[str, str, str]]) -> int:
    """Count screenings just inserted, all made at `made_at`, from what was written (each its
    spec's category and destination and its outcome), without reading them back."""
    day = opened_on(made_at)
    counts: dict[ScreeningKey, int] = defaultdict(int)
    for category, destination, outcome in written:
        counts[(day, category, destination or "", outcome)] += 1
    return apply_screenings(counts)


def remove(cases: QuerySet[Case]) -> int:
    """Uncount cases about to be deleted (as stored, whatever an instance in memory says)."""
    return apply(negated(grouped(cases))) + entries.apply(negated(entries.grouped(cases)))


def move(before: Row, after: Row) -> int:
    """A case's row changed (its state, outcome, destination, value, flag, decision or
    screening)."""
    if before == after:
        return 0
    return apply(combined(deltas_of([before], -1), deltas_of([after]))) + entries.apply(
        entries.changes([before], [after])
    )


def moved(before: Iterable[Mapping[str, Any]], after: Iterable[Mapping[str, Any]]) -> int:
    """Many cases changed: `before` and `after` are their CASE_COLUMNS dicts."""
    old, new = list(map(row, before)), list(map(row, after))
    return apply(combined(deltas_of(old, -1), deltas_of(new))) + entries.apply(
        entries.changes(old, new)
    )


@contextmanager
def track(cases: QuerySet[Case]) -> Iterator[None]:
    """Around an UPDATE of these cases (selected by something the update does not change,
    such as their primary keys): their rows before, their rows after, the difference."""
    with transaction.atomic():
        ids = list(cases.select_for_update().order_by("pk").values_list("pk", flat=True))

        def now() -> tuple[Deltas, entries.EntryDeltas]:
            total: Deltas = {}
            hits: entries.EntryDeltas = {}
            for start in range(0, len(ids), BATCH):
                some = Case.objects.filter(pk__in=ids[start : start + BATCH])
                total = combined(total, grouped(some))
                hits = combined(hits, entries.grouped(some))
            return total, hits

        before, hits_before = now()
        yield
        after, hits_after = now()
        apply(combined(negated(before), after))
        entries.apply(combined(negated(hits_before), hits_after))


# --- from scratch ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    cases: dict[Key, Figures]
    screenings: dict[ScreeningKey, int]
    entries: entries.EntryDeltas
    products: products.ProductDeltas


def recompute() -> Summary:
    """Every case and screening summed again, rows with some only."""
    cases = {k: f for k, f in grouped(Case.objects.all()).items() if f.cases}
    screenings = {k: n for k, n in grouped_screenings(Screening.objects.all()).items() if n}
    return Summary(cases, screenings, entries.recompute(), products.recompute())


def stored() -> Summary:
    """The summaries as stored, rows with some only."""
    cases: dict[Key, Figures] = {}
    rows = CaseRollup.objects.exclude(case_count=0).values(
        *DIMENSIONS, "case_count", "value_sum_usd"
    )
    for r in rows:
        k: Key = tuple(r[d] for d in DIMENSIONS)
        cases[k] = Figures(r["case_count"], r["value_sum_usd"] or ZERO)
    screenings = {
        tuple(r[d] for d in SCREENING_DIMENSIONS): r["screening_count"]
        for r in ScreeningRollup.objects.exclude(screening_count=0).values(
            *SCREENING_DIMENSIONS, "screening_count"
        )
    }
    return Summary(cases, screenings, entries.stored(), products.stored())


@dataclass(frozen=True)
class Difference:
    key: tuple
    stored: Figures | int | None
    recomputed: Figures | int | None
    summary: str = "cases"  # which: cases, screenings, entries

    def __str__(self) -> str:
        def say(f: Figures | int | None) -> str:
            if isinstance(f, Figures):
                counted = "products" if self.summary == "products" else "cases"
                return f"{f.cases} {counted}, {f.value_usd:.2f} USD"
            return "none" if f is None else f"{f} screenings"

        return (
            f"{self.summary}: {' / '.join(str(part) for part in self.key)}: "
            f"stored {say(self.stored)}, "
            f"recomputed {say(self.recomputed)}"
        )


def _same(a: Figures | int, b: Figures | int) -> bool:
    if isinstance(a, Figures) and isinstance(b, Figures):
        return a.cases == b.cases and abs(a.value_usd - b.value_usd) < Decimal("0.005")
    return a == b


def differences() -> list[Difference]:
    """Where the stored summaries and a recomputation disagree (empty: they agree)."""
    with transaction.atomic():
        expected, actual = recompute(), stored()
    found = []
    pairs: list[tuple[str, Mapping, Mapping]] = [
        ("cases", actual.cases, expected.cases),
        ("screenings", actual.screenings, expected.screenings),
        ("entries", actual.entries, expected.entries),
        ("products", actual.products, expected.products),
    ]
    for name, have, want in pairs:
        for k in sorted(set(have) | set(want)):
            a, e = have.get(k), want.get(k)
            if a is None or e is None or not _same(a, e):
                found.append(Difference(k, a, e, name))
    return found


@transaction.atomic
def rebuild() -> int:
    """Replace the summaries with a recomputation (under a lock on the cases, screenings and
    products on PostgreSQL, so that no write counts itself in between). Returns the number of
    rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Case, Screening, Product):
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
    CaseRollup.objects.all().delete()
    ScreeningRollup.objects.all().delete()
    EntryRollup.objects.all().delete()
    ProductRollup.objects.all().delete()
    summary = recompute()
    return (
        apply(summary.cases)
        + apply_screenings(summary.screenings)
        + entries.apply(summary.entries)
        + products.apply(summary.products)
    )
