"""A task worker killed mid-import leaves no half-import, and the import can be queued again
(RELIABILITY.md "Uploads": nothing half-imported; screening.imports.stalls.requeue_stalled).

Everything runs as it does in production, in child processes against one SQLite file database:
the upload is checked and claimed for import, `manage.py db_worker` picks the import up and is
killed with SIGKILL while it holds the import's write transaction. Then: nothing of the upload
was imported, the upload can be queued again from its page as soon as its heartbeat is older
than the timeout (not before), and a new worker imports it completely, once.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time

import pytest

from tests.security.subprocesses import MANAGE, PROJECT, PYTHON, manage, run_django, sqlite_env

# The worker and its SQLite file database are children of their own: make test-postgres skips it.
pytestmark = [pytest.mark.any_database, pytest.mark.heavy]

ROWS = 20_000

SETUP = f"""
import datetime as dt, json
from django.contrib.auth.models import Group, User
from rules.access import ANALYST
from screening.imports import checking, committing, receiving
from screening import tasks
from screening.models import Upload
lines = ["sku,name,category,subtype,energy_density_wh_per_kg,destination_country"]
lines += [f"KILL-{{i}},Cell {{i}},battery_cell,li_ion,{{250 + i % 100}},DE" for i in range({ROWS})]
analyst = User.objects.create_user("kill_analyst", password="unused-password-1234")
analyst.groups.add(Group.objects.get(name=ANALYST))
upload = receiving.receive(
    data=("\\n".join(lines) + "\\n").encode(), filename="big.csv", user=analyst,
    as_of=dt.date(2026, 12, 1),
)
upload = checking.dry_run(upload)
upload = committing.mark_importing(upload, user=analyst, policy="all_or_nothing")
result = tasks.import_upload.enqueue(upload.pk)
Upload.objects.filter(pk=upload.pk).update(task_id=str(result.id))
print(json.dumps({{"upload": upload.pk, "valid": upload.valid_rows}}))
"""

STATE = """
import json
from django.db import connection
from rules import audit
from rules.models import AuditEvent
from screening.models import Case, Product, Screening, SpecVersion, Upload
upload = Upload.objects.get()
with connection.cursor() as cursor:
    cursor.execute("PRAGMA integrity_check")
    integrity = cursor.fetchone()[0]
print(json.dumps({
    "status": upload.status,
    "task": upload.task_id,
    "products": Product.objects.count(),
    "spec_versions": SpecVersion.objects.filter(upload=upload).count(),
    "screenings": Screening.objects.count(),
    "cases": Case.objects.count(),
    "imports_audited": AuditEvent.objects.filter(action="upload.import").count(),
    "requeues_audited": AuditEvent.objects.filter(action="upload.requeue").count(),
    "chain_broken_at": audit.verify()[1],
    "integrity": integrity,
}))
"""

# The uploader asks for the import to be queued again, from the upload's page.
REQUEUE = """
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client
from screening.models import Upload
client = Client(HTTP_HOST="localhost")
client.force_login(User.objects.get(username="kill_analyst"))
response = client.post(f"/uploads/{Upload.objects.get().pk}/requeue/")
print(response.status_code, "|", " ".join(str(m) for m in get_messages(response.wsgi_request)))
"""

# Everything here runs with a 30-second heartbeat timeout (UPLOAD_STALLED_SECONDS) instead of
# the default 45 s, so that the test waits for the real thing, a dead worker falling silent; 15 s
# was too short for the "too early" request on a loaded two-core machine (a Django start there
# took the whole window).
STALLED_SECONDS = 30


def state(env) -> dict:
    return json.loads(run_django(STATE, env=env).splitlines()[-1])


def task_status(database) -> str | None:
    with sqlite3.connect(database, timeout=5) as conn:
        row = conn.execute("SELECT status FROM django_tasks_database_dbtaskresult").fetchone()
    return row[0] if row else None


def holds_write_lock(database) -> bool:
    """Whether another connection holds the write lock (the import's transaction)."""
    conn = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc):
            raise
        return True
    else:
        conn.execute("ROLLBACK")
        return False
    finally:
        conn.close()


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.005)


def test_a_worker_killed_mid_import_leaves_nothing_and_the_import_can_be_queued_again(
    sqlite_dir,
):
    env = sqlite_env(sqlite_dir, UPLOAD_STALLED_SECONDS=str(STALLED_SECONDS))
    database = sqlite_dir / "db.sqlite3"
    created = json.loads(run_django(SETUP, env=env).splitlines()[-1])
    assert created["valid"] == ROWS

    worker = subprocess.Popen(  # noqa: S603 -- our own interpreter and manage.py
        [PYTHON, MANAGE, "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(lambda: task_status(database) == "RUNNING", 60, "the worker to take the import")
        wait_for(lambda: holds_write_lock(database), 60, "the import's write transaction")
        time.sleep(0.3)  # well inside the transaction: rows are being written
        assert holds_write_lock(database), "the import finished before the worker was killed"
        os.killpg(worker.pid, signal.SIGKILL)
        killed_at = time.monotonic()
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL

    after_kill = state(env)
    assert after_kill == {
        "status": "importing",
        "task": after_kill["task"],
        "products": 0,
        "spec_versions": 0,
        "screenings": 0,
        "cases": 0,
        "imports_audited": 0,
        "requeues_audited": 0,
        "chain_broken_at": None,
        "integrity": "ok",
    }
    assert task_status(database) == "RUNNING"  # the dead worker never said it stopped

    # Too early: nothing tells a dead worker from a slow one yet, so it is not queued again.
    status, message = run_django(REQUEUE, env=env).splitlines()[-1].split(" | ")
    assert (status, message) == (
        "302",
        "This upload is still being processed; it can be queued again only if it stalls.",
    )
    # Once the dead worker's heartbeat is older than the timeout, it can be (it took 30 minutes).
    while time.monotonic() - killed_at < STALLED_SECONDS:
        time.sleep(0.5)
    status, message = run_django(REQUEUE, env=env).splitlines()[-1].split(" | ")
    assert (status, message) == ("302", "Queued again. Nothing had been imported.")
    assert time.monotonic() - killed_at < STALLED_SECONDS + 20
    requeued = state(env)
    assert requeued["task"] != after_kill["task"]
    assert requeued["requeues_audited"] == 1

    done = manage("db_worker", "--batch", "--no-reload", "--no-startup-delay", env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    assert state(env) == {
        **requeued,
        "status": "imported",
        "products": ROWS,
        "spec_versions": ROWS,
        "screenings": ROWS,
        "cases": ROWS,
        "imports_audited": 1,
    }
