"""Fast batched inserts for imports of hundreds of thousands of rows.

Django's bulk_create builds a model instance per row, prepares every value through its field
and, on SQLite, sends at most 999 parameters per statement (33 rows of a wide table): at 100,000
spec versions that is most of an import's time. Here values go straight to `executemany` in
the database's own format; the fields' own converters are used only where the format is not a
plain Python value (JSON, dates and times). Callers pass complete rows; nothing here validates.
"""

from __future__ import annotations

import io
import itertools
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from operator import itemgetter
from typing import Any

import orjson
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.backends.base.operations import BaseDatabaseOperations

from screening import behind

BATCH = 5000
ANY_BATCH = 20_000  # values per array parameter of a bulk statement (PostgreSQL)
BATCH_IDS = 2000  # placeholders per IN (…) list of ids (SQLite)
COPY_CHUNK = 20_000  # rows per COPY handed to the second thread (screening.behind)


# Page cache an import's transaction wants on SQLite, per row written (its six tables grow
# about 2.3 KiB a row; index pages read come on top), and the most it takes (settings).
PAGE_CACHE_PER_ROW_KIB = 3


@contextmanager
def sqlite_page_cache(rows: int) -> Iterator[None]:
    """On SQLite, a page cache big enough for a transaction writing this many rows in bulk
    (up to settings.SQLITE_BULK_CACHE_MB), then the connection's own size again.

    One transaction writes every page it touches. Once those outgrow the cache, SQLite writes
    dirty pages to the WAL before the commit and reads them back when it touches them again:
    100,000 rows imported with 128 MB read 507 MB and wrote in 200,000 calls; with 320 MB,
    226 MB (the checkpoint's own read) in 150,000, and the commit took 5 % less CPU. Only for
    the block, not in settings for every connection: each web worker keeps the default, and
    SQLite gives the pages back when the size shrinks again. PostgreSQL: nothing."""
    if connection.vendor != "sqlite":
        yield
        return
    wanted = min(rows * PAGE_CACHE_PER_ROW_KIB, settings.SQLITE_BULK_CACHE_MB * 1024)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        # Negative sizes are KiB, positive ones pages; only ever grown here.
        grow = before < 0 and wanted > -before
        if grow:
            cursor.execute(f"PRAGMA cache_size = -{int(wanted)}")
    try:
        yield
    finally:
        if grow:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(before)}")


def id_ranges(ids: Iterable[int]) -> list[list[int]]:
    """Ids as runs of consecutive keys, [[first, last], …] (both included), in order: what an
    import created, for its audit event. Its keys are drawn in one block (allocate_ids), so
    100,000 cases are one pair, not 100,000 numbers written, hashed and stored (0.2 s)."""
    runs: list[list[int]] = []
    for pk in sorted(ids):
        if runs and pk <= runs[-1][1] + 1:
            runs[-1][1] = max(runs[-1][1], pk)
        else:
            runs.append([pk, pk])
    return runs


def id_array(ids: Sequence[int]) -> str:
    """Ids as one PostgreSQL array literal ("{1,2,3}") for a `%s::bigint[]` parameter: psycopg
    would adapt a list of 20,000 numbers value by value in Python, and a query with 2,000
    placeholders cost more to convert and plan than to run."""
    return "{" + ",".join(map(str, ids)) + "}"


def id_batches(column: str, ids: Sequence[int]) -> Iterator[tuple[str, list[Any]]]:
    """A condition on `column` for each batch of ids, with its parameters: one array
    parameter per ANY_BATCH ids on PostgreSQL, an IN list of BATCH_IDS placeholders on SQLite."""
    if connection.vendor == "postgresql":
        for start in range(0, len(ids), ANY_BATCH):
            yield f"{column} = ANY(%s::bigint[])", [id_array(ids[start : start + ANY_BATCH])]
        return
    for start in range(0, len(ids), BATCH_IDS):
        chunk = list(ids[start : start + BATCH_IDS])
        yield f"{column} IN ({', '.join(['%s'] * len(chunk))})", chunk


def locked_rows(
    model: type[models.Model], ids: Iterable[int], columns: Sequence[str]
) -> list[tuple[Any, ...]]:
    """`columns` of the rows of `model` with these primary keys, locked until the transaction
    ends: FOR NO KEY UPDATE in key order on PostgreSQL (two lockers never wait for each other
    in a circle, and rows pointing at them can still be inserted); a plain read on SQLite,
    whose transactions here hold the database's write lock from BEGIN (IMMEDIATE)."""
    if not connection.in_atomic_block:
        raise RuntimeError("locked_rows needs the transaction that writes the rows")
    table, key = connection.ops.quote_name(model._meta.db_table), model._meta.pk.column
    lock = " FOR NO KEY UPDATE" if connection.vendor == "postgresql" else ""
    found: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for where, params in id_batches(key, sorted(set(ids))):
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {table} "  # noqa: S608 -- our identifiers
                f"WHERE {where} ORDER BY {key}{lock}",
                params,
            )
            found += cursor.fetchall()
    return found


