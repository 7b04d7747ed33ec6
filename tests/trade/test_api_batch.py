"""Export orders by the API in a batch (POST /api/v1/shipments/batch): entered together through
trade.entry.enter_shipments and checked in one run of the gate; the same batch sent again
changes nothing and answers each order as it is now; other content under a recorded number is
a 409 naming the order; one wrong order says which and where, and nothing is stored. A single
order (POST /api/v1/shipments) keeps its own audit event."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rules.access import ANALYST
from rules.models import AuditEvent
from trade.api_schemas import ShipmentBatchAnswer
from trade.models import LedgerEntry, Shipment, ShipmentCheck

pytestmark = pytest.mark.urls("tests.trade.urls")

PROBLEM = "application/problem+json"
SHIP_DAY = "2026-12-15"


@pytest.fixture
def approved(case_in):
    return case_in("approved")


@pytest.fixture
def licensed(approved, party, licence_for):
    acme = party()
    return licence_for(approved, consignee=acme, end_user=acme, quantity="100", unit="kg")


@pytest.fixture
def writer(api_token):
    _token, secret = api_token(ANALYST, ["write_shipments", "read"], name="sap-erp")
    return secret


def order(product, reference, quantity="40", **fields):
    return {
        "reference": reference,
        "destination_country": "DE",
        "consignee_ref": "P-1",
        "end_user_ref": "P-1",
        "planned_ship_date": SHIP_DAY,
        "lines": [{"sku": product.sku, "quantity": quantity, "unit": "kg", "value": "100"}],
        **fields,
    }


def post(client, secret, body, name="shipments_batch"):
    return client.post(
        reverse(f"api:{name}"),
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


def footprint():
    return (
        list(Shipment.objects.order_by("pk").values_list("reference", "state", "version")),
        LedgerEntry.objects.count(),
        ShipmentCheck.objects.count(),
        AuditEvent.objects.exclude(action="api.call").count(),
    )


def test_a_batch_is_entered_together_and_checked_in_one_run(client, licensed, approved, writer):
    product = approved.product
    batch = {"orders": [order(product, "SO-1", "60"), order(product, "SO-2", "60")]}
    response = post(client, writer, batch)
    assert response.status_code == 201, response.content
    body = response.json()
    ShipmentBatchAnswer.model_validate(body)  # the schema the OpenAPI document states
    assert (body["created"], body["unchanged"]) == (2, 0)
    found = [(o["reference"], o["created"], o["state"]) for o in body["orders"]]
    # One run: what SO-1 reserves on the licence is no longer there for SO-2.
    assert found == [("SO-1", True, "released"), ("SO-2", True, "held")]
    [reason] = body["orders"][1]["lines"][0]["reasons"]
    assert reason["code"] == "insufficient_balance"
    assert set(Shipment.objects.values_list("source", flat=True)) == {"api"}
    [entered] = AuditEvent.objects.filter(action="shipment.enter")
    assert sorted(entered.after["orders"]) == ["SO-1", "SO-2"]
    [call] = AuditEvent.objects.filter(action="api.call")
    assert (call.object_repr, call.after["endpoint"], call.after["status"]) == (
        "sap-erp",
        "/api/v1/shipments/batch",
        201,
    )
    assert call.after["summary"] == {
        "orders": 2,
        "created": ["SO-1", "SO-2"],
        "unchanged": 0,
        "states": {"held": 1, "released": 1},
    }


def test_the_same_batch_sent_again_changes_nothing(client, licensed, approved, writer):
    product = approved.product
    batch = {"orders": [order(product, "SO-1"), order(product, "SO-2")]}
    first = post(client, writer, batch)
    before = footprint()
    again = post(client, writer, batch)
    assert (first.status_code, again.status_code) == (201, 200)
    assert footprint() == before
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 2)
    strip = [{**o, "created": None} for o in first.json()["orders"]]
    assert [{**o, "created": None} for o in again.json()["orders"]] == strip
    assert [o["created"] for o in again.json()["orders"]] == [False, False]
    # A batch with one more order: only that one is entered.
    batch["orders"].append(order(product, "SO-3", "10"))
    more = post(client, writer, batch)
    assert more.status_code == 201
    assert [o["created"] for o in more.json()["orders"]] == [False, False, True]
    assert Shipment.objects.count() == 3
    assert AuditEvent.objects.filter(action="api.call").count() == 3


def test_other_content_under_a_recorded_number_names_the_order(client, licensed, approved, writer):
    product = approved.product
    post(client, writer, {"orders": [order(product, "SO-1"), order(product, "SO-2")]})
    before = footprint()
    changed = [order(product, "SO-1"), order(product, "SO-2", "41"), order(product, "SO-9")]
    response = post(client, writer, {"orders": changed})
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "/api/v1/problems/order-conflict"
    assert problem["errors"] == [
        {
            "pointer": "/orders/1",
            "order": "SO-2",
            "message": "recorded with other content: lines/0/quantity",
        }
    ]
    assert footprint() == before, "nothing of the batch is stored, not even SO-9"


def test_one_wrong_order_in_a_batch_says_which_and_where(client, licensed, approved, writer):
    product = approved.product
    orders = [order(product, "SO-1"), order(product, "SO-2"), order(product, "SO-3")]
    orders[2]["lines"].append({"sku": "NO-SUCH-SKU", "quantity": "1", "unit": "kg"})
    response = post(client, writer, {"orders": orders})
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "/api/v1/problems/invalid-shipment"
    assert problem["detail"] == "1 field(s) of 1 order(s) are wrong (SO-3); nothing was stored."
    assert problem["errors"] == [
        {
            "order": "SO-3",
            "pointer": "/orders/2/lines/1/sku",
            "value": "NO-SUCH-SKU",
            "message": "is no product we know (with this revision)",
        }
    ]
    assert Shipment.objects.count() == 0
    [call] = AuditEvent.objects.filter(action="api.call")
    assert (call.after["status"], call.reason) == (422, "invalid-shipment")


def test_a_batch_is_checked_against_its_schema_and_its_limits(
    client, licensed, approved, writer, settings
):
    product = approved.product
    missing = order(product, "SO-2")
    del missing["planned_ship_date"]
    response = post(client, writer, {"orders": [order(product, "SO-1"), missing]})
    assert response.status_code == 422
    assert {e["pointer"] for e in response.json()["errors"]} == {"/orders/1/planned_ship_date"}
    twice = post(client, writer, {"orders": [order(product, "SO-1"), order(product, "SO-1")]})
    assert [(e["pointer"], e["message"]) for e in twice.json()["errors"]] == [
        ("/orders/1/reference", "is sent twice (first at /orders/0)")
    ]
    assert post(client, writer, {"orders": []}).status_code == 422
    settings.API_MAX_SHIPMENT_BATCH = 2
    orders = [order(product, f"SO-{n}") for n in range(3)]
    too_many = post(client, writer, {"orders": orders})
    assert (too_many.status_code, too_many.json()["type"]) == (
        413,
        "/api/v1/problems/too-many-orders",
    )
    settings.API_MAX_ROWS = 1
    too_long = post(client, writer, {"orders": orders[:2]})
    assert (too_long.status_code, too_long.json()["detail"]) == (
        413,
        "2 lines; the limit is 1.",
    )
    assert Shipment.objects.count() == 0


def test_a_single_order_keeps_its_own_audit_event(client, licensed, approved, writer):
    response = post(client, writer, order(approved.product, "SO-1"), name="shipments")
    assert response.status_code == 201
    shipment = Shipment.objects.get()
    [entered] = AuditEvent.objects.filter(action="shipment.enter")
    assert (entered.object_type, entered.object_id) == ("trade.shipment", str(shipment.pk))
    assert entered.after["reference"] == "SO-1"
    assert [line["quantity"] for line in entered.after["lines"]] == ["40.000000"]
    assert ShipmentCheck.objects.filter(shipment=shipment, trigger="entered").count() == 1


def test_the_statements_of_a_batch_do_not_grow_with_its_orders(client, licensed, approved, writer):
    def statements(references):
        batch = {"orders": [order(approved.product, ref, "1") for ref in references]}
        with CaptureQueriesContext(connection) as queries:
            assert post(client, writer, batch).status_code == 201
        return len(queries)

    assert statements(["SO-1", "SO-2"]) == statements([f"SO-{n}" for n in range(10, 18)])
