"""Running the project in child processes against a SQLite file database of their own.

Some checks need what one test process cannot give: a worker that can be killed, threads that
each hold a real connection to one file database (WAL, busy timeout), or settings read from the
environment as production reads them. The children run with the project's own settings, from a
clean environment, against a database file in a temporary directory; nothing touches the test
database or the developer's db.sqlite3.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
MANAGE = str(PROJECT / "manage.py")
# Inherited variables that would point a child at another database, queue or configuration.
NOT_INHERITED = (
    "DATABASE_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "MEDIA_ROOT",
    "TASKS_BACKEND",
    "UPLOAD_SYNC_MAX_ROWS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "BEHIND_TLS_PROXY",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for the browser tests; never in production
)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", LOG_LEVEL="WARNING", **extra)
    return env


def sqlite_env(directory: Path, **extra: str) -> dict[str, str]:
    """Settings for a child using the SQLite file in `directory` and its own media folder."""
    return clean_env(
        DATABASE_URL=f"sqlite:///{directory / 'db.sqlite3'}",
        MEDIA_ROOT=str(directory / "media"),
        **extra,
    )


def manage(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 -- our own interpreter and manage.py, fixed arguments
        [PYTHON, MANAGE, *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_django(code: str, *, env: dict[str, str], timeout: float = 120) -> str:
    """Run Python code in a child with Django set up; its standard output (fails loudly)."""
    result = subprocess.run(  # noqa: S603 -- our own interpreter running the tests' own code
        [PYTHON, "-c", "import django\ndjango.setup()\n" + code],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout


def migrate_into(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    result = manage("migrate", "--noinput", env=sqlite_env(directory))
    assert result.returncode == 0, result.stderr[-4000:]


def copy_database(source: Path, target: Path) -> None:
    """A copy of a migrated database directory (the children have closed it, so no WAL)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("db.sqlite3", "db.sqlite3-wal"):
        if (source / name).exists():
            shutil.copy2(source / name, target / name)
