"""Journey: a rules administrator changes a threshold in a draft; a second one publishes it
(the first cannot); the open case it affects is flagged for re-review."""

from __future__ import annotations

import pandas as pd
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rules.specs import parse_specs
from screening import products, workflow
from tests.conftest import IN_FORCE_DAY, PASSWORD
from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _tasks_inline(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def kettle_case(analyst):
    """A submitted case for a 4.8 m³ granulation kettle: near the 5 m³ threshold today."""
    parsed = parse_specs(
        pd.DataFrame(
            [
                {
                    "sku": "KETTLE-48",
                    "name": "Granulation kettle 4.8 m³",
                    "category": "equipment",
                    "subtype": "granulation_kettle_vertical",
                    "granulation_volume_m3": "4800 L",
                }
            ],
            dtype=object,
        )
    )
    row = parsed.specs.iloc[0]
    spec, _ = products.record_spec(
        sku="KETTLE-48", revision="", fields=products.spec_fields(row), user=analyst
    )
    screening = products.screen_spec(spec=spec, as_of=IN_FORCE_DAY, user=analyst)
    case = workflow.create_case(screening=screening, user=analyst)
    return workflow.submit(case=case, version=case.version, user=analyst)


def test_maker_checker_publishing_flags_the_affected_case(
    page, live_server, rules_admin, rules_admin2, reviewer, kettle_case
):
    assert kettle_case.automated_outcome == "near_threshold"
    login(page, live_server, rules_admin, PASSWORD)
    page.goto(f"{live_server.url}/rules/")
    page.get_by_role("button", name="Copy the current rules as a draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("draft1")
    draft_url = page.url
    page.get_by_role("link", name="its entries").click()
    page.get_by_role("link", name="CN-2025-58:3B901.c.1.a").click()
    threshold = page.locator("input[name$='-threshold']").first
    threshold.fill("4")
    page.locator("input[name='_save']").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.goto(draft_url)
    expect(page.locator("main")).to_contain_text(
        "You created or edited this draft: another rules administrator publishes it"
    )
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)
    page.get_by_role("button", name="Log out").click()

    login(page, live_server, rules_admin2, PASSWORD)
    page.goto(draft_url)
    changes = page.locator("table.data").first
    expect(changes).to_contain_text("entry CN-2025-58:3B901.c.1.a")
    expect(page.locator("main")).to_contain_text(
        "Every reference product gives its expected outcome."
    )
    expect(page.get_by_label("Version label")).to_have_value(
        timezone.localdate().strftime("%Y.%m.%d")
    )
    page.get_by_label("Rationale").fill("The kettle threshold is 4 m³ from today.")
    page.get_by_label("Source").fill("MOFCOM notice, read on 2026-11-26")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("main")).to_contain_text("open cases flagged for re-review")
    expect(page.locator(".stat").nth(2)).to_contain_text("1")
    screenshot(page, "rules-published-rescreen")
    page.get_by_role("button", name="Log out").click()

    login(page, live_server, reviewer, PASSWORD)
    page.goto(f"{live_server.url}/cases/?rules_changed=true")
    expect(page.locator("#case-rows")).to_contain_text(kettle_case.reference)
    page.get_by_role("link", name=kettle_case.reference).click()
    expect(page.locator("#rescreen-title")).to_have_text("Rules changed: re-review")
    expect(page.locator("main")).to_contain_text("would be “Licence required” instead of")
