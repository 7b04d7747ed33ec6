"""Chinese wording: actions and outcomes by their labels, never their codes; one msgid per role
(a badge is not a date label); whole sentences instead of glued fragments ("by"); full-width
colons after Chinese labels."""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from rules.publishing import create_draft
from tests.conftest import client_for


def chinese(client, user):
    client_for(client, user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


def test_a_refused_action_names_the_action_and_the_state_by_their_labels(client, case_in, analyst):
    case = case_in("submitted")  # the analyst may not start the review of their own case
    url = reverse("case_transition", args=[case.pk, "close"])
    response = chinese(client, analyst).post(url, {"version": case.version}, follow=True)
    page = response.content.decode()
    assert "案件状态为“已提交”时，不能执行“结案”。" in page
    assert "close" not in re.sub(r"<[^>]+>", "", page).split("结案")[0][-40:]


def test_published_is_a_date_label_in_the_catalogue_and_a_status_on_the_rule_set(
    client, reviewer, rules_admin, rule_set
):
    catalogue = chinese(client, reviewer).get(reverse("catalogue")).content.decode()
    assert "<dt>发布日期</dt><dd>2025-10-09</dd>" in catalogue
    page = chinese(client, rules_admin).get(reverse("ruleset_detail", args=[rule_set.pk]))
    html = page.content.decode()
    assert f'<h1>{rule_set.version} <span class="badge">已发布</span></h1>' in html
    assert re.search(r"由 系统 创建于 \d{4}-\d\d-\d\d \d\d:\d\d", html)
    assert re.search(r"由 系统 发布于 \d{4}-\d\d-\d\d \d\d:\d\d。", html)
    assert "操作人" not in html


def test_a_draft_says_who_created_it_in_one_sentence(client, rules_admin, rule_set):
    draft = create_draft(rule_set, user=rules_admin)
    html = chinese(client, rules_admin).get(reverse("ruleset_list")).content.decode()
    day = f"{timezone.localtime(draft.created_at):%Y-%m-%d}"
    assert f"由 {rules_admin.username} 创建于 {day}" in html
    english = client_for(client, rules_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert (
        f"created by {rules_admin.username} on {day}"
        in english.get(reverse("ruleset_list")).content.decode()
    )


def test_chinese_labels_end_with_a_full_width_colon(client, reviewer):
    html = chinese(client, reviewer).get(reverse("case_list")).content.decode()
    assert '<label for="id_outcome">自动筛查结果：</label>' in html
    assert not re.search(r"<label[^>]*>[^<]*[\u4e00-\u9fff]:</label>", html)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("case_list")).content.decode()
    assert '<label for="id_outcome">Automated outcome:</label>' in english
