"""Each person's language: remembered when they switch it, used for their pages in any browser,
and for every e-mail sent to them, whoever's action sends it."""

from __future__ import annotations

from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from rules.models import Profile
from rules.people import language_of, remember_language
from screening import workflow
from tests.conftest import client_for
from tests.screening.test_i18n import NAV_EN, NAV_ZH, nav_labels


def test_the_language_switch_remembers_a_signed_in_persons_choice(client, analyst):
    client_for(client, analyst)
    assert language_of(analyst) == "en"
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/products/"})
    assert Profile.objects.get(user=analyst).language == "zh-hans"
    client.post(reverse("set_language"), {"language": "en", "next": "/products/"})
    assert language_of(analyst) == "en"


def test_an_unknown_language_is_not_remembered(client, analyst):
    client_for(client, analyst)
    client.post(reverse("set_language"), {"language": "xx", "next": "/products/"})
    assert not Profile.objects.filter(user=analyst).exists()


def test_another_browser_shows_the_pages_in_the_chosen_language(analyst):
    remember_language(analyst, "zh-hans")
    browser = Client()  # no language cookie
    browser.force_login(analyst)
    response = browser.get(reverse("product_list"))
    assert nav_labels(response.content.decode()) == NAV_ZH
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    # The browser's own choice wins from then on.
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert nav_labels(browser.get(reverse("product_list")).content.decode()) == NAV_EN


def test_each_email_is_in_its_recipients_language(
    case_in, analyst, reviewer, reviewer2, django_capture_on_commit_callbacks
):
    remember_language(reviewer, "zh-hans")  # reviewer2 chose nothing: the site's English
    case = case_in("draft")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        case = workflow.submit(case=case, version=case.version, user=analyst)
    assert sorted((m.subject, m.to) for m in mail.outbox) == [
        (f"[Screening] {case.reference} waits for review", [reviewer2.email]),
        (f"[筛查] {case.reference} 待复核", [reviewer.email]),
    ]
    chinese = next(m for m in mail.outbox if m.to == [reviewer.email])
    assert f"{case.reference}（" in chinese.body
    assert "已由 alice_analyst 提交。" in chinese.body


def test_a_decision_made_in_chinese_is_mailed_in_the_analysts_english(
    case_in, analyst, reviewer, django_capture_on_commit_callbacks
):
    remember_language(reviewer, "zh-hans")
    case = case_in("in_review")
    mail.outbox.clear()
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        workflow.approve(
            case=case,
            version=case.version,
            user=reviewer,
            determination="licence_required",
            licence_path="single",
            rationale="3A001.",
        )
    assert [(m.subject, m.to) for m in mail.outbox] == [
        (f"[Screening] {case.reference} decided: Licence required", [analyst.email])
    ]
