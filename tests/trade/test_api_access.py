"""The export side's API access, generated from tests/access_matrix.py (TRADE_API_ROUTES):
every endpoint with a token of every role and every scope (one at a time, and all together).
A refused call changes nothing but the audit trail, which records it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rules.models import AuditEvent
from tests.access_matrix import API_ROLES, API_SCOPE_SETS, TRADE_API_ROUTES, api_expected
from trade import entry
from trade.models import LedgerEntry, Party, Shipment

pytestmark = pytest.mark.urls("tests.trade.urls")

ROLE_GROUPS = {
    "analyst": "compliance_analyst",
    "reviewer": "reviewer",
    "rules_admin": "rules_administrator",
}
SUCCESS = {
    "api:shipments": 201,
    "api:shipments_batch": 201,
    "api:shipment": 200,
    "api:shipment_confirm": 200,
    "api:shipment_cancel": 200,
    "api:parties": 201,
    "api:party": 200,
}


def footprint():
    return (
        AuditEvent.objects.exclude(action="api.call").count(),
        list(Shipment.objects.order_by("pk").values_list("reference", "state", "version")),
        LedgerEntry.objects.count(),
        Party.objects.count(),
    )


@pytest.fixture
def world(case_in, party, licence_for, analyst):
    case = case_in("approved")
    acme = party()
    licence_for(case, consignee=acme, end_user=acme)
    released = entry.enter_shipment(
        user=analyst,
        reference="SO-ON-RECORD",
        destination_country="DE",
        consignee=acme,
        end_user=acme,
        planned_ship_date=dt.date(2026, 12, 15),
        lines=[entry.LineInput(product=case.product, quantity="10", unit="kg")],
    )
    assert released.state == "released"
    return case.product


def request_for(client, route, method, secret, product):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    new_order = {
        "reference": "SO-NEW",
        "destination_country": "DE",
        "consignee_ref": "P-1",
        "end_user_ref": "P-1",
        "planned_ship_date": "2026-12-15",
        "lines": [{"sku": product.sku, "quantity": "5", "unit": "kg"}],
    }
    bodies = {
        "api:shipments": new_order,
        "api:shipments_batch": {"orders": [new_order, {**new_order, "reference": "SO-NEW-2"}]},
        "api:shipment_confirm": {"exported_on": "2026-12-15"},
        "api:shipment_cancel": {"reason": "Order withdrawn by the customer."},
        "api:parties": {"party_ref": "P-NEW", "name": "Nordlicht Speicher GmbH", "country": "DE"},
    }
    on_record = route == "api:shipment" or route.startswith("api:shipment_")
    args = {"api:party": ["P-1"]}.get(route, ["SO-ON-RECORD"] if on_record else [])
    url = reverse(route, args=args)
    if method == "get":
        return client.get(url, **headers)
    return client.post(url, bodies[route], content_type="application/json", **headers)


@pytest.mark.parametrize("scopes", API_SCOPE_SETS, ids="+".join)
@pytest.mark.parametrize("role", API_ROLES)
@pytest.mark.parametrize(("route", "method"), [(r[0], r[1]) for r in TRADE_API_ROUTES])
def test_every_trade_endpoint_follows_the_matrix(
    client, world, api_token, route, method, role, scopes
):
    _token, secret = api_token(ROLE_GROUPS[role], scopes)
    before = footprint()
    response = request_for(client, route, method, secret, world)
    assert AuditEvent.objects.filter(action="api.call").count() == 1
    if api_expected(route, role, scopes) == 403:
        assert response.status_code == 403, response.content
        assert response.json()["type"] in (
            "/api/v1/problems/scope-missing",
            "/api/v1/problems/not-allowed",
        )
        assert footprint() == before
        return
    assert response.status_code == SUCCESS[route], response.content
    if method == "get":
        assert footprint() == before, "a GET changed the database"
