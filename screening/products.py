"""Recording product specs and screening them: the domain functions behind the product pages."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone, translation

from rules import audit
from rules.catalogue import Catalogue
from rules.cells import CellIssue
from rules.certainty import Confirmation, assumptions_on
from rules.evaluation import screen_frame
from rules.labels import assumption_sentence
from rules.messages import message_json
from rules.models import RuleSet, StatusConfirmation
from rules.results import ProductResult
from rules.vocabulary import PARAMETERS, derived_column, raw_column
from screening import rollup
from screening.bulk import ANY_BATCH, allocate_ids, id_array, insert_rows, locked_rows
from screening.models import (
    DERIVED_TARGETS,
    TEXT_FIELDS,
    Product,
    Screening,
    ScreeningEntry,
    SpecVersion,
    spec_content_hash,
)

ID_BATCH = 2000  # ids per IN (…) list of a bulk statement


class NoRuleSet(Exception):
    """No published rule set exists, so nothing can be screened."""


def current_rule_set() -> RuleSet:
    rule_set = RuleSet.objects.current()
    if rule_set is None:
        raise NoRuleSet("No published rule set: run `manage.py migrate` to load the catalogue.")
    return rule_set


def default_regimes(catalogue: Catalogue) -> list[str]:
    """The regimes a screening uses unless told otherwise (settings.SCREENING)."""
    wanted = settings.SCREENING["DEFAULT_REGIMES"]
    return [r for r in catalogue.regimes if r in wanted] or list(catalogue.regimes)


def spec_fields(row: pd.Series, warnings: Iterable[CellIssue] = ()) -> dict[str, Any]:
    """SpecVersion field values from one parsed spec row: spec_columns for a frame of one, so
    a spec entered in the form is stored exactly as the same row of a spreadsheet."""
    columns = spec_columns(pd.DataFrame([row]), {0: list(warnings)}, np.array([0]))
    return {name: values[0] for name, values in columns.items()}


def spec_columns(
    specs: pd.DataFrame, warnings: dict[int, list[CellIssue]], rows: np.ndarray
) -> dict[str, list[Any]]:
    """SpecVersion field values for a frame of parsed specs (rules.specs.parse_specs output),
    column by column: imports store 100,000 rows with it. `warnings` by spreadsheet row, `rows`
    the spreadsheet row of each frame row."""
    columns: dict[str, list[Any]] = {}
    for name in TEXT_FIELDS:
        columns[name] = specs[name].astype(object).where(specs[name].notna(), "").tolist()
    for name in ("annual_export_value_usd", *PARAMETERS):
        values = specs[name].to_numpy(dtype=float)
        column = values.astype(object)
        column[np.isnan(values)] = None
        columns[name] = column.tolist()
    n = len(specs)
    raw: list[dict[str, str]] = [{} for _ in range(n)]
    for name in PARAMETERS:
        texts = specs[raw_column(name)].to_numpy(dtype=object)
        present = np.flatnonzero(pd.notna(texts))
        for i, text in zip(present.tolist(), texts[present].tolist(), strict=True):
            raw[i][name] = text
    derived: list[list[str]] = [[] for _ in range(n)]
    for target in DERIVED_TARGETS:
        for i in np.flatnonzero(specs[derived_column(target)].to_numpy(dtype=bool)).tolist():
            derived[i].append(target)
    columns["derived_parameters"] = [",".join(names) for names in derived]
    warned = {
        row: [{"column": w.column, **message_json(w.message)} for w in issues]
        for row, issues in warnings.items()
    }
    none: list[dict[str, str]] = []  # shared by the rows without warnings; only serialised
    columns["provenance"] = [
        {"raw": raw[i], "derived": derived[i], "warnings": warned.get(row, none)}
        for i, row in enumerate(rows.tolist())
    ]
    return columns


@transaction.atomic
def record_spec(
    *,
    sku: str,
    revision: str,
    fields: Mapping[str, Any],
    user: User | None,
    source: str = SpecVersion.Source.FORM,
) -> tuple[SpecVersion, bool]:
    """Record a spec for the product (sku, revision); (version, whether it is new).

    An unchanged spec returns the current version. A changed one becomes a new version: spec
    versions are never edited in place, so screenings and cases keep what they were based on.
    """
    product, _ = Product.objects.select_for_update(no_key=True).get_or_create(
        sku=sku, revision=revision, defaults={"created_by": user}
    )
    values = {"sku": sku, "revision": revision, **fields}
    content_hash = spec_content_hash(values)
    current = product.current_spec
    if current is not None and current.content_hash == content_hash:
        return current, False
    number = (product.specs.aggregate(n=Max("number"))["n"] or 0) + 1
    spec = SpecVersion.objects.create(
        product=product,
        number=number,
        content_hash=content_hash,
        created_by=user,
        source=source,
        **fields,
    )
    product.current_spec = spec
    with rollup.track_products([product.pk]):
        product.save(update_fields=["current_spec"])
    audit.record(
        "product.spec",
        actor=user,
        obj=spec,
        before={"version": current.number, "content_hash": current.content_hash}
        if current
        else None,
        after={"version": number, "content_hash": content_hash, **fields},
    )
    return spec, True


def confirmations(until: dt.datetime | None = None) -> list[Confirmation]:
    """The status confirmations a screening made at `until` (None: now) takes into account:
    they decide which measure statuses it reports as assumptions (rules.certainty)."""
    return StatusConfirmation.objects.as_confirmations(until=until)


def evaluate_spec(
    spec: SpecVersion,
    catalogue: Catalogue,
    as_of: dt.date,
    *,
    at: dt.datetime | None = None,
) -> ProductResult:
    """The full result for a spec version; `at` is when the screening was made (for a stored
    one), so the statuses it reported as assumptions are reported again."""
    return _explain_row(spec.spec_row(), catalogue, as_of, confirmations(at))


def _explain_row(
    row: Mapping[str, Any], catalogue: Catalogue, as_of: dt.date, recorded: Iterable[Any]
) -> ProductResult:
    frame = pd.DataFrame([row])
    return screen_frame(frame, catalogue, as_of, confirmations=list(recorded)).explain(0)


@transaction.atomic
def screen_spec(
    *,
    spec: SpecVersion,
    as_of: dt.date,
    user: User | None,
    rule_set: RuleSet | None = None,
    regimes: Iterable[str] | None = None,
) -> Screening:
    """Screen a spec version as of a date with the current (or given) rule set and record it."""
    if rule_set is None:
        rule_set = RuleSet.objects.held_current() or current_rule_set()
    catalogue = rule_set.catalogue()
    chosen = list(regimes) if regimes is not None else default_regimes(catalogue)
    result = evaluate_spec(spec, catalogue.for_regimes(chosen), as_of)
    # The product's writers one at a time from here (its row locked), and what it holds now:
    # a spec saved since the caller read this one stays current, with its own screening.
    current = current_specs_locked([spec.product_id]).get(spec.product_id)
    screening = Screening.objects.create(
        product=spec.product,
        spec=spec,
        rule_set=rule_set,
        rule_set_version=rule_set.version,
        rule_set_hash=rule_set.content_hash,
        regimes=chosen,
        as_of=as_of,
        outcome=result.outcome,
        result=result.to_contract(),
        created_by=user,
    )
    ScreeningEntry.objects.bulk_create(hits_of(screening, result))
    rollup.add_screenings(Screening.objects.filter(pk=screening.pk), screening.created_at)
    if current == spec.pk:  # a product's latest screening is always one of its current spec
        with rollup.track_products([spec.product_id]):
            Product.objects.filter(pk=spec.product_id).update(latest_screening=screening)
    audit.record(
        "product.screen",
        actor=user,
        obj=screening,
        after={
            "outcome": result.outcome,
            "as_of": as_of,
            "rule_set": rule_set.version,
            "rule_set_hash": rule_set.content_hash,
            "spec": spec.pk,
        },
    )
    return screening


def hits_of(screening: Screening, result: ProductResult) -> list[ScreeningEntry]:
    return [
        ScreeningEntry(
            screening=screening,
            key=e.entry.key,
            measure=e.entry.measure,
            code=e.entry.code,
            result=e.result,
            in_force=e.in_force,
        )
        for e in result.entries
    ]


def assumed_statuses(screening: Screening) -> list[dict[str, str]]:
    """The statuses a screening's entries rest on that are assumptions now (not confirmed by
    a rules administrator since their window ended): [{"measure", "message", "message_zh"}],
    in English and Chinese words that state facts. Recorded with a decision, in both languages
    as they read that day."""
    catalogue = screening.rule_set.catalogue()
    measures = set(screening.hits.values_list("measure", flat=True))
    found = assumptions_on(catalogue, screening.as_of, confirmations())
    assumed = []
    for key, assumption in found.items():
        if key in measures:
            with translation.override("zh-hans"):
                chinese = assumption_sentence(assumption, catalogue)
            assumed.append(
                {"measure": key, "message": assumption.sentence(catalogue), "message_zh": chinese}
            )
    return assumed


def explain(screening: Screening, *, memo: bool = True) -> ProductResult:
    """The full explanation of a stored screening, recomputed from its stored inputs.

    The spec version and the published rule set are immutable, so this reproduces the stored
    result exactly (verify_decisions checks that it does, with `memo=False`).

    The result is a pure function of the spec's row, the rule set's snapshot, the regimes, the
    as-of date and the confirmations recorded before the screening, so the last EXPLAINED_KEEP
    of them are kept per process, keyed by all of those: the case page is reloaded after every
    action on it, and recomputing costs more than the rest of the page.
    """
    rule_set = screening.rule_set
    spec = screening.spec
    at = screening.created_at
    if not memo or rule_set.snapshot is None:
        catalogue = rule_set.catalogue().for_regimes(screening.regimes)
        return evaluate_spec(spec, catalogue, screening.as_of, at=at)
    recorded = tuple(confirmations(at))
    row = spec.spec_row()
    key = (
        json.dumps(row, sort_keys=True, default=str),
        rule_set.pk,
        rule_set.content_hash,
        tuple(screening.regimes),
        screening.as_of,
        recorded,
    )
    with _EXPLAINED_LOCK:
        known = _EXPLAINED.get(key)
        if known is not None:
            _EXPLAINED.move_to_end(key)
            return known
    catalogue = rule_set.catalogue().for_regimes(screening.regimes)
    result = _explain_row(row, catalogue, screening.as_of, recorded)
    with _EXPLAINED_LOCK:
        _EXPLAINED[key] = result
        while len(_EXPLAINED) > EXPLAINED_KEEP:
            _EXPLAINED.popitem(last=False)
    return result


EXPLAINED_KEEP = 256  # results kept per process by explain (a few MB)
_EXPLAINED: OrderedDict[tuple[Any, ...], ProductResult] = OrderedDict()
_EXPLAINED_LOCK = threading.Lock()


def insert_screenings(
    rows: list[tuple[int, int, dict[str, Any]]],
    *,
    rule_set: RuleSet,
    regimes: list[str],
    as_of: dt.date,
    user_id: int | None,
    ids: list[int] | None = None,
    at: dt.datetime | None = None,
    counted: bool = True,
) -> dict[int, int]:
    """Store many screenings at once: (product id, spec id, contract result) per row, with the
    entries each found; `ids`: their keys when the caller drew them (bulk.allocate_ids), `at`:
    their time (now unless given). They are added to the screening summary, unless `counted`
    is False (the caller counts what it wrote: rollup.add_written_screenings). Returns spec id →
    screening id. For imports and re-screens; one product at a time goes through screen_spec."""
    if not rows:
        return {}
    stamp = at or timezone.now()  # identifies this batch for the screening summary
    if ids is None:
        ids = allocate_ids(Screening, len(rows))
    insert_rows(
        Screening,
        ("id", "product", "spec", "outcome", "result"),
        (
            (pk, product_id, spec_id, contract["outcome"], contract)
            for pk, (product_id, spec_id, contract) in zip(ids, rows, strict=True)
        ),
        constants={
            "rule_set": rule_set.pk,
            "rule_set_version": rule_set.version,
            "rule_set_hash": rule_set.content_hash,
            "regimes": regimes,
            "as_of": as_of,
            "created_at": stamp,
            "created_by": user_id,
        },
    )
    if counted:  # the batch's own time stamp finds its rows through the created_at index
        rollup.add_screenings(Screening.objects.filter(created_at=stamp, rule_set=rule_set), stamp)
    insert_rows(
        ScreeningEntry,
        ("screening", "key", "measure", "code", "result", "in_force"),
        (
            (
                pk,
                e["key"],
                e["measure"],
                e["code"],
                e["result"],
                e["measure_status"] == "in_force",
            )
            for pk, (_, _spec_id, contract) in zip(ids, rows, strict=True)
            for e in contract["entries"]
        ),
    )
    return {spec_id: pk for pk, (_, spec_id, _contract) in zip(ids, rows, strict=True)}


def current_specs_locked(product_ids: Iterable[int]) -> dict[int, int | None]:
    """Each product's current spec id as it is now, with the product's row locked until the
    transaction ends (bulk.locked_rows): whoever writes a product's spec versions or
    screenings takes this lock before reading what is current and before drawing keys, so a
    product's writers go one at a time and its newest rows are the last committed."""
    return dict(locked_rows(Product, product_ids, ("id", "current_spec_id")))


