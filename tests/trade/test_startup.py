"""What a process loads as it starts: the party-name matcher's tables (pypinyin and the tables
built from it, about a second) only where parties are checked, and in every web process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.any_database  # a new interpreter that never connects

LOADED = "import sys; print(*('trade.matching' in sys.modules, 'pypinyin' in sys.modules))"


def loaded_after(code: str) -> list[str]:
    process = subprocess.run(  # noqa: S603 -- our own interpreter
        [sys.executable, "-c", f"{code}; {LOADED}"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert process.returncode == 0, process.stderr[-2000:]
    return process.stdout.split()


def test_django_setup_leaves_the_matcher_to_the_first_party_check():
    """Task workers and manage.py commands that check no party skip the tables."""
    assert loaded_after("import django; django.setup()") == ["False", "False"]


def test_a_web_process_loads_the_matcher_as_it_starts():
    """Not on some user's first party check (a single check answers in under 100 ms)."""
    assert loaded_after("import config.wsgi") == ["True", "True"]
