"""A hostile upload against a production server: refused at once, the server stays healthy.

Issue 19, item 1: one header and one row of 160,000 columns (1.5 MB) took 22-30 s and up to
1.2 GB per gunicorn worker, which the worker's timeout then killed, leaving no audit event.
Here gunicorn runs in production mode (DEBUG off) in a child process against a SQLite file
database; the file is uploaded three times at once while the health check is called without
pause. Every upload must be refused with its message within a second or two, every health check
must answer, and each attempt must be audited.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import threading
import time
import uuid

import pytest

from tests.security.subprocesses import PROJECT, PYTHON, manage, run_django, sqlite_env
from tests.security.test_uploads import csv_of_columns

# The server and its SQLite file database are children of their own: make test-postgres skips it.
pytestmark = [pytest.mark.any_database, pytest.mark.heavy]

SESSION = """
from django.contrib.auth.models import Group, User
from django.test import Client
from rules.access import ANALYST
user = User.objects.create_user("wide_analyst", password="unused-password-1234")
user.groups.add(Group.objects.get(name=ANALYST))
client = Client()
client.force_login(user)
print(client.cookies["sessionid"].value)
"""

AUDITED = """
import json
from rules.models import AuditEvent
from screening.models import Upload
print(json.dumps({
    "rejected": list(AuditEvent.objects.filter(action="upload.rejected").values_list(
        "reason", flat=True)),
    "uploads": Upload.objects.count(),
}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(port: int, method: str, path: str, body: bytes = b"", headers=None, timeout=60):
    """(status, seconds taken, body text, Set-Cookie headers)."""
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        cookies = response.headers.get_all("Set-Cookie") or []
        return response.status, time.monotonic() - started, text, cookies
    finally:
        conn.close()


def multipart(fields: dict[str, str], name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_three_parallel_uploads_of_160000_columns_are_refused_at_once_and_the_server_stays_up(
    sqlite_dir, tmp_path
):
    env = sqlite_env(
        sqlite_dir,
        DEBUG="false",
        SECRET_KEY="upload-server-test-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    collected = manage("collectstatic", "--noinput", "-v0", env=env)
    assert collected.returncode == 0, collected.stderr[-2000:]
    session = run_django(SESSION, env=env).split()[-1]
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 -- our own interpreter running gunicorn
        [PYTHON, "-m", "gunicorn", "config.wsgi", "--workers", "2", "--threads", "2"]
        + ["--timeout", "60", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if request(port, "GET", "/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.1)

        cookie = f"sessionid={session}"
        status, _took, page, cookies = request(
            port, "GET", "/uploads/new/", headers={"Cookie": cookie}
        )
        assert status == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        csrf = next(c.split(";")[0] for c in cookies if c.startswith("csrftoken="))
        data = csv_of_columns(160_000)
        assert 1_400_000 < len(data) < 1_600_000
        body, content_type = multipart(
            {"csrfmiddlewaretoken": token, "as_of": "2026-12-01"}, "wide.csv", data
        )
        headers = {"Cookie": f"{cookie}; {csrf}", "Content-Type": content_type}

        uploads: list[tuple[int, float, str]] = []
        health: list[tuple[int, float]] = []
        done = threading.Event()
        lock = threading.Lock()

        def upload() -> None:
            status, took, text, _cookies = request(port, "POST", "/uploads/new/", body, headers)
            with lock:
                uploads.append((status, took, text))

        def check_health() -> None:
            while not done.is_set():
                try:
                    status, took, _text, _cookies = request(port, "GET", "/healthz", timeout=10)
                except OSError:
                    status, took = 0, 10.0
                with lock:
                    health.append((status, took))
                time.sleep(0.02)

        checker = threading.Thread(target=check_health)
        checker.start()
        senders = [threading.Thread(target=upload) for _ in range(3)]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join(timeout=120)
        done.set()
        checker.join(timeout=30)
    finally:
        server.terminate()
        server.wait(timeout=30)

    message = "The file has 160,000 columns; the limit is 60."
    assert [(status, message in text) for status, _took, text in uploads] == [(200, True)] * 3
    assert max(took for _status, took, _text in uploads) < 3.0, uploads
    assert health, "the health check never answered"
    assert {status for status, _took in health} == {200}
    assert max(took for _status, took in health) < 2.0
    audited = json.loads(run_django(AUDITED, env=env).splitlines()[-1])
    assert audited == {"rejected": [message] * 3, "uploads": 0}
