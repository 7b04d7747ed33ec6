"""The Content-Security-Policy holds in a real browser (RELIABILITY.md "Configuration"): the
server's own header (not one added by the test), Chromium enforcing it, and every page a person
uses working under it with no violation and no script error: the login page, plotly charts and
htmx redraws on the dashboard, the htmx fields of the spec form, the language switch, the
Django admin (index, change lists, change forms with inlines, actions, the password form), and
the API's interactive docs (Swagger UI calling the API)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from config.urls import api
from rules.models import AuditEvent, Measure
from rules.publishing import create_draft
from tests.conftest import PASSWORD
from tests.e2e.conftest import login, wait_for_htmx
from tests.security.test_headers import POLICY, parse_policy

# What the content security policy lets a page run is the browser's alone: make test-postgres
# skips it.
pytestmark = [pytest.mark.e2e, pytest.mark.layout]

# Runs in every page before its own scripts; reports each violation to the test at once, so
# none is lost when the page navigates away.
WATCH = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.reportViolation(e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture(autouse=True)
def _flushable(audit_flushable):
    """A live server needs a transactional database (see tests/conftest.py)."""


class Watch:
    """Everything that goes wrong on the page: CSP violations, console errors, script errors."""

    def __init__(self, page) -> None:
        self.page = page
        self.problems: list[str] = []
        page.expose_function("reportViolation", lambda text: self.problems.append(f"CSP: {text}"))
        page.add_init_script(WATCH)
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        page.on("response", self._response)

    def _console(self, message) -> None:
        # A failed load is reported with its address by _response.
        if message.text.startswith("Failed to load resource"):
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            self.problems.append(f"console {message.type}: {message.text}")

    def _response(self, response) -> None:
        # Chromium asks for /favicon.ico on pages that name no icon (Django admin's): that is
        # the browser's own request, not the page's.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def goto(self, url: str):
        response = self.page.goto(url)
        assert parse_policy(response.headers["content-security-policy"]) == POLICY, url
        return response

    def check(self) -> list[str]:
        self.page.wait_for_load_state()
        return list(self.problems)


def test_the_dashboard_and_htmx_work_under_the_policy(page, live_server, case_in, reviewer):
    case_in("submitted")
    case_in("in_review")
    watch = Watch(page)
    watch.goto(f"{live_server.url}/login/")
    login(page, live_server, reviewer, PASSWORD)
    watch.goto(f"{live_server.url}{reverse('dashboard')}")
    plots = page.locator(".chart-plot")
    expect(plots.first.locator("svg.main-svg").first).to_be_attached()
    for i in range(plots.count()):
        expect(plots.nth(i).locator("svg.main-svg").first).to_be_attached()
    page.get_by_label("Automated outcome:").select_option("licence_required")
    wait_for_htmx(page)
    expect(page).to_have_url(re.compile(r"/dashboard/\?outcome=licence_required"))
    expect(plots.first.locator("svg.main-svg").first).to_be_attached()
    page.get_by_role("link", name="Cases").click()
    expect(page.locator("#case-rows tbody tr")).to_have_count(2)
    assert watch.check() == []


def test_the_spec_form_and_the_language_switch_work_under_the_policy(page, live_server, analyst):
    watch = Watch(page)
    login(page, live_server, analyst, PASSWORD)
    watch.goto(f"{live_server.url}{reverse('product_new')}")
    page.get_by_label("Category").select_option("battery_cell")
    wait_for_htmx(page)
    expect(page.get_by_label("Gravimetric energy density")).to_be_visible()
    page.get_by_label("Language").select_option("zh-hans")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.get_by_label("语言").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert watch.check() == []


def test_django_admin_works_under_the_policy(page, live_server, rule_set, superuser, rules_admin):
    draft = create_draft(rule_set, user=rules_admin)
    measure = Measure.objects.filter(rule_set=draft).order_by("pk").first()
    watch = Watch(page)
    login(page, live_server, superuser, PASSWORD)
    for name, args in [
        ("admin:index", []),
        ("admin:rules_auditevent_changelist", []),
        ("admin:screening_case_changelist", []),
        ("admin:rules_measure_change", [measure.pk]),
        ("admin:rules_ruleset_history", [draft.pk]),
        ("admin:auth_user_changelist", []),
        ("admin:auth_user_change", [rules_admin.pk]),
        ("admin:auth_user_password_change", [rules_admin.pk]),
    ]:
        watch.goto(f"{live_server.url}{reverse(name, args=args)}")
        expect(page.locator("#content")).to_be_visible()
    # Scripts that admin pages run: the inline formset's "add another" and the action bar.
    watch.goto(f"{live_server.url}{reverse('admin:rules_measure_change', args=[measure.pk])}")
    add_row = page.locator(".add-row a").first
    rows = page.locator("tr.form-row:not(.empty-form)")
    before = rows.count()
    add_row.click()
    expect(rows).to_have_count(before + 1)
    watch.goto(f"{live_server.url}{reverse('admin:auth_user_changelist')}")
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("selected")
    assert watch.check() == []


def test_the_watch_sees_a_blocked_inline_script(page, live_server):
    """The tests above would fail if a page ran an inline script: Chromium blocks it and the
    watch reports it."""
    watch = Watch(page)
    watch.goto(f"{live_server.url}/login/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = true'; document.body.appendChild(s); }"
    )
    page.wait_for_function("() => true")
    assert page.evaluate("window.injected === undefined")
    problems = watch.check()
    assert any(p.startswith("CSP: script-src") for p in problems), problems


def test_the_api_docs_work_under_the_policy(page, live_server, analyst, api_token):
    """Swagger UI, from our own static files, renders every endpoint and calls the API with a
    token typed into its Authorize dialog, under the policy."""
    _token, secret = api_token("reviewer", ["read"])
    watch = Watch(page)
    login(page, live_server, analyst, PASSWORD)
    watch.goto(f"{live_server.url}{reverse('api:openapi-view')}")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Export-control screening")
    # One block per operation of the API (the schema counts them, so a new endpoint needs no edit).
    operations = sum(len(methods) for methods in api.get_openapi_schema()["paths"].values())
    assert operations >= 12
    expect(page.locator(".opblock")).to_have_count(operations)
    page.locator("button.authorize").first.click()
    page.locator(".auth-container input").fill(secret)
    page.locator(".auth-btn-wrapper button.authorize").click()
    page.locator(".btn-done").click()
    operation = page.locator("#operations-screening-screening_api_case_changes")
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("input[placeholder='since']").fill("2026-01-01T00:00:00Z")
    operation.locator("button.execute").click()
    status = operation.locator(".live-responses-table tr.response td.response-col_status")
    expect(status).to_have_text("200")
    assert watch.check() == []
    [call] = AuditEvent.objects.filter(action="api.call")
    assert (call.after["endpoint"], call.after["status"]) == ("/api/v1/cases/changes", 200)
