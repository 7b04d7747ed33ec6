"""Decision records: export, reproducibility, and what they contain."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from rules.models import AuditEvent, StatusConfirmation
from screening import records
from screening.models import CaseEvent, Screening
from screening.records import decision_record, record_hash, verify_decisions


def test_json_record_has_every_hash_needed_and_the_export_is_audited(client, case_in, reviewer):
    case = case_in("approved")
    client.force_login(reviewer)
    response = client.get(reverse("case_record", args=[case.pk]), {"format": "json"})
    assert response["Content-Disposition"] == f'attachment; filename="{case.reference}-record.json"'
    document = json.loads(response.content)
    record = document["record"]
    assert document["record_sha256"] == record_hash(record)
    assert record["spec"]["content_hash"] == case.spec.content_hash
    assert record["screening"]["rule_set"] == {
        "version": case.screening.rule_set.version,
        "hash": case.screening.rule_set_hash,
    }
    assert record["screening"]["result"]["outcome"] == "licence_required"
    assert record["people"]["prepared_by"]["username"] == "alice_analyst"
    assert record["people"]["approved_by"]["username"] == "rita_reviewer"
    assert record["determination"]["classification"] == "licence_required"
    assert [a["action"] for a in record["audit"]][:2] == ["case.create", "case.submit"]
    export = AuditEvent.objects.get(action="case.export", object_id=str(case.pk))
    assert export.after == {"format": "json", "record_sha256": document["record_sha256"]}


def test_printable_record_page(client, case_in, reviewer):
    case = case_in("closed")
    client.force_login(reviewer)
    page = client.get(reverse("case_record", args=[case.pk])).content.decode()
    assert f"Decision record {case.reference}" in page
    assert case.screening.rule_set_hash in page
    assert case.spec.content_hash in page


def test_the_printable_record_is_a_page_to_reload_and_bookmark(client, case_in, reviewer):
    """Issue 18, item 9: it was a POST, so a reload or a bookmark answered 405."""
    case = case_in("approved")
    client.force_login(reviewer)
    url = reverse("case_record", args=[case.pk])
    for _view in range(3):
        response = client.get(url)
        assert response.status_code == 200
        assert f"Decision record {case.reference}" in response.content.decode()
    assert client.post(url, {"format": "html"}).status_code == 405
    detail = client.get(case.get_absolute_url()).content.decode()
    assert f'href="{url}"' in detail
    assert f'href="{url}?format=json"' in detail


def exports(case):
    events = case.events.filter(kind=CaseEvent.Kind.EXPORTED).order_by("pk")
    audited = AuditEvent.objects.filter(action="case.export", object_id=str(case.pk))
    timeline = [(e.actor.username, e.data["format"]) for e in events]
    assert timeline == [(a.actor_name, a.after["format"]) for a in audited.order_by("seq")]
    return timeline


def test_an_export_is_logged_once_per_user_and_format_a_day(
    client, case_in, reviewer, reviewer2, monkeypatch
):
    case = case_in("approved")
    url = reverse("case_record", args=[case.pk])
    client.force_login(reviewer)
    for _view in range(3):
        client.get(url)
        client.get(url, {"format": "json"})
    assert exports(case) == [("rita_reviewer", "html"), ("rita_reviewer", "json")]
    client.force_login(reviewer2)
    client.get(url)
    assert exports(case)[2:] == [("roger_reviewer", "html")]
    # The next day (for the records only: the session would have expired), each view is logged
    # again, once.
    tomorrow = timezone.now() + dt.timedelta(days=1)
    monkeypatch.setattr(
        records, "timezone", SimpleNamespace(now=lambda: tomorrow, localtime=timezone.localtime)
    )
    client.get(url)
    client.get(url)
    assert exports(case)[3:] == [("roger_reviewer", "html")]
    assert case.events.filter(kind=CaseEvent.Kind.EXPORTED).last().at == tomorrow


def test_stored_results_are_reproduced_from_stored_inputs(case_in, capsys):
    for state in ("approved", "closed", "draft"):
        case_in(state)
    assert verify_decisions()[0] == 2
    call_command("verify_decisions")
    assert capsys.readouterr().out.strip() == "All 2 decided cases reproduce their stored results."


def test_a_stored_result_that_no_longer_reproduces_is_reported(case_in, capsys):
    case = case_in("approved")
    tampered = {**case.screening.result, "outcome": "not_controlled"}
    Screening.objects.filter(pk=case.screening.pk).update(result=tampered)
    with pytest.raises(SystemExit):
        call_command("verify_decisions")
    err = capsys.readouterr().err
    assert f"{case.reference}: stored" in err
    assert "1 of 1 decided cases differ." in err


def test_record_hash_changes_with_any_content(case_in):
    case = case_in("approved")
    record = decision_record(case)
    changed = json.loads(json.dumps(record))
    changed["determination"]["rationale"] += "."
    assert record_hash(record) != record_hash(changed)


NO58_ASSUMED = (
    "MOFCOM + GAC Announcement 2025 No. 58 (CN-2025-58) has never applied in practice: its "
    "suspension by MOFCOM + GAC Announcement 2025 No. 70 (CN-2025-70) ended on 2026-11-10; what "
    "followed is not recorded. This result assumes it is in force."
)
NO58_ASSUMED_ZH = (
    "商务部 海关总署公告2025年第58号 实际上从未适用："
    "商务部 海关总署公告2025年第70号 对其的暂停已于 2026-11-10 结束；此后情况未有记录。"
    "本结果假定其状态为“有效”。"
)
ASSUMED = {"measure": "CN-2025-58", "message": NO58_ASSUMED, "message_zh": NO58_ASSUMED_ZH}


def test_a_decision_made_on_an_assumed_status_says_so_in_its_record_forever(
    client, case_in, reviewer, rules_admin
):
    case = case_in("approved")  # as of 2026-12-01: No. 58 in force, assumed
    # Recorded in both languages as they read on the day of the decision.
    assert case.decision_assumptions == [ASSUMED]
    StatusConfirmation.objects.create(
        measure_key="CN-2025-58", status="in_force", source="notice", confirmed_by=rules_admin
    )
    record = decision_record(case)
    assert record["determination"]["status_assumed"] == [ASSUMED]
    entry = record["screening"]["result"]["entries"][0]
    assert (entry["key"], entry["status_needs_confirmation"]) == ("CN-2025-58:3A001", True)
    client.force_login(reviewer)
    page = client.get(reverse("case_record", args=[case.pk])).content
    assert "Decided while a status was assumed, not confirmed" in page.decode()
    assert verify_decisions()[1] == []


def test_a_decision_after_the_status_was_confirmed_rests_on_no_assumption(case_in, rules_admin):
    StatusConfirmation.objects.create(
        measure_key="CN-2025-58", status="in_force", source="notice", confirmed_by=rules_admin
    )
    case = case_in("approved")
    assert case.decision_assumptions == []
    assert case.screening.result["entries"][0]["status_needs_confirmation"] is False
    assert decision_record(case)["determination"]["status_assumed"] == []
