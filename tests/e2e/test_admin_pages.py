"""Django admin as a rules administrator sees it (issue 18, item 15)."""

from __future__ import annotations

import pytest

from rules.models import Entry
from tests.conftest import PASSWORD
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


@pytest.mark.layout
def test_an_entry_with_its_criteria_fits_the_screen(page, live_server, rule_set, rules_admin):
    entry = Entry.objects.get(measure__rule_set=rule_set, code="252604X.2")  # four criteria
    login(page, live_server, rules_admin, PASSWORD)
    page.goto(f"{live_server.url}/admin/rules/entry/{entry.pk}/change/")
    page.get_by_text("compaction_density_g_per_cm3").first.wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
