"""Service-account tokens (rules.tokens): issued once, kept hashed, expiring, revocable,
rate-limited, and the first answer of a request replayed for its retries."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from rules import tokens
from rules.access import ANALYST, REVIEWER, can
from rules.models import ApiIdempotentRequest, ApiToken, AuditEvent
from tests.conftest import PASSWORD

NOW = dt.datetime(2026, 12, 1, 8, 0, 30, tzinfo=dt.UTC)


def test_a_token_is_kept_only_as_its_digest(api_token):
    token, secret = api_token(REVIEWER, ["read"], name="sap-erp")
    assert secret.startswith("ecs_")
    assert len(secret) == 4 + 43  # 32 random bytes, URL-safe base64
    token.refresh_from_db()
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:12]
    stored = [str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert not any(secret in value or secret[12:] in value for value in stored)
    event = AuditEvent.objects.get(action="api.token.issue")
    assert secret[12:] not in str(event.after)
    assert event.after["name"] == "sap-erp"
    assert event.after["service_account"] == "api.sap-erp"


def test_a_token_acts_as_a_service_account_of_its_role_that_cannot_log_in(api_token, client):
    token, _secret = api_token(REVIEWER, ["read"], name="oracle-gtm")
    user = token.user
    assert (user.username, user.is_staff, user.is_superuser) == ("api.oracle-gtm", False, False)
    assert list(user.groups.values_list("name", flat=True)) == [REVIEWER]
    assert not user.has_usable_password()
    assert (can(user, "review_cases"), can(user, "prepare_cases")) == (True, False)
    response = client.post(reverse("login"), {"username": "api.oracle-gtm", "password": "!"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_the_right_secret_opens_its_token_and_nothing_else_does(api_token):
    token, secret = api_token()
    assert tokens.authenticate(secret, now=timezone.now()) == token
    for wrong in (secret[:-1] + ("A" if secret[-1] != "A" else "B"), secret[4:], "", "ecs_"):
        with pytest.raises(tokens.TokenRefused) as refused:
            tokens.authenticate(wrong, now=timezone.now())
        assert (refused.value.reason, refused.value.token) == ("unknown", None)


def test_an_expired_token_is_refused_from_its_expiry_on(api_token):
    token, secret = api_token(days=1)
    assert tokens.authenticate(secret, now=token.expires_at - dt.timedelta(seconds=1)) == token
    with pytest.raises(tokens.TokenRefused) as refused:
        tokens.authenticate(secret, now=token.expires_at)
    assert (refused.value.reason, refused.value.token) == ("expired", token)


def test_a_revoked_token_is_refused_and_its_account_disabled(api_token, superuser):
    token, secret = api_token()
    assert tokens.revoke(token=token, user=superuser, now=NOW) is True
    assert tokens.revoke(token=token, user=superuser, now=NOW) is False
    with pytest.raises(tokens.TokenRefused) as refused:
        tokens.authenticate(secret, now=timezone.now())
    assert (refused.value.reason, refused.value.token) == ("revoked", token)
    token.refresh_from_db()
    assert (token.revoked_at, token.revoked_by, token.user.is_active) == (NOW, superuser, False)
    assert (
        AuditEvent.objects.filter(action="api.token.revoke", object_id=str(token.pk)).count() == 1
    )


@pytest.mark.parametrize(
    ("text", "rate"),
    [("600/m", (600, 60)), ("5/s", (5, 1)), (" 10 / h ", (10, 3600)), ("1/d", (1, 86400))],
)
def test_rates_are_calls_per_second_minute_hour_or_day(text, rate):
    assert tokens.parse_rate(text) == rate


@pytest.mark.parametrize("text", ["600", "0/m", "600/min", "-1/m", "many/m", ""])
def test_a_rate_that_is_no_rate_is_refused(text):
    with pytest.raises(ValueError, match="is not a rate such as 600/m"):
        tokens.parse_rate(text)


def test_a_wrong_rate_setting_is_a_system_check_error(settings):
    settings.API_RATE_LIMIT = "lots"
    [error] = tokens.check_rate_setting()
    assert (error.id, error.msg) == (
        "rules.E001",
        "'lots' is not a rate such as 600/m (calls per s, m, h or d)",
    )
    settings.API_RATE_LIMIT = "60/m"
    assert tokens.check_rate_setting() == []


def test_calls_beyond_the_rate_wait_for_the_next_window(api_token):
    token, _secret = api_token()
    results = [tokens.count_call(token, now=NOW, rate="3/m") for _ in range(4)]
    # 08:00:30: the window of 08:00 ends in 30 seconds.
    assert results == [None, None, None, 30.0]
    later = NOW + dt.timedelta(seconds=29.5)
    assert tokens.count_call(token, now=later, rate="3/m") == 0.5
    assert tokens.retry_after(0.5) == "1"
    next_window = NOW + dt.timedelta(seconds=30)
    assert tokens.count_call(token, now=next_window, rate="3/m") is None
    token.refresh_from_db()
    assert (token.window_calls, token.last_used_at) == (1, next_window)


def test_each_token_has_its_own_count(api_token):
    first, _ = api_token()
    second, _ = api_token()
    assert tokens.count_call(first, now=NOW, rate="1/m") is None
    assert tokens.count_call(first, now=NOW, rate="1/m") == 30.0
    assert tokens.count_call(second, now=NOW, rate="1/m") is None


def claim(token, key="k-1", body="a" * 64, path="/api/v1/specs", now=NOW):
    return tokens.claim_key(
        token=token, key=key, method="POST", path=path, body_sha256=body, now=now
    )


def test_a_retried_request_gets_the_first_answer(api_token):
    token, _ = api_token()
    assert claim(token) is None
    tokens.finish_key(
        token=token, key="k-1", status=201, content_type="application/json", body='{"a": 1}'
    )
    assert claim(token) == tokens.Replay(201, "application/json", '{"a": 1}')


def test_a_key_in_use_by_a_running_request_or_another_request_is_a_conflict(api_token):
    token, _ = api_token()
    assert claim(token) is None
    with pytest.raises(tokens.KeyConflict) as running:
        claim(token)
    assert running.value.reason == "in_progress"
    for other in ({"body": "b" * 64}, {"path": "/api/v1/screen"}):
        with pytest.raises(tokens.KeyConflict) as reused:
            claim(token, **other)
        assert reused.value.reason == "reused"


def test_a_key_released_after_a_failure_runs_again(api_token):
    token, _ = api_token()
    assert claim(token) is None
    tokens.release_key(token=token, key="k-1")
    assert claim(token) is None


def test_keys_belong_to_their_token_and_are_forgotten_after_the_keeping_time(api_token, settings):
    settings.API_IDEMPOTENCY_KEEP_HOURS = 24
    first, _ = api_token()
    second, _ = api_token()
    assert claim(first) is None
    assert claim(second) is None  # the same key, another token
    tokens.finish_key(token=first, key="k-1", status=200, content_type="", body="")
    assert claim(first, now=NOW + dt.timedelta(hours=24, seconds=1)) is None
    assert ApiIdempotentRequest.objects.filter(token=first).count() == 1


# --- Django admin -----------------------------------------------------------------------------


def test_an_administrator_creates_a_token_and_sees_it_once(client, superuser):
    client.force_login(superuser)
    expires = (timezone.now() + dt.timedelta(days=30)).replace(microsecond=0)
    response = client.post(
        reverse("admin:rules_apitoken_add"),
        {
            "name": "kingdee",
            "role": ANALYST,
            "scopes": ["screen", "write_specs"],
            "expires_at_0": timezone.localtime(expires).strftime("%Y-%m-%d"),
            "expires_at_1": timezone.localtime(expires).strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(name="kingdee")
    secret = response.context["secret"]
    assert tokens.authenticate(secret, now=timezone.now()) == token
    assert f'<code id="api-token-secret">{secret}</code>' in response.content.decode()
    assert (token.role, token.scopes, token.expires_at) == (
        ANALYST,
        ["screen", "write_specs"],
        expires,
    )
    assert token.created_by == superuser
    for url in (
        reverse("admin:rules_apitoken_change", args=[token.pk]),
        reverse("admin:rules_apitoken_changelist"),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert secret[12:] not in page.content.decode()
        assert token.prefix in page.content.decode()


def test_a_token_is_read_in_admin_never_changed_or_deleted(client, superuser, api_token):
    token, _ = api_token(name="yonyou")
    client.force_login(superuser)
    page = client.get(reverse("admin:rules_apitoken_change", args=[token.pk]))
    assert 'name="scopes"' not in page.content.decode()
    response = client.post(
        reverse("admin:rules_apitoken_change", args=[token.pk]),
        {"name": "yonyou", "role": REVIEWER, "scopes": ["read"]},
    )
    assert response.status_code == 403
    assert client.get(reverse("admin:rules_apitoken_delete", args=[token.pk])).status_code == 403
    token.refresh_from_db()
    assert (token.role, token.scopes) == (ANALYST, ["screen", "read", "write_specs"])


def test_the_admin_form_refuses_a_past_expiry_and_a_taken_account_name(
    client, superuser, django_user_model
):
    django_user_model.objects.create_user("api.taken", password=PASSWORD)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:rules_apitoken_add"),
        {
            "name": "taken",
            "role": ANALYST,
            "scopes": ["screen"],
            "expires_at_0": "2020-01-01",
            "expires_at_1": "00:00:00",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "name": ["A user named api.taken exists already; choose another name."],
        "expires_at": ["Choose a moment in the future."],
    }
    assert ApiToken.objects.count() == 0


def test_the_revoke_action_revokes_the_selected_tokens(client, superuser, api_token):
    token, secret = api_token()
    other, _ = api_token()
    client.force_login(superuser)
    response = client.post(
        reverse("admin:rules_apitoken_changelist"),
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["1 token revoked."]
    with pytest.raises(tokens.TokenRefused):
        tokens.authenticate(secret, now=timezone.now())
    other.refresh_from_db()
    assert other.revoked_at is None
    assert get_user_model().objects.get(pk=token.user_id).is_active is False
