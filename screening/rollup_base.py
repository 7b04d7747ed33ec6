"""What the dashboard's summaries (screening.rollup, rollup_entries, rollup_products) share:
the figures of a summary row, adding differences up, and the upsert that adds them to a table."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TypeVar

from django.db import connection, models, transaction
from django.utils import timezone

ZERO = Decimal("0.00")
BATCH = 2000
K = TypeVar("K", bound=Hashable)


@dataclass
class Figures:
    cases: int = 0
    value_usd: Decimal = ZERO

    def add(self, cases: int, value: Decimal | float | None) -> None:
        self.cases += cases
        if value:
            self.value_usd += value if isinstance(value, Decimal) else Decimal(str(value))


@lru_cache(maxsize=4096)
def opened_on(moment: dt.datetime) -> dt.date:
    """The local day of a moment: the day the dashboard's date filters count. Cached: the cases
    of one import or batch share their moment, and converting it was most of counting them."""
    return timezone.localtime(moment).date()


def combined(*parts: Mapping[K, Figures]) -> dict[K, Figures]:
    total: dict[K, Figures] = defaultdict(Figures)
    for part in parts:
        for k, figures in part.items():
            total[k].add(figures.cases, figures.value_usd)
    return total


def negated(deltas: Mapping[K, Figures]) -> dict[K, Figures]:
    return {k: Figures(-f.cases, -f.value_usd) for k, f in deltas.items()}


def upsert(
    model: type[models.Model], dims: Sequence[str], counters: Sequence[str], params: list
) -> int:
    """One INSERT … ON CONFLICT DO UPDATE per row that adds the counters to the stored ones."""
    if not params:
        return 0
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    names = ", ".join(ops.quote_name(d) for d in dims)
    marks = ", ".join(["%s"] * (len(dims) + len(counters)))
    add_up = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in counters)
    sql = (
        f"INSERT INTO {table} ({names}, {', '.join(counters)}) "  # noqa: S608 -- our identifiers
        f"VALUES ({marks}) ON CONFLICT ({names}) DO UPDATE SET {add_up}"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(params), BATCH):
            cursor.executemany(sql, params[start : start + BATCH])
    return len(params)


def upsert_figures(
    model: type[models.Model],
    dims: Sequence[str],
    counters: tuple[str, str],
    deltas: Mapping[tuple, Figures],
) -> int:
    """Add these differences (a count and a value per key) to a summary: one upsert per row
    that changes, in key order (concurrent writers cannot deadlock). Returns how many rows."""
    ops = connection.ops

    def adapted(value: object) -> object:
        return ops.adapt_datefield_value(value) if isinstance(value, dt.date) else value

    params = [
        (*map(adapted, k), f.cases, ops.adapt_decimalfield_value(f.value_usd, 24, 2))
        for k, f in sorted(deltas.items())
        if f.cases or f.value_usd
    ]
    return upsert(model, dims, counters, params)
