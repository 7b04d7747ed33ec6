"""Security headers on every kind of response (RELIABILITY.md "Configuration"): pages, htmx
fragments, Django admin, the login and lockout pages, redirects, error pages (400, 403, 404,
405, 500), JSON, CSV and XLSX exports, static files. Downloads of stored files keep their own,
stricter policy."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from screening.evidence import attach
from screening.imports import receiving
from tests.conftest import IN_FORCE_DAY, PASSWORD, TINY_PDF

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
DOWNLOAD_POLICY = {"default-src": ["'none'"], "sandbox": []}


def parse_policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_secure_headers(response, policy=POLICY, *, framing_header: bool = True) -> None:
    assert parse_policy(response["Content-Security-Policy"]) == policy
    assert "Content-Security-Policy-Report-Only" not in response
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    # X-Frame-Options is the old browsers' fallback for frame-ancestors 'none' (above, on every
    # response). Responses made before the clickjacking middleware runs (static files, a
    # request refused for its host) go without it.
    if framing_header:
        assert response["X-Frame-Options"] == "DENY"


@pytest.fixture(autouse=True)
def _production_errors(settings, tmp_path):
    settings.DEBUG = False
    settings.MEDIA_ROOT = tmp_path


def as_user(client, user):
    client.force_login(user)
    return client


# (name, how to get the response, status it has)
RESPONSES: list[tuple[str, object, int]] = [
    ("page", lambda c, u: as_user(c, u["analyst"]).get(reverse("product_list")), 200),
    (
        "htmx fragment",
        lambda c, u: as_user(c, u["analyst"]).get(reverse("product_list"), HTTP_HX_REQUEST="true"),
        200,
    ),
    ("dashboard", lambda c, u: as_user(c, u["reviewer"]).get(reverse("dashboard")), 200),
    ("admin", lambda c, u: as_user(c, u["superuser"]).get(reverse("admin:index")), 200),
    (
        "admin change list",
        lambda c, u: as_user(c, u["superuser"]).get(reverse("admin:rules_auditevent_changelist")),
        200,
    ),
    ("admin login", lambda c, u: c.get(reverse("admin:login")), 200),
    ("login page", lambda c, u: c.get(reverse("login")), 200),
    ("redirect to login", lambda c, u: c.get(reverse("case_list")), 302),
    ("health check", lambda c, u: c.get(reverse("healthz")), 200),
    ("404", lambda c, u: as_user(c, u["analyst"]).get("/products/999999/"), 404),
    ("403", lambda c, u: as_user(c, u["outsider"]).get(reverse("case_list")), 403),
    (
        "400",
        lambda c, u: as_user(c, u["analyst"]).get(reverse("product_list"), HTTP_HOST="bad.example"),
        400,
    ),
    ("405", lambda c, u: as_user(c, u["analyst"]).delete(reverse("product_list")), 405),
    ("CSV template", lambda c, u: as_user(c, u["analyst"]).get(reverse("template_csv")), 200),
    ("XLSX template", lambda c, u: as_user(c, u["analyst"]).get(reverse("template_xlsx")), 200),
    (
        "CSV export",
        lambda c, u: as_user(c, u["reviewer"]).post(reverse("dashboard_csv", args=["category"])),
        200,
    ),
    # The API: its answers and problems, its docs page and schema.
    ("API problem", lambda c, u: c.post(reverse("api:screen")), 401),
    ("API unknown address", lambda c, u: c.get("/api/v1/nothing"), 404),
    (
        "API answer",
        lambda c, u: c.get(
            reverse("api:case_changes"),
            {"since": "2026-01-01T00:00:00Z"},
            HTTP_AUTHORIZATION=f"Bearer {u['token']}",
        ),
        200,
    ),
    ("API docs", lambda c, u: as_user(c, u["analyst"]).get(reverse("api:openapi-view")), 200),
    ("API schema", lambda c, u: as_user(c, u["analyst"]).get(reverse("api:openapi-json")), 200),
]


@pytest.mark.parametrize(("kind", "get", "status"), RESPONSES, ids=[r[0] for r in RESPONSES])
def test_every_kind_of_response_carries_the_security_headers(
    client, analyst, reviewer, outsider, superuser, api_token, kind, get, status
):
    users = {"analyst": analyst, "reviewer": reviewer, "outsider": outsider, "superuser": superuser}
    users["token"] = api_token("reviewer", ["read"])[1]
    response = get(client, users)
    assert response.status_code == status
    assert_secure_headers(response, framing_header=kind != "400")


@pytest.mark.urls("tests.security.urls")
def test_the_server_error_page_carries_the_security_headers(client, analyst):
    client.raise_request_exception = False
    client.force_login(analyst)
    response = client.get("/__fail__/")
    assert response.status_code == 500
    assert_secure_headers(response)


def test_the_lockout_page_carries_the_security_headers(client, analyst, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            reverse("login"), {"username": analyst.username, "password": "wrong-password-1"}
        )
    assert response.status_code == 429
    assert_secure_headers(response)


def test_static_files_carry_the_policy(client, db):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert_secure_headers(response, framing_header=False)
    assert b"".join(response.streaming_content)  # read to the end, which closes the file


def test_a_logged_in_page_after_a_real_login_carries_the_headers(client, analyst):
    response = client.post(
        reverse("login"), {"username": analyst.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("case_list") + "?queue=true"
    assert_secure_headers(response)


def test_downloads_of_stored_files_keep_their_stricter_policy(client, analyst, case_in):
    upload = receiving.receive(
        data=b"sku,name\nA-1,Cell\n", filename="s.csv", user=analyst, as_of=IN_FORCE_DAY
    )
    case = case_in("draft")
    evidence = attach(case=case, user=analyst, upload=SimpleUploadedFile("r.pdf", TINY_PDF))
    client.force_login(analyst)
    for url in (reverse("upload_original", args=[upload.pk]), evidence.get_absolute_url()):
        response = client.post(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert_secure_headers(response, DOWNLOAD_POLICY)
        assert b"".join(response.streaming_content)  # read to the end, which closes the file
