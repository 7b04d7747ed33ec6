"""screening.bulk.insert_rows: the fast INSERT path imports and re-screens use."""

from __future__ import annotations

import datetime as dt
import gc
import threading
from decimal import Decimal

import pytest
from django.db import connection

from screening.bulk import _sql_literal, id_ranges, insert_rows, sqlite_page_cache
from screening.collector import paused_gc
from screening.models import Case, CaseEvent, Product


def test_rows_constants_and_defaults_land_as_the_orm_reads_them(case_in, analyst):
    case = case_in("draft")
    at = dt.datetime(2026, 11, 25, 8, 30, 15, 123456, tzinfo=dt.UTC)
    count = insert_rows(
        CaseEvent,
        ("case", "message"),
        [(case.pk, "first"), (case.pk, "second <b>")],
        constants={
            "kind": CaseEvent.Kind.COMMENT,
            "actor": analyst.pk,
            "at": at,
            "data": {"upload": 7, "rows": [1, 2]},
        },
    )
    assert count == 2
    events = list(CaseEvent.objects.filter(case=case, at=at).order_by("pk"))
    assert [(e.message, e.kind, e.actor_id, e.at, e.data) for e in events] == [
        ("first", "comment", analyst.pk, at, {"upload": 7, "rows": [1, 2]}),
        ("second <b>", "comment", analyst.pk, at, {"upload": 7, "rows": [1, 2]}),
    ]


def test_a_field_without_value_or_default_is_refused_before_anything_is_written(db):
    with pytest.raises(ValueError, match="Product needs values for created_at"):
        insert_rows(Product, ("sku", "revision"), [("A-1", "")])
    assert not Product.objects.exists()


def product(sku: str) -> Product:
    return Product.objects.create(sku=sku)


def test_allocated_keys_are_new_and_the_next_insert_goes_past_them(db):
    from django.db import transaction

    from screening.bulk import allocate_ids

    first, highest = product("A-1").pk, product("A-2").pk
    # A deleted key is never given out again (SQLite's AUTOINCREMENT, PostgreSQL's sequence).
    Product.objects.filter(pk=highest).delete()
    with transaction.atomic():
        ids = allocate_ids(Product, 3)
        assert len(ids) == 3
        assert ids == sorted(set(ids))
        assert min(ids) > highest
        insert_rows(
            Product,
            ("id", "sku", "created_at"),
            [(pk, f"B-{pk}", dt.datetime(2026, 11, 27, tzinfo=dt.UTC)) for pk in ids],
        )
    after = product("C-1")
    assert after.pk > max(ids)
    assert Product.objects.filter(pk__in=ids).count() == 3
    assert first < highest < min(ids)


def test_keys_are_allocated_only_inside_the_transaction_that_inserts(audit_flushable):
    from screening.bulk import allocate_ids

    with pytest.raises(RuntimeError, match="transaction"):
        allocate_ids(Product, 1)


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_is_paused_for_the_operation_and_resumes_after_it(collector_on):
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), paused_gc():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_nested_and_overlapping_pauses_resume_only_when_the_last_ends(collector_on):
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = []

    def other_thread():
        first_in.wait()
        with paused_gc():
            second_in.set()
            first_out.wait()
            seen.append(gc.isenabled())  # the first pause ended, this one has not

    thread = threading.Thread(target=other_thread)
    thread.start()
    with paused_gc():
        with paused_gc():
            pass
        assert not gc.isenabled()  # the inner pause ended, the outer has not
        first_in.set()
        second_in.wait()
    first_out.set()
    thread.join()
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_on):
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()


def _cache_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite page cache")
def test_a_bulk_write_gets_a_page_cache_for_its_rows_and_the_connection_its_own_after(db, settings):
    settings.SQLITE_BULK_CACHE_MB = 200
    before = _cache_size()
    assert before == -131072  # config.settings: 128 MB
    with sqlite_page_cache(100):  # 300 KiB: less than the connection has, so not shrunk
        assert _cache_size() == before
    with sqlite_page_cache(50_000):
        assert _cache_size() == -150_000  # 3 KiB a row
    assert _cache_size() == before
    seen = []

    def failing_import() -> None:
        with sqlite_page_cache(1_000_000):
            seen.append(_cache_size())
            raise RuntimeError("the import failed")

    with pytest.raises(RuntimeError):
        failing_import()
    assert seen == [-200 * 1024]  # capped by the setting
    assert _cache_size() == before


def test_ids_are_written_as_runs_of_consecutive_keys():
    assert id_ranges([]) == []
    assert id_ranges(range(1, 100_001)) == [[1, 100_000]]
    assert id_ranges([7, 3, 4, 5, 9, 10, 4]) == [[3, 5], [7, 7], [9, 10]]


def test_fixed_values_with_quotes_and_percent_signs_land_as_written(case_in, analyst):
    # On SQLite the fixed values are written into the statement: quoted, with % doubled for
    # Django's cursor. Whatever they hold, they land as the driver would have bound them.
    case = case_in("draft")
    at = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
    message = "It's 100% done: %s %% ?; '); DROP TABLE screening_case; --"
    data = {"note": "a 'quoted' %s and %%", "n": 1.5, "none": None}
    insert_rows(
        CaseEvent,
        ("case", "message_code"),
        [(case.pk, "first %s"), (case.pk, "second")],
        constants={"kind": CaseEvent.Kind.COMMENT, "actor": analyst.pk, "at": at,
                   "message": message, "data": data},
    )  # fmt: skip
    events = list(CaseEvent.objects.filter(case=case, at=at).order_by("pk"))
    assert [(e.message, e.data, e.message_code) for e in events] == [
        (message, data, "first %s"),
        (message, data, "second"),
    ]
    assert Case.objects.filter(pk=case.pk).exists()  # the table is still there


@pytest.mark.parametrize("value", [b"bytes", float("nan"), float("inf"), "nul\x00", object()])
def test_a_fixed_value_without_a_safe_literal_is_refused(value):
    with pytest.raises(TypeError):
        _sql_literal(value)


@pytest.mark.parametrize(
    ("value", "literal"),
    [(None, "NULL"), (True, "1"), (False, "0"), (7, "7"), (1.5, "1.5"),
     (Decimal("12.50"), "'12.50'"), ("O'Neil 5%", "'O''Neil 5%%'")],
)  # fmt: skip
def test_fixed_values_are_written_as_sqlite_reads_them(value, literal):
    assert _sql_literal(value) == literal
