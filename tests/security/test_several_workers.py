"""Several machines, one database (issue 17): two task workers and two app servers share one
database, as production runs them across machines.

Two `manage.py db_worker` processes drain a queue of 200 tasks (imports, impact previews,
dashboard refreshes): every task runs exactly once (django-tasks records the worker that
claimed it; one claim each), both workers take part, and what the tasks wrote adds up (every
imported row once, every preview done once). Then two gunicorn servers are asked, at the same
moment, to start the review of one submitted case at the same version by two reviewers: one
wins, the other is told the case changed, and the case holds one review start (no lost update).

On PostgreSQL (`make test-postgres`) the children share a database created for this test in
the test cluster; on SQLite they share a file database (WAL, busy timeout), as `make test` runs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO

import pytest

from tests.security.several_workers import IMPORTS, PASSWORD, RESCREENS, ROWS
from tests.security.subprocesses import (
    MANAGE,
    PROJECT,
    PYTHON,
    clean_env,
    manage,
    run_django,
    sqlite_env,
)
from tests.security.test_upload_server import free_port, request

TASKS = 200
RAN = TASKS + IMPORTS + RESCREENS  # the queued ones and the warm-ups they queue
CHILD = "from tests.security.several_workers import *\n"

# Not the test database (children on a database of their own): collected first.
pytestmark = pytest.mark.heavy


@pytest.fixture
def shared_env(request, tmp_path) -> Iterator[dict[str, str]]:
    """Settings of the children: one database of their own on the engine under test."""
    url = os.environ.get("DATABASE_URL", "")
    production = {
        "DEBUG": "false",
        "SECRET_KEY": "several-workers-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(tmp_path / "static"),
        "UPLOAD_SYNC_MAX_ROWS": "0",  # every import goes to the queue
    }
    if not url.startswith("postgres"):
        yield sqlite_env(request.getfixturevalue("sqlite_dir"), **production)
        return
    import psycopg

    name = f"several_workers_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env = clean_env(
        DATABASE_URL=url.rsplit("/", 1)[0] + "/" + name,
        MEDIA_ROOT=str(tmp_path / "media"),
        **production,
    )
    try:
        migrated = manage("migrate", "--noinput", env=env, timeout=600)
        assert migrated.returncode == 0, migrated.stderr[-4000:]
        yield env
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def child(code: str, env: dict[str, str]) -> dict:
    return json.loads(run_django(CHILD + code, env=env, timeout=600).splitlines()[-1])


def start_worker(env: dict[str, str], log: IO[str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 -- our own interpreter and manage.py
        [PYTHON, MANAGE, "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 -- our own interpreter running gunicorn
        [PYTHON, "-m", "gunicorn", "config.wsgi", "--workers", "1", "--threads", "2"]
        + ["--timeout", "120", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            if request(port, "GET", "/healthz", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, f"the server on port {port} did not start"
        time.sleep(0.2)


def signed_in(port: int, username: str) -> dict[str, str]:
    """Log in through the server's own login page; the session and CSRF cookies."""
    cookies: dict[str, str] = {}

    def keep(set_cookies: list[str]) -> None:
        for header in set_cookies:
            key, _, rest = header.partition("=")
            cookies[key] = rest.split(";", 1)[0]

    _status, _took, page, set_cookies = request(port, "GET", "/login/")
    keep(set_cookies)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = f"csrfmiddlewaretoken={token}&username={username}&password={PASSWORD}".encode()
    status, _took, _page, set_cookies = request(
        port,
        "POST",
        "/login/",
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Referer": f"http://127.0.0.1:{port}/login/",
        },
    )
    assert status == 302, f"login of {username} on port {port}: {status}"
    keep(set_cookies)
    return cookies


def drain(workers: list[subprocess.Popen], logs: list[Path], env: dict[str, str]) -> dict:
    """Wait until the workers have run every task (and the warm-ups those queue); stop them."""
    try:
        deadline = time.monotonic() + 900
        while True:
            state = child("printed(aftermath())", env)
            # Each import and each preview queues a dashboard warm-up when it has run.
            if state["tasks"] >= RAN and not {"READY", "RUNNING"} & set(state["by_status"]):
                return state
            stopped = [w for w in workers if w.poll() is not None]
            assert not stopped, [log.read_text()[-2000:] for log in logs]
            assert time.monotonic() < deadline, state
            time.sleep(1)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)


def test_two_workers_and_two_servers_share_one_database(shared_env, tmp_path):
    env = shared_env
    collected = manage("collectstatic", "--noinput", "-v0", env=env)
    assert collected.returncode == 0, collected.stderr[-2000:]
    queued = child(f"printed(queue({TASKS}))", env)
    assert queued["queued"] == TASKS

    logs = [tmp_path / f"worker-{n}.log" for n in (1, 2)]
    with ExitStack() as files:
        workers = [start_worker(env, files.enter_context(log.open("w"))) for log in logs]
        state = drain(workers, logs, env)
    assert state["tasks"] == RAN
    assert state["by_status"] == {"SUCCESSFUL": RAN}
    assert state["runs"] == {"1": RAN}  # one claim per task: none ran twice
    assert state["workers"] == 2  # both workers took tasks
    assert state["by_task"] == {
        "import_upload": IMPORTS,
        "warm_dashboard": IMPORTS + RESCREENS,
        "run_rescreen": RESCREENS,
        "refresh_dashboard": TASKS - IMPORTS - RESCREENS,
    }
    assert state["uploads"] == {"imported": IMPORTS}
    assert state["products"] == state["spec_versions"] == state["cases"] == IMPORTS * ROWS
    assert state["imports_audited"] == IMPORTS
    assert state["rescreens"] == {"done": RESCREENS}

    case = child("printed(submitted_case())", env)
    ports = [free_port(), free_port()]
    servers = [start_server(env, port) for port in ports]
    try:
        for port in ports:
            wait_until_up(port)
        sessions = [
            signed_in(port, username)
            for port, username in zip(ports, ("sw_reviewer_1", "sw_reviewer_2"), strict=True)
        ]
        answers: list[tuple[int, str]] = []
        ready = threading.Barrier(2)

        def start_review(port: int, cookies: dict[str, str]) -> None:
            body = f"version={case['version']}&message=".encode()
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
                "X-CSRFToken": cookies["csrftoken"],
                "Referer": f"http://127.0.0.1:{port}/cases/{case['case']}/",
            }
            ready.wait()
            status, _took, _text, _cookies = request(
                port, "POST", f"/cases/{case['case']}/start_review/", body, headers
            )
            answers.append((port, status))

        threads = [
            threading.Thread(target=start_review, args=(port, cookies))
            for port, cookies in zip(ports, sessions, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=60)

    assert sorted(status for _port, status in answers) == [302, 302]  # back to the case page
    after = child(f"printed(case_state({case['case']}))", env)
    assert after["state"] == "in_review"
    assert after["version"] == case["version"] + 1  # one transition, not two
    assert after["review_started_events"] == 1
    assert after["reviewer"] in ("sw_reviewer_1", "sw_reviewer_2")