def point_products_at_latest(product_ids: list[int]) -> None:
    """Make each product's current spec its newest and its latest screening the newest of that
    spec (never a screening of an older version, such as a re-screen writes for a case): per
    batch, the newest ids by grouped queries, then the products updated by primary key
    (PostgreSQL: one statement a batch, _point_in_postgres). Each batch keeps the dashboard's
    product summary (screening.rollup_products) in step. The caller holds the products' locks
    (current_specs_locked) from before it drew the keys of the rows it wrote for them."""
    ids = sorted(set(product_ids))
    if connection.vendor == "postgresql":
        _point_in_postgres(ids)
        return
    spec_table = SpecVersion._meta.db_table
    screening_table = Screening._meta.db_table
    newest = "SELECT {key}, MAX(id) FROM {table} WHERE {key} IN ({marks}) GROUP BY {key}"
    update = (
        f"UPDATE {Product._meta.db_table} SET current_spec_id = %s, "  # noqa: S608
        "latest_screening_id = %s WHERE id = %s"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(ids), ID_BATCH):
            chunk = ids[start : start + ID_BATCH]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(newest.format(key="product_id", table=spec_table, marks=marks), chunk)
            specs = dict(cursor.fetchall())
            of_spec = sorted(specs.values())
            cursor.execute(
                newest.format(
                    key="spec_id", table=screening_table, marks=", ".join(["%s"] * len(of_spec))
                ),
                of_spec,
            )
            newest_of_spec = dict(cursor.fetchall())
            with rollup.track_products(chunk):  # the dashboard's product summary
                cursor.executemany(
                    update,
                    [(specs.get(pk), newest_of_spec.get(specs.get(pk)), pk) for pk in chunk],
                )


