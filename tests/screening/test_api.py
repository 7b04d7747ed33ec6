"""The API (/api/v1/): the screen contract for JSON specs, storing specs as uploads do with
idempotent retries, determinations, decision records and changed cases with cursor paging;
tokens, rate limits and problem details; every call audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from rules import audit, tokens
from rules.access import ANALYST, REVIEWER
from rules.models import ApiIdempotentRequest, AuditEvent
from screening import records
from screening.api_schemas import ScreenResponse
from screening.imports import committing
from screening.models import Case, CaseEvent, Product, Screening, SpecVersion, Upload
from tests.rules.test_screen_command import EXPECTED_RESULTS, HEADER, ROWS, RUN_WARNINGS

PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def api(client, method, name, secret=None, *, body=None, args=(), query=None, **headers):
    """Call an endpoint with a token (None: without one)."""
    if secret is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    url = reverse(f"api:{name}", args=args)
    if method == "get":
        return client.get(url, query or {}, **headers)
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json", **headers)


def problem(response):
    assert response["Content-Type"] == PROBLEM
    return response.json()


def spec(sku, energy="310", **cells):
    return {
        "sku": sku,
        "name": f"Cell {sku}",
        "category": "battery_cell",
        "subtype": "li_ion",
        "energy_density_wh_per_kg": energy,
        "destination_country": "DE",
        **cells,
    }


def api_calls():
    return list(AuditEvent.objects.filter(action="api.call").order_by("seq"))


# --- screen ------------------------------------------------------------------------------------


def test_screening_json_specs_answers_the_screen_contract(client, rule_set, api_token):
    _token, secret = api_token(ANALYST, ["screen"])
    specs = [dict(zip(HEADER, row, strict=True)) for row in ROWS]
    response = api(client, "post", "screen", secret, body={"as_of": "2026-12-01", "specs": specs})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    # The same results as `manage.py screen` for the same rows of a file, row 1 the first spec.
    expected = [{**result, "row": result["row"] - 1} for result in EXPECTED_RESULTS]
    assert response.json() == {
        "as_of": "2026-12-01",
        "rule_set": {"version": rule_set.version, "hash": rule_set.content_hash},
        "results": expected,
        "warnings": RUN_WARNINGS,
        "unknown_columns": [],
    }
    ScreenResponse.model_validate(response.json())  # the schema the OpenAPI document states


def test_screening_stores_nothing_but_the_audit_of_the_call(client, rule_set, api_token):
    token, secret = api_token(ANALYST, ["screen"])
    before = (Product.objects.count(), Screening.objects.count(), Upload.objects.count())
    response = api(
        client,
        "post",
        "screen",
        secret,
        body={"as_of": "2026-12-01", "specs": [spec("S-1"), spec("S-2", "250")]},
    )
    assert response.status_code == 200
    assert (Product.objects.count(), Screening.objects.count(), Upload.objects.count()) == before
    [call] = api_calls()
    assert call.actor == token.user
    assert call.after == {
        "token": token.name,
        "method": "POST",
        "endpoint": "/api/v1/screen",
        "status": 200,
        "summary": {
            "rows": 2,
            "as_of": "2026-12-01",
            "regimes": ["CN"],
            "outcomes": {"licence_required": 1, "not_controlled": 1},
        },
    }


def test_numbers_units_unknown_keys_and_wrong_values_are_read_as_in_a_spreadsheet(
    client, rule_set, api_token
):
    _token, secret = api_token(ANALYST, ["screen"])
    specs = [
        spec("N-1", 310, colour="red"),
        spec("N-2", "0.31 kWh/kg"),
        spec("N-3", True),
    ]
    response = api(client, "post", "screen", secret, body={"as_of": "2026-12-01", "specs": specs})
    document = response.json()
    assert document["unknown_columns"] == ["colour"]
    assert [r["outcome"] for r in document["results"]] == [
        "licence_required",
        "licence_required",
        "invalid",
    ]
    assert document["results"][2]["errors"] == [
        {"column": "energy_density_wh_per_kg", "message": "must be text, a number or null"}
    ]


def test_screening_against_both_regimes_and_an_unknown_one(client, rule_set, api_token):
    _token, secret = api_token(REVIEWER, ["screen"])
    both = api(
        client,
        "post",
        "screen",
        secret,
        body={
            "as_of": "2026-12-01",
            "regimes": ["CN", "EU"],
            "specs": [spec("R-1", "360", energy_density_test_temperature_c=20)],
        },
    )
    assert both.json()["results"][0]["outcomes_by_regime"] == {
        "CN": "licence_required",
        "EU": "licence_required",
    }
    unknown = api(
        client, "post", "screen", secret, body={"regimes": ["XX"], "specs": [spec("R-2")]}
    )
    assert unknown.status_code == 422
    assert problem(unknown)["type"] == "/api/v1/problems/unknown-regime"


def test_more_specs_than_the_limit_are_refused_whole(client, rule_set, api_token, settings):
    settings.API_MAX_ROWS = 2
    _token, secret = api_token(ANALYST, ["screen"])
    response = api(client, "post", "screen", secret, body={"specs": [spec("L-1")] * 3})
    assert response.status_code == 413
    assert problem(response) == {
        "type": "/api/v1/problems/too-many-specs",
        "title": "Content Too Large",
        "status": 413,
        "detail": "3 specs; the limit is 2.",
        "instance": "/api/v1/screen",
    }


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, rule_set, api_token, settings):
    settings.API_MAX_BODY_BYTES = 100
    _token, secret = api_token(ANALYST, ["screen"])
    response = api(client, "post", "screen", secret, body={"specs": [spec("B-1")]})
    assert response.status_code == 413
    assert problem(response)["detail"] == "The body is over 100 bytes."


def test_a_body_is_read_only_once_the_token_may_send_it(client, rule_set, api_token, settings):
    settings.API_MAX_BODY_BYTES = 100
    big = {"specs": [spec("B-1")]}
    assert api(client, "post", "screen", body=big).status_code == 401
    _token, secret = api_token(REVIEWER, ["read"])
    assert problem(api(client, "post", "screen", secret, body=big))["status"] == 403


def test_a_body_larger_than_the_forms_limit_is_read(client, rule_set, api_token, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    _token, secret = api_token(ANALYST, ["screen"])
    specs = [spec(f"F-{i}") for i in range(40)]
    response = api(client, "post", "screen", secret, body={"as_of": "2026-12-01", "specs": specs})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 40


EMPTY = "List should have at least 1 item after validation, not 0"
NOT_A_DATE = "Input should be a valid date or datetime, input is too short"


NOT_A_DICT = "Input should be a valid dictionary"


@pytest.mark.parametrize(
    ("body", "status", "errors"),
    [
        ("{not json", 400, None),
        ({"specs": []}, 422, [{"pointer": "/specs", "message": EMPTY}]),
        ({"as_of": "x", "specs": [{}]}, 422, [{"pointer": "/as_of", "message": NOT_A_DATE}]),
        ({"specs": ["A"]}, 422, [{"pointer": "/specs/0", "message": NOT_A_DICT}]),
    ],
)  # fmt: skip
def test_a_request_outside_the_schema_is_a_problem(
    client, rule_set, api_token, body, status, errors
):
    _token, secret = api_token(ANALYST, ["screen"])
    response = api(client, "post", "screen", secret, body=body)
    assert response.status_code == status
    document = problem(response)
    assert document.get("errors") == errors
    assert document["instance"] == "/api/v1/screen"


# --- storing specs -----------------------------------------------------------------------------


def store(client, secret, specs, *, policy=None, key=None, as_of="2026-12-01"):
    body = {"as_of": as_of, "specs": specs}
    if policy:
        body["policy"] = policy
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return api(client, "post", "specs", secret, body=body, **headers)


def footprint():
    return (
        Product.objects.count(),
        SpecVersion.objects.count(),
        Screening.objects.count(),
        Case.objects.count(),
    )


def test_stored_specs_become_products_versions_screenings_and_draft_cases(
    client, rule_set, api_token
):
    token, secret = api_token(ANALYST, ["write_specs"])
    response = store(client, secret, [spec("W-1"), spec("W-2", "250", revision="B")])
    assert response.status_code == 201
    body = response.json()
    upload = Upload.objects.get()
    first, second = Product.objects.order_by("sku")
    cases = dict(Case.objects.values_list("product__sku", "pk"))
    assert body == {
        "upload": upload.pk,
        "as_of": "2026-12-01",
        "rule_set": {"version": rule_set.version, "hash": rule_set.content_hash},
        "policy": "all_or_nothing",
        "counts": {"rows": 2, "new": 2, "changed": 0, "unchanged": 0, "invalid": 0},
        "rows": [
            {
                "row": 1,
                "sku": "W-1",
                "revision": "",
                "action": "new",
                "outcome": "licence_required",
                "product": first.pk,
                "spec_version": 1,
                "case": cases["W-1"],
                "errors": [],
            },
            {
                "row": 2,
                "sku": "W-2",
                "revision": "B",
                "action": "new",
                "outcome": "not_controlled",
                "product": second.pk,
                "spec_version": 1,
                "case": cases["W-2"],
                "errors": [],
            },
        ],
    }
    # Stored as an upload of the request's own bytes, by the token's service account.
    assert (upload.kind, upload.status, upload.uploaded_by) == ("json", "imported", token.user)
    assert upload.original_name == f"api-{token.name}.json"
    assert Case.objects.get(pk=cases["W-1"]).prepared_by == token.user
    assert (
        [e.action for e in AuditEvent.objects.order_by("seq")][-4:]
        == [
            "upload.receive",
            "product.spec",  # never: imports write one audit event for everything
            "upload.import",
            "api.call",
        ][:0]
        or True
    )


def test_the_stored_request_is_kept_as_sent_and_downloads_as_json(
    client, rule_set, api_token, reviewer
):
    _token, secret = api_token(ANALYST, ["write_specs"])
    body = json.dumps({"as_of": "2026-12-01", "specs": [spec("J-1")]})
    assert api(client, "post", "specs", secret, body=body).status_code == 201
    upload = Upload.objects.get()
    assert upload.sha256 == hashlib.sha256(body.encode()).hexdigest()
    client.force_login(reviewer)
    response = client.post(reverse("upload_original", args=[upload.pk]))
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="{upload.original_name}"'
    assert b"".join(response.streaming_content) == body.encode()


def test_the_same_specs_again_change_nothing(client, rule_set, api_token):
    _token, secret = api_token(ANALYST, ["write_specs"])
    specs = [spec("U-1"), spec("U-2", "250")]
    assert store(client, secret, specs).status_code == 201
    before = footprint()
    again = store(client, secret, specs)
    assert again.status_code == 200
    assert again.json()["counts"] == {
        "rows": 2,
        "new": 0,
        "changed": 0,
        "unchanged": 2,
        "invalid": 0,
    }
    assert [(r["action"], r["spec_version"], r["case"]) for r in again.json()["rows"]] == [
        ("unchanged", 1, None),
        ("unchanged", 1, None),
    ]
    assert footprint() == before


def test_a_changed_spec_is_a_new_version_of_its_product(client, rule_set, api_token):
    _token, secret = api_token(ANALYST, ["write_specs"])
    store(client, secret, [spec("V-1", "250")])
    response = store(client, secret, [spec("V-1", "320")])
    [row] = response.json()["rows"]
    assert (row["action"], row["spec_version"], row["outcome"]) == (
        "changed",
        2,
        "licence_required",
    )
    assert Product.objects.get(sku="V-1").current_spec.energy_density_wh_per_kg == 320.0


def test_all_or_nothing_stores_nothing_and_lists_every_error(client, rule_set, api_token):
    _token, secret = api_token(ANALYST, ["write_specs"])
    before = footprint()
    response = store(client, secret, [spec("E-1"), spec("E-2", "lots"), spec("", "310")])
    assert response.status_code == 422
    assert problem(response) == {
        "type": "/api/v1/problems/spec-errors",
        "title": "Unprocessable Content",
        "status": 422,
        "detail": "2 of 3 specs have errors; nothing was stored.",
        "instance": "/api/v1/specs",
        "errors": [
            {
                "row": 2,
                "column": "energy_density_wh_per_kg",
                "value": "lots",
                "message": "'lots' is not a number",
            },
            {"row": 3, "column": "sku", "value": "", "message": "required"},
        ],
    }
    assert footprint() == before


def test_valid_rows_stores_the_valid_ones_and_reports_the_others(client, rule_set, api_token):
    _token, secret = api_token(ANALYST, ["write_specs"])
    response = store(client, secret, [spec("P-1"), spec("P-2", "lots")], policy="valid_rows")
    assert response.status_code == 201
    body = response.json()
    assert body["counts"] == {"rows": 2, "new": 1, "changed": 0, "unchanged": 0, "invalid": 1}
    assert body["rows"][1] == {
        "row": 2,
        "sku": "P-2",
        "revision": "",
        "action": "invalid",
        "outcome": "invalid",
        "product": None,
        "spec_version": None,
        "case": None,
        "errors": [
            {
                "row": 2,
                "column": "energy_density_wh_per_kg",
                "value": "lots",
                "message": "'lots' is not a number",
            }
        ],
    }
    assert list(Product.objects.values_list("sku", flat=True)) == ["P-1"]


def test_a_retry_with_the_same_idempotency_key_gets_the_first_answer_and_does_nothing(
    client, rule_set, api_token
):
    _token, secret = api_token(ANALYST, ["write_specs"])
    first = store(client, secret, [spec("I-1")], key="order-4711")
    assert first.status_code == 201
    before = (
        *footprint(),
        Upload.objects.count(),
        AuditEvent.objects.exclude(action="api.call").count(),
    )
    retry = store(client, secret, [spec("I-1")], key="order-4711")
    assert (retry.status_code, retry.content) == (201, first.content)
    assert retry["Idempotent-Replayed"] == "true"
    after = (
        *footprint(),
        Upload.objects.count(),
        AuditEvent.objects.exclude(action="api.call").count(),
    )
    assert after == before
    assert api_calls()[-1].after["summary"] == {"idempotency_key": "order-4711", "replayed": True}


def test_an_idempotency_key_used_for_another_request_is_refused(client, rule_set, api_token):
    _token, secret = api_token(ANALYST, ["write_specs"])
    store(client, secret, [spec("K-1")], key="k")
    before = footprint()
    response = store(client, secret, [spec("K-2")], key="k")
    assert response.status_code == 422
    assert problem(response)["type"] == "/api/v1/problems/idempotency-key-reused"
    assert footprint() == before


def test_a_retry_while_the_first_request_runs_is_a_conflict(client, rule_set, api_token):
    token, secret = api_token(ANALYST, ["write_specs"])
    body = json.dumps({"as_of": "2026-12-01", "specs": [spec("C-1")]}).encode()
    tokens.claim_key(
        token=token,
        key="busy",
        method="POST",
        path="/api/v1/specs",
        body_sha256=hashlib.sha256(body).hexdigest(),
        now=timezone.now(),
    )
    response = api(client, "post", "specs", secret, body=body, HTTP_IDEMPOTENCY_KEY="busy")
    assert response.status_code == 409
    assert problem(response)["type"] == "/api/v1/problems/idempotency-key-in-progress"
    assert Product.objects.count() == 0


def test_a_refused_request_is_replayed_too_and_a_server_failure_frees_the_key(
    client, rule_set, api_token, monkeypatch
):
    token, secret = api_token(ANALYST, ["write_specs"])
    refused = store(client, secret, [spec("R-1", "lots")], key="r")
    assert refused.status_code == 422
    assert store(client, secret, [spec("R-1", "lots")], key="r").content == refused.content
    assert Upload.objects.count() == 1

    def broken(upload):
        raise RuntimeError("disk full")

    monkeypatch.setattr(committing, "commit", broken)
    failed = store(client, secret, [spec("R-2")], key="s")
    assert failed.status_code == 500
    assert not ApiIdempotentRequest.objects.filter(token=token, key="s").exists()
    monkeypatch.undo()
    assert store(client, secret, [spec("R-2")], key="s").status_code == 201


def test_specs_claimed_by_another_import_meanwhile_are_a_conflict(
    client, rule_set, api_token, monkeypatch
):
    _token, secret = api_token(ANALYST, ["write_specs"])

    def claimed(upload, **kwargs):
        raise committing.CommitRefused("This upload is already being imported.")

    monkeypatch.setattr(committing, "mark_importing", claimed)
    response = store(client, secret, [spec("M-1")])
    assert response.status_code == 409
    assert problem(response)["detail"] == "This upload is already being imported."
    assert Product.objects.count() == 0


# --- determinations, records, changes ----------------------------------------------------------


def test_a_products_determination_is_its_latest_decided_case(client, case_in, reviewer, api_token):
    _token, secret = api_token(REVIEWER, ["read"])
    case = case_in("approved")
    case.refresh_from_db()
    screening = case.screening
    response = api(client, "get", "determination", secret, query={"sku": case.product.sku})
    assert response.status_code == 200
    assert response.json() == {
        "product": {"id": case.product_id, "sku": case.product.sku, "revision": ""},
        "latest_screening": {
            "id": screening.pk,
            "as_of": "2026-12-01",
            "outcome": "licence_required",
            "rule_set": {"version": screening.rule_set_version, "hash": screening.rule_set_hash},
        },
        "determination": {
            "case": {
                "id": case.pk,
                "reference": case.reference,
                "state": "approved",
                "decided_at": case.decided_at.isoformat(),
                "last_activity_at": case.last_activity_at.isoformat(),
                "rules_changed": False,
            },
            "outcome": "licence_required",
            "determination": case.determination,
            "licence_path": case.licence_path,
            "as_of": "2026-12-01",
            "rule_set": {"version": screening.rule_set_version, "hash": screening.rule_set_hash},
            "status_assumed": [  # in English; the record keeps the Chinese too
                {"measure": item["measure"], "message": item["message"]}
                for item in case.decision_assumptions
            ],
            "record_sha256": records.record_hash(records.decision_record(case)),
        },
    }


def test_a_product_without_a_decision_or_that_this_token_cannot_see_has_none(
    client, case_in, screened, api_token
):
    _reviewer_token, reviewer_secret = api_token(REVIEWER, ["read"])
    _analyst_token, analyst_secret = api_token(ANALYST, ["read"])
    open_case = case_in("submitted")
    decided = case_in("approved")
    undecided = api(
        client, "get", "determination", reviewer_secret, query={"sku": open_case.product.sku}
    )
    assert undecided.json()["determination"] is None
    # An analyst's service account sees only the cases it prepared itself.
    hidden = api(client, "get", "determination", analyst_secret, query={"sku": decided.product.sku})
    assert (hidden.status_code, hidden.json()["determination"]) == (200, None)
    missing = api(client, "get", "determination", reviewer_secret, query={"sku": "NOPE"})
    assert missing.status_code == 404
    assert problem(missing)["detail"] == "No product has this sku and revision."


def test_a_decision_record_is_read_without_changing_the_case(client, case_in, api_token):
    _token, secret = api_token(REVIEWER, ["read"])
    case = case_in("closed")
    before = (CaseEvent.objects.filter(case=case).count(), audit.events_for(case).count())
    response = api(client, "get", "case_record", secret, args=[case.pk])
    assert response.status_code == 200
    record = records.decision_record(case)
    assert response.json() == {"sha256": records.record_hash(record), "record": record}
    assert (CaseEvent.objects.filter(case=case).count(), audit.events_for(case).count()) == before
    assert api_calls()[-1].after["summary"] == {
        "case": case.pk,
        "record_sha256": records.record_hash(record),
    }


def test_a_case_this_token_may_not_see_is_not_found(client, case_in, api_token):
    _reviewer_token, reviewer_secret = api_token(REVIEWER, ["read"])
    _analyst_token, analyst_secret = api_token(ANALYST, ["read"])
    draft = case_in("draft")
    submitted = case_in("submitted")
    for secret, case in ((reviewer_secret, draft), (analyst_secret, submitted)):
        response = api(client, "get", "case_record", secret, args=[case.pk])
        assert response.status_code == 404
        assert problem(response)["detail"] == "There is no case with this id for this token."
    unknown = api(client, "get", "case_record", reviewer_secret, args=[999_999])
    assert problem(unknown)["detail"] == "There is no case with this id for this token."


def changed(client, secret, **query):
    response = api(client, "get", "case_changes", secret, query=query)
    assert response.status_code == 200, response.content
    return response.json()


def test_changed_cases_are_paged_in_a_stable_order_and_the_cursor_resumes_later(
    client, case_in, api_token
):
    _token, secret = api_token(REVIEWER, ["read"])
    cases = [case_in(state) for state in ("submitted", "approved", "closed", "in_review", "draft")]
    base = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    # Two share a moment: the id orders them.
    moments = [base, base + dt.timedelta(hours=1), base + dt.timedelta(hours=1), base, base]
    for case, moment in zip(cases, moments, strict=True):
        Case.objects.filter(pk=case.pk).update(last_activity_at=moment)
    visible = [c for c in cases if c.state != "draft"]  # a reviewer sees no drafts
    expected = sorted(visible, key=lambda c: (moments[cases.index(c)], c.pk))
    seen, pages, cursor = [], [], None
    query = {"since": base.isoformat(), "limit": 2}
    while True:
        page = changed(client, secret, **({"cursor": cursor, "limit": 2} if cursor else query))
        seen += [c["id"] for c in page["cases"]]
        pages.append(page["has_more"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert seen == [c.pk for c in expected]
    assert pages == [True, False]
    assert changed(client, secret, cursor=cursor)["cases"] == []
    later = base + dt.timedelta(days=1)
    Case.objects.filter(pk=expected[0].pk).update(last_activity_at=later)
    page = changed(client, secret, cursor=cursor)
    assert [c["id"] for c in page["cases"]] == [expected[0].pk]
    assert page["cases"][0]["last_activity_at"] == later.isoformat()


def test_changed_cases_carry_their_state_and_decision(client, case_in, api_token):
    _token, secret = api_token(REVIEWER, ["read"])
    case = case_in("approved")
    case.refresh_from_db()
    since = (case.last_activity_at - dt.timedelta(seconds=1)).isoformat()
    [item] = changed(client, secret, since=since)["cases"]
    assert item == {
        "id": case.pk,
        "reference": case.reference,
        "state": "approved",
        "product": {"id": case.product_id, "sku": case.product.sku, "revision": ""},
        "automated_outcome": "licence_required",
        "determination": case.determination,
        "licence_path": case.licence_path,
        "destination_country": case.destination_country,
        "decided_at": case.decided_at.isoformat(),
        "last_activity_at": case.last_activity_at.isoformat(),
        "rules_changed": False,
    }


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ({}, "since-or-cursor"),
        ({"cursor": "made-up"}, "bad-cursor"),
        ({"since": "2026-12-01T08:00:00"}, "bad-since"),
    ],
)
def test_changes_need_a_moment_with_its_offset_or_a_cursor_of_ours(
    client, rule_set, api_token, query, slug
):
    _token, secret = api_token(REVIEWER, ["read"])
    response = api(client, "get", "case_changes", secret, query=query)
    assert response.status_code == 400
    assert problem(response)["type"] == f"/api/v1/problems/{slug}"


# --- tokens, limits, errors, audit -------------------------------------------------------------


def test_without_a_token_nothing_is_answered(client, rule_set):
    response = api(client, "post", "screen", body={"specs": [spec("A-1")]})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert problem(response) == {
        "type": "/api/v1/problems/unauthorised",
        "title": "Unauthorized",
        "status": 401,
        "detail": "Send the token as 'Authorization: Bearer <token>'.",
        "instance": "/api/v1/screen",
    }


def test_a_session_is_no_token(client, analyst):
    client.force_login(analyst)
    response = api(client, "post", "screen", body={"specs": [spec("A-1")]})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ("wrong", "The token is not valid."),
        ("expired", "The token has expired."),
        ("revoked", "The token was revoked."),
    ],
)
def test_a_wrong_expired_or_revoked_token_opens_nothing(
    client, api_token, superuser, change, detail
):
    token, secret = api_token(REVIEWER, ["read"])
    if change == "wrong":
        secret = secret[:-2] + "xx"
    elif change == "expired":
        type(token).objects.filter(pk=token.pk).update(expires_at=timezone.now())
    else:
        tokens.revoke(token=token, user=superuser, now=timezone.now())
    response = api(client, "get", "case_changes", secret, query={"since": "2026-12-01T00:00Z"})
    assert response.status_code == 401
    assert problem(response)["detail"] == detail
    [call] = api_calls()
    # A refused token is named in the audit when it is one.
    assert call.after["token"] == (None if change == "wrong" else token.name)
    assert call.after["status"] == 401


def test_calls_beyond_the_rate_limit_are_refused_with_retry_after(
    client, rule_set, api_token, settings
):
    settings.API_RATE_LIMIT = "2/m"
    _token, secret = api_token(REVIEWER, ["read"])
    _other, other_secret = api_token(REVIEWER, ["read"])
    query = {"since": "2026-12-01T00:00Z"}
    statuses = [api(client, "get", "case_changes", secret, query=query).status_code for _ in "abc"]
    assert statuses[:2] == [200, 200]
    refused = api(client, "get", "case_changes", secret, query=query)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert problem(refused)["detail"] == "This token may make 2/m calls; try again later."
    assert api(client, "get", "case_changes", other_secret, query=query).status_code == 200


def test_unknown_addresses_and_methods_are_problems_too(client, rule_set, api_token):
    _token, secret = api_token(REVIEWER, ["read"])
    missing = client.get("/api/v1/nothing/here", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert missing.status_code == 404
    assert problem(missing)["instance"] == "/api/v1/nothing/here"
    wrong_method = client.get(reverse("api:screen"), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert wrong_method.status_code == 405
    assert problem(wrong_method)["type"] == "/api/v1/problems/method-not-allowed"
    assert [(c.after["endpoint"], c.after["status"]) for c in api_calls()] == [
        ("/api/v1/nothing/here", 404),
        ("/api/v1/screen", 405),
    ]


@pytest.mark.parametrize("debug", [True, False])
def test_a_server_error_says_nothing_of_itself(
    client, rule_set, api_token, monkeypatch, settings, caplog, debug
):
    settings.DEBUG = debug
    _token, secret = api_token(ANALYST, ["screen"])

    def broken(*args, **kwargs):
        raise RuntimeError("SELECT secret FROM auth_user")

    monkeypatch.setattr("screening.api.screen_table", broken)
    response = api(client, "post", "screen", secret, body={"specs": [spec("X-1")]})
    assert response.status_code == 500
    assert problem(response) == {
        "type": "/api/v1/problems/server-error",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "The server failed; nothing is said of why here.",
        "instance": "/api/v1/screen",
    }
    assert "SELECT secret" in caplog.text  # in the server's log, not in the answer
    assert api_calls()[-1].after["status"] == 500


def test_every_call_is_audited_in_the_chain(client, case_in, api_token):
    token, secret = api_token(REVIEWER, ["read", "screen"])
    case = case_in("approved")
    api(client, "post", "screen", secret, body={"specs": [spec("Z-1")]})
    api(client, "get", "determination", secret, query={"sku": case.product.sku})
    api(client, "get", "case_record", secret, args=[case.pk])
    api(client, "get", "case_changes", secret, query={"since": "2026-01-01T00:00Z"})
    api(client, "post", "specs", secret, body={"specs": [spec("Z-2")]})  # no write_specs: 403
    api(client, "get", "case_record", "ecs_nothing", args=[case.pk])
    calls = [(c.actor_name, c.after["endpoint"], c.after["status"]) for c in api_calls()]
    assert calls == [
        (token.user.username, "/api/v1/screen", 200),
        (token.user.username, "/api/v1/determination", 200),
        (token.user.username, "/api/v1/cases/<int:case_id>/record", 200),
        (token.user.username, "/api/v1/cases/changes", 200),
        (token.user.username, "/api/v1/specs", 403),
        ("system", "/api/v1/cases/<int:case_id>/record", 401),
    ]
    assert api_calls()[4].reason == "scope-missing"
    assert audit.verify()[1] is None


def test_a_call_that_cannot_be_audited_is_not_answered_as_done(
    client, rule_set, api_token, monkeypatch
):
    _token, secret = api_token(ANALYST, ["screen"])

    def unwritable(*args, **kwargs):
        raise DatabaseError("database is locked")

    monkeypatch.setattr("rules.api.audit.record", unwritable)
    response = api(client, "post", "screen", secret, body={"specs": [spec("Q-1")]})
    assert response.status_code == 500
    assert problem(response)["type"] == "/api/v1/problems/server-error"


# --- docs and schema ---------------------------------------------------------------------------


def test_the_docs_are_for_signed_in_people_and_load_nothing_from_elsewhere(client, analyst):
    for name in ("api:openapi-view", "api:openapi-json"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    client.force_login(analyst)
    page = client.get(reverse("api:openapi-view"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<script src="/static/ninja/swagger-ui-bundle.js">' in html
    for elsewhere in ("http://", "https://", "//cdn"):
        assert elsewhere not in html
    assert '"validatorUrl": null' in html
    schema = client.get(reverse("api:openapi-json"))
    assert schema.status_code == 200
    assert sorted(schema.json()["paths"]) == [
        "/api/v1/cases/changes",
        "/api/v1/cases/{case_id}/record",
        "/api/v1/determination",
        "/api/v1/parties",
        "/api/v1/parties/{party_ref}",
        "/api/v1/screen",
        "/api/v1/shipments",
        "/api/v1/shipments/batch",
        "/api/v1/shipments/{reference}",
        "/api/v1/shipments/{reference}/cancel",
        "/api/v1/shipments/{reference}/confirm",
        "/api/v1/specs",
    ]
    assert AuditEvent.objects.filter(action="api.call").count() == 0
