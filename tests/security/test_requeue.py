"""Recovering background work that died (screening.imports.stalls: is_stalled, requeue_stalled,
and the upload page's "Queue it again" button). The end-to-end case, a worker killed with SIGKILL in
the middle of an import, is tests/security/test_worker_kill.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rules.models import AuditEvent
from screening import tasks
from screening.imports import checking, committing, receiving, screened, stalls
from screening.models import Product, Upload
from tests.conftest import IN_FORCE_DAY

CSV = (
    b"sku,name,category,subtype,energy_density_wh_per_kg,destination_country\n"
    b"RQ-1,Cell,battery_cell,li_ion,310,DE\nRQ-2,Cell,battery_cell,li_ion,200,DE\n"
)
# Past the time a live check or import goes without a heartbeat (45 s by default; it was 30
# minutes, so a killed import stayed stuck for half an hour: issue 19, item 8).
LONG_AGO = dt.timedelta(seconds=46)
RECENTLY = dt.timedelta(seconds=5)
# Tests that run a real worker (`db_worker`, which commits and closes its connection as in
# production) use a transactional database: audit_flushable (tests/conftest.py).


@pytest.fixture(autouse=True)
def _database_queue(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


@pytest.fixture
def importing(analyst):
    """An upload claimed for import, its task queued."""
    upload = checking.dry_run(
        receiving.receive(data=CSV, filename="specs.csv", user=analyst, as_of=IN_FORCE_DAY)
    )
    upload = committing.mark_importing(upload, user=analyst, policy="all_or_nothing")
    result = tasks.import_upload.enqueue(upload.pk)
    Upload.objects.filter(pk=upload.pk).update(task_id=str(result.id))
    upload.refresh_from_db()
    return upload


def task_is(upload: Upload, status: str, started_ago: dt.timedelta | None = None) -> None:
    started = timezone.now() - started_ago if started_ago is not None else None
    DBTaskResult.objects.filter(pk=upload.task_id).update(status=status, started_at=started)


def last_beat(upload: Upload, ago: dt.timedelta) -> Upload:
    Upload.objects.filter(pk=upload.pk).update(heartbeat_at=timezone.now() - ago)
    upload.refresh_from_db()
    return upload


def test_the_default_time_without_a_heartbeat_is_under_a_minute():
    assert stalls.stalled_after() == dt.timedelta(seconds=45)


@pytest.mark.parametrize(
    ("status", "started_ago", "beat_ago", "stalled"),
    [
        ("READY", None, LONG_AGO, False),  # waiting for a worker: queueing it again won't help
        ("RUNNING", LONG_AGO, RECENTLY, False),  # a worker is at it, and says so
        ("RUNNING", RECENTLY, LONG_AGO, False),  # a worker has just taken it
        ("RUNNING", LONG_AGO, LONG_AGO, True),  # taken, and silent for 46 s: dead
        ("FAILED", RECENTLY, RECENTLY, True),  # a worker stopped by a signal says so
        ("SUCCESSFUL", RECENTLY, RECENTLY, True),  # ended, yet the upload is still busy
    ],
)
def test_an_import_is_stalled_only_when_nothing_is_working_on_it(
    importing, status, started_ago, beat_ago, stalled
):
    task_is(importing, status, started_ago)
    assert stalls.is_stalled(last_beat(importing, beat_ago)) is stalled


def test_an_import_run_in_a_request_is_stalled_once_its_heartbeat_stops(importing):
    Upload.objects.filter(pk=importing.pk).update(task_id="")
    upload = last_beat(importing, RECENTLY)
    assert stalls.is_stalled(upload) is False
    assert stalls.is_stalled(upload, now=timezone.now() + LONG_AGO) is True


SCREENING_AGAIN = ["parsing", "screening", "comparing"]


@pytest.mark.parametrize("kept", [True, False], ids=["dry run kept", "file screened again"])
def test_every_stage_of_a_live_import_is_a_heartbeat(importing, monkeypatch, kept):
    if not kept:
        screened.discard(importing)
    beats = []
    record = receiving.set_progress

    def spy(upload, stage, done, total):
        record(upload, stage, done, total)
        beats.append((stage, Upload.objects.get(pk=upload.pk).heartbeat_at))

    monkeypatch.setattr(receiving, "set_progress", spy)
    last_beat(importing, LONG_AGO)
    committing.commit(importing)
    stages = [stage for stage, _at in beats]
    again = [] if kept else SCREENING_AGAIN
    assert stages == ["reading", *again, "writing", "writing", "writing"]
    assert all(timezone.now() - at < RECENTLY for _stage, at in beats)


def test_a_second_run_of_an_import_writes_nothing_and_leaves_it_imported(importing):
    """A task queued again while the first was only slow: the import still runs once."""
    stale = Upload.objects.get(pk=importing.pk)
    first = committing.commit(importing)
    again = committing.commit(stale)
    assert (first.status, first.created_versions) == ("imported", 2)
    assert (again.status, again.created_versions, again.pk) == ("imported", 2, first.pk)
    assert Product.objects.count() == 2
    assert AuditEvent.objects.filter(action="upload.import").count() == 1


def test_a_second_run_of_a_check_leaves_the_first_result(analyst, settings):
    upload = receiving.receive(data=CSV, filename="specs.csv", user=analyst, as_of=IN_FORCE_DAY)
    stale = Upload.objects.get(pk=upload.pk)
    first = checking.dry_run(upload)
    Upload.objects.filter(pk=upload.pk).update(valid_rows=99)  # marks the first result
    again = checking.dry_run(stale)
    assert (first.status, again.status, again.valid_rows) == ("checked", "checked", 99)


def test_a_finished_upload_is_never_stalled(audit_flushable, importing):
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    importing.refresh_from_db()
    assert importing.status == "imported"
    assert stalls.is_stalled(importing, now=timezone.now() + LONG_AGO) is False


def test_a_stalled_import_is_queued_again_once_and_imports_everything(
    audit_flushable, importing, analyst
):
    task_is(importing, "RUNNING", LONG_AGO)
    importing = last_beat(importing, LONG_AGO)
    old_task = importing.task_id
    stale_page = Upload.objects.get(pk=importing.pk)
    requeued = stalls.requeue_stalled(importing, user=analyst)
    assert (requeued.status, requeued.task_id != old_task) == ("importing", True)
    assert DBTaskResult.objects.get(pk=requeued.task_id).task_path.endswith("import_upload")
    event = AuditEvent.objects.get(action="upload.requeue")
    assert (event.before["task"], event.after["task"]) == (old_task, requeued.task_id)
    with pytest.raises(committing.CommitRefused, match="already queued again"):
        stalls.requeue_stalled(stale_page, user=analyst)  # a second click, from the old page
    with pytest.raises(committing.CommitRefused, match="still being processed"):
        stalls.requeue_stalled(requeued, user=analyst)  # the new task waits for a worker
    assert AuditEvent.objects.filter(action="upload.requeue").count() == 1
    # The dead worker's task is never picked up again; the new one imports, once.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert (Upload.objects.get().status, Product.objects.count()) == ("imported", 2)
    assert AuditEvent.objects.filter(action="upload.import").count() == 1


def test_a_stalled_check_is_queued_again_as_a_check(audit_flushable, analyst, settings):
    settings.UPLOAD_SYNC_MAX_ROWS = 1
    upload = receiving.receive(data=CSV, filename="specs.csv", user=analyst, as_of=IN_FORCE_DAY)
    result = tasks.check_upload.enqueue(upload.pk)
    Upload.objects.filter(pk=upload.pk).update(task_id=str(result.id))
    upload.refresh_from_db()
    task_is(upload, "FAILED", dt.timedelta(minutes=1))
    requeued = stalls.requeue_stalled(upload, user=analyst)
    assert DBTaskResult.objects.get(pk=requeued.task_id).task_path.endswith("check_upload")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    upload.refresh_from_db()
    assert (upload.status, upload.valid_rows) == ("checked", 2)


def test_the_upload_page_offers_the_button_to_the_uploader_only_when_stalled(
    client, importing, analyst, analyst2
):
    client.force_login(analyst)
    button = f'action="{reverse("upload_requeue", args=[importing.pk])}"'
    assert button not in client.get(importing.get_absolute_url()).content.decode()
    task_is(importing, "RUNNING", LONG_AGO)
    last_beat(importing, LONG_AGO)
    # The page polling for progress reloads, so that the way to retry shows.
    polling = client.get(importing.get_absolute_url(), {"progress": "1"}, HTTP_HX_REQUEST="true")
    assert polling.headers["HX-Refresh"] == "true"
    page = client.get(importing.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' not in page
    assert "This work stopped without finishing" in page
    assert button in page
    client.force_login(analyst2)
    page = client.get(importing.get_absolute_url()).content.decode()
    assert "The person who uploaded the file can queue it again." in page
    assert button not in page
