"""Production settings pass Django's deployment checklist and fail closed
(RELIABILITY.md "Configuration"). Each check runs `manage.py` in a child process with the
environment a production server would have."""

from __future__ import annotations

import secrets

import pytest

from tests.security.subprocesses import manage, sqlite_env

# `manage.py check` in children, against no database: make test-postgres skips it.
pytestmark = pytest.mark.any_database


def production_env(tmp_path, **overrides: str) -> dict[str, str]:
    env = sqlite_env(
        tmp_path,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="screening.example.com",
        CSRF_TRUSTED_ORIGINS="https://screening.example.com",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def test_the_deployment_checklist_is_clean_with_production_settings(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_checklist_would_catch_a_weakened_setting(tmp_path):
    """The test above would fail if, say, HSTS were switched off."""
    env = production_env(tmp_path, SECURE_HSTS_SECONDS="0")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 1
    assert "security.W004" in result.stderr


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set when DEBUG is off."),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must be set when DEBUG is off."),
    ],
)
def test_production_settings_fail_closed(tmp_path, missing, message):
    env = production_env(tmp_path)
    del env[missing]
    result = manage("check", env=env)
    assert result.returncode == 1
    assert message in result.stderr
