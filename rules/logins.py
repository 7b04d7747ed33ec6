"""Login throttling around django-axes: the client's address behind trusted proxies, and a cap
per address across user names.

Axes locks one user name from one address out after LOGIN_FAILURE_LIMIT failures. That alone
lets one address try a few passwords against every user name; LoginThrottle also locks an
address out once its failures across all user names reach LOGIN_ADDRESS_FAILURE_LIMIT within
the cool-off time. Both need the real client address: behind a TLS proxy REMOTE_ADDR is the
proxy's, so every user would share one address (and one address could lock out everyone).
With TRUSTED_PROXY_COUNT proxies in front, each appending the address it received from to
X-Forwarded-For, the client is the entry that the outermost trusted proxy appended; entries to
its left come from the client and are not trusted.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the one the outermost trusted proxy saw."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    return forwarded[-count] if len(forwarded) >= count else remote


def address_failures(address: str) -> int:
    """Failed logins from this address within the cool-off time, whatever the user name."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        failures=Sum("failures_since_start")
    )["failures"]
    return total or 0


class LoginThrottle(AxesDatabaseHandler):
    """Axes' database handler, plus the cap per address (AXES_HANDLER): checked before a login
    is tried (is_locked) and after each failure (as Axes checks its own limit there)."""

    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self._address_capped(request)

    def user_login_failed(
        self, sender: object, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not getattr(request, "axes_locked_out", False):
            # django-axes reads this attribute of the request: the lockout response follows.
            request.axes_locked_out = self._address_capped(request)  # type: ignore[attr-defined]

    def _address_capped(self, request: HttpRequest) -> bool:
        address = getattr(request, "axes_ip_address", None) or client_address(request)
        if address_failures(address) < settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return False
        # The lockout page says which lockout.
        request.login_address_locked_out = True  # type: ignore[attr-defined]
        return True
