"""Service accounts of the API: issuing, checking, rate-limiting and revoking their tokens, and
replaying the first answer to a retried request (Idempotency-Key).

A token is 256 random bits shown once, at creation; only its SHA-256 is kept. It is found by
that digest and compared in constant time. Each token has a user of its own (the service
account: in the role's group, without a password, so it can never log in), which is what the
access rules (rules.access) and the audit trail see.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.core import checks
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When

from rules import audit
from rules.models import ApiIdempotentRequest, ApiToken

# Export-control screening: makes a token recognisable in logs and to secret scanners.
SECRET_PREFIX = "ecs_"  # noqa: S105 -- a fixed prefix, not a secret
PREFIX_LENGTH = 12  # what is kept to recognise a token: "ecs_" and 8 random characters
SERVICE_USERNAME = "api.{name}"
RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(s|m|h|d)\s*$")
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def service_username(name: str) -> str:
    return SERVICE_USERNAME.format(name=name)


@transaction.atomic
def issue(token: ApiToken, *, created_by: User | None) -> str:
    """Save a new token (name, role, scopes and expiry set) with its service account; return
    the secret, which exists nowhere else once the caller has shown it."""
    # No password: the account can never log in (create_user makes the password unusable).
    user = get_user_model().objects.create_user(username=service_username(token.name))
    user.groups.add(Group.objects.get(name=token.role))
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token.user = user
    token.digest = digest_of(secret)
    token.prefix = secret[:PREFIX_LENGTH]
    token.created_by = created_by
    token.save()
    audit.record(
        "api.token.issue",
        actor=created_by,
        obj=token,
        after={
            "name": token.name,
            "role": token.role,
            "scopes": token.scopes,
            "expires_at": token.expires_at,
            "prefix": token.prefix,
            "service_account": user.get_username(),
        },
    )
    return secret


@transaction.atomic
def revoke(*, token: ApiToken, user: User, now: dt.datetime) -> bool:
    """Revoke a token for good (its service account is deactivated too); False if it already
    was revoked."""
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=user
    )
    if not revoked:
        return False
    get_user_model().objects.filter(pk=token.user_id).update(is_active=False)
    token.refresh_from_db()
    audit.record(
        "api.token.revoke",
        actor=user,
        obj=token,
        before={"revoked_at": None},
        after={"revoked_at": now, "prefix": token.prefix},
    )
    return True


class TokenRefused(Exception):
    """The secret opens nothing: unknown, expired or revoked. `token` is set when the secret
    belongs to a token (expired or revoked), so the refusal can be recorded under its name."""

    def __init__(self, reason: str, token: ApiToken | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.token = token


def authenticate(secret: str, *, now: dt.datetime) -> ApiToken:
    """The live token this secret is, or TokenRefused."""
    if not secret.startswith(SECRET_PREFIX):
        raise TokenRefused("unknown")
    digest = digest_of(secret)
    # Found by its digest (an index lookup learns nothing of the secret: SHA-256 has no useful
    # preimage), then compared in constant time all the same.
    token = ApiToken.objects.select_related("user").filter(digest=digest).first()
    if token is None or not hmac.compare_digest(token.digest, digest):
        raise TokenRefused("unknown")
    if token.revoked_at is not None:
        raise TokenRefused("revoked", token)
    if token.expires_at <= now:
        raise TokenRefused("expired", token)
    if not token.user.is_active:
        raise TokenRefused("inactive", token)
    return token


# --- rate limits -------------------------------------------------------------------------------


def parse_rate(text: str) -> tuple[int, int]:
    """(calls, period in seconds) from "600/m" (s, m, h or d); ValueError otherwise."""
    match = RATE_RE.match(text)
    if not match or int(match.group(1)) < 1:
        raise ValueError(f"{text!r} is not a rate such as 600/m (calls per s, m, h or d)")
    return int(match.group(1)), PERIODS[match.group(2)]


def check_rate_setting(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """System check: API_RATE_LIMIT is a rate such as 600/m."""
    try:
        parse_rate(settings.API_RATE_LIMIT)
    except ValueError as exc:
        return [checks.Error(str(exc), hint="Set API_RATE_LIMIT to e.g. 600/m.", id="rules.E001")]
    return []


def count_call(token: ApiToken, *, now: dt.datetime, rate: str | None = None) -> float | None:
    """Count one call of the token in its current window (fixed windows aligned on the clock).
    None when it is within the rate (settings.API_RATE_LIMIT); otherwise the seconds until the
    window ends, when calls are accepted again.

    One conditional UPDATE counts the call, whichever process serves it: the right-hand sides
    see the row as it was, so a new window starts at 1 and a current one adds 1.
    """
    calls, period = parse_rate(rate or settings.API_RATE_LIMIT)
    epoch = now.timestamp()
    start = dt.datetime.fromtimestamp(epoch - epoch % period, tz=dt.UTC)
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(
            window_calls=Case(
                When(window_start=start, then=F("window_calls") + 1), default=Value(1)
            ),
            window_start=start,
            last_used_at=now,
        )
        counted = ApiToken.objects.filter(pk=token.pk).values_list("window_calls", flat=True)[0]
    if counted <= calls:
        return None
    return max((start - now).total_seconds() + period, 0.0)


def retry_after(seconds: float) -> str:
    """The Retry-After header's value: whole seconds, at least 1 (RFC 9110)."""
    return str(max(1, math.ceil(seconds)))


# --- idempotent retries --------------------------------------------------------------------------


@dataclass(frozen=True)
class Replay:
    """The first answer to a request, sent again for a retry with the same key."""

    status: int
    content_type: str
    body: str


class KeyConflict(Exception):
    """The key cannot be used for this request: in use by one still running, or by another."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "in_progress" | "reused"


def claim_key(
    *,
    token: ApiToken,
    key: str,
    method: str,
    path: str,
    body_sha256: str,
    now: dt.datetime,
) -> Replay | None:
    """Start the request under its Idempotency-Key (None), or give the first answer to replay.

    Raises KeyConflict when the first request with this key is still running, or when the key
    was used for a different request. Keys are kept API_IDEMPOTENCY_KEEP_HOURS."""
    keep = dt.timedelta(hours=settings.API_IDEMPOTENCY_KEEP_HOURS)
    ApiIdempotentRequest.objects.filter(token=token, created_at__lt=now - keep).delete()
    try:
        with transaction.atomic():
            ApiIdempotentRequest.objects.create(
                token=token,
                key=key,
                method=method,
                path=path,
                request_sha256=body_sha256,
                created_at=now,
            )
        return None
    except IntegrityError:
        pass
    first = ApiIdempotentRequest.objects.get(token=token, key=key)
    if (first.method, first.path, first.request_sha256) != (method, path, body_sha256):
        raise KeyConflict("reused")
    if first.status is None:
        raise KeyConflict("in_progress")
    return Replay(first.status, first.content_type, first.body)


def finish_key(*, token: ApiToken, key: str, status: int, content_type: str, body: str) -> None:
    """Keep the answer for retries."""
    ApiIdempotentRequest.objects.filter(token=token, key=key, status__isnull=True).update(
        status=status, content_type=content_type, body=body
    )


def release_key(*, token: ApiToken, key: str) -> None:
    """Forget a key whose request failed on the server's side, so that a retry runs again."""
    ApiIdempotentRequest.objects.filter(token=token, key=key, status__isnull=True).delete()
