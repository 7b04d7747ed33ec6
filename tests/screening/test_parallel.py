"""screening.parallel: independent transactions of bulk work (a re-screen's chunks) on several
connections at once on PostgreSQL, in the caller's thread otherwise; and the re-screen run that
way writes what it writes one chunk after the other."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from screening import parallel, portfolio, rollup
from screening.models import CaseEvent, Product, Screening
from tests.screening.test_rule_changes import publish_3a001_at_250, rescreen

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes one writer at a time: its parts run in the caller's thread (tested "
    "here on both databases); make test-postgres runs this",
)


def backend_pid() -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def where_it_ran(part: int) -> tuple[int, str, int | None]:
    return part, threading.current_thread().name, backend_pid()


def test_inside_a_transaction_parts_run_in_the_callers_thread_one_after_the_other(db, settings):
    """Other connections could not see the caller's uncommitted writes (nor the test's)."""
    settings.BULK_WORKERS = 4
    assert connection.in_atomic_block
    assert parallel.workers() == 1
    here = threading.current_thread().name
    assert list(parallel.each(range(5), where_it_ran)) == [
        (part, here, backend_pid()) for part in range(5)
    ]


def test_one_worker_runs_parts_in_order_and_reads_them_as_it_goes(db, settings):
    settings.BULK_WORKERS = 1
    read = []

    def parts():
        for part in range(3):
            read.append(part)
            yield part

    results = parallel.each(parts(), lambda part: (part, list(read)))
    assert list(results) == [(0, [0]), (1, [0, 1]), (2, [0, 1, 2])]


@postgresql_only
def test_on_postgresql_parts_run_on_connections_of_their_own_and_close_them(
    audit_flushable, settings
):
    settings.BULK_WORKERS = 2
    assert parallel.workers() == 2
    mine = backend_pid()
    seen = list(parallel.each(range(6), where_it_ran))
    assert sorted(part for part, _, _ in seen) == list(range(6))
    assert {name.startswith("bulk") for _, name, _ in seen} == {True}
    assert mine not in {pid for _, _, pid in seen}
    # Every part's connection is closed after it. A server process ends a moment after its
    # client hangs up (under load, later than this query may come): waited for, up to 10 s.
    deadline = time.monotonic() + 10
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid = ANY(%s)",
                [[pid for _, _, pid in seen]],
            )
            alive = cursor.fetchone()[0]
        if alive == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert alive == 0


@postgresql_only
def test_on_postgresql_a_failing_part_is_raised_and_the_others_keep_what_they_committed(
    audit_flushable, settings, case_in
):
    settings.BULK_WORKERS = 2
    case = case_in("draft")
    before = CaseEvent.objects.filter(case=case).count()

    def comment(part: int) -> int:
        with transaction.atomic():
            CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.COMMENT, message=str(part))
            if part == 3:
                raise ValueError("part 3 failed")
        return part

    with pytest.raises(ValueError, match="part 3 failed"):
        list(parallel.each(range(4), comment))
    messages = set(
        CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.COMMENT).values_list(
            "message", flat=True
        )
    )
    assert "3" not in messages  # its transaction rolled back
    assert {"0", "1"} <= messages  # run before it, committed
    assert CaseEvent.objects.filter(case=case).count() == before + len(messages)


@postgresql_only
def test_a_rescreen_on_two_connections_writes_what_it_writes_on_one(
    audit_flushable, settings, monkeypatch, rule_set, rules_admin, rules_admin2, case_in, reviewer
):
    """Chunks of two products, so that six changed products are written by three transactions
    at once, two at a time; the summaries stay equal to the tables."""
    settings.BULK_WORKERS = 2
    monkeypatch.setattr(portfolio, "CHUNK", 2)
    for _ in range(6):
        case_in("submitted", energy="280")
    case_in("submitted", energy="200")
    threads = set()
    point = parallel._on_own_connection

    def spy(work, part):
        threads.add(threading.current_thread().name)
        return point(work, part)

    monkeypatch.setattr(parallel, "_on_own_connection", spy)
    published = publish_3a001_at_250(rule_set, rules_admin, rules_admin2)
    run = rescreen(rule_set, published, reviewer)

    assert len(threads) == 2
    products = Product.objects.filter(current_spec__isnull=False).count()
    assert (run.summary["products"], run.summary["changed"]) == (products, 6)
    assert run.summary["product_screenings"] == 6
    new = Screening.objects.filter(rule_set=published)
    assert new.count() == 6
    for product in Product.objects.filter(latest_screening__rule_set=published):
        assert product.latest_screening.spec_id == product.current_spec_id
        assert product.latest_screening.outcome == "licence_required"
    assert Product.objects.filter(latest_screening__rule_set=published).count() == 6
    assert rollup.differences() == []
