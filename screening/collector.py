"""The cyclic garbage collector paused for one bulk operation. Plain Python (no Django), so
that the party matcher (trade.matching) pauses it with the same count as imports and
re-screens."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_gc_lock = threading.Lock()
_gc_pauses = 0  # bulk operations running in this process with the cyclic collector paused
_gc_resume = False  # whether the collector was on when the first of them paused it


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one bulk operation (an import, a re-screen).

    Such an operation holds millions of live objects (100,000 screening results of nested
    dicts), and every full collection the interpreter starts while they live walks all of them:
    on an import of 100,000 rows that was a fifth of its time, spent finding no garbage.
    Reference counting still frees everything that is not in a cycle; cycles made meanwhile
    wait for the first collection after the last pause ends. Nested and
    concurrent pauses (threads of one server) count: the collector resumes when the last one
    ends, and only if it was on when the first began."""
    global _gc_pauses, _gc_resume
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_resume = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_resume:
                gc.enable()
