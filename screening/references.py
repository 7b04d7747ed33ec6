"""Foreign keys of a bulk write checked before COMMIT, and on PostgreSQL by set, not by row.

PostgreSQL checks a foreign key with a query per row written (about 4 µs each; an import of
100,000 products makes 1.66 million of them, 6.75 s of its server's time). Deferred, the checks
all wait for COMMIT; `check_references` runs those due so far on the second thread of
`screening.behind` while this one prepares the next rows.

Inside `references_by_set` (where the database role may set session_replication_role), each
COPY that `screening.bulk.insert_rows` hands to that thread runs with the parameter at
"replica", which queues no per-row check, and insert_rows collects the keys it wrote into
every foreign-key column instead. `check_references` (and the end of the block) then looks
those keys up, one query per table pointed at, and locks each row it finds FOR KEY SHARE, as
the per-row check does: a row pointed at cannot be deleted, nor its key changed, before the
rows pointing at it commit. A key that is not there raises IntegrityError, naming the columns
and keys, and the transaction rolls back. Keys of rows that the block's own COPYs wrote are
not looked up (an import of 100,000 rows points at 400,000 of its own: 9.3 s -> 7.1 s on
PostgreSQL): the COPY that wrote them succeeded, no other transaction sees them before COMMIT, so
none can delete them, and a DELETE in this one fires its checks as always. Only the COPY runs
so: every other statement (the updates of the same import among them) fires its triggers as
always, and the append-only audit's triggers fire even at "replica" (ENABLE ALWAYS, rules
migration 0017).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection, models

from screening import behind
from screening.bulk import ANY_BATCH, id_array


class ReferencesBySet:
    """The keys that COPYs wrote into foreign-key columns, by the table and column they point
    at, until check_references looks them up."""

    def __init__(self) -> None:
        self._keys: dict[tuple[str, str], set[Any]] = {}
        self._from: dict[tuple[str, str], set[str]] = {}
        # Primary keys the block's COPYs wrote, by table and column: never looked up.
        self._written: dict[tuple[str, str], set[Any]] = {}

    def wrote(self, model: type[models.Model], keys: Iterable[Any]) -> None:
        """Primary keys of rows a COPY of this block wrote into `model`'s table."""
        pk = model._meta.pk
        self._written.setdefault((model._meta.db_table, pk.column), set()).update(keys)

    def add(self, model: type[models.Model], field: models.ForeignKey, keys: Iterable[Any]) -> None:
        """Keys written into `field` of `model`'s table (None, a null reference, is ignored)."""
        target = field.target_field
        pointed = (target.model._meta.db_table, target.column)
        self._keys.setdefault(pointed, set()).update(keys)
        self._from.setdefault(pointed, set()).add(f"{model._meta.db_table}.{field.column}")

    def check_job(self) -> behind.Job:
        """A job for the writing thread checking (and locking) every key collected so far;
        the collection starts again."""
        keys, pointing = self._keys, self._from
        self._keys, self._from = {}, {}
        # The rows written so far, as this thread knows them now: the writing thread reads a
        # copy, never a set this thread goes on adding to.
        written = {pointed: set(found) for pointed, found in self._written.items()}
        quote = connection.ops.quote_name

        def job(raw: Any) -> None:
            from psycopg.errors import ForeignKeyViolation

            with raw.cursor() as cursor:
                for (table, column), wanted in keys.items():
                    wanted.discard(None)
                    wanted -= written.get((table, column), set())
                    ordered = sorted(wanted)  # rows locked in key order, as locked_rows does
                    for start in range(0, len(ordered), ANY_BATCH):
                        batch = ordered[start : start + ANY_BATCH]
                        cursor.execute(
                            f"SELECT {quote(column)} FROM {quote(table)} "  # noqa: S608 -- ours
                            f"WHERE {quote(column)} = ANY(%s::bigint[]) "
                            f"ORDER BY {quote(column)} FOR KEY SHARE",
                            [id_array(batch)],
                        )
                        found = {key for (key,) in cursor.fetchall()}
                        if len(found) != len(batch):
                            missing = sorted(set(batch) - found)
                            raise ForeignKeyViolation(
                                f"{', '.join(sorted(pointing[table, column]))}: "
                                f"{len(missing)} key(s) not in {table}.{column} "
                                f"({', '.join(map(str, missing[:5]))})"
                            )

        return job


def check_references() -> None:
    """PostgreSQL: check the foreign keys of what this transaction wrote so far now instead of
    at COMMIT (inside `behind.written_behind`, on the second thread while this one goes on).
    Every row written so far must point at rows written already. Inside `references_by_set`,
    the keys its COPYs collected; otherwise the deferred per-row checks, and the rest is
    deferred again."""
    if connection.vendor != "postgresql":
        return
    writer = behind.current()
    if writer is not None and writer.references is not None:
        writer.submit(writer.references.check_job())
        return
    statements = ("SET CONSTRAINTS ALL IMMEDIATE", "SET CONSTRAINTS ALL DEFERRED")
    if writer is not None:

        def job(raw: Any) -> None:
            for statement in statements:
                raw.execute(statement)

        writer.submit(job)
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def may_skip_row_checks() -> bool:
    """Whether this connection's role may set session_replication_role (a superuser, or
    PostgreSQL 15's GRANT SET ON PARAMETER session_replication_role TO <role>), and the
    setting BULK_REFERENCES_BY_SET allows it. Asked once per connection."""
    if not settings.BULK_REFERENCES_BY_SET or connection.vendor != "postgresql":
        return False
    connection.ensure_connection()
    raw = connection.connection
    known = getattr(connection, "_may_skip_row_checks", None)  # (DB-API connection, answer)
    if known is None or known[0] is not raw:
        with connection.cursor() as cursor:
            if raw.info.server_version >= 150000:
                cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
            else:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            known = (raw, bool(cursor.fetchone()[0]))
        connection._may_skip_row_checks = known  # type: ignore[attr-defined]
    return known[1]


@contextmanager
def references_by_set() -> Iterator[None]:
    """Inside `behind.written_behind` on PostgreSQL: the foreign keys of the rows insert_rows
    COPYs are checked by set (see the module's docstring). Without the role's right to set the
    parameter, on SQLite, or outside written_behind, the block changes nothing."""
    writer = behind.current()
    if writer is None or writer.references is not None or not may_skip_row_checks():
        yield
        return
    writer.references = ReferencesBySet()
    try:
        yield
        check_references()  # what was written since the last check; written_behind waits
    finally:  # for it, and on any error marks the transaction for rollback
        writer.references = None
