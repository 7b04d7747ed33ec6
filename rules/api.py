"""What every endpoint of the API shares (django-ninja, /api/v1/): a token in the
Authorization header, checked with its scope and its role's capability (rules.access, the same
rules as the pages); a rate limit per token; a bounded JSON body, read only after those checks;
errors as problem details
(RFC 9457), never a stack trace; and an audit event for every call (ApiMiddleware).

Each app adds a Router of endpoints (screening/api.py); config/urls.py mounts them on one
ServiceAPI. Sessions open nothing here: a browser's cookie is no token, so the API needs no
CSRF protection and cannot be driven by another site.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from http import HTTPStatus
from typing import Any

import orjson
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.parser import Parser
from ninja.renderers import BaseRenderer
from ninja.security.http import HttpBearer

from rules import audit, tokens
from rules.access import ROLE_LABELS, can
from rules.models import ApiToken

logger = logging.getLogger("rules.api")

PREFIX = "/api/v1/"
NAMESPACE = "api"
DOCS_URL_NAMES = ("openapi-json", "openapi-view")  # for signed-in people, not for tokens
PROBLEM_TYPE = PREFIX + "problems/{slug}"
PROBLEM_JSON = "application/problem+json"
# RFC 9110's names where Python 3.11's differ.
TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}


# --- problem details -----------------------------------------------------------------------------


class Problem(Exception):
    """An error answered as problem details: type (from `slug`), title, status, detail,
    instance, and for spec errors `errors`: [{row, column, value, message}]."""

    def __init__(
        self,
        status: int,
        slug: str,
        detail: str,
        *,
        title: str = "",
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.title = title or TITLES.get(status) or HTTPStatus(status).phrase
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def problem_response(request: HttpRequest, problem: Problem) -> HttpResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE.format(slug=problem.slug),
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        "instance": request.path,
    }
    if problem.errors is not None:
        body["errors"] = problem.errors
    response = HttpResponse(orjson.dumps(body), status=problem.status, content_type=PROBLEM_JSON)
    for name, value in problem.headers.items():
        response[name] = value
    # ApiMiddleware names the problem in the call's audit event.
    request.api_problem = problem.slug  # type: ignore[attr-defined]
    return response


def _validation_problem(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Request validation errors: a spec cell by row (1 = the first spec) and column, any other
    field by its JSON pointer."""
    errors = []
    for error in exc.errors:
        location = [part for part in error.get("loc", ()) if part not in ("body", "payload")]
        message = str(error.get("msg", "invalid"))
        if len(location) >= 3 and location[0] == "specs" and isinstance(location[1], int):
            value = error.get("input")
            errors.append(
                {
                    "row": location[1] + 1,
                    "column": str(location[2]),
                    "value": "" if value is None else str(value)[:200],
                    "message": message,
                }
            )
        else:
            pointer = "/" + "/".join(str(part) for part in location)
            errors.append({"pointer": pointer, "message": message})
    return problem_response(
        request,
        Problem(422, "invalid-request", "The request does not follow the schema.", errors=errors),
    )


def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
    return problem_response(
        request, Problem(500, "server-error", "The server failed; nothing is said of why here.")
    )


# --- tokens, scopes, capabilities, rate limits ---------------------------------------------------

TOKEN_REFUSALS = {
    "unknown": "The token is not valid.",
    "expired": "The token has expired.",
    "revoked": "The token was revoked.",
    "inactive": "The token's service account is disabled.",
}


