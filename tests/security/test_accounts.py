"""Accounts (RELIABILITY.md "Access"; OWASP ASVS V2/V3): the password policy, login throttling
(django-axes), idle and absolute session timeouts (rules.sessions), and sessions that end when
an account is disabled."""

from __future__ import annotations

import datetime as dt
import logging
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from rules.sessions import LAST_SEEN, STARTED
from tests.conftest import PASSWORD

# --- password policy --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Sh0rt-pass", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("739184620573", "This password is entirely numeric."),
        ("alice_analyst-1", "The password is too similar to the username."),
    ],
)
def test_weak_passwords_are_refused(analyst, password, message):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, analyst)
    assert message in refused.value.messages


def test_a_long_uncommon_password_is_accepted(analyst):
    assert validate_password("quiet-lantern-orbit-73", analyst) is None


def test_the_admin_password_form_applies_the_policy(client, superuser, analyst):
    client.force_login(superuser)
    url = reverse("admin:auth_user_password_change", args=[analyst.pk])
    response = client.post(url, {"password1": "password1234", "password2": "password1234"})
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    analyst.refresh_from_db()
    assert analyst.check_password(PASSWORD)


# --- login throttling -------------------------------------------------------------------------


def log_in(client, username, password, address="127.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_repeated_failures_lock_the_username_from_that_address_out(
    client, analyst, settings, caplog
):
    caplog.set_level(logging.WARNING, logger="axes")
    assert settings.AXES_FAILURE_LIMIT == 5
    for _attempt in range(4):
        response = log_in(client, analyst.username, "wrong-password-1")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    response = log_in(client, analyst.username, "wrong-password-1")
    text = response.content.decode()
    assert response.status_code == 429
    assert "<h1>Too many login attempts</h1>" in text
    assert "After 5 failed attempts, logins with this user name from your address are paused." in (
        text
    )
    assert "Try again in 15 minutes." in text
    # Even the right password is refused now, and no session is opened.
    response = log_in(client, analyst.username, PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    # The failures are recorded and logged.
    attempt = AccessAttempt.objects.get(username=analyst.username)
    assert (attempt.ip_address, attempt.failures_since_start) == ("127.0.0.1", 6)
    failures = [r for r in caplog.records if "login failure by" in r.getMessage()]
    lockouts = [r for r in caplog.records if r.getMessage().startswith("AXES: Locking out")]
    assert (len(failures), len(lockouts)) == (6, 2)


def test_the_lockout_is_per_username_and_address(client, analyst, analyst2):
    for _attempt in range(5):
        log_in(client, analyst.username, "wrong-password-1")
    assert log_in(client, analyst.username, PASSWORD).status_code == 429
    # Another user from the same address, and the same user from another address, log in.
    assert log_in(client, analyst2.username, PASSWORD)["Location"] == reverse("home")
    client.logout()
    assert log_in(client, analyst.username, PASSWORD, "10.0.0.7")["Location"] == reverse("home")


def test_the_lockout_ends_after_the_cool_off(client, analyst):
    for _attempt in range(5):
        log_in(client, analyst.username, "wrong-password-1")
    assert log_in(client, analyst.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    response = log_in(client, analyst.username, PASSWORD)
    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(analyst.pk)


def test_a_successful_login_resets_the_count(client, analyst):
    for _attempt in range(4):
        log_in(client, analyst.username, "wrong-password-1")
    log_in(client, analyst.username, PASSWORD)
    client.logout()
    for _attempt in range(4):
        assert log_in(client, analyst.username, "wrong-password-1").status_code == 200


def test_one_address_is_capped_across_user_names(client, analyst, analyst2, settings):
    """Issue 19 (minor): a few guesses each against many user names, from one address, were
    never locked out, since each user name stayed under its own limit."""
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 30
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    statuses = [
        log_in(client, f"guess-{number}", "wrong-password-1").status_code
        for number in range(4)
        for _attempt in range(2)
    ]
    assert statuses == [200] * 7 + [429]  # two guesses per name, each under its own limit
    response = log_in(client, analyst.username, PASSWORD)  # even the right password
    text = response.content.decode()
    assert response.status_code == 429
    assert "Too many logins from your address failed, whatever the user name" in text
    assert SESSION_KEY not in client.session
    # Another address is not affected.
    assert log_in(client, analyst2.username, PASSWORD, "10.0.0.7")["Location"] == reverse("home")


def behind_proxy(client, username, password, forwarded):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.9.9.9",  # the TLS proxy
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_a_trusted_proxy_the_lockout_is_per_client_not_per_proxy(client, analyst, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _attempt in range(5):
        # The client may send its own X-Forwarded-For; the proxy appends what it saw.
        behind_proxy(client, analyst.username, "wrong-password-1", "1.2.3.4, 203.0.113.5")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    assert behind_proxy(client, analyst.username, PASSWORD, "203.0.113.5").status_code == 429
    # The same user from another client behind the same proxy logs in.
    response = behind_proxy(client, analyst.username, PASSWORD, "198.51.100.8")
    assert response["Location"] == reverse("home")


def test_without_a_trusted_proxy_count_forwarded_addresses_are_ignored(client, analyst, settings):
    assert settings.TRUSTED_PROXY_COUNT == 0
    for _attempt in range(5):
        behind_proxy(client, analyst.username, "wrong-password-1", "203.0.113.5")
    assert AccessAttempt.objects.get().ip_address == "10.9.9.9"  # anyone can write the header
    assert behind_proxy(client, analyst.username, PASSWORD, "198.51.100.8").status_code == 429


# --- session timeouts -------------------------------------------------------------------------


def age_session(client, **seconds_ago: int) -> None:
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def logged_in(client, user):
    """Logged in through the login page, as a person is (which starts the session clocks)."""
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response["Location"] == reverse("home")
    return client


def test_a_login_starts_both_session_clocks(client, analyst):
    before = int(time.time())
    session = logged_in(client, analyst).session
    assert before <= session[STARTED] == session[LAST_SEEN] <= time.time()


def test_a_session_ends_after_the_idle_time(client, analyst, settings):
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    logged_in(client, analyst)
    age_session(client, **{LAST_SEEN: 29 * 60})
    assert client.get(reverse("product_list")).status_code == 200
    age_session(client, **{LAST_SEEN: 31 * 60})
    response = client.get(reverse("product_list"))
    assert response["Location"] == f"{reverse('login')}?next=/products/"
    assert SESSION_KEY not in client.session


def test_requests_keep_an_active_session_alive(client, analyst):
    logged_in(client, analyst)
    age_session(client, **{LAST_SEEN: 29 * 60})
    client.get(reverse("product_list"))
    assert time.time() - client.session[LAST_SEEN] < 5
    age_session(client, **{STARTED: 60 * 60})  # an hour in, but never idle for long
    assert client.get(reverse("product_list")).status_code == 200


def test_an_htmx_request_after_the_idle_time_is_sent_to_log_in(client, analyst):
    logged_in(client, analyst)
    age_session(client, **{LAST_SEEN: 31 * 60})
    response = client.get(reverse("product_list"), HTTP_HX_REQUEST="true")
    assert response["Location"].startswith(reverse("login"))


def test_a_session_ends_after_the_absolute_time_however_active(client, analyst, settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    logged_in(client, analyst)
    age_session(client, **{STARTED: 12 * 3600 + 1, LAST_SEEN: 10})
    response = client.get(reverse("product_list"))
    assert response["Location"].startswith(reverse("login"))
    assert SESSION_KEY not in client.session


def test_a_session_without_clocks_counts_from_the_last_login(client, analyst):
    """A session from before the clocks existed (or opened without the login page)."""
    client.force_login(analyst)
    assert client.get(reverse("product_list")).status_code == 200
    assert STARTED not in client.session  # fresh: no session write of its own
    login = timezone.now() - dt.timedelta(minutes=2)
    type(analyst).objects.filter(pk=analyst.pk).update(last_login=login)
    assert client.get(reverse("product_list")).status_code == 200
    assert client.session[STARTED] == int(login.timestamp())
    # Another such session, idle since a login 31 minutes ago, has ended.
    client.logout()
    client.force_login(analyst)
    type(analyst).objects.filter(pk=analyst.pk).update(
        last_login=timezone.now() - dt.timedelta(minutes=31)
    )
    assert client.get(reverse("product_list"))["Location"].startswith(reverse("login"))


def test_the_idle_time_comes_from_the_environment_setting(client, analyst, settings):
    settings.SESSION_IDLE_SECONDS = 120
    logged_in(client, analyst)
    age_session(client, **{LAST_SEEN: 121})
    assert client.get(reverse("product_list"))["Location"].startswith(reverse("login"))


# --- disabled accounts ------------------------------------------------------------------------


def test_disabling_an_account_ends_its_sessions_at_the_next_request(client, analyst):
    logged_in(client, analyst)
    assert client.get(reverse("product_list")).status_code == 200
    analyst.is_active = False
    analyst.save()
    response = client.get(reverse("product_list"))
    assert response["Location"] == f"{reverse('login')}?next=/products/"
    # And the account cannot log in again.
    again = client.post(reverse("login"), {"username": analyst.username, "password": PASSWORD})
    assert "Please enter a correct username and password" in again.content.decode()
    assert client.get(reverse("product_list"))["Location"].startswith(reverse("login"))
