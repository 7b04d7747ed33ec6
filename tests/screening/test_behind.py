"""screening.behind: an import's bulk writes done on a second thread (PostgreSQL), with the
same rows, the same order and the same errors as written at once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.transaction import TransactionManagementError

from screening import behind
from screening.behind import written_behind
from screening.bulk import insert_rows
from screening.models import CaseEvent
from screening.references import check_references

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite writes at once (screening.behind: its steps take Python's lock per row); "
    "test_on_sqlite_the_block_writes_at_once covers it, make test-postgres runs this",
)
AT = dt.datetime(2026, 11, 27, 9, 30, 1, 250000, tzinfo=dt.UTC)
# What COPY's text format must escape: tabs, line ends, backslashes, and \N, its NULL.
AWKWARD = ["tab\there", "line\nend\r\n", "back\\slash \\N", "中文 ✓", "", "'quoted' \"too\""]


def events(case_id: int, user_id: int, texts: list[str]) -> int:
    return insert_rows(
        CaseEvent,
        ("case", "message", "message_params"),
        [(case_id, text, {"text": text, "n": [1, None]}) for text in texts],
        constants={"kind": CaseEvent.Kind.COMMENT, "actor": user_id, "at": AT, "data": {}},
    )


def stored(case_id: int) -> list[tuple]:
    return list(
        CaseEvent.objects.filter(case_id=case_id, at=AT)
        .order_by("pk")
        .values_list("message", "message_params", "kind", "actor_id", "data")
    )


def writers() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "written-behind"]


def test_rows_written_behind_land_as_rows_written_at_once(case_in, analyst):
    at_once, later = case_in("draft"), case_in("draft")
    with transaction.atomic():
        events(at_once.pk, analyst.pk, AWKWARD)
    with transaction.atomic(), written_behind():
        assert events(later.pk, analyst.pk, AWKWARD) == len(AWKWARD)
        seen = stored(later.pk)  # a statement in the block waits for the writes before it
    assert seen == stored(later.pk) == stored(at_once.pk)
    assert [message for message, *_ in seen] == AWKWARD
    assert writers() == []


def test_written_behind_needs_the_transaction_of_its_writes(audit_flushable):
    with pytest.raises(RuntimeError, match="needs the transaction"), written_behind():
        pass


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite case of the block")
def test_on_sqlite_the_block_writes_at_once(case_in, analyst):
    case = case_in("draft")
    with transaction.atomic(), written_behind() as writer:
        assert writer is None
        assert behind.current() is None
        events(case.pk, analyst.pk, ["now"])
        assert writers() == []
    assert len(stored(case.pk)) == 1


@postgresql_only
def test_a_failed_write_is_raised_as_djangos_error_and_rolls_the_transaction_back(case_in, analyst):
    case = case_in("draft")
    ran = []

    def import_with_a_taken_key():
        with transaction.atomic(), written_behind() as writer:
            events(case.pk, analyst.pk, ["kept only if all is"])
            taken = CaseEvent.objects.filter(case=case).values_list("pk", flat=True).first()
            insert_rows(
                CaseEvent,
                ("id", "case", "message"),
                [(taken, case.pk, "a key already taken")],
                constants={"kind": CaseEvent.Kind.COMMENT, "actor": analyst.pk, "at": AT},
            )
            writer.submit(lambda raw: ran.append("after the failure"))
            CaseEvent.objects.count()  # raises the write's error

    with pytest.raises(IntegrityError):
        import_with_a_taken_key()
    assert ran == []
    assert stored(case.pk) == []
    assert writers() == []


@postgresql_only
def test_check_references_reports_a_dangling_reference_at_the_next_statement(case_in, analyst):
    case = case_in("draft")
    missing = case.pk + 1000

    def write_a_dangling_reference():
        with transaction.atomic(), written_behind():
            events(missing, analyst.pk, ["points at no case"])  # deferred: no error yet
            check_references()  # handed over: no error yet either
            with pytest.raises(IntegrityError, match="foreign key"):
                CaseEvent.objects.count()  # the next statement says so

    with pytest.raises(IntegrityError):  # and the block's end again: nothing can commit
        write_a_dangling_reference()
    assert stored(missing) == []


@postgresql_only
def test_an_error_in_the_block_drops_the_writes_not_started_and_waits_for_the_one_under_way(
    case_in, analyst
):
    case = case_in("draft")
    ran = []
    started = threading.Event()

    def slow(raw):
        started.set()
        raw.execute("SELECT pg_sleep(0.3)")
        ran.append("slow")

    def fail_while_writing():
        with transaction.atomic(), written_behind() as writer:
            writer.submit(slow)
            assert started.wait(10)  # under way
            events(case.pk, analyst.pk, ["dropped"])
            writer.submit(lambda raw: ran.append("dropped"))
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        fail_while_writing()
    assert ran == ["slow"]  # waited for, and nothing after it ran
    assert writers() == []


@postgresql_only
def test_a_caught_error_in_the_block_still_rolls_its_transaction_back(case_in, analyst):
    """A caller that catches the error inside its transaction cannot commit without the
    writes the block dropped."""
    case = case_in("draft")

    def catch_and_go_on():
        with transaction.atomic():
            try:
                with written_behind():
                    events(case.pk, analyst.pk, ["dropped?"])
                    raise ZeroDivisionError
            except ZeroDivisionError:
                pass
            CaseEvent.objects.count()  # refused: the transaction is marked for rollback

    with pytest.raises(TransactionManagementError):
        catch_and_go_on()
    assert stored(case.pk) == []


@postgresql_only
def test_a_nested_block_hands_its_writes_to_the_outer_blocks_thread(case_in, analyst):
    case = case_in("draft")
    with transaction.atomic(), written_behind() as outer:
        with written_behind() as inner:
            assert inner is outer is behind.current()
            events(case.pk, analyst.pk, ["inner"])
        assert behind.current() is outer
        assert writers() == ["written-behind"]
    assert [m for m, *_ in stored(case.pk)] == ["inner"]
    assert behind.current() is None
