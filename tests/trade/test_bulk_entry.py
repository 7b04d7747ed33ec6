"""Orders entered in bulk (an upload's import, trade.entry.enter_shipments): the same rules
as one at a time, lines with their positions, one audit event naming every order, one run of
the gate over all of them; an upload imported again changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from rules.models import AuditEvent
from trade import entry, shipments, uploads
from trade.models import LedgerEntry, Shipment, ShipmentCheck, ShipmentState, TradeUpload

pytestmark = pytest.mark.urls("tests.trade.urls")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def approved(case_in):
    return case_in("approved")


@pytest.fixture
def acme(party):
    return party()


def csv_of(product) -> bytes:
    rows = [
        "order_number,destination_country,consignee_ref,end_user_ref,planned_ship_date,"
        "sku,quantity,unit,value",
        f"SO-A,DE,P-1,P-1,2026-12-15,{product.sku},10,kg,100",
        f"SO-A,DE,P-1,P-1,2026-12-15,{product.sku},0.02,t,200",
        f"SO-B,DE,P-1,P-1,2026-12-15,{product.sku},90,kg,900",
        f"SO-C,FR,P-1,P-1,2026-12-15,{product.sku},1,kg,10",
    ]
    return ("\n".join(rows) + "\n").encode()


def test_an_upload_enters_its_orders_in_bulk_and_checks_them_once(
    approved, acme, licence_for, analyst
):
    licence_for(approved, consignee=acme, end_user=acme, quantity="100", unit="kg")
    upload = uploads.receive(
        kind=TradeUpload.Kind.SHIPMENTS,
        data=csv_of(approved.product),
        filename="orders.csv",
        user=analyst,
    )
    assert [r["action"] for r in upload.rows] == ["new", "new", "new"]
    uploads.commit(upload=upload, user=analyst, policy="all_or_nothing")
    found = {s.reference: s for s in Shipment.objects.all()}
    assert {ref: s.state for ref, s in found.items()} == {
        "SO-A": ShipmentState.RELEASED,  # 10 kg + 20 kg
        "SO-B": ShipmentState.HELD,  # 90 kg: 70 left after SO-A
        "SO-C": ShipmentState.HELD,  # another destination
    }
    a = found["SO-A"]
    assert [(line.position, str(line.quantity), line.unit) for line in a.lines.all()] == [
        (1, "10.000000", "kg"),
        (2, "0.020000", "t"),
    ]
    assert (a.source, a.entered_by, a.version) == ("upload", analyst, 2)
    assert ShipmentCheck.objects.count() == 3
    assert LedgerEntry.objects.count() == 2
    [event] = AuditEvent.objects.filter(action="shipment.enter")
    assert sorted(event.after["orders"]) == ["SO-A", "SO-B", "SO-C"]
    assert event.after["ids"] == sorted(s.pk for s in found.values())
    assert event.after["orders"]["SO-A"]["lines"][1] == {
        "position": 2,
        "product": approved.product_id,
        "quantity": "0.02",
        "unit": "t",
    }
    again = uploads.receive(
        kind=TradeUpload.Kind.SHIPMENTS,
        data=csv_of(approved.product),
        filename="orders.csv",
        user=analyst,
    )
    assert [r["action"] for r in again.rows] == ["unchanged"] * 3
    uploads.commit(upload=again, user=analyst, policy="all_or_nothing")
    assert Shipment.objects.count() == 3


def test_bulk_entry_refuses_what_one_at_a_time_refuses(approved, acme, analyst, reviewer):
    def order(reference, quantity="1"):
        return entry.OrderInput(
            reference=reference,
            destination_country="DE",
            consignee=acme,
            end_user=acme,
            planned_ship_date=dt.date(2026, 12, 15),
            lines=[entry.LineInput(product=approved.product, quantity=quantity, unit="kg")],
        )

    with pytest.raises(shipments.ShipmentError, match="cannot enter"):
        entry.enter_shipments(user=reviewer, orders=[order("SO-1")])
    with pytest.raises(shipments.ShipmentError, match="SO-1 is already recorded"):
        entry.enter_shipments(user=analyst, orders=[order("SO-1"), order("SO-1")])
    with pytest.raises(shipments.ShipmentError, match="Order SO-2 line 1: '-1' must be"):
        entry.enter_shipments(user=analyst, orders=[order("SO-2", "-1")])
    entry.enter_shipments(user=analyst, orders=[order("SO-3")])
    with pytest.raises(shipments.ShipmentError, match="SO-3 is already recorded"):
        entry.enter_shipments(user=analyst, orders=[order("SO-3")])
    assert list(Shipment.objects.values_list("reference", flat=True)) == ["SO-3"]
