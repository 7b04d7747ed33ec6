"""The export side's API: orders entered and checked by their ERP number (a retry answers as
the first time, other content under the same number is a 409), read with their check, confirmed
once, cancelled; parties saved by their reference with their candidate matches. Tokens, scopes,
validation errors (what and where), every call audited."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from rules.access import ANALYST, REVIEWER, RULES_ADMIN
from rules.models import AuditEvent
from trade.api_schemas import PartyAnswer, ShipmentAnswer, ShipmentOut
from trade.models import LedgerEntry, PartyMatch, Shipment

pytestmark = pytest.mark.urls("tests.trade.urls")

PROBLEM = "application/problem+json"
SHIP_DAY = "2026-12-15"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def call(client, method, name, secret=None, *, body=None, args=(), **headers):
    if secret is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    url = reverse(f"api:{name}", args=args)
    if method == "get":
        return client.get(url, **headers)
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json", **headers)


def problem(response):
    assert response["Content-Type"] == PROBLEM
    return response.json()


@pytest.fixture
def approved(case_in):
    return case_in("approved")


@pytest.fixture
def acme(party):
    return party()


@pytest.fixture
def licensed(approved, acme, licence_for):
    return licence_for(approved, consignee=acme, end_user=acme, quantity="100", unit="kg")


@pytest.fixture
def writer(api_token):
    _token, secret = api_token(ANALYST, ["write_shipments", "read"])
    return secret


def order(product, reference="SO-1", quantity="40", unit="kg", **fields):
    return {
        "reference": reference,
        "destination_country": "DE",
        "consignee_ref": "P-1",
        "end_user_ref": "P-1",
        "planned_ship_date": SHIP_DAY,
        "lines": [{"sku": product.sku, "quantity": quantity, "unit": unit, "value": "1200.50"}],
        **fields,
    }


# --- entering orders ---------------------------------------------------------------------------


def test_an_order_is_entered_checked_and_released_on_its_licence(client, licensed, writer):
    product = licensed.current.items.get().product
    response = call(client, "post", "shipments", writer, body=order(product))
    assert response.status_code == 201
    body = response.json()
    ShipmentAnswer.model_validate(body)  # the schema the OpenAPI document states
    assert (body["created"], body["state"]) == (True, "released")
    assert body["check"]["result"] == "release"
    [line] = body["lines"]
    assert line | {"reasons": None} == {
        "line": 1,
        "sku": line["sku"],
        "revision": "",
        "quantity": "40",
        "unit": "kg",
        "value": "1200.5",
        "currency": "USD",
        "result": "release",
        "reasons": None,
        "licence": "L-2026-0001",
        "draw": "40",
        "draw_unit": "kg",
    }
    assert line["reasons"] == []
    assert body["check"]["list_versions"], "a check says which list versions it used"
    shipment = Shipment.objects.get(reference="SO-1")
    assert shipment.source == "api"
    assert shipment.entered_by.api_token.scopes == ["write_shipments", "read"]
    [audit] = AuditEvent.objects.filter(action="api.call")
    assert audit.after["summary"] == {"reference": "SO-1", "created": True, "state": "released"}


def test_a_held_order_says_every_reason_in_words_and_codes(client, approved, acme, writer):
    response = call(client, "post", "shipments", writer, body=order(approved.product))
    body = response.json()
    assert (response.status_code, body["state"], body["check"]["result"]) == (201, "held", "hold")
    [reason] = body["lines"][0]["reasons"]
    assert reason["code"] == "no_licence"
    assert reason["label"] == "No licence"
    assert reason["message"] == (
        f"{approved.product.sku}: a licence is required (3A001) and no licence covers it."
    )
    assert reason["prohibited"] is False
    assert reason["clear_url"]  # where a licence is applied for


def test_the_same_order_sent_again_answers_as_the_first_time_and_draws_nothing(
    client, licensed, approved, writer
):
    first = call(client, "post", "shipments", writer, body=order(approved.product))
    again = call(client, "post", "shipments", writer, body=order(approved.product))
    assert (first.status_code, again.status_code) == (201, 200)
    assert {**first.json(), "created": False} == again.json()
    assert Shipment.objects.count() == 1
    assert LedgerEntry.objects.count() == 1
    # Quantities compare as numbers: 40 and "40.000" are the same order.
    same = call(client, "post", "shipments", writer, body=order(approved.product, quantity=40.000))
    assert same.status_code == 200


def test_other_content_under_a_recorded_order_number_is_a_conflict(
    client, licensed, approved, writer
):
    call(client, "post", "shipments", writer, body=order(approved.product))
    response = call(
        client,
        "post",
        "shipments",
        writer,
        body=order(approved.product, quantity="41", planned_ship_date="2026-12-16"),
    )
    assert response.status_code == 409
    detail = problem(response)["detail"]
    assert detail.startswith("Order SO-1 is recorded with other content: planned_ship_date")
    assert "lines/0/quantity" in detail
    assert "new order number" in detail
    assert Shipment.objects.get().lines.get().quantity == 40


def test_every_wrong_field_is_named_with_where_it_is(client, approved, acme, writer):
    body = order(approved.product, consignee_ref="P-NONE", destination_country="D1")
    body["lines"] = [
        {"sku": approved.product.sku, "quantity": "-3", "unit": "kg"},
        {"sku": "NO-SUCH-SKU", "quantity": "1", "unit": "bags"},
    ]
    response = call(client, "post", "shipments", writer, body=body)
    assert response.status_code == 422
    found = problem(response)
    assert found["type"] == "/api/v1/problems/invalid-shipment"
    where = {e["pointer"]: (e["value"], e["message"]) for e in found["errors"]}
    assert set(where) == {
        "/consignee_ref",
        "/destination_country",
        "/lines/0/quantity",
        "/lines/1/sku",
        "/lines/1/unit",
    }
    assert where["/lines/0/quantity"] == ("-3", "'-3' must be a number greater than 0")
    assert where["/lines/1/unit"][1].startswith("'bags' is not a unit we know")
    assert Shipment.objects.count() == 0


def test_the_schema_is_checked_before_anything_else(client, approved, writer):
    body = order(approved.product)
    del body["planned_ship_date"]
    body["lines"][0]["quantity"] = None
    response = call(client, "post", "shipments", writer, body=body)
    assert response.status_code == 422
    pointers = {e["pointer"] for e in problem(response)["errors"]}
    assert "/planned_ship_date" in pointers
    assert any(p.startswith("/lines/0/quantity") for p in pointers)
    response = call(client, "post", "shipments", writer, body=order(approved.product, lines=[]))
    assert problem(response)["errors"][0]["pointer"] == "/lines"
    assert call(client, "post", "shipments", writer, body="{not json").status_code == 400


# --- reading, confirming, cancelling -------------------------------------------------------------


def test_an_order_reads_with_its_check(client, licensed, approved, writer):
    created = call(client, "post", "shipments", writer, body=order(approved.product)).json()
    response = call(client, "get", "shipment", writer, args=["SO-1"])
    assert response.status_code == 200
    ShipmentOut.model_validate(response.json())
    assert {**response.json(), "created": True} == created
    missing = call(client, "get", "shipment", writer, args=["SO-404"])
    assert (missing.status_code, problem(missing)["type"]) == (404, "/api/v1/problems/not-found")


def test_a_confirmation_draws_once_however_often_it_arrives(client, licensed, approved, writer):
    call(client, "post", "shipments", writer, body=order(approved.product))
    confirmation = {"exported_on": SHIP_DAY, "declaration_number": "223120261215000001"}
    first = call(client, "post", "shipment_confirm", writer, args=["SO-1"], body=confirmation)
    again = call(client, "post", "shipment_confirm", writer, args=["SO-1"], body=confirmation)
    assert (first.status_code, again.status_code) == (200, 200)
    assert (first.json()["confirmed_now"], again.json()["confirmed_now"]) == (True, False)
    assert first.json()["state"] == "exported"
    assert LedgerEntry.objects.filter(kind="draw").count() == 1
    other = call(
        client,
        "post",
        "shipment_confirm",
        writer,
        args=["SO-1"],
        body={**confirmation, "exported_on": "2026-12-16"},
    )
    assert other.status_code == 409
    assert "was confirmed as exported on 2026-12-15" in problem(other)["detail"]
    assert LedgerEntry.objects.filter(kind="draw").count() == 1


def test_a_held_order_cannot_be_confirmed(client, approved, acme, writer):
    call(client, "post", "shipments", writer, body=order(approved.product))
    response = call(
        client, "post", "shipment_confirm", writer, args=["SO-1"], body={"exported_on": SHIP_DAY}
    )
    assert response.status_code == 409
    assert problem(response)["detail"] == "Only a released shipment can be confirmed as exported."


def test_a_cancellation_gives_the_reservation_back_once(client, licensed, approved, writer):
    call(client, "post", "shipments", writer, body=order(approved.product))
    body = {"reason": "Customer cancelled the order."}
    first = call(client, "post", "shipment_cancel", writer, args=["SO-1"], body=body)
    again = call(client, "post", "shipment_cancel", writer, args=["SO-1"], body=body)
    assert (first.json()["cancelled_now"], again.json()["cancelled_now"]) == (True, False)
    assert first.json()["state"] == "cancelled"
    kinds = sorted(LedgerEntry.objects.values_list("kind", flat=True))
    assert kinds == ["reserve", "unreserve"]


def test_a_cancellation_of_a_changed_or_exported_order_is_refused(
    client, licensed, approved, writer
):
    created = call(client, "post", "shipments", writer, body=order(approved.product)).json()
    stale = {"reason": "x", "version": created["version"] - 1}
    response = call(client, "post", "shipment_cancel", writer, args=["SO-1"], body=stale)
    assert response.status_code == 409
    missing_reason = call(client, "post", "shipment_cancel", writer, args=["SO-1"], body={})
    assert problem(missing_reason)["errors"][0]["pointer"] == "/reason"
    call(client, "post", "shipment_confirm", writer, args=["SO-1"], body={"exported_on": SHIP_DAY})
    response = call(client, "post", "shipment_cancel", writer, args=["SO-1"], body={"reason": "x"})
    assert response.status_code == 409
    assert problem(response)["detail"] == "Order SO-1 was exported; it cannot be cancelled."


# --- tokens and scopes -------------------------------------------------------------------------


def test_without_a_token_the_answer_is_401(client, approved):
    response = call(client, "post", "shipments", body=order(approved.product))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("role", "scopes", "name", "method", "status", "slug"),
    [
        (ANALYST, ["read"], "shipments", "post", 403, "scope-missing"),
        (REVIEWER, ["write_shipments"], "shipments", "post", 403, "not-allowed"),
        (RULES_ADMIN, ["read"], "shipment", "get", 403, "not-allowed"),
        (ANALYST, ["write_shipments"], "shipment", "get", 403, "scope-missing"),
        (REVIEWER, ["read"], "parties", "post", 403, "scope-missing"),
    ],
)
def test_scopes_then_roles_decide(
    client, approved, acme, api_token, role, scopes, name, method, status, slug
):
    _token, secret = api_token(role, scopes)
    args = ["SO-1"] if name == "shipment" else []
    response = call(client, method, name, secret, body=order(approved.product), args=args)
    assert response.status_code == status
    assert problem(response)["type"] == f"/api/v1/problems/{slug}"
    assert Shipment.objects.count() == 0


# --- parties -----------------------------------------------------------------------------------


def test_a_party_is_saved_by_its_reference_and_a_retry_changes_nothing(client, api_token):
    _token, secret = api_token(REVIEWER, ["write_shipments", "read"])
    party = {
        "party_ref": "C-77",
        "name": "Nordlicht Speicher GmbH",
        "country": "de",
        "roles": ["consignee", "end_user"],
        "military_end_user": "no",
    }
    first = call(client, "post", "parties", secret, body=party)
    assert first.status_code == 201
    PartyAnswer.model_validate(first.json())
    assert (first.json()["action"], first.json()["country"]) == ("new", "DE")
    assert first.json()["candidates"] == []
    words = [entry["words"] for entry in first.json()["lists"]]
    assert all(w.startswith("no match in ") for w in words), words
    assert not any("clear" in w for w in words)
    again = call(client, "post", "parties", secret, body=party)
    assert (again.status_code, again.json()["action"], again.json()["version"]) == (
        200,
        "unchanged",
        1,
    )
    changed = call(client, "post", "parties", secret, body={**party, "address": "Hafenstr. 1"})
    assert (changed.json()["action"], changed.json()["version"]) == ("changed", 2)
    read = call(client, "get", "party", secret, args=["C-77"])
    assert {**read.json(), "action": "changed"} == changed.json()


def test_a_party_reads_with_its_candidate_matches(client, api_token):
    _token, secret = api_token(ANALYST, ["write_shipments", "read"])
    response = call(
        client,
        "post",
        "parties",
        secret,
        body={"party_ref": "C-9", "name": "Lockheed Martin Corp.", "country": "US"},
    )
    candidates = response.json()["candidates"]
    assert {c["list"] for c in candidates} == {"control_list", "unreliable_entity_list"}
    assert all(c["state"] == "open" and c["reason"] and c["score"] >= 0.8 for c in candidates)
    assert PartyMatch.objects.filter(party__reference="C-9").count() == len(candidates)
    words = {entry["list"]: entry["words"] for entry in response.json()["lists"]}
    assert words["control_list"].startswith("1 candidate match(es) in ")
    assert words["watch_list"].startswith("no match in ")


def test_a_party_without_a_name_or_with_a_wrong_field_is_refused_saying_where(client, api_token):
    _token, secret = api_token(ANALYST, ["write_shipments", "read"])
    response = call(client, "post", "parties", secret, body={"party_ref": "C-1", "country": "DE"})
    assert response.status_code == 422
    assert problem(response)["errors"][0]["pointer"] == "/name"
    response = call(
        client,
        "post",
        "parties",
        secret,
        body={"party_ref": "C-1", "name": "X", "country": "DE", "military_end_user": "maybe"},
    )
    assert problem(response)["errors"][0]["pointer"] == "/military_end_user"
    missing = call(client, "get", "party", secret, args=["C-404"])
    assert missing.status_code == 404


def test_an_order_points_at_parties_and_products_it_does_not_know(client, approved, writer):
    response = call(client, "post", "shipments", writer, body=order(approved.product))
    pointers = [e["pointer"] for e in problem(response)["errors"]]
    assert pointers == ["/consignee_ref", "/end_user_ref"]
