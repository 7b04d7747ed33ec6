"""Recording a licence granted outside an application here (on paper before the system, or by
another team): the same domain call as a grant (trade.licences.record_licence), so the same
validation (a unique number, the kind's validity, known parties and products, at least one
line) and the same audit event, with where the licence comes from; the gate draws on it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rules.models import AuditEvent
from tests.trade.views import SHIP_DAY, licence_form
from trade import entry
from trade.models import Licence, ShipmentState

pytestmark = pytest.mark.django_db

URL = "licence_record"


def text(response) -> str:
    return response.content.decode()


def test_a_licence_granted_on_paper_is_recorded_and_audited(client, reviewer, analyst, trade_world):
    client.force_login(reviewer)
    shown = text(client.get(reverse(URL)))
    assert "Record a licence" in shown
    assert 'list="party-references"' in shown
    response = client.post(reverse(URL), licence_form(trade_world))
    licence = Licence.objects.get(number="L-PAPER-2019-7")
    assert response["Location"] == licence.get_absolute_url()
    assert (licence.application, licence.recorded_by, licence.kind.code) == (
        None,
        reviewer,
        "dual_use_single",
    )
    version = licence.current
    assert (version.number, version.destination_country, version.consignee) == (
        1,
        "DE",
        trade_world.party,
    )
    [item] = version.items.all()
    product = trade_world.approved().product
    assert (item.line, item.control_code, item.quantity, item.unit, item.value) == (
        f"product:{product.pk}",
        "3A001",
        500,
        "kg",
        250000,
    )
    [event] = AuditEvent.objects.filter(action="licence.record")
    assert event.reason == "Paper licence of 2026-10-28, compliance binder 4."
    assert event.after["number"] == "L-PAPER-2019-7"
    assert event.after["items"][0]["quantity"] == "500.000000"
    # The gate draws on it as on any other licence.
    shipment = entry.enter_shipment(
        user=analyst,
        reference="SO-PAPER-1",
        destination_country="DE",
        consignee=trade_world.party,
        end_user=trade_world.party,
        planned_ship_date=SHIP_DAY,
        lines=[entry.LineInput(product=product, quantity="100", unit="kg")],
    )
    assert (shipment.state, shipment.lines.get().licence) == (ShipmentState.RELEASED, licence)


def test_a_licence_by_control_code_only_covers_the_code(client, reviewer, trade_world):
    client.force_login(reviewer)
    form = licence_form(trade_world, number="L-TEAM-B-12")
    form.update({"items-0-sku": "", "items-0-revision": ""})
    client.post(reverse(URL), form)
    [item] = Licence.objects.get(number="L-TEAM-B-12").current.items.all()
    assert (item.line, item.product) == ("code:3A001", None)


def test_the_rules_of_a_grant_hold_for_a_licence_recorded_directly(
    client, reviewer, analyst, trade_world
):
    client.force_login(reviewer)
    form = licence_form(trade_world)  # the world's case and party, made (and audited) first
    before = AuditEvent.objects.count()
    too_long = {**form, "valid_until": "2028-12-01"}
    response = client.post(reverse(URL), too_long)
    assert response.status_code == 200
    assert 'id="id_valid_until_error"' in text(response)  # a single licence: a year at most
    no_items = {**form, "items-0-control_code": "", "items-0-sku": ""}
    assert "A licence authorises at least one line." in text(client.post(reverse(URL), no_items))
    unknown = {**form, "items-0-sku": "NO-SUCH", "consignee": "P-NONE"}
    shown = text(client.post(reverse(URL), unknown))
    assert "No product has this SKU (and revision)." in shown
    assert "No party has this reference." in shown
    assert Licence.objects.count() == 0
    assert AuditEvent.objects.count() == before
    client.post(reverse(URL), form)
    again = text(client.post(reverse(URL), form))
    assert "Licence L-PAPER-2019-7 is already recorded." in again
    assert Licence.objects.count() == 1


def test_the_licence_list_offers_it_to_whoever_records_licences(
    client, reviewer, analyst, rules_admin, trade_world
):
    for persona in (reviewer, analyst):
        client.force_login(persona)
        assert f'href="{reverse(URL)}"' in text(client.get(reverse("licence_list")))
    client.force_login(rules_admin)
    assert client.get(reverse(URL)).status_code == 403
