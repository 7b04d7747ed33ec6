"""Concurrent draws on one licence: two orders that each fit its balance alone but not
together, checked at the same moment, give exactly one release (issue 13)."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from tests.security.balance_race import balance_after, licence_and_two_orders, race_checks
from tests.security.subprocesses import run_django, sqlite_env

RACE = """
import json
from tests.security.balance_race import balance_after, licence_and_two_orders, race_checks
licence, orders, analyst = licence_and_two_orders()
outcomes = race_checks(orders, analyst)
print(json.dumps({"outcomes": outcomes, **balance_after(licence)}))
"""


@pytest.mark.any_database
def test_two_orders_racing_for_one_balance_on_a_sqlite_file_release_one(sqlite_dir):
    result = json.loads(run_django(RACE, env=sqlite_env(sqlite_dir)).splitlines()[-1])
    assert result == {"outcomes": ["hold", "release"], "reserved": "60", "remaining": "40"}


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="in-memory SQLite (this process's test database) shares one cache between threads; "
    "the file-database variant covers SQLite",
)
def test_two_orders_racing_for_one_balance_release_one(audit_flushable, rule_set):
    licence, orders, analyst = licence_and_two_orders()
    assert race_checks(orders, analyst) == ["hold", "release"]
    assert balance_after(licence) == {"reserved": "60", "remaining": "40"}
