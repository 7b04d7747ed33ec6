"""Messages the application stores (timeline entries, an upload's message) keep their English
words with a code and parameters: written in one language (or by the worker, which has none),
read in the reader's."""

from __future__ import annotations

import importlib

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from screening.models import CaseEvent, Upload
from tests.conftest import client_for
from tests.screening.test_rule_changes import flagged  # noqa: F401 (a fixture used below)

migration = importlib.import_module("screening.migrations.0018_case_event_message_codes")


def chinese(client, user):
    client_for(client, user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


def test_a_rescreen_flag_written_in_english_reads_in_chinese(
    client,
    rule_set,
    flagged,  # noqa: F811 (the fixture imported above)
    reviewer,
):
    case, _ = flagged  # flagged by the re-screen, as the worker does it: no language active
    event = case.events.get(kind="rescreened")
    assert event.message == (
        "Rules changed (rule set 2026.12.01): the outcome would be “Licence required” instead "
        "of “Not controlled”. Re-review the case."
    )
    assert (event.message_code, event.message_params) == (
        "case.rescreened",
        {
            "version": "2026.12.01",
            "new": {"code": "outcome.licence_required", "params": {}},
            "old": {"code": "outcome.not_controlled", "params": {}},
        },
    )
    page = chinese(client, reviewer).get(case.get_absolute_url()).content.decode()
    assert (
        "规则已变更（规则集 2026.12.01）：结果将为“需要许可证”，而不是“不属于管制物项”。"
        "请重新复核该案件。"
    ) in page
    assert "Re-review the case." not in page


def test_a_message_written_in_chinese_reads_in_english(client, flagged, reviewer):  # noqa: F811
    case, _ = flagged
    with translation.override("zh-hans"):
        client.force_login(reviewer)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        client.post(reverse("case_adopt", args=[case.pk]), {"version": case.version})
    rebased = case.events.get(kind="rebased")
    assert rebased.message.startswith("Now based on the screening with rule set 2026.12.01:")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Now based on the screening with rule set 2026.12.01: Licence required" in page
    with translation.override("zh-hans"):
        assert rebased.message_shown.startswith("现已基于规则集 2026.12.01 的筛查：需要许可证")


def test_what_a_person_wrote_stays_as_written(case_in, analyst):
    case = case_in("submitted")
    event = case.events.get(kind="submitted")
    event.message = "Please check the test report."
    with translation.override("zh-hans"):
        assert event.message_shown == "Please check the test report."


def test_an_upload_message_written_by_the_worker_reads_in_chinese(analyst, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = Upload(message="The import failed and was undone; nothing was imported. Try again.")
    upload.message_code, upload.message_params = "upload.import_failed", {}
    with translation.override("zh-hans"):
        assert upload.message_shown == "导入失败并已回滚，未导入任何内容。请重试。"


def test_old_timeline_entries_get_their_codes_and_keep_their_words():
    rescreened = CaseEvent(
        kind="rescreened",
        message="Rules changed (rule set 2026.12.01): the outcome would be licence_required "
        "instead of not_controlled. Re-review the case.",
        data={"rule_set": "2026.12.01", "from": "not_controlled", "to": "licence_required"},
    )
    imported = CaseEvent(kind="created", message="导入自 specs.csv 第 7 行", data={"upload": 3})
    typed = CaseEvent(kind="comment", message="Imported from elsewhere, row 1", data={})
    assert migration.coded(rescreened) == (
        "case.rescreened",
        {
            "version": "2026.12.01",
            "new": {"code": "outcome.licence_required", "params": {}},
            "old": {"code": "outcome.not_controlled", "params": {}},
        },
    )
    assert migration.coded(imported) == ("case.imported", {"name": "specs.csv", "row": 7})
    assert migration.coded(typed) is None
    rescreened.message_code, rescreened.message_params = migration.coded(rescreened)
    with translation.override("zh-hans"):
        assert rescreened.message_shown == (
            "规则已变更（规则集 2026.12.01）：结果将为“需要许可证”，而不是“不属于管制物项”。"
            "请重新复核该案件。"
        )
