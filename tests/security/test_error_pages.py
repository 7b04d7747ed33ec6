"""Error pages: our own templates, with no traceback, SQL or settings in them, ever
(RELIABILITY.md "Configuration"). Rendered as production renders them, with DEBUG off."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.security.urls import LEAK

# Whatever a debug page or a leaking error page would show.
NEVER_SHOWN = (
    "Traceback",
    "RuntimeError",
    "SELECT",
    "auth_user",
    "SECRET_KEY",
    "django-insecure",
    "settings",
    "DATABASES",
    'File "',
    "site-packages",
    "/work/",
)


@pytest.fixture(autouse=True)
def _production_errors(settings):
    settings.DEBUG = False


def assert_generic(response, status: int, heading: str) -> None:
    text = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in text
    shown = [word for word in NEVER_SHOWN if word in text]
    assert shown == []


def test_not_found_is_our_page(client, analyst):
    client.force_login(analyst)
    response = client.get("/products/999999/")
    assert_generic(response, 404, "Page not found")
    assert response.templates[0].name == "404.html"


def test_a_case_that_is_not_yours_is_the_same_not_found_page(client, case_in, analyst2):
    case = case_in("draft")
    client.force_login(analyst2)
    response = client.get(reverse("case_detail", args=[case.pk]))
    assert_generic(response, 404, "Page not found")
    assert case.product.sku not in response.content.decode()


def test_forbidden_is_our_page(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("case_list"))
    assert_generic(response, 403, "You do not have access to this page")


def test_bad_request_is_our_page(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("product_list"), HTTP_HOST="attacker.example")
    assert_generic(response, 400, "The request could not be handled")
    assert "attacker.example" not in response.content.decode()


@pytest.mark.urls("tests.security.urls")
def test_server_error_is_our_page_and_says_nothing_of_the_error(client, analyst, caplog):
    client.raise_request_exception = False
    client.force_login(analyst)
    response = client.get("/__fail__/")
    assert_generic(response, 500, "Something went wrong on our side")
    assert LEAK not in response.content.decode()
    assert response.templates[0].name == "500.html"
    # The details go to the log, for the administrator.
    assert any(LEAK in str(record.exc_info[1]) for record in caplog.records if record.exc_info)


def test_the_server_error_page_renders_without_the_database(db, django_assert_num_queries, rf):
    from django.views.defaults import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert "Something went wrong on our side" in response.content.decode()


def test_a_request_without_its_csrf_token_is_refused_without_details(analyst):
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    response = client.post(
        reverse("upload_new"), {"file": SimpleUploadedFile("a.csv", b"sku\nA\n")}
    )
    text = response.content.decode()
    assert response.status_code == 403
    assert "CSRF verification failed" in text
    assert [word for word in NEVER_SHOWN if word in text] == []
    assert "CSRF_COOKIE" not in text


def test_a_method_that_a_page_does_not_accept_is_refused(client, analyst):
    client.force_login(analyst)
    response = client.delete(reverse("product_list"))
    assert response.status_code == 405
    assert response["Allow"] == "GET"
