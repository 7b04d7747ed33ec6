"""The product summary (screening.models.ProductRollup): screened products and their annual
export value per category and destination of their current spec and outcome of their latest
screening, what the dashboard's products section counts.

A product's row changes only where its current spec or latest screening is set: `track` around
those writes (screening.products: a new spec, a screening, pointing products at their newest)
reads the products' rows before and after and adds the difference, in the same transaction and
with the same upsert as the other summaries (screening.rollup_base); `add` counts products
inserted with both already set (an import's new products) from what was written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, QuerySet, Sum

from screening.bulk import id_batches, locked_rows
from screening.models import Product, ProductRollup, Screening, SpecVersion
from screening.models.rollup import PRODUCT_DIMENSIONS
from screening.rollup_base import ZERO, Figures, combined, negated, upsert_figures

# (category, destination_country, outcome)
ProductKey = tuple[str, str, str]
ProductDeltas = dict[ProductKey, Figures]


def grouped(products: QuerySet[Product]) -> ProductDeltas:
    """The summary rows of these products (those with a latest screening), summed by the
    database."""
    rows = (
        products.filter(latest_screening__isnull=False)
        .order_by()
        .values(
            cat=F("current_spec__category"),
            destination=F("current_spec__destination_country"),
            kind=F("latest_screening__outcome"),
        )
        .annotate(n=Count("pk"), value=Sum("current_spec__annual_export_value_usd"))
        .values_list("cat", "destination", "kind", "n", "value")
    )
    return _deltas(rows)


def of_ids(ids: list[int]) -> ProductDeltas:
    """`grouped` for these products in plain statements (an import points 100,000 products at
    their newest: the ORM's building of IN lists cost more than the query). PostgreSQL gets
    each batch of ids as one array parameter: 1,000 placeholders cost it more to convert and
    plan than the join cost to run."""
    product = connection.ops.quote_name(Product._meta.db_table)
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for where, params in id_batches("p.id", ids):
            cursor.execute(summary_sql(f"{product} p", f"WHERE {where}"), params)
            rows += cursor.fetchall()
    return _deltas(rows)


def summary_sql(source: str, where: str = "") -> str:
    """The product summary's rows (grouped, as `_deltas` reads them) of the products in
    `source`, a table or a write's RETURNING aliased p (its current_spec_id and
    latest_screening_id): those with a latest screening, by their current spec's category and
    destination and that screening's outcome. `where` filters them."""
    spec, screening = (
        connection.ops.quote_name(m._meta.db_table) for m in (SpecVersion, Screening)
    )
    return (
        "SELECT v.category, v.destination_country, s.outcome, COUNT(*), "  # noqa: S608 -- ours
        f"SUM(v.annual_export_value_usd) FROM {source} "
        f"INNER JOIN {screening} s ON s.id = p.latest_screening_id "
        f"LEFT JOIN {spec} v ON v.id = p.current_spec_id {where} GROUP BY 1, 2, 3"
    )


def _lock(ids: list[int]) -> None:
    """Lock these products' rows (bulk.locked_rows), so that a concurrent write waits and its
    difference is not counted twice (SQLite serialises writers anyway)."""
    if connection.features.has_select_for_update:
        locked_rows(Product, ids, ("id",))


def apply(deltas: Mapping[ProductKey, Figures]) -> int:
    """Add these differences to the product summary (one upsert per row, in key order)."""
    return upsert_figures(
        ProductRollup, PRODUCT_DIMENSIONS, ("product_count", "value_sum_usd"), deltas
    )


class Tracked:
    """What a tracked write may say: the products' summary rows after it (`after_rows`, rows
    of `summary_sql`), when the write read them itself (PostgreSQL's UPDATE … RETURNING)."""

    def __init__(self) -> None:
        self.after: ProductDeltas | None = None

    def after_rows(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self.after = _deltas(rows)


def _deltas(rows: Iterable[tuple[Any, ...]]) -> ProductDeltas:
    deltas: ProductDeltas = defaultdict(Figures)
    for category, destination, outcome, n, value in rows:
        deltas[(category or "", destination or "", outcome)].add(n, value)
    return deltas


def add(written: Iterable[tuple[str, str | None, str, float | None]]) -> int:
    """Count products just inserted with their current spec and latest screening set (an
    import's new products), from what was written, without reading it back: each product's
    current spec's category, destination and annual export value and its latest screening's
    outcome."""
    return apply(_deltas((cat, dest, outcome, 1, value) for cat, dest, outcome, value in written))


def moved(before: Iterable[tuple[Any, ...]], after: Iterable[tuple[Any, ...]]) -> int:
    """Add the difference of a write that read these products' summary rows (`summary_sql`)
    itself, before and after it, with the products locked by its caller."""
    return apply(combined(negated(_deltas(before)), _deltas(after)))


@contextmanager
def track(product_ids: Iterable[int]) -> Iterator[Tracked]:
    """Around a write that sets these products' current spec or latest screening. The write
    may hand back the rows after it (Tracked.after_rows); otherwise they are read again."""
    ids = sorted(set(product_ids))
    with transaction.atomic():
        _lock(ids)
        before = of_ids(ids)
        tracked = Tracked()
        yield tracked
        after = tracked.after if tracked.after is not None else of_ids(ids)
        apply(combined(negated(before), after))


def stored() -> ProductDeltas:
    """The product summary as stored, rows with some only."""
    return {
        (r["category"], r["destination_country"], r["outcome"]): Figures(
            r["product_count"], r["value_sum_usd"] or ZERO
        )
        for r in ProductRollup.objects.exclude(product_count=0).values(
            *PRODUCT_DIMENSIONS, "product_count", "value_sum_usd"
        )
    }


def recompute() -> ProductDeltas:
    return {k: f for k, f in grouped(Product.objects.all()).items() if f.cases}
