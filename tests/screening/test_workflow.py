"""The case workflow: four-eyes, guarded transitions, determinations, evidence, mail, retention."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from rules.access import REVIEWER
from rules.models import AuditEvent
from screening import retention, workflow
from screening.evidence import EvidenceError, attach
from screening.models import Case, CaseEvent
from screening.permissions import is_preparer
from screening.workflow import Conflict, WorkflowError
from tests.conftest import TINY_PDF


def rule_set_version():
    from rules.catalogue_data import load_shipped

    return load_shipped().version


def test_a_case_freezes_its_screening(case_in):
    case = case_in("draft")
    assert (case.spec, case.screening.rule_set_version, case.automated_outcome) == (
        case.screening.spec,
        rule_set_version(),
        "licence_required",
    )
    assert (case.destination_country, str(case.expected_value_usd)) == ("DE", "250000.00")


def test_the_full_path_with_a_request_for_information(case_in, analyst, reviewer):
    case = case_in("submitted")
    case = workflow.start_review(case=case, version=case.version, user=reviewer)
    case = workflow.request_information(
        case=case, version=case.version, user=reviewer, message="Test temperature?"
    )
    case = workflow.answer(case=case, version=case.version, user=analyst, message="25 °C.")
    case = workflow.start_review(case=case, version=case.version, user=reviewer)
    case = workflow.approve(
        case=case,
        version=case.version,
        user=reviewer,
        determination="licence_required",
        licence_path="single",
        rationale="3A001 matches at 310 Wh/kg.",
        entries=["CN-2025-58:3A001"],
    )
    assert (case.state, case.approved_by, case.determination_entries) == (
        "approved",
        reviewer,
        ["CN-2025-58:3A001"],
    )
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == [
        "created",
        "submitted",
        "review_started",
        "info_requested",
        "answered",
        "review_started",
        "approved",
    ]


def test_the_preparer_can_never_approve_even_holding_the_reviewer_role(case_in, analyst):
    analyst.groups.add(Group.objects.get(name=REVIEWER))
    case = case_in("in_review")
    with pytest.raises(WorkflowError, match="Four-eyes rule"):
        workflow.approve(
            case=case,
            version=case.version,
            user=analyst,
            determination="licence_required",
            licence_path="single",
            rationale="Mine.",
        )
    assert Case.objects.get(pk=case.pk).state == "in_review"
    assert "approve" not in workflow.available_actions(case, analyst)


def test_a_superuser_who_prepared_a_case_cannot_approve_it(screened, superuser, reviewer):
    screening = screened(user=superuser)
    case = workflow.create_case(screening=screening, user=superuser)
    case = workflow.submit(case=case, version=case.version, user=superuser)
    case = workflow.start_review(case=case, version=case.version, user=reviewer)
    with pytest.raises(WorkflowError, match="Four-eyes rule"):
        workflow.approve(
            case=case,
            version=case.version,
            user=superuser,
            determination="licence_required",
            licence_path="general",
            rationale="Self-approval attempt.",
        )


def test_someone_who_answered_a_request_cannot_approve(case_in, analyst2, reviewer):
    analyst2.groups.add(Group.objects.get(name=REVIEWER))
    case = case_in("returned")
    case.submitted_by = analyst2  # analyst2 answers on analyst's behalf
    CaseEvent.objects.create(case=case, kind="answered", actor=analyst2)
    with pytest.raises(WorkflowError, match="Four-eyes rule"):
        workflow.check_four_eyes(case, analyst2)


APPROVAL = {
    "determination": "licence_required",
    "licence_path": "single",
    "rationale": "3A001 matches.",
}


def test_a_superuser_who_edited_the_shipment_can_neither_review_nor_approve(
    client, case_in, analyst, reviewer, superuser
):
    """Issue 19, item 7: the superuser changed a returned case's destination and end use, the
    analyst answered, and the superuser went on to decide the case."""
    case = case_in("returned")
    client.force_login(superuser)
    client.post(
        reverse("case_edit", args=[case.pk]),
        {"version": case.version, "destination_country": "RU", "end_use": "Drones", "end_user": ""},
    )
    case.refresh_from_db()
    assert (case.destination_country, case.end_use) == ("RU", "Drones")
    case = workflow.answer(case=case, version=case.version, user=analyst, message="Done.")
    assert is_preparer(case, superuser) is True
    assert workflow.available_actions(case, superuser) == ["withdraw"]
    response = client.post(
        reverse("case_transition", args=[case.pk, "start_review"]),
        {"version": case.version},
        follow=True,
    )
    assert "“Start review” is not possible for a case in the state “Submitted”." in (
        response.content.decode()
    )
    case = workflow.start_review(case=case, version=case.version, user=reviewer)
    response = client.post(
        reverse("case_approve", args=[case.pk]), {"version": case.version, **APPROVAL}, follow=True
    )
    assert "Four-eyes rule: you prepared, submitted, edited or added evidence" in (
        response.content.decode()
    )
    with pytest.raises(WorkflowError, match="Four-eyes rule"):
        workflow.approve(case=case, version=case.version, user=superuser, **APPROVAL)
    case.refresh_from_db()
    assert (case.state, case.approved_by, case.version) == ("in_review", None, 7)


def test_a_reviewer_who_added_evidence_is_a_preparer(case_in, reviewer, reviewer2):
    case = case_in("in_review")
    assert is_preparer(case, reviewer2) is False
    attach(case=case, user=reviewer2, upload=SimpleUploadedFile("report.pdf", TINY_PDF))
    assert is_preparer(case, reviewer2) is True
    assert "approve" not in workflow.available_actions(case, reviewer2)
    with pytest.raises(WorkflowError, match="Four-eyes rule"):
        workflow.check_four_eyes(case, reviewer2)
    assert is_preparer(case, reviewer) is False  # commenting or reviewing does not prepare
    workflow.comment(case=case, user=reviewer, message="Looks fine.")
    assert is_preparer(case, reviewer) is False


def test_a_reviewer_acting_on_a_case_another_reviewer_has_takes_it_over_first(
    client, case_in, reviewer, reviewer2
):
    case = case_in("in_review")
    since = case.state_changed_at
    assert sorted(workflow.available_actions(case, reviewer)) == ["approve", "request_information"]
    assert workflow.available_actions(case, reviewer2) == ["take_over"]
    with pytest.raises(WorkflowError, match="rita_reviewer is reviewing this case"):
        workflow.approve(case=case, version=case.version, user=reviewer2, **APPROVAL)
    with pytest.raises(WorkflowError, match="rita_reviewer is reviewing this case"):
        workflow.request_information(
            case=case, version=case.version, user=reviewer2, message="Why?"
        )
    client.force_login(reviewer2)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "rita_reviewer is reviewing this case. To return it or decide it yourself" in page
    client.post(reverse("case_transition", args=[case.pk, "take_over"]), {"version": case.version})
    case.refresh_from_db()
    assert (case.state, case.reviewer, case.version, case.state_changed_at) == (
        "in_review",
        reviewer2,
        4,
        since,
    )
    event = case.events.get(kind="taken_over")
    assert (event.actor, event.data) == (reviewer2, {"from": reviewer.pk})
    assert AuditEvent.objects.get(action="case.take_over").after["reviewer"] == reviewer2.pk
    # Now the first reviewer is the one who must take it back.
    assert workflow.available_actions(case, reviewer) == ["take_over"]
    case = workflow.approve(case=case, version=case.version, user=reviewer2, **APPROVAL)
    assert (case.state, case.approved_by) == ("approved", reviewer2)


def test_the_database_refuses_a_self_approval(case_in, analyst):
    case = case_in("approved")
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(approved_by=analyst)


def test_two_loaded_copies_cannot_both_transition(case_in, reviewer, reviewer2):
    case = case_in("submitted")
    first = Case.objects.get(pk=case.pk)
    second = Case.objects.get(pk=case.pk)
    workflow.start_review(case=first, version=first.version, user=reviewer)
    with pytest.raises(Conflict, match="This case changed since you opened it"):
        workflow.start_review(case=second, version=second.version, user=reviewer2)
    case.refresh_from_db()
    assert (case.state, case.reviewer, case.version) == ("in_review", reviewer, 3)
    assert case.events.filter(kind="review_started").count() == 1
    assert (
        AuditEvent.objects.filter(action="case.start_review", object_id=str(case.pk)).count() == 1
    )


def test_a_double_click_gives_a_clear_message_and_one_transition(client, case_in, reviewer):
    case = case_in("submitted")
    client.force_login(reviewer)
    url = reverse("case_transition", args=[case.pk, "start_review"])
    client.post(url, {"version": case.version})
    response = client.post(url, {"version": case.version}, follow=True)
    assert "This case changed since you opened it. Reload it and try again." in (
        response.content.decode()
    )
    assert Case.objects.get(pk=case.pk).events.filter(kind="review_started").count() == 1


def test_departing_from_the_automated_outcome_needs_a_reason_shown_prominently(
    client, case_in, reviewer2
):
    case = case_in("in_review")
    case = workflow.take_over(case=case, version=case.version, user=reviewer2)
    with pytest.raises(WorkflowError, match="departs from the automated outcome"):
        workflow.approve(
            case=case,
            version=case.version,
            user=reviewer2,
            determination="not_controlled",
            rationale="Below threshold per test.",
        )
    case = workflow.approve(
        case=case,
        version=case.version,
        user=reviewer2,
        determination="not_controlled",
        rationale="Retested: 295 Wh/kg.",
        departure_reason="Datasheet value was nominal; test report rules.",
    )
    assert case.departs_from_automated
    client.force_login(reviewer2)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Departs from the automated outcome (Licence required)" in page
    assert "Datasheet value was nominal; test report rules." in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"determination": "licence_required", "rationale": "x"}, "needs its licence path"),
        (
            {"determination": "licence_required", "licence_path": "single", "rationale": " "},
            "needs a rationale",
        ),
        (
            {
                "determination": "licence_required",
                "licence_path": "single",
                "rationale": "x",
                "entries": ["CN-2023-39:1"],
            },
            "only on entries the screening found",
        ),
    ],
)
def test_a_determination_is_complete_or_refused(case_in, reviewer, data, message):
    case = case_in("in_review")
    with pytest.raises(WorkflowError, match=message):
        workflow.approve(case=case, version=case.version, user=reviewer, **data)


def test_requests_for_information_and_withdrawals_need_words(case_in, reviewer, analyst):
    case = case_in("in_review")
    with pytest.raises(WorkflowError, match="Say what information you need"):
        workflow.request_information(case=case, version=case.version, user=reviewer, message=" ")
    with pytest.raises(WorkflowError, match="Say why the case is withdrawn"):
        workflow.withdraw(case=case, version=case.version, user=analyst, reason="")


def test_mail_goes_to_reviewers_on_submit_and_to_the_analyst_on_return_and_decision(
    case_in, analyst, reviewer, reviewer2, django_capture_on_commit_callbacks
):
    case = case_in("draft")
    with django_capture_on_commit_callbacks(execute=True):
        case = workflow.submit(case=case, version=case.version, user=analyst)
    assert [(m.subject, sorted(m.to)) for m in mail.outbox] == [
        (
            f"[Screening] {case.reference} waits for review",
            ["rita_reviewer@example.com", "roger_reviewer@example.com"],
        )
    ]
    case = workflow.start_review(case=case, version=case.version, user=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        case = workflow.request_information(
            case=case, version=case.version, user=reviewer, message="Which test method?"
        )
    assert (mail.outbox[-1].to, "Which test method?" in mail.outbox[-1].body) == (
        ["alice_analyst@example.com"],
        True,
    )
    case = workflow.answer(case=case, version=case.version, user=analyst, message="IEC 62660")
    case = workflow.start_review(case=case, version=case.version, user=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(
            case=case,
            version=case.version,
            user=reviewer,
            determination="licence_required",
            licence_path="single",
            rationale="3A001.",
        )
    assert mail.outbox[-1].subject == f"[Screening] {case.reference} decided: Licence required"


def test_evidence_is_checked_by_content_and_stored_under_a_generated_name(case_in, analyst):
    case = case_in("draft")
    upload = SimpleUploadedFile("../../etc/test report.pdf", TINY_PDF, content_type="text/html")
    evidence = attach(
        case=case, user=analyst, upload=upload, parameters=["energy_density_wh_per_kg"]
    )
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        "test report.pdf",
        "application/pdf",
        len(TINY_PDF),
    )
    assert evidence.sha256 == hashlib.sha256(TINY_PDF).hexdigest()
    assert "test report" not in evidence.file.name
    assert evidence.file.name.startswith("evidence/")
    assert evidence.parameters == ["energy_density_wh_per_kg"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", b"MZ\x90\x00 windows program", "Only PDF, images"),
        ("report.pdf", b"", "The file is empty."),
        ("evil.xlsx", b"PK\x03\x04 not really a zip", "Only PDF, images"),
    ],
)
def test_evidence_of_the_wrong_kind_is_refused(case_in, analyst, name, data, message):
    case = case_in("draft")
    with pytest.raises(EvidenceError, match=message):
        attach(case=case, user=analyst, upload=SimpleUploadedFile(name, data))
    assert case.evidence.count() == 0


NOT_A_TABLE = "This text file is not a CSV table"
TEXT_THAT_IS_NOT_CSV = [
    ("page.csv", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
    ("page.csv", b"<html>\n<body onload=alert(1)>hi</body>\n</html>\n"),
    (
        "drawing.csv",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ),
    ("data.csv", b'<?xml version="1.0"?><a>1</a>'),
    ("table.csv", b"sku,name\nA-1,<script>alert(1)</script>\n"),
    ("link.csv", b"sku,link\nA-1,javascript:alert(1)\n"),
    ("notes.csv", b"Just a paragraph of text, with a comma.\nAnd another line.\nThird\n"),
    ("one-column.csv", b"sku\nA-1\nA-2\n"),
    ("ragged.csv", b"sku,name\nA-1,Cell,extra,cells\n"),
    ("broken-quote.csv", b'sku,name\n"A-1,Cell\n'),
    ("script.csv", b"alert(document.cookie)\n"),
]


@pytest.mark.parametrize(("name", "data"), TEXT_THAT_IS_NOT_CSV)
def test_text_evidence_is_accepted_only_as_a_csv_table(case_in, analyst, name, data):
    case = case_in("draft")
    with pytest.raises(EvidenceError, match=NOT_A_TABLE):
        attach(case=case, user=analyst, upload=SimpleUploadedFile(name, data))
    assert case.evidence.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        b"sku,energy_wh_per_kg\nA-1,310\nA-2,<0.5\n",
        b'\xef\xbb\xbfsku;name\r\nA-1;"Cell; 18650"\r\n\r\n',
        "sku\tname\nA-1\t电芯\n".encode("utf-16"),
        "sku,name\nA-1,电芯\n".encode("gb18030"),
    ],
    ids=["comma", "semicolon-bom-crlf", "utf16-tab", "gb18030"],
)
def test_a_csv_table_is_accepted_as_evidence(case_in, analyst, data):
    case = case_in("draft")
    evidence = attach(case=case, user=analyst, upload=SimpleUploadedFile("t.csv", data))
    assert (evidence.content_type, evidence.size) == ("text/csv", len(data))


def test_evidence_over_the_size_limit_is_refused(case_in, analyst, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    case = case_in("draft")
    with pytest.raises(EvidenceError, match="larger than"):
        attach(case=case, user=analyst, upload=SimpleUploadedFile("a.pdf", TINY_PDF))


def test_evidence_downloads_only_for_those_who_see_the_case_and_each_is_audited(
    client, case_in, analyst, analyst2
):
    case = case_in("draft")
    evidence = attach(case=case, user=analyst, upload=SimpleUploadedFile("r.pdf", TINY_PDF))
    client.force_login(analyst)
    assert client.get(evidence.get_absolute_url()).status_code == 405  # a download is audited
    response = client.post(evidence.get_absolute_url())
    assert (response.status_code, b"".join(response.streaming_content)) == (200, TINY_PDF)
    assert response["Content-Disposition"] == 'attachment; filename="r.pdf"'
    event = AuditEvent.objects.get(action="case.evidence_download")
    assert (event.actor, event.object_id, event.after) == (
        analyst,
        str(case.pk),
        {"evidence": evidence.pk, "name": "r.pdf", "sha256": evidence.sha256},
    )
    client.force_login(analyst2)
    assert client.post(evidence.get_absolute_url()).status_code == 404
    assert AuditEvent.objects.filter(action="case.evidence_download").count() == 1


@pytest.mark.parametrize(
    ("name", "saved"),
    [
        ("report.html", 'filename="report.pdf"'),
        (
            "a\"; filename*=UTF-8''x.html; b=\".pdf",
            "filename=\"a; filename=UTF-8''x.html; b=.pdf\"",
        ),
        ("数据表.pdf", "filename*=utf-8''%E6%95%B0%E6%8D%AE%E8%A1%A8.pdf"),
    ],
)
def test_evidence_is_saved_under_its_name_with_the_extension_of_its_content(
    client, case_in, analyst, name, saved
):
    """The name is the uploader's; the extension and the header are not (issue 19, item 4)."""
    case = case_in("draft")
    evidence = attach(case=case, user=analyst, upload=SimpleUploadedFile(name, TINY_PDF))
    client.force_login(analyst)
    response = client.post(evidence.get_absolute_url())
    assert response["Content-Disposition"] == f"attachment; {saved}"
    b"".join(response.streaming_content)