def allocate_ids(model: type[models.Model], n: int) -> list[int]:
    """`n` primary keys, in ascending order, for rows of `model` this transaction is about to
    insert with insert_rows (an "id" column): rows that point at each other are then written
    with their links set, and nothing is read back to learn the keys.

    PostgreSQL draws them from the table's sequence (safe beside any concurrent insert).
    SQLite has one writer at a time and this application's transactions take the write lock at
    BEGIN (settings: IMMEDIATE), so the keys after the highest ever used are free until this
    transaction ends; inserting them moves the table's AUTOINCREMENT counter past them. On
    SQLite insert rows after the rows they point at: while a deferred reference is unresolved,
    SQLite looks for the children of every row inserted, a scan per row where the referencing
    column has no index (screening.imports.committing)."""
    if n <= 0:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("allocate_ids needs the transaction that inserts the rows")
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence named once, by its oid: named by text, PostgreSQL would look it up
            # for every key (eight times slower).
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, %s)::regclass::oid",
                [connection.ops.quote_name(table), column],
            )
            (sequence,) = cursor.fetchone()
            cursor.execute(
                "SELECT nextval(%s::oid::regclass) FROM generate_series(1, %s)", [sequence, n]
            )
            return sorted(pk for (pk,) in cursor.fetchall())
        if connection.settings_dict["OPTIONS"].get("transaction_mode") != "IMMEDIATE":
            raise RuntimeError("allocate_ids on SQLite needs IMMEDIATE transactions (settings)")
        quote = connection.ops.quote_name
        cursor.execute(
            "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608
            f"COALESCE((SELECT MAX({quote(column)}) FROM {quote(table)}), 0))",
            [table],
        )
        (highest,) = cursor.fetchone()
    return list(range(highest + 1, highest + 1 + n))


def _memo(adapt: Any) -> Any:
    """Imports stamp every row with the same time: convert each distinct value once."""
    cache: dict[Any, Any] = {}

    def adapted(value: Any) -> Any:
        if value not in cache:
            cache[value] = adapt(value)
        return cache[value]

    return adapted


def _json_text(value: Any) -> str:
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # a type orjson does not know (Decimal, lazy text): Django's own way
        return json.dumps(value, cls=DjangoJSONEncoder)


def _same_object(convert: Any) -> Any:
    """Rows often share one JSON value (the same regimes list, the same empty list): convert
    each object once. Keyed by identity, and the value is kept so its id stays unique."""
    cache: dict[int, tuple[Any, Any]] = {}

    def converted(value: Any) -> Any:
        hit = cache.get(id(value))
        if hit is None or hit[0] is not value:
            hit = (value, convert(value))
            if len(cache) < 64:
                cache[id(value)] = hit
        return hit[1]

    return converted


