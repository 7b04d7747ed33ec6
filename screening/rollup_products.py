"""The product summary (screening.models.ProductRollup): screened products and their annual
export value per category and destination of their current spec and outcome of their latest
screening, what the dashboard's products section counts.

A product's row changes only where its current spec or latest screening is set: `track` around
those writes (screening.products: a new spec, a screening, pointing products at their newest)
reads the products' rows before and after and adds the difference, in the same transaction and
with the same upsert as the other summaries (screening.rollup_base).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Count, F, QuerySet, Sum

from screening.models import Product, ProductRollup, Screening, SpecVersion
from screening.models.rollup import PRODUCT_DIMENSIONS
from screening.rollup_base import BATCH, ZERO, Figures, combined, negated, upsert_figures

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
    )
    deltas: ProductDeltas = defaultdict(Figures)
    for r in rows:
        deltas[(r["cat"] or "", r["destination"] or "", r["kind"])].add(r["n"], r["value"])
    return deltas


def of_ids(ids: list[int]) -> ProductDeltas:
    """`grouped` for these products, one plain statement per BATCH ids (an import points 100,000
    products at their newest: the ORM's building of IN lists cost more than the query)."""
    quote = connection.ops.quote_name
    product, spec, screening = (quote(m._meta.db_table) for m in (Product, SpecVersion, Screening))
    select = (
        "SELECT v.category, v.destination_country, s.outcome, COUNT(*), "  # noqa: S608
        f"SUM(v.annual_export_value_usd) FROM {product} p "
        f"INNER JOIN {screening} s ON s.id = p.latest_screening_id "
        f"LEFT JOIN {spec} v ON v.id = p.current_spec_id WHERE p.id IN "
    )
    deltas: ProductDeltas = defaultdict(Figures)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"{select}({marks}) GROUP BY 1, 2, 3", chunk)
            for category, destination, outcome, n, value in cursor.fetchall():
                deltas[(category or "", destination or "", outcome)].add(n, value)
    return deltas


def apply(deltas: Mapping[ProductKey, Figures]) -> int:
    """Add these differences to the product summary (one upsert per row, in key order)."""
    return upsert_figures(
        ProductRollup, PRODUCT_DIMENSIONS, ("product_count", "value_sum_usd"), deltas
    )


@contextmanager
def track(product_ids: Iterable[int]) -> Iterator[None]:
    """Around a write that sets these products' current spec or latest screening."""
    ids = sorted(set(product_ids))
    with transaction.atomic():
        if connection.features.has_select_for_update:
            # Their rows locked first (in key order), so that a concurrent write waits and its
            # difference is not counted twice (SQLite serialises writers anyway).
            for start in range(0, len(ids), BATCH):
                chunk = Product.objects.filter(pk__in=ids[start : start + BATCH])
                list(chunk.select_for_update().order_by("pk").values_list("pk", flat=True))
        before = of_ids(ids)
        yield
        apply(combined(negated(before), of_ids(ids)))


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