def test_decided_cases_take_no_more_evidence(case_in, analyst):
    case = case_in("approved")
    with pytest.raises(EvidenceError, match="once a case is decided"):
        attach(case=case, user=analyst, upload=SimpleUploadedFile("r.pdf", TINY_PDF))


def test_records_are_kept_five_years_and_a_legal_hold_blocks_deletion(case_in, superuser, reviewer):
    case = case_in("closed")
    with pytest.raises(WorkflowError, match="records are kept until"):
        retention.delete_case(case=case, user=superuser, reason="cleanup")
    Case.objects.filter(pk=case.pk).update(
        last_activity_at=timezone.now() - dt.timedelta(days=5 * 366)
    )
    case.refresh_from_db()
    case = retention.set_legal_hold(case=case, user=reviewer, hold=True, reason="Customs inquiry")
    with pytest.raises(WorkflowError, match="a legal hold is set"):
        retention.delete_case(case=case, user=superuser, reason="cleanup")
    case = retention.set_legal_hold(case=case, user=reviewer, hold=False, reason="Inquiry closed")
    pk = case.pk
    retention.delete_case(case=case, user=superuser, reason="Retention passed")
    assert not Case.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(action="case.delete", object_id=str(pk)).exists()


def test_open_cases_cannot_be_deleted(case_in, superuser):
    case = case_in("submitted")
    with pytest.raises(WorkflowError, match="still open"):
        retention.delete_case(case=case, user=superuser, reason="x")


