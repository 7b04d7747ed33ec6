"""Keeping the case summary (screening.models.CaseRollup) equal to the cases it sums.

Every write that adds, removes or changes a case's dimensions (DIMENSIONS: day opened,
category, automated outcome, destination, state, re-review flag) or its expected value calls
one of these in its own transaction: `add` after inserting cases, `move` for a case whose row
changed, `remove` before deleting one, or `track` around an UPDATE of many. They all end in
`apply`, one upsert per summary row that adds to the stored figures (`INSERT … ON CONFLICT …
DO UPDATE SET case_count = case_count + excluded.case_count`), the same SQL on SQLite and
PostgreSQL: two transactions changing one row are serialised by the row's lock, never a
lost update, and rows are written in key order so that they cannot deadlock.

`recompute` sums the cases from scratch; `differences` compares it with the table (the
`verify_rollup` command) and `rebuild` replaces the table with it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from screening.models import Case, CaseRollup
from screening.models.rollup import DIMENSIONS

# (created_on, category, automated_outcome, destination_country, state, rules_changed)
Key = tuple[dt.date, str, str, str, str, bool]
ZERO = Decimal("0.00")
BATCH = 2000
# What a case contributes: its key and its expected value (None counts as zero).
CASE_COLUMNS = (
    "created_at",
    "category",
    "automated_outcome",
    "destination_country",
    "state",
    "rules_changed",
    "expected_value_usd",
)


@dataclass
class Figures:
    cases: int = 0
    value_usd: Decimal = ZERO

    def add(self, cases: int, value: Decimal | float | None) -> None:
        self.cases += cases
        if value:
            self.value_usd += value if isinstance(value, Decimal) else Decimal(str(value))


Deltas = dict[Key, Figures]


def opened_on(moment: dt.datetime) -> dt.date:
    """The local day of a case's creation: the day the dashboard's date filters count."""
    return timezone.localtime(moment).date()


def key(values: Mapping[str, Any] | Case) -> Key:
    """The summary row of a case (a Case, or a dict of CASE_COLUMNS)."""

    def get(name: str) -> Any:
        return values[name] if isinstance(values, Mapping) else getattr(values, name)

    return (
        opened_on(get("created_at")),
        get("category"),
        get("automated_outcome"),
        get("destination_country") or "",
        str(get("state")),
        bool(get("rules_changed")),
    )


def row(case: Case | Mapping[str, Any]) -> tuple[Key, Decimal | None]:
    """A case's key and value, to pass to `move` later."""
    value = case["expected_value_usd"] if isinstance(case, Mapping) else case.expected_value_usd
    return key(case), value


def deltas_of(rows: Iterable[tuple[Key, Decimal | float | None]], sign: int = 1) -> Deltas:
    deltas: Deltas = defaultdict(Figures)
    for k, value in rows:
        deltas[k].add(sign, None if value is None else sign * value)
    return deltas


def combined(*parts: Mapping[Key, Figures]) -> Deltas:
    total: Deltas = defaultdict(Figures)
    for part in parts:
        for k, figures in part.items():
            total[k].add(figures.cases, figures.value_usd)
    return total


def apply(deltas: Mapping[Key, Figures]) -> int:
    """Add these differences to the summary (one upsert per row, in key order). Returns how
    many rows changed. Call it inside the transaction of the write it accounts for."""
    changes = [(k, f) for k, f in sorted(deltas.items()) if f.cases or f.value_usd]
    if not changes:
        return 0
    ops = connection.ops
    table = ops.quote_name(CaseRollup._meta.db_table)
    dims = ", ".join(ops.quote_name(d) for d in DIMENSIONS)
    marks = ", ".join(["%s"] * (len(DIMENSIONS) + 2))
    add_up = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in ("case_count", "value_sum_usd"))
    sql = (
        f"INSERT INTO {table} ({dims}, case_count, value_sum_usd) "  # noqa: S608 -- our identifiers
        f"VALUES ({marks}) ON CONFLICT ({dims}) DO UPDATE SET {add_up}"
    )
    params = [
        (
            ops.adapt_datefield_value(k[0]),
            *k[1:],
            f.cases,
            ops.adapt_decimalfield_value(f.value_usd, 24, 2),
        )
        for k, f in changes
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(params), BATCH):
            cursor.executemany(sql, params[start : start + BATCH])
    return len(changes)