def _adapter(field: models.Field) -> Any:
    """A function turning a Python value into what the database driver expects, or None."""
    ops = connection.ops
    if isinstance(field, models.JSONField):
        if field.encoder is None:
            # JSON text written by orjson: about five times faster than json.dumps on 100,000
            # result documents. It is what JSONField stores on SQLite; PostgreSQL's COPY parses
            # the same text into jsonb (the psycopg Jsonb wrapper would call json.dumps).
            convert = _json_text
        else:
            convert = lambda value: field.get_db_prep_save(value, connection)  # noqa: E731
        return _same_object(convert)
    if isinstance(field, models.DateTimeField):
        return _memo(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return _memo(ops.adapt_datefield_value)
    if isinstance(field, models.DecimalField):
        if type(ops).adapt_decimalfield_value is BaseDatabaseOperations.adapt_decimalfield_value:
            return None  # the driver takes Decimal as it is (no backend here overrides this)
        return lambda value: ops.adapt_decimalfield_value(
            value, field.max_digits, field.decimal_places
        )
    return None


def _column(model: type[models.Model], name: str) -> models.Field:
    """The field behind a column of the table (never a reverse relation)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    constants: dict[str, Any] | None = None,
) -> int:
    """INSERT rows (tuples in the order of `columns`, given as field names) in batches.

    `constants` are fields with one value for every row (a time stamp, the importing user):
    converted once, not per row. Concrete fields named in neither get their model default, as
    Django would give them; a field without one must be named (otherwise this raises before
    writing anything).
    """
    constants = constants or {}
    fields = [_column(model, name) for name in columns]
    named = {f.name for f in fields} | {model._meta.get_field(n).name for n in constants}
    fixed: list[tuple[models.Field, Any]] = [
        (_column(model, name), value) for name, value in constants.items()
    ]
    missing = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in named:
            continue
        default = field.get_default()  # "" for text fields, as Django saves them
        if default is None and not field.null:
            missing.append(field.name)
        fixed.append((field, default))
    if missing:
        raise ValueError(f"{model.__name__} needs values for {', '.join(missing)}")
    extra = []
    for field, value in fixed:
        adapt = _adapter(field)
        extra.append(adapt(value) if adapt is not None and value is not None else value)
    fields += [field for field, _ in fixed]
    adapters = [(i, a) for i, a in enumerate(_adapter(f) for f in fields[: len(columns)]) if a]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column or f.name) for f in fields)
    if connection.vendor == "postgresql":
        values = _adapted(rows, extra, adapters)
        if writer := behind.current():
            # Prepared here a chunk at a time, each written by the second thread as soon as it
            # is ready (the writer starts early; a table's text is never all in memory).
            pending = writer.references  # keys checked by set (screening.references), or None
            keyed = [
                (i, field)
                for i, field in enumerate(fields)
                if isinstance(field, models.ForeignKey) and getattr(field, "db_constraint", True)
            ]
            if any(not isinstance(f.target_field, models.IntegerField) for _, f in keyed):
                pending = None  # keys looked up as integers only: PostgreSQL checks these rows
            if pending is not None:
                for i, field in keyed:
                    if i >= len(columns):  # a fixed value's key, once
                        pending.add(model, field, [extra[i - len(columns)]])
                keyed = [(i, field) for i, field in keyed if i < len(columns)]
                own = [i for i, field in enumerate(fields[: len(columns)]) if field.primary_key]
            statement = f"COPY {table} ({names}) FROM STDIN"
            count = 0
            while chunk := list(itertools.islice(values, COPY_CHUNK)):
                if pending is not None:
                    for i, field in keyed:
                        pending.add(model, field, map(itemgetter(i), chunk))
                    for i in own:
                        pending.wrote(model, map(itemgetter(i), chunk))
                data, n = _copy_text(chunk)
                writer.submit(_copy_job(statement, data, by_set=pending is not None))
                count += n
            return count
        return _copy(table, names, values)
    # SQLite: the fixed values are written into the statement, once, not bound again for every
    # row (a draft case has twenty of its thirty columns fixed: 100,000 cases, 2 million binds).
    marks = ", ".join(["%s"] * len(columns) + [_sql_literal(value) for value in extra])
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 -- ours, quoted
    values = _adapted(rows, [], adapters)
    count = 0
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(values, BATCH)):  # itertools.batched is 3.12+
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _sql_literal(value: Any) -> str:
    """A fixed value, as the driver would have bound it, written as an SQLite literal: NULL,
    an integer (True 1, False 0), a finite float, or text quoted ('' inside) with % doubled,
    which Django's SQLite cursor turns back into one when it converts its %s marks. Anything
    else (bytes, an object without an adapter here) is refused rather than guessed at."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    if isinstance(value, str | Decimal) and "\x00" not in str(value):  # NUL ends C strings
        return "'" + str(value).replace("'", "''").replace("%", "%%") + "'"
    raise TypeError(f"no SQL literal for {value!r}")


def _adapted(
    rows: Iterable[Sequence[Any]], extra: list[Any], adapters: list[tuple[int, Any]]
) -> Iterator[Sequence[Any]]:
    """Each row with the fixed values appended and its values in the driver's format."""
    fixed = tuple(extra)
    if not adapters:  # plain values: one tuple per row, no per-value work
        for row in rows:
            yield (*row, *fixed)
        return
    for row in rows:
        values = [*row, *fixed]
        for i, adapt in adapters:
            value = values[i]
            if value is not None:
                values[i] = adapt(value)
        yield values


def _copy(table: str, names: str, values: Iterable[Sequence[Any]]) -> int:
    """PostgreSQL: COPY … FROM STDIN (psycopg's copy), several times faster than executemany,
    which costs PostgreSQL one statement per row."""
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
                count += 1
    return count


def _copy_text(values: Iterable[Sequence[Any]]) -> tuple[bytes, int]:
    """The rows in COPY's text format and their number, made without the server (psycopg's
    Copy with a FileWriter, through a cursor of its own that sends nothing)."""
    from psycopg import Copy
    from psycopg.copy import FileWriter

    buffer = io.BytesIO()
    count = 0
    with Copy(connection.connection.cursor(), binary=False, writer=FileWriter(buffer)) as copy:
        for row in values:
            copy.write_row(row)
            count += 1
    return buffer.getvalue(), count


def _copy_job(statement: str, data: bytes, *, by_set: bool = False) -> behind.Job:
    def job(raw: Any) -> None:
        with raw.cursor() as cursor:
            if by_set:  # no per-row reference checks queued (references_by_set)
                cursor.execute("SET LOCAL session_replication_role = replica")
            with cursor.copy(statement) as copy:
                copy.write(data)
            if by_set:  # only for the COPY: every other statement fires its triggers
                cursor.execute("SET LOCAL session_replication_role TO DEFAULT")

    return job