def test_admin_obeys_the_retention_rules(client, case_in, superuser):
    case = case_in("closed")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:screening_case_delete", args=[case.pk]), {"post": "yes"}, follow=True
    )
    assert response.redirect_chain == [
        (reverse("admin:screening_case_change", args=[case.pk]), 302)
    ]
    retained = case.retention_ends().isoformat()
    assert (
        f"{case} cannot be deleted: records are kept until {retained} (5 years after the last "
        "activity)." in response.content.decode()
    )
    assert Case.objects.filter(pk=case.pk).exists()
    change = client.get(reverse("admin:screening_case_change", args=[case.pk]))
    assert change.status_code == 200
    assert b'name="state"' not in change.content


def test_shipment_details_change_only_with_the_analyst(case_in, analyst):
    case = case_in("draft")
    case = workflow.update_shipment(
        case=case,
        version=case.version,
        user=analyst,
        changes={"end_user": "Acme GmbH", "state": "approved"},
    )
    assert (case.end_user, case.state) == ("Acme GmbH", "draft")
    submitted = case_in("submitted")
    with pytest.raises(WorkflowError, match="only in a draft or returned case"):
        workflow.update_shipment(
            case=submitted, version=submitted.version, user=analyst, changes={"end_user": "X"}
        )


def test_workflow_fields_cannot_be_set_through_the_shipment_form(
    client, case_in, analyst, reviewer
):
    case = case_in("draft")
    client.force_login(analyst)
    client.post(
        reverse("case_edit", args=[case.pk]),
        {
            "version": case.version,
            "end_user": "Acme",
            "state": "approved",
            "approved_by": reviewer.pk,
            "determination": "not_controlled",
            "automated_outcome": "not_controlled",
        },
    )
    case.refresh_from_db()
    assert (
        case.end_user,
        case.state,
        case.approved_by,
        case.determination,
        case.automated_outcome,
    ) == ("Acme", "draft", None, "", "licence_required")
