"""The README's screenshots of the main pages, taken by the browser against demo-like data.

`UPDATE_SCREENSHOTS=1 make test` (or pytest this file) writes them to docs/screenshots as
small JPEGs; otherwise they go to test-artifacts/ and the test checks each page rendered.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.layout]  # make test-postgres skips it

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PAGES = [
    ("dashboard", "reviewer", "/dashboard/", "Exposure dashboard"),
    ("cases", "reviewer", "/cases/", "Cases"),
    ("screening", "reviewer", None, None),
    ("spec-form", "analyst", "/products/new/", "Screen a product"),
    ("catalogue", "reviewer", "/catalogue/", "Control catalogue"),
    ("rule-sets", "rulesadmin", "/rules/", "Rule sets"),
    ("dashboard-zh", "rulesadmin", "/dashboard/", "管制风险分布"),
]


def test_main_pages_for_the_readme(page, live_server, db):
    call_command("seed_demo", "--products", "40", verbosity=0)
    User = get_user_model()
    for user in User.objects.all():
        user.set_password("screenshot-pass-12345")
        user.save()
    folder = DOCS if os.environ.get("UPDATE_SCREENSHOTS") else ARTIFACTS / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    current = None
    for name, username, path, heading in PAGES:
        if username != current:
            if current:
                page.get_by_role("button", name="Log out").click()
            page.goto(f"{live_server.url}/login/")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill("screenshot-pass-12345")
            page.locator("main").get_by_role("button", name="Log in").click()
            page.wait_for_url(lambda url: "/login/" not in url)
            current = username
        if name.endswith("-zh"):  # the language switch's choice, as a cookie
            page.context.add_cookies(
                [{"name": "django_language", "value": "zh-hans", "url": live_server.url}]
            )
        if path is None:  # a licence-required classification sheet
            from screening.models import Screening

            screening = Screening.objects.filter(outcome="licence_required").first()
            path, heading = f"/screenings/{screening.pk}/", "Licence required"
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("heading", level=1).first).to_contain_text(heading)
        page.screenshot(path=str(folder / f"{name}.jpg"), type="jpeg", quality=55)
        assert (folder / f"{name}.jpg").stat().st_size < 400_000
