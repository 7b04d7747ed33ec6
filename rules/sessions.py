"""Login sessions end after a while without a request, and after a fixed time in any case.

Django's session expiry slides whenever the session is written, so it cannot by itself bound a
session's whole life once something writes to the session regularly (as the idle clock below
does). This middleware keeps both clocks in the session and ends the session (logs out) when
either has run out:

- idle: `SESSION_IDLE_SECONDS` without a request (default 30 minutes);
- absolute: `SESSION_COOKIE_AGE` since the login (`SESSION_ABSOLUTE_SECONDS`, default 12 hours).

The clocks start with the login, in the same session write. The time of the last request is
rewritten at most once a minute, so a page and its htmx fragments cost no session write of
their own. A session without clocks (one from before this middleware, or opened without the
login page) counts from the user's last login until its first write. A logged-out request then
meets LoginRequiredMiddleware (next in the chain), which sends the user to the login page.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

STARTED = "session_started"
LAST_SEEN = "session_last_seen"
# The idle clock's resolution: how stale the stored time may get before it is rewritten.
RESOLUTION_SECONDS = 60


def expired(*, started: float, last_seen: float, now: float) -> bool:
    """Whether a session has run out of absolute or idle time."""
    return (
        now - started > settings.SESSION_COOKIE_AGE
        or now - last_seen > settings.SESSION_IDLE_SECONDS
    )


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = time.time()
        user = request.user
        if user.is_authenticated:
            session = request.session
            login = user.last_login.timestamp() if user.last_login else now
            started = session.get(STARTED, login)
            last_seen = session.get(LAST_SEEN, login)
            if expired(started=started, last_seen=last_seen, now=now):
                logout(request)
            elif now - last_seen >= RESOLUTION_SECONDS:
                session[STARTED] = int(started)
                session[LAST_SEEN] = int(now)
        response = self.get_response(request)
        # A login in this request starts both clocks, in the session write the login makes.
        if (
            request.user.is_authenticated
            and request.session.modified
            and STARTED not in request.session
        ):
            request.session[STARTED] = int(now)
            request.session[LAST_SEEN] = int(now)
        return response