def _unauthorised(detail: str) -> Problem:
    return Problem(401, "unauthorised", detail, headers={"WWW-Authenticate": "Bearer"})


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`, for an endpoint that needs a scope and a capability.

    In this order: a live token (401), within its rate (429 with Retry-After), with the scope
    (403), whose role has the capability (403); then the body is read (413 over the limit).
    The token is kept on the request for the audit even when it is refused."""

    def __init__(self, scope: str, capability: str) -> None:
        super().__init__()
        if scope not in ApiToken.Scope.values:
            raise ValueError(f"unknown scope {scope!r}")
        self.scope = scope
        self.capability = capability

    def __call__(self, request: HttpRequest) -> ApiToken:
        kind, _, secret = request.headers.get("Authorization", "").partition(" ")
        if kind.lower() != "bearer" or not secret.strip():
            raise _unauthorised("Send the token as 'Authorization: Bearer <token>'.")
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        now = timezone.now()
        try:
            found = tokens.authenticate(token, now=now)
        except tokens.TokenRefused as refused:
            # ApiMiddleware names the token in the call's audit event.
            request.api_token = refused.token  # type: ignore[attr-defined]
            raise _unauthorised(TOKEN_REFUSALS[refused.reason]) from None
        request.api_token = found  # type: ignore[attr-defined]  # as above
        wait = tokens.count_call(found, now=now)
        if wait is not None:
            raise Problem(
                429,
                "rate-limited",
                f"This token may make {settings.API_RATE_LIMIT} calls; try again later.",
                headers={"Retry-After": tokens.retry_after(wait)},
            )
        if not found.has_scope(self.scope):
            raise Problem(403, "scope-missing", f"The token lacks the scope '{self.scope}'.")
        if not can(found.user, self.capability):
            role = ROLE_LABELS.get(found.role, found.role)
            raise Problem(403, "not-allowed", f"The token's role ({role}) may not do this.")
        if request.method in ("POST", "PUT", "PATCH"):
            read_body(request)  # only now: nobody without a right to the endpoint sends 20 MB
        return found


# --- request bodies and responses ----------------------------------------------------------------


class ORJSONParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        return orjson.loads(request.body)


def _bad_request(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """django-ninja's own refusals: a body that is no JSON, mostly."""
    if isinstance(exc.__cause__, orjson.JSONDecodeError):
        return problem_response(
            request, Problem(400, "not-json", f"The body is not JSON: {exc.__cause__}")
        )
    return problem_response(request, Problem(exc.status_code, "error", str(exc)))


def read_body(request: HttpRequest) -> None:
    """Read a request body of up to API_MAX_BODY_BYTES, where request.body finds it (a batch
    of specs is larger than the forms' limit, DATA_UPLOAD_MAX_MEMORY_SIZE, which request.body
    applies and which stays as it is); Problem 413 beyond it."""
    limit = settings.API_MAX_BODY_BYTES
    too_large = Problem(413, "too-large", f"The body is over {limit:,} bytes.")
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
        raise too_large
    # Django's own cache of the body, where request.body looks first.
    if not hasattr(request, "_body"):
        request._body = request.read(limit + 1)
    if len(request._body) > limit:
        raise too_large


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return orjson.dumps(data, default=str)


def json_response(data: Any, *, status: int = 200) -> HttpResponse:
    """A JSON answer built straight from plain data (large results skip re-validation)."""
    return HttpResponse(orjson.dumps(data), status=status, content_type="application/json")


def caller(request: HttpRequest) -> ApiToken:
    """The token TokenAuth accepted for this call."""
    # django-ninja keeps what the authentication returned as request.auth.
    return request.auth  # type: ignore[attr-defined]


def summarise(request: HttpRequest, **summary: Any) -> None:
    """What the audit event of this call says about it, beyond token, endpoint and status."""
    # ApiMiddleware adds it to the call's audit event.
    request.api_summary = summary  # type: ignore[attr-defined]


# --- the API -------------------------------------------------------------------------------------


class ServiceAPI(NinjaAPI):
    """The API with its problem details, parser, renderer and docs (Swagger UI from our own
    static files, no validator badge from the internet); its endpoints are reached with tokens,
    its docs by signed-in people."""

    def __init__(self, routers: Sequence[tuple[str, Router]], **kwargs: Any) -> None:
        super().__init__(
            urls_namespace=NAMESPACE,
            parser=ORJSONParser(),
            renderer=ORJSONRenderer(),
            docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
            **kwargs,
        )
        handlers: dict[type[Exception], Callable[[HttpRequest, Any], HttpResponse]] = {
            Problem: problem_response,
            ValidationError: _validation_problem,
            AuthenticationError: lambda r, e: problem_response(
                r, _unauthorised("Send the token as 'Authorization: Bearer <token>'.")
            ),
            Http404: lambda r, e: problem_response(
                r, Problem(404, "not-found", "There is nothing here for this token.")
            ),
            HttpError: _bad_request,
            Exception: _server_error,
        }
        for exc_class, handler in handlers.items():
            self.add_exception_handler(exc_class, handler)
        for prefix, router in routers:
            self.add_router(prefix, router)

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        """The endpoints take tokens, not logins: LoginRequiredMiddleware lets them through
        (the docs and the schema stay behind the login page)."""
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern) and pattern.name not in DOCS_URL_NAMES:
                login_not_required(pattern.callback)
        return patterns, app_name, namespace


@login_not_required
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /api/v1/: a problem, not the site's HTML page."""
    return problem_response(
        request, Problem(404, "not-found", "No endpoint has this address; see /api/v1/docs.")
    )


# --- the audit of every call ---------------------------------------------------------------------


def is_api_call(request: HttpRequest) -> bool:
    if not request.path.startswith(PREFIX):
        return False
    match = request.resolver_match
    return match is None or match.url_name not in DOCS_URL_NAMES


class ApiMiddleware:
    """Every call to the API, whatever its answer, is an audit event ("api.call") with the
    token's name (or none), the endpoint, the status and a summary; and every error of the API
    is problem details, even one raised outside an endpoint (an unknown method, say).

    Innermost but for django-axes, so the response it sees is final and the outer middleware
    (security headers, CSP) still treat what it returns."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not is_api_call(request):
            return response
        if response.status_code >= 400 and response.get("Content-Type") != PROBLEM_JSON:
            slug = "method-not-allowed" if response.status_code == 405 else "error"
            response = problem_response(
                request,
                Problem(response.status_code, slug, HTTPStatus(response.status_code).phrase),
            )
        try:
            _audit_call(request, response)
        except Exception as exc:  # noqa: BLE001 -- an unaudited call must not pass as answered
            return _server_error(request, exc)
        return response


def _audit_call(request: HttpRequest, response: HttpResponseBase) -> None:
    token: ApiToken | None = getattr(request, "api_token", None)
    match = request.resolver_match
    routed = match is not None and match.url_name != "api_not_found"
    endpoint = f"/{match.route}" if match is not None and routed else request.path[:200]
    audit.record(
        "api.call",
        actor=token.user if token is not None else None,
        object_type=ApiToken._meta.label_lower,
        object_id=str(token.pk) if token is not None else "",
        object_repr=token.name if token is not None else "",
        after={
            "token": token.name if token is not None else None,
            "method": request.method,
            "endpoint": endpoint,
            "status": response.status_code,
            "summary": getattr(request, "api_summary", {}),
        },
        reason=getattr(request, "api_problem", ""),
    )
