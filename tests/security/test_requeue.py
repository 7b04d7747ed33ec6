"""Recovering background work that died (screening.imports.is_stalled / requeue_stalled and the
upload page's "Queue it again" button). The end-to-end case, a worker killed with SIGKILL in
the middle of an import, is tests/security/test_worker_kill.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rules.models import AuditEvent
from screening import imports, tasks
from screening.models import Product, Upload
from tests.conftest import IN_FORCE_DAY

CSV = (
    b"sku,name,category,subtype,energy_density_wh_per_kg,destination_country\n"
    b"RQ-1,Cell,battery_cell,li_ion,310,DE\nRQ-2,Cell,battery_cell,li_ion,200,DE\n"
)
LONG_AGO = imports.STALLED_AFTER + dt.timedelta(minutes=1)
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
    upload = imports.dry_run(
        imports.receive(data=CSV, filename="specs.csv", user=analyst, as_of=IN_FORCE_DAY)
    )
    upload = imports.mark_importing(upload, user=analyst, policy="all_or_nothing")
    result = tasks.import_upload.enqueue(upload.pk)
    Upload.objects.filter(pk=upload.pk).update(task_id=str(result.id))
    upload.refresh_from_db()
    return upload


def task_is(upload: Upload, status: str, started_ago: dt.timedelta | None = None) -> None:
    started = timezone.now() - started_ago if started_ago is not None else None
    DBTaskResult.objects.filter(pk=upload.task_id).update(status=status, started_at=started)


@pytest.mark.parametrize(
    ("status", "started_ago", "stalled"),
    [
        ("READY", None, False),  # waiting for a worker: queueing it again would not help
        ("RUNNING", dt.timedelta(minutes=5), False),  # a worker is at it
        ("RUNNING", LONG_AGO, True),  # a worker took it long ago and never finished: dead
        ("FAILED", dt.timedelta(minutes=1), True),  # a worker stopped by a signal says so
        ("SUCCESSFUL", dt.timedelta(minutes=1), True),  # ended, yet the upload is still busy
    ],
)
def test_an_import_is_stalled_only_when_its_task_cannot_finish_it(
    importing, status, started_ago, stalled
):
    task_is(importing, status, started_ago)
    assert imports.is_stalled(importing) is stalled


def test_an_import_run_in_a_request_is_stalled_only_long_after(importing):
    Upload.objects.filter(pk=importing.pk).update(task_id="")
    importing.refresh_from_db()
    assert imports.is_stalled(importing) is False
    assert imports.is_stalled(importing, now=timezone.now() + LONG_AGO) is True


def test_a_finished_upload_is_never_stalled(audit_flushable, importing):
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    importing.refresh_from_db()
    assert importing.status == "imported"
    assert imports.is_stalled(importing, now=timezone.now() + LONG_AGO) is False


def test_a_stalled_import_is_queued_again_once_and_imports_everything(
    audit_flushable, importing, analyst
):
    task_is(importing, "RUNNING", LONG_AGO)
    old_task = importing.task_id
    stale_page = Upload.objects.get(pk=importing.pk)
    requeued = imports.requeue_stalled(importing, user=analyst)
    assert (requeued.status, requeued.task_id != old_task) == ("importing", True)
    assert DBTaskResult.objects.get(pk=requeued.task_id).task_path.endswith("import_upload")
    event = AuditEvent.objects.get(action="upload.requeue")
    assert (event.before["task"], event.after["task"]) == (old_task, requeued.task_id)
    with pytest.raises(imports.CommitRefused, match="already queued again"):
        imports.requeue_stalled(stale_page, user=analyst)  # a second click, from the old page
    with pytest.raises(imports.CommitRefused, match="still being processed"):
        imports.requeue_stalled(requeued, user=analyst)  # the new task waits for a worker
    assert AuditEvent.objects.filter(action="upload.requeue").count() == 1
    # The dead worker's task is never picked up again; the new one imports, once.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert (Upload.objects.get().status, Product.objects.count()) == ("imported", 2)
    assert AuditEvent.objects.filter(action="upload.import").count() == 1


def test_a_stalled_check_is_queued_again_as_a_check(audit_flushable, analyst, settings):
    settings.UPLOAD_SYNC_MAX_ROWS = 1
    upload = imports.receive(data=CSV, filename="specs.csv", user=analyst, as_of=IN_FORCE_DAY)
    result = tasks.check_upload.enqueue(upload.pk)
    Upload.objects.filter(pk=upload.pk).update(task_id=str(result.id))
    upload.refresh_from_db()
    task_is(upload, "FAILED", dt.timedelta(minutes=1))
    requeued = imports.requeue_stalled(upload, user=analyst)
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
    page = client.get(importing.get_absolute_url()).content.decode()
    assert "This work stopped without finishing" in page
    assert button in page
    client.force_login(analyst2)
    page = client.get(importing.get_absolute_url()).content.decode()
    assert "The person who uploaded the file can queue it again." in page
    assert button not in page
