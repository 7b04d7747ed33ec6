"""Concurrency: SQLite runs in WAL mode with a busy timeout, and two people racing on one case
give exactly one transition and one audit event (RELIABILITY.md "Concurrency").

On SQLite the race runs in a child process against a file database, with the project's real
settings: the test database of this process is in memory, where threads share one cache and
neither WAL nor the busy timeout applies. On PostgreSQL (DATABASE_URL) the same race runs here,
against the test database, with a transactional test.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection

from tests.security.race import aftermath, race_start_review
from tests.security.subprocesses import run_django, sqlite_env


@pytest.mark.any_database
def test_a_sqlite_file_database_runs_in_wal_mode_with_a_busy_timeout(sqlite_dir):
    out = run_django(
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); mode = c.fetchone()[0]\n"
        "    c.execute('PRAGMA busy_timeout'); timeout = c.fetchone()[0]\n"
        "print(mode, timeout)\n",
        env=sqlite_env(sqlite_dir),
    )
    assert out.split() == ["wal", "20000"]


RACE = """
import json
from tests.security.race import aftermath, race_start_review, submitted_case
case_pk, reviewers = submitted_case()
outcomes = race_start_review(case_pk, reviewers)
print(json.dumps({"outcomes": outcomes, "reviewers": reviewers, **aftermath(case_pk)}))
"""


@pytest.mark.any_database
def test_two_threads_racing_on_one_case_on_a_sqlite_file_give_one_winner(sqlite_dir):
    result = json.loads(run_django(RACE, env=sqlite_env(sqlite_dir)).splitlines()[-1])
    assert result["outcomes"] == ["conflict", "won"]
    assert result["reviewer"] in result["reviewers"]
    assert (
        result["state"],
        result["version"],
        result["review_events"],
        result["audit_events"],
        result["chain_broken_at"],
    ) == ("in_review", 3, 1, 1, None)


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="in-memory SQLite (this process's test database) shares one cache between threads "
    "and answers 'table is locked' instead of waiting; the file-database variant covers SQLite",
)
def test_two_threads_racing_on_one_case_give_one_winner(
    audit_flushable, case_in, reviewer, reviewer2
):
    case = case_in("submitted")
    outcomes = race_start_review(case.pk, [reviewer.pk, reviewer2.pk])
    assert outcomes == ["conflict", "won"]
    result = aftermath(case.pk)
    assert result["reviewer"] in (reviewer.pk, reviewer2.pk)
    assert (
        result["state"],
        result["version"],
        result["review_events"],
        result["audit_events"],
        result["chain_broken_at"],
    ) == ("in_review", 3, 1, 1, None)
