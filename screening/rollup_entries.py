"""The entry summary (screening.models.EntryRollup): cases and their expected value per day
opened, category, automated outcome, destination, state and entry hit, kept by screening.rollup
beside the case summary (every call there carries it), so that no caller names it.

A case's contribution is its first five summary dimensions, its value and its screening: the
screening's hits (ScreeningEntry, written with the screening and never changed) multiply it,
one row per hit. Differences are added up per (dimensions, screening) first, so a change that
leaves these alone (a re-review flag, a decision's week) reads no hits at all.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import TruncDate

from screening.models import Case, EntryRollup, ScreeningEntry
from screening.models.rollup import ENTRY_CASE_DIMENSIONS, ENTRY_DIMENSIONS, HIT_DIMENSIONS
from screening.rollup_base import BATCH, ZERO, Figures, upsert_figures

# (created_on, category, automated_outcome, destination_country, state)
CaseDims = tuple[dt.date, str, str, str, str]
Hit = tuple[str, str, str, str]  # HIT_DIMENSIONS of one of a screening's entries
# CaseDims + (key, measure, code, result)
EntryKey = tuple[dt.date, str, str, str, str, str, str, str, str]
EntryDeltas = dict[EntryKey, Figures]
# What a case contributes: its full case summary key (CaseDims first), value, screening id.
Contribution = tuple[tuple, Decimal | float | None, int | None]


# (case dimensions, screening) → [cases, value in cents]: exact integers, so that adding them up
# needs no Decimal per case (converting each was most of counting an import's cases).
Parts = dict[tuple[CaseDims, int], list[int]]


def cents(value: Decimal | float | None) -> int:
    """A value in whole cents (a case's value is stored to the cent)."""
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return int((value * 100).to_integral_value())
    return round(value * 100)


def by_screening(rows: Iterable[Contribution], sign: int, parts: Parts) -> Parts:
    for k, value, screening in rows:
        if screening is not None:
            slot = parts.setdefault((k[:5], screening), [0, 0])
            slot[0] += sign
            if value:
                slot[1] += sign * cents(value)
    return parts


# Ids per range read when the screenings are mostly consecutive (an import's or the benchmark's
# batch): one range of the screening index instead of IN lists of BATCH ids.
RANGE = 20_000


def hits_of(screenings: Iterable[int]) -> dict[int, list[tuple[str, str, str, str]]]:
    """Each screening's hits (key, measure, code, result): by ranges of ids when they are
    mostly consecutive (the screenings of one import), otherwise by IN lists of BATCH ids."""
    ids = sorted(set(screenings))
    found: dict[int, list[tuple[str, str, str, str]]] = defaultdict(list)
    if not ids:
        return found
    quote = connection.ops.quote_name
    select = (
        f"SELECT {quote('screening_id')}, {', '.join(quote(d) for d in HIT_DIMENSIONS)} "  # noqa: S608
        f"FROM {quote(ScreeningEntry._meta.db_table)} WHERE "
    )
    with connection.cursor() as cursor:
        if ids[-1] - ids[0] < 2 * len(ids):
            wanted = set(ids)
            for low in range(ids[0], ids[-1] + 1, RANGE):
                cursor.execute(
                    f"{select}{quote('screening_id')} >= %s AND {quote('screening_id')} < %s",
                    [low, low + RANGE],
                )
                for screening, key, measure, code, result in cursor.fetchall():
                    if screening in wanted:
                        found[screening].append((key, measure, code, result))
            return found
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"{select}{quote('screening_id')} IN ({marks})", chunk)
            for screening, key, measure, code, result in cursor.fetchall():
                found[screening].append((key, measure, code, result))
    return found


def hits_in(contract: Mapping[str, Any]) -> list[Hit]:
    """A screening's hits as hits_of reads them, from the contract result it was stored with
    (one ScreeningEntry per entry, screening.products.insert_screenings)."""
    return [tuple(e[d] for d in HIT_DIMENSIONS) for e in contract["entries"]]


def changes(
    before: Iterable[Contribution] = (),
    after: Iterable[Contribution] = (),
    hits: Mapping[int, list[tuple[str, str, str, str]]] | None = None,
) -> EntryDeltas:
    """The entry summary's differences when cases contributed `before` and now `after` (values
    to the cent, as the summary keeps them). `hits`: the screenings' hits when the caller has
    them (an import, which just wrote them), else they are read."""
    parts = by_screening(after, 1, by_screening(before, -1, {}))
    parts = {k: slot for k, slot in parts.items() if slot[0] or slot[1]}
    if not parts:
        return {}
    if hits is None:
        hits = hits_of(screening for _dims, screening in parts)
    return summed(
        (dims, n, value, hits.get(screening, ())) for (dims, screening), (n, value) in parts.items()
    )


def summed(parts: Iterable[tuple[CaseDims, int, int, Iterable[Hit]]]) -> EntryDeltas:
    """The entry summary's rows of cases given as (case dimensions, how many, their value in
    cents, their screening's hits): each case counts once under each hit."""
    total: dict[EntryKey, list[int]] = {}
    for dims, n, value, hits in parts:
        for hit in hits:
            slot = total.setdefault((*dims, *hit), [0, 0])
            slot[0] += n
            slot[1] += value
    return {k: Figures(n, Decimal(value).scaleb(-2)) for k, (n, value) in total.items()}


def grouped(cases: QuerySet[Case]) -> EntryDeltas:
    """The entry summary rows of these cases, summed by the database."""
    rows = (
        cases.order_by()
        .annotate(created_on=TruncDate("created_at"))
        .values(
            *ENTRY_CASE_DIMENSIONS,
            **{name: F(f"screening__hits__{name}") for name in HIT_DIMENSIONS},
        )
        .annotate(n=Count("pk"), value=Sum("expected_value_usd"))
    )
    deltas: EntryDeltas = defaultdict(Figures)
    for r in rows:
        if r["key"] is None:  # a case whose screening hit nothing (the outer join's row)
            continue
        k = tuple(r[d] for d in ENTRY_DIMENSIONS)
        k = (*k[:3], k[3] or "", *k[4:])
        deltas[k].add(r["n"], r["value"])
    return deltas


def apply(deltas: Mapping[EntryKey, Figures]) -> int:
    """Add these differences to the entry summary (one upsert per row, in key order)."""
    return upsert_figures(EntryRollup, ENTRY_DIMENSIONS, ("case_count", "value_sum_usd"), deltas)


def stored() -> EntryDeltas:
    """The entry summary as stored, rows with some only."""
    found: EntryDeltas = {}
    rows = EntryRollup.objects.exclude(case_count=0).values(
        *ENTRY_DIMENSIONS, "case_count", "value_sum_usd"
    )
    for r in rows:
        k = tuple(r[d] for d in ENTRY_DIMENSIONS)
        found[k] = Figures(r["case_count"], r["value_sum_usd"] or ZERO)
    return found


def recompute() -> EntryDeltas:
    return {k: f for k, f in grouped(Case.objects.all()).items() if f.cases}
