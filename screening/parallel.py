"""Bulk work whose parts are independent transactions, spread over several database connections
(PostgreSQL). A re-screen writes a chunk of the portfolio per transaction; most of a chunk's
time is the database's (the products' locks and updates, COPY of the new screenings, the
foreign-key checks at COMMIT), so one connection keeps one server process busy and leaves the
machine's other cores idle. Each part here runs in a thread of its own with its own connection
(Django's connections are per thread), opened for the part and closed after it.

Parts must be transactions of their own that need nothing uncommitted of the caller's: the work
runs in the caller's thread, one part after the other, when the caller holds a transaction
(its writes would be invisible to other connections; the test suite's transactions), on SQLite
(one writer at a time), or with one worker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

from django.conf import settings
from django.db import connection, connections

Part = TypeVar("Part")
Result = TypeVar("Result")


def workers() -> int:
    """How many connections bulk work may use at once here (setting BULK_WORKERS)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    return max(1, int(settings.BULK_WORKERS))


def each(parts: Iterable[Part], work: Callable[[Part], Result]) -> Iterator[Result]:
    """`work` of every part, each result as soon as it is done (in order with one worker). At
    most one part per worker is in flight: `parts` is read as the workers free up, so a
    generator of chunks keeps memory bounded. An exception in a part is raised here once the
    parts in flight have ended (each rolled back or committed on its own)."""
    count = workers()
    if count == 1:
        for part in parts:
            yield work(part)
        return
    with ThreadPoolExecutor(max_workers=count, thread_name_prefix="bulk") as pool:
        running: set[Future[Result]] = set()
        for part in parts:
            if len(running) == count:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                yield from (future.result() for future in done)
            running.add(pool.submit(_on_own_connection, work, part))
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            yield from (future.result() for future in done)


def _on_own_connection(work: Callable[[Part], Result], part: Part) -> Result:
    try:
        return work(part)
    finally:
        connections.close_all()  # this thread's: the next part opens its own