def point_products_at(links: dict[int, tuple[int, int]]) -> None:
    """Point new products at the spec version and screening `links` gives each, their newest,
    which the caller has just written (an import on SQLite, whose products go in before them).
    The caller counts them in the product summary (rollup.add_products: it wrote the rows)."""
    update = (
        f"UPDATE {Product._meta.db_table} SET current_spec_id = %s, "  # noqa: S608
        "latest_screening_id = %s WHERE id = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            update, [(spec, screening, pk) for pk, (spec, screening) in sorted(links.items())]
        )


def point_products_at_screenings(links: dict[int, int]) -> None:
    """Point each product at the screening `links` gives it, one the caller has just written
    for the product's current spec (so that spec's newest) while holding the product's lock
    from before it drew the key (current_specs_locked): a re-screen's. The product summary
    follows; on PostgreSQL one statement a batch updates the products and reads their summary
    rows before and after (no grouped subqueries, no second lock, nothing read again)."""
    table = Product._meta.db_table
    if connection.vendor != "postgresql":
        update = f"UPDATE {table} SET latest_screening_id = %s WHERE id = %s"  # noqa: S608
        with rollup.track_products(links), connection.cursor() as cursor:
            cursor.executemany(update, [(s, p) for p, s in sorted(links.items())])
        return
    # The range of ids (a batch's first and last) lets the planner, which cannot see into the
    # arrays, read the products by their key: joined to the arrays alone it hashed the whole
    # table, twice a batch (0.87 s against 0.22 s for 15,000 of a million products).
    sql = (
        "WITH v AS (SELECT * FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, s)), "  # noqa: S608
        f"b AS (SELECT p.id, p.current_spec_id, p.latest_screening_id FROM {table} p "
        "JOIN v ON v.id = p.id WHERE p.id BETWEEN %s AND %s), "
        f"u AS (UPDATE {table} p SET latest_screening_id = v.s FROM v WHERE p.id = v.id "
        "AND p.id BETWEEN %s AND %s RETURNING p.current_spec_id, p.latest_screening_id) "
        f"SELECT -1, t.* FROM ({rollup.product_summary_sql('b p')}) t "
        f"UNION ALL SELECT 1, t.* FROM ({rollup.product_summary_sql('u p')}) t"
    )
    pairs = sorted(links.items())
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), ANY_BATCH):
            batch = pairs[start : start + ANY_BATCH]
            span = [batch[0][0], batch[-1][0]]
            arrays = [id_array([p for p, _ in batch]), id_array([s for _, s in batch])]
            cursor.execute(sql, [*arrays, *span, *span])
            rows = cursor.fetchall()
            rollup.moved_products(
                [r[1:] for r in rows if r[0] < 0], [r[1:] for r in rows if r[0] > 0]
            )


