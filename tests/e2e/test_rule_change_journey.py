"""Journey: the issue's rule change on a seeded portfolio, through the browser (issue 21).

Two rules administrators lower 3C901.a.1 to 2.45 g/cm³ and 3A001 to 290 Wh/kg (the reference
product that expected "near threshold" at 290 Wh/kg follows), check the impact preview, and
publish with a rationale and a source. The counts on the preview, the re-screen, the rule set,
the dashboard and the lists must agree with each other and with the database. A reviewer then
meets a flagged case: it is not approved on its outdated outcome, and is approved once based on
the new screening.

The portfolio is `seed_demo --products N`: N = 300 here, to stay fast; set JOURNEY_PRODUCTS=20000
to run the issue's size (about ten minutes on two cores, most of it seeding).
"""

from __future__ import annotations

import io
import os
import re

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from rules.evaluation import screen_frame
from rules.models import RuleSet
from screening.models import Case, CaseEvent, Product, Rescreen, RescreenChange, Screening
from screening.models.cases import OPEN_STATES, Determination
from screening.portfolio import portfolio
from screening.products import default_regimes
from tests.conftest import PASSWORD
from tests.e2e.conftest import login, screenshot, wait_for_htmx

pytestmark = pytest.mark.e2e

PRODUCTS = int(os.environ.get("JOURNEY_PRODUCTS", "300"))
COUNT_CAP = 1_000  # lists count at most this many rows (screening.paging)


