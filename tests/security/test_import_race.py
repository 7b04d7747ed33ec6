"""Concurrent imports of the same rows give one result (issue 19, item 2).

Ten people import the same 900-row file at the same moment (each had uploaded and dry-run it):
the rows are imported once, by one of them; the nine others are told the rows were already
imported, with nothing written and no error. It used to write 2,700 spec versions and 2,700
draft cases when the file changed existing products, and to fail with IntegrityError (HTTP 500)
for new ones, because each import classified its rows before its transaction.

On SQLite the race runs in a child process against a file database (WAL, busy timeout, as in
production), from threads and from several task workers; on PostgreSQL (DATABASE_URL) from
threads in the test process.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from django.db import connection

from tests.security.import_race import aftermath, claimed_uploads, race_commits
from tests.security.subprocesses import MANAGE, PROJECT, PYTHON, run_django, sqlite_env

COUNT, ROWS = 10, 900
ALREADY = (
    "Already imported: every row of this file had been imported by another import that "
    "finished first, so nothing was imported again."
)


def expected(changing: bool) -> dict[str, object]:
    return {
        "products": ROWS,
        "spec_versions": ROWS,
        "cases": ROWS,
        "uploads": [("imported", ROWS, ROWS, "")] + [("imported", 0, 0, ALREADY)] * (COUNT - 1),
        "imports_audited": COUNT,
        "preview_rows_linked": ROWS,
        "chain_broken_at": None,
    }


RACE = """
import json
from tests.security.import_race import aftermath, claimed_uploads, race_commits
uploads = claimed_uploads({count}, {rows}, changing={changing})
outcomes = race_commits(uploads)
print(json.dumps({{"outcomes": outcomes, **aftermath(uploads)}}))
"""


@pytest.mark.any_database
@pytest.mark.parametrize("changing", [False, True], ids=["new-products", "changed-products"])
def test_parallel_imports_of_one_file_on_a_sqlite_file_import_it_once(sqlite_dir, changing):
    code = RACE.format(count=COUNT, rows=ROWS, changing=changing)
    result = json.loads(run_django(code, env=sqlite_env(sqlite_dir), timeout=600).splitlines()[-1])
    assert result.pop("outcomes") == ["imported 0"] * (COUNT - 1) + [f"imported {ROWS}"]
    assert {**result, "uploads": [tuple(u) for u in result["uploads"]]} == expected(changing)


QUEUE = """
import json
from screening import tasks
from screening.models import Upload
from tests.security.import_race import claimed_uploads
uploads = claimed_uploads({count}, {rows}, changing=True)
for pk in uploads:
    Upload.objects.filter(pk=pk).update(task_id=str(tasks.import_upload.enqueue(pk).id))
print(json.dumps(uploads))
"""
AFTER = """
import json
from tests.security.import_race import aftermath
print(json.dumps(aftermath({uploads})))
"""


@pytest.mark.any_database
@pytest.mark.heavy
def test_parallel_imports_across_three_task_workers_import_the_file_once(sqlite_dir):
    env = sqlite_env(sqlite_dir)
    uploads = json.loads(run_django(QUEUE.format(count=COUNT, rows=ROWS), env=env).splitlines()[-1])
    workers = [
        subprocess.Popen(  # noqa: S603 -- our own interpreter and manage.py
            [PYTHON, MANAGE, "db_worker", "--batch", "--no-reload", "--no-startup-delay"],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for worker in workers:
        _out, err = worker.communicate(timeout=600)
        assert worker.returncode == 0, err[-4000:]
    result = json.loads(run_django(AFTER.format(uploads=uploads), env=env).splitlines()[-1])
    assert {**result, "uploads": [tuple(u) for u in result["uploads"]]} == expected(True)


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="in-memory SQLite (this process's test database) shares one cache between threads; "
    "the file-database variants above cover SQLite",
)
@pytest.mark.parametrize("changing", [False, True], ids=["new-products", "changed-products"])
def test_parallel_imports_of_one_file_import_it_once(audit_flushable, settings, tmp_path, changing):
    settings.MEDIA_ROOT = tmp_path
    uploads = claimed_uploads(COUNT, ROWS, changing=changing)
    assert race_commits(uploads) == ["imported 0"] * (COUNT - 1) + [f"imported {ROWS}"]
    assert aftermath(uploads) == expected(changing)


FORM_CSV = (
    b"sku,revision,name,category,subtype,energy_density_wh_per_kg,destination_country\n"
    b"F-1,,Cell one,battery_cell,li_ion,310,DE\nF-2,,Cell two,battery_cell,li_ion,260,US\n"
)
CHANGED_CSV = FORM_CSV.replace(b"li_ion,310", b"li_ion,320")
ONLY_POSTGRES = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="in-memory SQLite (this process's test database) shares one cache between threads; "
    "SQLite serialises the form's write behind the import's anyway",
)


def import_with_a_form_saving_f1(
    data: bytes, analyst, monkeypatch, *, form_too: bool = True
) -> tuple[str, str]:
    """Import `data`; once the import has written its screenings, a form in another thread
    saves a spec for F-1 while the import still writes (unless not `form_too`).
    Returns (upload status, the form's outcome)."""
    import threading
    import time

    from django.db import connections

    from screening import behind, products
    from screening.imports import checking, committing, receiving
    from tests.conftest import IN_FORCE_DAY

    upload = receiving.receive(data=data, filename="f.csv", user=analyst, as_of=IN_FORCE_DAY)
    upload = committing.mark_importing(
        checking.dry_run(upload), user=analyst, policy="all_or_nothing"
    )
    outcome: list[str] = []
    threads: list[threading.Thread] = []

    def form() -> None:
        try:
            products.record_spec(
                sku="F-1", revision="", fields={"name": "by the form"}, user=analyst
            )
            outcome.append("recorded")
        except Exception as exc:  # noqa: BLE001 -- the outcome is the assertion
            outcome.append(repr(exc))
        finally:
            connections.close_all()

    real = committing.insert_screenings

    def screenings_then_a_form(*args, **kwargs):
        written = real(*args, **kwargs)
        if writer := behind.current():  # PostgreSQL: the import's rows so far are written
            writer.wait()
        threads.append(threading.Thread(target=form))
        threads[0].start()
        # The import goes on only once the form waits for it (or has given up).
        deadline = time.monotonic() + 20
        while threads[0].is_alive() and time.monotonic() < deadline:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_stat_clear_snapshot()")  # read afresh in a transaction
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                )
                if cursor.fetchone()[0]:
                    outcome.append("waited")
                    break
            time.sleep(0.05)
        return written

    with monkeypatch.context() as patch:
        if form_too:
            patch.setattr(committing, "insert_screenings", screenings_then_a_form)
        upload = committing.commit(upload)
    if threads:
        threads[0].join(timeout=30)
    return upload.status, ", ".join(outcome) or "never ran"