def grouped(cases: QuerySet[Case]) -> Deltas:
    """The summary rows of these cases, summed by the database."""
    rows = (
        cases.order_by()
        .annotate(created_on=TruncDate("created_at"))
        .values(*DIMENSIONS)
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
        )
        deltas[k].add(r["n"], r["value"])
    return deltas


def add(cases: QuerySet[Case]) -> int:
    """Count cases just inserted (by a bulk insert)."""
    return apply(grouped(cases))


def negated(deltas: Mapping[Key, Figures]) -> Deltas:
    return {k: Figures(-f.cases, -f.value_usd) for k, f in deltas.items()}


def remove(cases: QuerySet[Case]) -> int:
    """Uncount cases about to be deleted (as stored, whatever an instance in memory says)."""
    return apply(negated(grouped(cases)))


def move(before: tuple[Key, Decimal | None], after: tuple[Key, Decimal | None]) -> int:
    """A case's row changed (its state, outcome, destination, value or flag)."""
    if before == after:
        return 0
    return apply(combined(deltas_of([before], -1), deltas_of([after])))


def moved(before: Iterable[Mapping[str, Any]], after: Iterable[Mapping[str, Any]]) -> int:
    """Many cases changed: `before` and `after` are their CASE_COLUMNS dicts."""
    return apply(combined(deltas_of(map(row, before), -1), deltas_of(map(row, after))))


@contextmanager
def track(cases: QuerySet[Case]) -> Iterator[None]:
    """Around an UPDATE of these cases (selected by something the update does not change,
    such as their primary keys): their rows before, their rows after, the difference."""
    with transaction.atomic():
        ids = list(cases.select_for_update().order_by("pk").values_list("pk", flat=True))
        before: Deltas = {}
        for start in range(0, len(ids), BATCH):
            before = combined(
                before, grouped(Case.objects.filter(pk__in=ids[start : start + BATCH]))
            )
        yield
        after: Deltas = {}
        for start in range(0, len(ids), BATCH):
            after = combined(after, grouped(Case.objects.filter(pk__in=ids[start : start + BATCH])))
        apply(combined(negated(before), after))


# --- from scratch ----------------------------------------------------------------------------


def recompute() -> dict[Key, Figures]:
    """Every case summed again, rows with cases only."""
    return {k: f for k, f in grouped(Case.objects.all()).items() if f.cases}


def stored() -> dict[Key, Figures]:
    """The summary as stored, rows with cases only."""
    result: dict[Key, Figures] = {}
    rows = CaseRollup.objects.exclude(case_count=0).values(
        *DIMENSIONS, "case_count", "value_sum_usd"
    )
    for r in rows:
        k: Key = tuple(r[d] for d in DIMENSIONS)
        result[k] = Figures(r["case_count"], r["value_sum_usd"] or ZERO)
    return result


@dataclass(frozen=True)
class Difference:
    key: Key
    stored: Figures | None
    recomputed: Figures | None

    def __str__(self) -> str:
        def say(f: Figures | None) -> str:
            return "none" if f is None else f"{f.cases} cases, {f.value_usd:.2f} USD"

        return (
            f"{' / '.join(str(part) for part in self.key)}: stored {say(self.stored)}, "
            f"recomputed {say(self.recomputed)}"
        )


def _same(a: Figures, b: Figures) -> bool:
    return a.cases == b.cases and abs(a.value_usd - b.value_usd) < Decimal("0.005")


def differences() -> list[Difference]:
    """Where the stored summary and a recomputation disagree (empty: they agree)."""
    with transaction.atomic():
        expected, actual = recompute(), stored()
    found = []
    for k in sorted(set(expected) | set(actual)):
        a, e = actual.get(k), expected.get(k)
        if a is None or e is None or not _same(a, e):
            found.append(Difference(k, a, e))
    return found


@transaction.atomic
def rebuild() -> int:
    """Replace the summary with a recomputation (under a lock on the cases on PostgreSQL, so
    that no write counts itself in between). Returns the number of rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {connection.ops.quote_name(Case._meta.db_table)} IN SHARE MODE"
            )
    CaseRollup.objects.all().delete()
    return apply(recompute())