def _point_in_postgres(ids: list[int]) -> None:
    """point_products_at_latest on PostgreSQL: one statement per batch that finds each
    product's newest spec and screening, updates it and reads the products' summary rows after
    it (UPDATE … RETURNING, grouped). The ids go as one array literal: psycopg would dump a list
    of 20,000 numbers (or parse 20,000 placeholders) in Python.

    The newest spec is a subquery per product on its product index (and the newest screening
    one on the spec index of that spec's screenings), `MAX(id + 0)` so that
    PostgreSQL cannot answer it by walking the primary key backwards past every newer row
    (minutes for an import's 100,000 products). Joined to grouped subqueries instead, the
    planner misjudged the rows and hashed whole tables of a million rows for every batch:
    1.1 s a batch, a third of a re-screen of 1.2 million products."""
    spec_table, screening_table = SpecVersion._meta.db_table, Screening._meta.db_table
    newest_spec = f"(SELECT MAX(s.id + 0) FROM {spec_table} s WHERE s.product_id = p.id)"  # noqa: S608
    sql = (
        f"WITH u AS (UPDATE {Product._meta.db_table} p "  # noqa: S608 -- our identifiers
        f"SET current_spec_id = {newest_spec}, "
        f"latest_screening_id = (SELECT MAX(n.id + 0) FROM {screening_table} n "
        f"WHERE n.spec_id = {newest_spec}) "
        "WHERE p.id = ANY(%s::bigint[]) RETURNING p.current_spec_id, p.latest_screening_id) "
        + rollup.product_summary_sql("u p")
    )
    with connection.cursor() as cursor:
        for start in range(0, len(ids), ANY_BATCH):
            batch = ids[start : start + ANY_BATCH]
            with rollup.track_products(batch) as tracked:  # the dashboard's product summary
                cursor.execute(sql, [id_array(batch)])
                tracked.after_rows(cursor.fetchall())