@ONLY_POSTGRES
def test_a_form_saving_a_new_sku_while_an_import_writes_it_adds_a_version(
    audit_flushable, analyst, settings, tmp_path, monkeypatch
):
    """The import takes its new products' natural keys before writing their versions: a form
    saving one of those SKUs meanwhile waits for the import and then adds a version to its
    product (it used to make the import fail on the product's unique key)."""
    from screening.models import Product, SpecVersion

    settings.MEDIA_ROOT = tmp_path
    assert import_with_a_form_saving_f1(FORM_CSV, analyst, monkeypatch) == (
        "imported",
        "waited, recorded",
    )
    assert Product.objects.filter(sku="F-1").count() == 1
    names = SpecVersion.objects.filter(product__sku="F-1").order_by("number")
    assert list(names.values_list("name", flat=True)) == ["Cell one", "by the form"]


@ONLY_POSTGRES
def test_a_form_saving_a_product_an_import_changes_waits_and_adds_the_next_version(
    audit_flushable, analyst, settings, tmp_path, monkeypatch
):
    """The import locks the products it knows before classifying them: a form saving one of
    them while the import writes waits and then adds the version after the import's. (They used
    to take the same version number: the form held the product, the import waited for it at
    the end, and one of them failed on a deadlock or the unique version number.)"""
    from screening.models import Product, SpecVersion

    settings.MEDIA_ROOT = tmp_path
    first = import_with_a_form_saving_f1(FORM_CSV, analyst, monkeypatch, form_too=False)
    assert first == ("imported", "never ran")
    second = import_with_a_form_saving_f1(CHANGED_CSV, analyst, monkeypatch)
    assert second == ("imported", "waited, recorded")
    versions = SpecVersion.objects.filter(product__sku="F-1").order_by("number")
    assert list(versions.values_list("number", "name", "energy_density_wh_per_kg")) == [
        (1, "Cell one", 310.0),
        (2, "Cell one", 320.0),
        (3, "by the form", None),
    ]
    assert Product.objects.get(sku="F-1").current_spec == versions.last()


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="in-memory SQLite (this process's test database) shares one cache between threads; "
    "on SQLite every transaction takes the write lock at BEGIN, so a publish waits anyway",
)
def test_publishing_waits_for_whoever_writes_with_the_current_rules(
    audit_flushable, rule_set, rules_admin, rules_admin2
):
    """An import or a screening holds the current rules (FOR SHARE) until it commits, and
    publishing locks them (FOR UPDATE): what was written with the old rules is committed before
    the new ones are current, so the re-screen that follows the publish sees it."""
    import threading
    import time

    from django.db import connections, transaction

    from rules.models import RuleSet
    from tests.screening.test_rule_changes import publish_3a001_at_250

    holding, release = threading.Event(), threading.Event()
    done: list[str] = []

    def writer() -> None:
        try:
            with transaction.atomic():
                assert RuleSet.objects.held(rule_set)
                holding.set()
                release.wait(timeout=30)
            done.append("writer")
        finally:
            connections.close_all()

    def publisher() -> None:
        try:
            publish_3a001_at_250(rule_set, rules_admin, rules_admin2)
            done.append("publish")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer), threading.Thread(target=publisher)]
    threads[0].start()
    assert holding.wait(timeout=30)
    threads[1].start()
    time.sleep(1.0)
    assert done == []  # the publish waits for the writer
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert done == ["writer", "publish"]
    assert RuleSet.objects.current().pk != rule_set.pk
