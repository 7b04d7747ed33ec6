"""screening.references: the foreign keys of an import's COPYs checked by set on PostgreSQL, as
strictly as PostgreSQL's own per-row checks: a missing key is named and nothing commits, the
rows pointed at are locked until COMMIT, and nothing but the COPY skips a trigger."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.urls import reverse

from screening import behind, references
from screening.behind import written_behind
from screening.models import Case, CaseEvent, Product, Screening, Upload
from screening.references import check_references, references_by_set
from tests.screening.test_behind import events, stored
from tests.screening.test_uploads import GOOD, csv_bytes, upload_file

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL's per-row foreign-key checks and session_replication_role; SQLite "
    "writes at once and checks its own way (test_on_sqlite_the_block_changes_nothing); "
    "make test-postgres runs this",
)


def raises_missing(table_column: str, key: int, target: str = "screening_case.id"):
    return pytest.raises(
        IntegrityError, match=rf"{table_column}: 1 key\(s\) not in {target} \({key}\)"
    )


def forget_the_answer() -> None:
    """may_skip_row_checks asks once per connection."""
    if hasattr(connection, "_may_skip_row_checks"):
        del connection._may_skip_row_checks


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite case of the block")
def test_on_sqlite_the_block_changes_nothing(case_in, analyst):
    case = case_in("draft")
    with transaction.atomic(), written_behind(), references_by_set():
        assert behind.current() is None
        events(case.pk, analyst.pk, ["at once"])
    assert len(stored(case.pk)) == 1


@postgresql_only
def test_rows_checked_by_set_land_as_written(case_in, analyst):
    case = case_in("draft")
    with transaction.atomic(), written_behind() as writer, references_by_set():
        assert writer.references is not None  # the test cluster's role is a superuser
        events(case.pk, analyst.pk, ["one", "two"])
    assert [message for message, *_ in stored(case.pk)] == ["one", "two"]
    assert writer.references is None


@postgresql_only
def test_a_missing_key_is_named_and_nothing_of_the_block_commits(case_in, analyst):
    case = case_in("draft")
    missing = case.pk + 1000

    def write():
        with transaction.atomic(), written_behind(), references_by_set():
            events(case.pk, analyst.pk, ["kept only if all is"])
            events(missing, analyst.pk, ["points at no case"])

    with raises_missing("screening_caseevent.case_id", missing):
        write()
    assert stored(case.pk) == stored(missing) == []


@postgresql_only
def test_a_missing_user_in_a_fixed_column_is_named_too(case_in, analyst):
    case = case_in("draft")
    nobody = analyst.pk + 1000

    def write():
        with transaction.atomic(), written_behind(), references_by_set():
            events(case.pk, nobody, ["by nobody"])

    with raises_missing("screening_caseevent.actor_id", nobody, "auth_user.id"):
        write()
    assert stored(case.pk) == []


@postgresql_only
def test_the_copy_queues_no_per_row_check_and_the_set_check_is_what_finds_the_missing_key(
    case_in, analyst
):
    case = case_in("draft")
    missing = case.pk + 1000

    def write():
        with transaction.atomic(), written_behind() as writer, references_by_set():
            events(missing, analyst.pk, ["points at no case"])
            writer.wait()
            with connection.cursor() as cursor:  # a per-row check queued would fail here
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                cursor.execute("SHOW session_replication_role")  # the COPY's only
                assert cursor.fetchone() == ("origin",)
            check_references()
            with raises_missing("screening_caseevent.case_id", missing):
                CaseEvent.objects.count()  # the next statement raises the check's error

    with raises_missing("screening_caseevent.case_id", missing):  # and the block's end again
        write()
    assert stored(missing) == []


@postgresql_only
def test_a_caught_error_still_rolls_the_transaction_back(case_in, analyst):
    case = case_in("draft")
    with transaction.atomic():
        try:
            with written_behind(), references_by_set():
                events(case.pk + 1000, analyst.pk, ["points at no case"])
        except IntegrityError:
            pass
        assert transaction.get_rollback()


@postgresql_only
def test_without_the_right_to_set_the_parameter_rows_are_checked_row_by_row(
    case_in, analyst, settings
):
    case = case_in("draft")
    forget_the_answer()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("CREATE ROLE screening_plain NOLOGIN")  # rolled back with the test
            cursor.execute("SET LOCAL ROLE screening_plain")
        try:
            assert references.may_skip_row_checks() is False
        finally:
            forget_the_answer()  # asked again as the test's own role
            with connection.cursor() as cursor:
                cursor.execute("RESET ROLE")
    assert references.may_skip_row_checks() is True
    settings.BULK_REFERENCES_BY_SET = False  # as without the right: PostgreSQL's own checks

    def write():
        with transaction.atomic(), written_behind() as writer, references_by_set():
            assert writer.references is None
            events(case.pk + 1000, analyst.pk, ["points at no case"])
            check_references()  # the deferred per-row checks, now
            CaseEvent.objects.count()

    with pytest.raises(IntegrityError, match="violates foreign key constraint"):
        write()


@postgresql_only
def test_the_audit_stays_append_only_at_replica(case_in):
    case_in("draft")

    def rewrite():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("UPDATE rules_auditevent SET reason = 'rewritten'")

    with pytest.raises(DatabaseError, match="append-only"):
        rewrite()


@postgresql_only
def test_an_import_checks_its_references_by_set(client, analyst, monkeypatch):
    checked = []
    looked_up: dict[str, set[int]] = {}
    check_job = references.ReferencesBySet.check_job

    def counted(self):
        checked.append(sorted(self._keys))
        keys = self._keys  # the job takes from these what it need not look up
        job = check_job(self)

        def recorded(raw):
            job(raw)
            for (table, _column), wanted in keys.items():
                looked_up.setdefault(table, set()).update(wanted)

        return recorded

    monkeypatch.setattr(references.ReferencesBySet, "check_job", counted)
    client.force_login(analyst)
    upload_file(client, csv_bytes(*GOOD))
    upload = Upload.objects.get()
    client.post(reverse("upload_commit", args=[upload.pk]), {"policy": "all_or_nothing"})
    assert Case.objects.filter(spec__upload=upload).count() == len(GOOD)
    assert Product.objects.filter(current_spec__upload=upload).count() == len(GOOD)
    pointed = {table for keys in checked for table, _column in keys}
    assert {"screening_product", "screening_specversion", "screening_screening"} <= pointed
    assert {"screening_case", "auth_user", "rules_ruleset", "screening_upload"} <= pointed
    # Looked up: the rows that were there before (the user, the rule set, the upload), not
    # the products, specs, screenings and cases that the import's own COPYs wrote.
    screening = Screening.objects.filter(spec__upload=upload).first()
    assert analyst.pk in looked_up["auth_user"]
    assert looked_up["rules_ruleset"] == {screening.rule_set_id}
    assert looked_up["screening_upload"] == {upload.pk}
    for table in ("screening_product", "screening_specversion", "screening_screening"):
        assert looked_up.get(table, set()) == set(), table
    assert looked_up.get("screening_case", set()) == set()


@postgresql_only
def test_the_rows_pointed_at_are_locked_until_the_block_commits(audit_flushable, case_in, analyst):
    """As PostgreSQL's own check does (FOR KEY SHARE): nobody may delete the case, or take
    the row for an update of its key, while rows pointing at it are not committed."""
    case = case_in("draft")
    attempts: list[str] = []

    def try_to_lock() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT id FROM screening_case WHERE id = %s FOR UPDATE NOWAIT", [case.pk]
                )
                attempts.append("locked")
        except OperationalError:
            attempts.append("refused")
        finally:
            connection.close()

    def attempt() -> None:
        other = threading.Thread(target=try_to_lock)
        other.start()
        other.join()

    attempt()
    with transaction.atomic(), written_behind(), references_by_set():
        events(case.pk, analyst.pk, ["pointing at the case"])
        check_references()
        CaseEvent.objects.count()  # waits for the check
        attempt()
    attempt()
    assert attempts == ["locked", "refused", "locked"]
