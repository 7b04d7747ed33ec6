"""Fixtures of the security and reliability tests (tests/security)."""

from __future__ import annotations

import pytest

# The browser tests here launch Chromium exactly as tests/e2e does.
from tests.e2e.conftest import (  # noqa: F401 -- fixtures, used by name
    browser_context_args,
    browser_type_launch_args,
)
from tests.security.subprocesses import copy_database, migrate_into


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """A SQLite file database migrated once (the shipped catalogue published), for children."""
    directory = tmp_path_factory.mktemp("migrated")
    migrate_into(directory)
    return directory


@pytest.fixture
def sqlite_dir(migrated_sqlite, tmp_path):
    """A fresh copy of the migrated file database, in this test's own directory."""
    directory = tmp_path / "site"
    copy_database(migrated_sqlite, directory)
    return directory