@pytest.fixture(autouse=True)
def _tasks_inline(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def seeded(rule_set):
    call_command("seed_demo", "--products", str(PRODUCTS), verbosity=0, stdout=io.StringIO())
    users = {}
    for name in ("rulesadmin", "rulesadmin2", "reviewer", "admin"):
        user = get_user_model().objects.get(username=name)
        user.set_password(PASSWORD)
        user.save()
        users[name] = user
    return users


def decidable(case: Case) -> str:
    """A determination for the case: its automated outcome where that is one."""
    return (
        case.automated_outcome
        if case.automated_outcome in Determination.values
        else Determination.LICENCE_REQUIRED
    )


def number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def stats(page) -> dict[str, int]:
    """The figures of a re-screen page, by their label."""
    values = page.locator(".stat .stat-value").all_inner_texts()
    labels = page.locator(".stat .stat-label").all_inner_texts()
    return {label: number(value) for label, value in zip(labels, values, strict=True)}


def kpis(page) -> dict[str, int]:
    labels = page.locator(".kpi .kpi-label").all_inner_texts()
    values = page.locator(".kpi .kpi-value").all_inner_texts()
    return {label: number(value) for label, value in zip(labels, values, strict=True)}


def listed(page) -> int:
    """How many rows a product or case list says it has (capped)."""
    text = page.locator(".pagination span").first.inner_text()
    if "of more than" in text:  # "Page 1 of more than 1000 cases: narrow the list …"
        return COUNT_CAP + 1
    return number(re.search(r"\(([\d,]+) (?:case|product)", text).group(1))


def set_threshold(page, entry: str, value: str) -> None:
    page.get_by_role("link", name=entry, exact=True).click()
    page.locator("input[name$='-threshold']").first.fill(value)
    page.locator("input[name='_save']").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")


def independent_changes(baseline: RuleSet, candidate: RuleSet, as_of) -> int:
    """Products whose outcome the candidate changes, counted straight from the evaluator."""
    frame = portfolio()
    outcomes = []
    for rule_set in (baseline, candidate):
        catalogue = rule_set.catalogue()
        screened = screen_frame(frame, catalogue.for_regimes(default_regimes(catalogue)), as_of)
        outcomes.append(screened.outcomes.to_numpy(dtype=object))
    return int(np.count_nonzero(outcomes[0] != outcomes[1]))


def test_the_issues_rule_change_at_scale_adds_up_on_every_page(page, live_server, seeded):
    page.set_default_timeout(15_000 + PRODUCTS * 6)
    today = timezone.localdate()
    current = RuleSet.objects.current()
    screenings_before = Screening.objects.count()

    # The maker: a draft with both thresholds lowered and the reference that follows.
    login(page, live_server, seeded["rulesadmin"], PASSWORD)
    page.goto(f"{live_server.url}/rules/")
    page.get_by_role("button", name="Copy the current rules as a draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{current.version}-draft1")
    draft_url = page.url
    page.get_by_role("link", name="its entries").click()
    entries_url = page.url
    set_threshold(page, "CN-2025-58:3A001", "290")
    page.goto(entries_url)
    set_threshold(page, "CN-2025-58:3C901.a.1", "2.45")
    page.goto(draft_url)
    expect(page.locator("table.references")).to_contain_text("fails: Licence required")
    page.get_by_role("link", name="reference products").click()
    page.get_by_role("link", name="Li-ion cell at 290 Wh/kg").click()
    page.locator("select[name$='-outcome']").first.select_option("licence_required")
    page.locator("input[name='_save']").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.get_by_role("button", name="Log out").click()

    # The checker: the changes, the references, the impact, then the publish.
    login(page, live_server, seeded["rulesadmin2"], PASSWORD)
    page.goto(draft_url)
    changes = page.locator("table.changes")
    expect(changes).to_contain_text("≥ 300 → 290 Wh/kg")
    expect(changes).to_contain_text("≥ 2.5 → 2.45 g/cm³")
    expect(changes).to_contain_text("near_threshold → licence_required")
    expect(page.locator("main")).to_contain_text(
        "Every reference product gives its expected outcome."
    )
    page.get_by_role("button", name="Preview the impact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impact preview")
    draft = RuleSet.objects.get(status="draft")
    preview = Rescreen.objects.get(kind="preview")
    expected = independent_changes(current, draft, today)
    assert expected > 0
    assert stats(page) == {
        "products screened": Product.objects.count(),
        "products whose outcome changes": expected,
    }
    assert RescreenChange.objects.filter(rescreen=preview).count() == expected
    page.goto(draft_url)
    expect(page.locator(".preview-seen")).to_contain_text(
        f"as of {today:%Y-%m-%d}, {expected:,} of {Product.objects.count():,} outcomes change"
    )
    page.get_by_label("Rationale").fill("No. 58 as amended: 290 Wh/kg and 2.45 g/cm³.")
    page.get_by_label("Source").fill("MOFCOM announcement, read on 2026-11-26")
    label = page.get_by_label("Version label").input_value()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("main")).to_contain_text("open cases flagged for re-review")
    screenshot(page, "rules-change-rescreen")

    run = Rescreen.objects.get(kind="published")
    published = RuleSet.objects.current()
    assert (published.version, published.pk, run.status) == (label, draft.pk, "done")
    flagged = Case.objects.filter(rules_changed=True, state__in=OPEN_STATES).count()
    written = Screening.objects.count() - screenings_before
    shown = stats(page)
    assert shown["products whose outcome changes"] == expected
    assert shown["open cases flagged for re-review"] == flagged
    assert shown["decided cases that would differ (not changed)"] == (
        RescreenChange.objects.filter(rescreen=run, decided=True).count()
    )
    written_label = next(k for k in shown if k.startswith("screenings written"))
    assert shown[written_label] == written
    assert written == expected + run.summary["case_screenings"]
    assert CaseEvent.objects.filter(kind="rescreened").count() == flagged
    assert Screening.objects.filter(rule_set=published).count() == written
    tabs = page.locator("nav.tabs a").all_inner_texts()
    assert [number(t) for t in tabs] == [
        RescreenChange.objects.filter(rescreen=run, case__isnull=True).count(),
        RescreenChange.objects.filter(rescreen=run, case__isnull=False, decided=False).count(),
        RescreenChange.objects.filter(rescreen=run, decided=True).count(),
    ]
    assert (number(tabs[0]), number(tabs[1])) == (expected, flagged)

    # Shown with `pytest -s`: the figures a run at the issue's size is compared with.
    print(
        f"\n{PRODUCTS} products: {expected} outcomes change; {flagged} open cases flagged; "
        f"{written} screenings written ({run.summary['case_screenings']} for cases); "
        f"{run.summary['decided_cases']} decided cases differ"
    )
    page.goto(f"{live_server.url}/rules/{published.pk}/")
    expect(page.locator(".publication")).to_contain_text(
        f"as of {today:%Y-%m-%d}: {expected:,} of {Product.objects.count():,} outcomes change"
    )
    expect(page.locator(".publication")).not_to_contain_text("stale")
    page.get_by_role("button", name="Log out").click()

    # The dashboard and the lists, seen by an administrator who sees every case.
    login(page, live_server, seeded["admin"], PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    figures = kpis(page)
    licensed = Product.objects.filter(latest_screening__outcome="licence_required").count()
    assert figures["Licence required (products, latest outcome)"] == licensed
    assert figures["To re-review (rules changed)"] == flagged
    print(f"dashboard: {licensed} products need a licence, {flagged} cases to re-review")
    assert figures["Licence required (cases, outcome when opened)"] == (
        Case.objects.filter(automated_outcome="licence_required").count()
    )
    page.get_by_role("link", name=f"{flagged:,}", exact=True).click()
    wait_for_htmx(page)
    assert listed(page) == min(flagged, COUNT_CAP + 1)
    page.goto(f"{live_server.url}/products/?outcome=licence_required")
    assert listed(page) == min(licensed, COUNT_CAP + 1)
    page.get_by_role("button", name="Log out").click()

    # A reviewer meets a flagged case in review.
    case = Case.objects.filter(rules_changed=True, state="in_review").order_by("pk").first()
    login(page, live_server, seeded["reviewer"], PASSWORD)
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    expect(page.locator("#rescreen-title")).to_have_text("Rules changed: re-review")
    approve = page.locator("form.approve-form")
    approve.get_by_label("Rationale").fill("Checked against the datasheet.")
    approve.locator("select[name=determination]").select_option(decidable(case))
    approve.get_by_role("button", name="Record determination").click()
    expect(approve.locator(".errorlist")).to_contain_text(
        "Base the case on the new screening first"
    )
    case.refresh_from_db()
    assert (case.state, case.rules_changed) == ("in_review", True)
    page.get_by_role("button", name="Base the case on the new screening").click()
    expect(page.locator("#timeline")).to_contain_text("Now based on the screening with rule set")
    case.refresh_from_db()
    assert (case.rules_changed, case.screening.rule_set_id) == (False, published.pk)
    determination = decidable(case)
    approve = page.locator("form.approve-form")
    approve.locator("select[name=determination]").select_option(determination)
    approve.get_by_label("Rationale").fill("Checked against the datasheet and the new rules.")
    if determination == "licence_required":
        approve.get_by_label("Licence path").select_option("single")
    if determination != case.automated_outcome:
        approve.get_by_label("Reason for departing").fill("Missing data treated as controlled.")
    approve.get_by_role("button", name="Record determination").click()
    expect(page.locator("ul.messages")).to_contain_text("Determination recorded.")
    case.refresh_from_db()
    assert (case.state, case.determination, case.screening.rule_set_id) == (
        "approved",
        determination,
        published.pk,
    )
