"""Workflow fields are never writable from a form (RELIABILITY.md "Access"): every form that
touches a case or an upload is posted with its own fields plus forged values for the fields only
the workflow sets (state, version, who prepared, reviewed and approved, outcome, determination,
legal hold, the screening it rests on; an upload's status, owner, hash and counts). The action
happens; no forged value gets through."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from screening import products
from screening.imports import checking, committing, receiving, stalls
from screening.models import Case, Evidence, Upload
from tests.conftest import IN_FORCE_DAY, TINY_PDF

CSV = (
    b"sku,name,category,subtype,energy_density_wh_per_kg,destination_country\n"
    b"FORM-1,Cell,battery_cell,li_ion,310,DE\n"
)


def forged_case_fields(analyst2, reviewer2, other) -> dict[str, object]:
    """Values no legitimate action in these tests produces."""
    return {
        "state": "closed",
        "version": 99,
        "approved_by": reviewer2.pk,
        "prepared_by": analyst2.pk,
        "submitted_by": analyst2.pk,
        "reviewer": reviewer2.pk,
        "automated_outcome": "not_controlled",
        "determination": "near_threshold",
        "determination_entries": "FORGED:1",
        "rationale": "Forged rationale.",
        "departure_reason": "Forged departure.",
        "decided_at": "2001-01-01 00:00:00",
        "legal_hold": "on",
        "legal_hold_reason": "Forged hold.",
        "rules_changed": "on",
        "rescreening": other.pk,
        "screening": other.pk,
        "spec": other.spec_id,
        "product": other.product_id,
        "category": "equipment",
    }


def got_through(case: Case, forged: dict[str, object]) -> dict[str, object]:
    """The forged values the case now holds."""
    case.refresh_from_db()
    found = {}
    for field, value in forged.items():
        attribute = field + "_id" if hasattr(case, field + "_id") else field
        held = getattr(case, attribute)
        if field == "decided_at":
            held = held and held.year == 2001
            value = True
        elif field in ("legal_hold", "rules_changed"):
            value = True
        elif field == "determination_entries":
            held = "FORGED:1" in held
            value = True
        if held == value:
            found[field] = held
    return found


# route → (state of the case, who acts, the form's own data, the state expected after, the form's
# own fields, which are left out of the forgery)
CASE_FORMS = {
    "case_edit": ("draft", "analyst", {"end_user": "Acme GmbH"}, "draft", {"version"}),
    "submit": ("draft", "analyst", {"message": "Ready."}, "submitted", {"version"}),
    "start_review": ("submitted", "reviewer", {}, "in_review", {"version"}),
    "request_information": (
        "in_review",
        "reviewer",
        {"message": "Which test?"},
        "returned",
        {"version"},
    ),
    "answer": ("returned", "analyst", {"message": "IEC 62660."}, "submitted", {"version"}),
    "case_approve": (
        "in_review",
        "reviewer",
        {"determination": "licence_required", "licence_path": "single", "rationale": "3A001."},
        "approved",
        {"version", "determination", "rationale", "departure_reason"},
    ),
    "withdraw": ("draft", "analyst", {"message": "Order cancelled."}, "withdrawn", {"version"}),
    "case_comment": ("submitted", "reviewer", {"message": "A note."}, "submitted", set()),
    "case_evidence": ("draft", "analyst", {"description": "Test report"}, "draft", set()),
    "case_legal_hold": (
        "submitted",
        "reviewer",
        {"reason": "Routine review."},
        "submitted",
        set(),
    ),
    "case_adopt": ("submitted", "analyst", {}, "submitted", {"version"}),
}
TRANSITIONS = {"submit", "start_review", "request_information", "answer", "withdraw"}


@pytest.mark.parametrize("route", sorted(CASE_FORMS))
def test_case_forms_set_no_workflow_field(
    request, client, settings, tmp_path, case_in, analyst2, reviewer2, screened, route
):
    settings.MEDIA_ROOT = tmp_path
    state, actor, data, after, own = CASE_FORMS[route]
    case = case_in(state)
    other = screened(sku="FORM-OTHER")
    if route == "case_adopt":
        newer = products.screen_spec(spec=case.spec, as_of=IN_FORCE_DAY, user=case.prepared_by)
        Case.objects.filter(pk=case.pk).update(rules_changed=True, rescreening=newer)
    forged = {
        k: v for k, v in forged_case_fields(analyst2, reviewer2, other).items() if k not in own
    }
    if route == "case_adopt":
        del forged["rescreening"]  # adopting clears it: None is never forged
    payload = {**forged, **data}
    if "version" in own:
        payload["version"] = case.version
    if route == "case_evidence":
        payload["file"] = SimpleUploadedFile("report.pdf", TINY_PDF)
    if route in TRANSITIONS:
        url = reverse("case_transition", args=[case.pk, route])
    else:
        url = reverse(route, args=[case.pk])
    user = request.getfixturevalue(actor)
    client.force_login(user)
    response = client.post(url, payload)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == after
    assert got_through(case, forged) == {}
    if route == "case_evidence":
        evidence = Evidence.objects.get(case=case)
        assert (evidence.uploaded_by, evidence.content_type) == (user, "application/pdf")
    if route == "case_edit":
        assert case.end_user == "Acme GmbH"  # the form's own field did change


FORGED_UPLOAD = {
    "status": "failed",
    "sha256": "0" * 64,
    "size": 1,
    "total": 999,
    "kind": "exe",
    "original_name": "forged.csv",
    "valid_rows": 999,
    "invalid_rows": 999,
    "created_products": 999,
    "created_cases": 999,
    "skipped_rows": 999,
    "task_id": "forged",
    "message": "Forged.",
}


def forged_upload_fields(analyst2) -> dict[str, object]:
    return {**FORGED_UPLOAD, "uploaded_by": analyst2.pk, "committed_by": analyst2.pk}


def upload_got_through(upload: Upload, forged: dict[str, object]) -> dict[str, object]:
    upload.refresh_from_db()
    found = {}
    for field, value in forged.items():
        attribute = field + "_id" if field in ("uploaded_by", "committed_by") else field
        if getattr(upload, attribute) == value:
            found[field] = value
    return found


def test_the_upload_form_sets_no_workflow_field(client, analyst, analyst2, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    forged = {**forged_upload_fields(analyst2), "policy": "valid_rows"}
    client.force_login(analyst)
    client.post(
        reverse("upload_new"),
        {**forged, "file": SimpleUploadedFile("specs.csv", CSV), "as_of": "2026-12-01"},
    )
    upload = Upload.objects.get()
    assert (upload.status, upload.uploaded_by, upload.original_name) == (
        "checked",
        analyst,
        "specs.csv",
    )
    assert upload_got_through(upload, forged) == {}


def test_the_import_form_sets_no_workflow_field(client, analyst, analyst2, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = checking.dry_run(
        receiving.receive(data=CSV, filename="specs.csv", user=analyst, as_of=IN_FORCE_DAY)
    )
    forged = forged_upload_fields(analyst2)
    client.force_login(analyst)
    client.post(reverse("upload_commit", args=[upload.pk]), {**forged, "policy": "all_or_nothing"})
    upload.refresh_from_db()
    assert (upload.status, upload.committed_by, upload.created_products) == ("imported", analyst, 1)
    assert upload_got_through(upload, forged) == {}


def test_the_requeue_form_sets_no_workflow_field(client, analyst, analyst2, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = checking.dry_run(
        receiving.receive(data=CSV, filename="specs.csv", user=analyst, as_of=IN_FORCE_DAY)
    )
    upload = committing.mark_importing(upload, user=analyst, policy="all_or_nothing")
    Upload.objects.filter(pk=upload.pk).update(
        heartbeat_at=timezone.now() - stalls.stalled_after() - dt.timedelta(seconds=1)
    )
    forged = forged_upload_fields(analyst2)
    client.force_login(analyst)
    client.post(reverse("upload_requeue", args=[upload.pk]), forged)
    upload.refresh_from_db()
    assert (upload.status, upload.committed_by, upload.policy) == (
        "importing",
        analyst,
        "all_or_nothing",
    )
    assert upload.task_id != ""
    assert upload_got_through(upload, forged) == {}


def test_the_check_finds_forged_values_when_they_are_there(case_in, analyst2, reviewer2, screened):
    """The tests above would fail if a form let a workflow field through."""
    case = case_in("draft")
    forged = forged_case_fields(analyst2, reviewer2, screened(sku="FORM-OTHER"))
    Case.objects.filter(pk=case.pk).update(
        prepared_by=analyst2,
        automated_outcome="not_controlled",
        legal_hold=True,
        category="equipment",
    )
    assert set(got_through(case, forged)) == {
        "prepared_by",
        "automated_outcome",
        "legal_hold",
        "category",
    }
