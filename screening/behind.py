"""Bulk writes of one transaction done on a second thread while this one prepares the next.

An import spends about as long waiting for the database (PostgreSQL's COPY and its foreign-key
checks, SQLite's steps) as it spends in Python building and encoding rows; done one after the
other, the times add up. Inside `written_behind()`, `screening.bulk.insert_rows` prepares its
rows here (adapted, and on PostgreSQL already in COPY's text format) and hands them to a second
thread, which writes them, in the order given, on this transaction's own connection, while
this thread goes on to the next table. The two overlap on two cores, or across the network.
PostgreSQL only: SQLite runs in this process and gives Python's lock back and takes it again
for every row it inserts, so a second thread inserting while this one computes waits for the
lock at each row (an import of 100,000 rows wrote its products four times slower); there the
block does nothing and insert_rows writes at once, as outside it.

Nothing changes for anything that reads or writes otherwise: every other statement of this
thread on the connection first waits until the writes handed over before it are done (an
execute wrapper), so it sees them, and the connection is never used by both threads at once.
A failed write is raised in this thread at its next statement, hand-over or the end of the
block, as Django's own database error; the writes after it are skipped, and the transaction
rolls back as it would have. When the block ends with an error, writes not yet started are
dropped and the one under way is waited for before the error goes on to roll back (the
transaction is marked for rollback, so that it cannot commit without them).

On PostgreSQL this thread formats the rows for COPY offline (psycopg's `Copy` with a
`FileWriter`, as psycopg documents) through a cursor of its own; that reads the connection's
status and client encoding, which neither COPY nor SET CONSTRAINTS ever changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from queue import SimpleQueue
from typing import Any

from django.db import connection, transaction

Job = Callable[[Any], None]  # called with the DB-API connection

_local = threading.local()


class Behind:
    """The second thread: runs jobs in order on the transaction's DB-API connection."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self._jobs: SimpleQueue[Job | None] = SimpleQueue()
        self._changed = threading.Condition()
        self._pending = 0
        self._error: BaseException | None = None
        self._dropped = False
        # While screening.references.references_by_set runs: its ReferencesBySet, which
        # collects the foreign keys the COPYs write (typed loosely: that module imports this).
        self.references: Any = None
        self._thread = threading.Thread(target=self._run, name="written-behind", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                if self._error is None and not self._dropped:
                    job(self.raw)
            except BaseException as exc:  # noqa: BLE001 -- raised in the caller's thread
                self._error = exc
            finally:
                job = None  # its rows, not kept while the queue waits for the next
                with self._changed:
                    self._pending -= 1
                    self._changed.notify_all()

    def submit(self, job: Job) -> None:
        """Hand a write over (after raising the error of an earlier one, if any)."""
        self._raise_error()
        with self._changed:
            self._pending += 1
        self._jobs.put(job)

    def wait(self) -> None:
        """Until every write handed over is done; raise the error of one that failed."""
        with self._changed:
            self._changed.wait_for(lambda: self._pending == 0)
        self._raise_error()

    def _raise_error(self) -> None:
        if self._error is not None:
            with connection.wrap_database_errors:  # psycopg's or sqlite3's error as Django's
                raise self._error

    def close(self) -> None:
        """Drop the writes not started, wait for the one under way, end the thread."""
        self._dropped = True
        self._jobs.put(None)
        self._thread.join()


def current() -> Behind | None:
    """The second thread of the `written_behind` block this thread is in, if any."""
    return getattr(_local, "behind", None)


@contextmanager
def written_behind() -> Iterator[Behind | None]:
    """Within this block (inside the transaction that writes), `screening.bulk.insert_rows`
    writes on a second thread while this one goes on; see the module's docstring."""
    if not connection.in_atomic_block:
        raise RuntimeError("written_behind needs the transaction of its writes")
    if current() is not None or connection.vendor != "postgresql":
        yield current()  # nested: the outer block's thread writes; SQLite: nothing behind
        return
    connection.ensure_connection()
    behind = Behind(connection.connection)
    _local.behind = behind

    def after_the_writes(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        behind.wait()
        return execute(sql, params, many, context)

    try:
        with connection.execute_wrapper(after_the_writes):
            yield behind
            behind.wait()
    except BaseException:
        # Writes failed or are dropped: the transaction must not commit, even if a caller
        # catches this inside it.
        transaction.set_rollback(True)
        raise
    finally:
        _local.behind = None
        behind.close()
