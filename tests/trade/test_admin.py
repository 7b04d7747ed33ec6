"""Django admin for the export side: the reference data (licence kinds, applicants, the
working-day calendar) kept there with an audit trail; everything else shown, never changed:
list versions, licences and their ledgers (append-only), applications, shipments, parties.
Codes read as their labels."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse

from rules.models import AuditEvent
from trade import applications, parties, shipments
from trade.models import CalendarDay, CalendarYear, LedgerEntry, Licence, Shipment

pytestmark = pytest.mark.urls("tests.trade.urls")

TRADE_MODELS = sorted(
    model._meta.model_name for model in admin.site._registry if model._meta.app_label == "trade"
)
EDITABLE = {"licencekind", "applicant", "calendaryear", "calendarday"}


@pytest.fixture
def trade_data(case_in, party, licence_for, analyst, applicant, single_kind):
    """A released and a held order, a licence with a ledger, a party with candidate matches,
    an application."""
    approved = case_in("approved")
    acme = party()
    applications.prepare_application(
        user=analyst,
        kind=single_kind,
        applicant=applicant,
        contract_reference="C-2026-001",
        consignee=acme,
        end_user=acme,
        end_use="Stationary storage",
        destination_country="DE",
        items=[applications.ItemInput(case=approved, quantity="100", unit="kg", value="9000")],
    )
    licence = licence_for(approved, consignee=acme, end_user=acme)
    parties.save_party(user=analyst, reference="P-9", name="Lockheed Martin Corp.", country="US")
    for number, quantity in ((1, "10"), (2, "500")):
        shipments.enter_shipment(
            user=analyst,
            reference=f"SO-{number}",
            destination_country="DE",
            consignee=acme,
            end_user=acme,
            planned_ship_date=dt.date(2026, 12, 15),
            lines=[shipments.LineInput(product=approved.product, quantity=quantity, unit="kg")],
        )
    return licence


def test_every_model_of_the_export_side_is_in_admin():
    assert set(TRADE_MODELS) >= {
        "licencekind",
        "calendaryear",
        "calendarday",
        "listversion",
        "ledgerentry",
        "licence",
        "shipment",
    }


@pytest.mark.parametrize("model", TRADE_MODELS)
def test_each_page_loads_for_a_superuser(client, superuser, trade_data, model):
    client.force_login(superuser)
    listing = client.get(reverse(f"admin:trade_{model}_changelist"))
    assert listing.status_code == 200
    queryset = admin.site._registry[
        next(m for m in admin.site._registry if m._meta.model_name == model)
    ].get_queryset(listing.wsgi_request)
    first = queryset.first()
    assert first is not None, f"no {model} to show"
    page = client.get(reverse(f"admin:trade_{model}_change", args=[first.pk]))
    assert page.status_code == 200
    can_add = client.get(reverse(f"admin:trade_{model}_add")).status_code == 200
    assert can_add is (model in EDITABLE)


def test_ledger_rows_cannot_be_added_changed_or_deleted_in_admin(client, superuser, trade_data):
    client.force_login(superuser)
    entry = LedgerEntry.objects.get()
    change = reverse("admin:trade_ledgerentry_change", args=[entry.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert b'name="quantity"' not in page.content  # shown, not an input
    assert client.post(change, {"quantity": "1", "kind": "draw"}).status_code == 403
    delete = reverse("admin:trade_ledgerentry_delete", args=[entry.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    listing = client.post(
        reverse("admin:trade_ledgerentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk]},
    )
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()
    assert listing.status_code in (200, 302)
    entry.refresh_from_db()
    assert (entry.kind, entry.quantity) == ("reserve", 10)
    # Nor a licence's own ledger, shown on its page.
    licence_page = client.get(reverse("admin:trade_licence_change", args=[trade_data.pk]))
    assert licence_page.status_code == 200
    assert (
        client.post(reverse("admin:trade_licence_change", args=[trade_data.pk]), {}).status_code
        == 403
    )
    assert Licence.objects.get(pk=trade_data.pk).status == "active"


def test_shipments_read_as_labels_not_codes(client, superuser, trade_data):
    client.force_login(superuser)
    page = client.get(reverse("admin:trade_shipment_changelist")).content.decode()
    assert "Balance too low" in page
    assert "insufficient_balance" not in page
    assert "Released" in page
    assert "Held" in page
    held = Shipment.objects.get(reference="SO-2")
    detail = client.get(reverse("admin:trade_shipment_change", args=[held.pk])).content.decode()
    assert "Balance too low" in detail
    assert "Hold" in detail


def test_the_calendar_is_kept_in_admin_with_an_audit_trail(client, superuser):
    client.force_login(superuser)
    year = CalendarYear.objects.order_by("year").last()
    listing = client.get(reverse("admin:trade_calendaryear_changelist"))
    assert listing.status_code == 200
    add = reverse("admin:trade_calendarday_add")
    weekday = dt.date(year.year, 3, 4)
    while weekday.weekday() >= 5:
        weekday += dt.timedelta(days=1)
    refused = client.post(
        add, {"year": year.pk, "date": weekday.isoformat(), "kind": "workday", "name": "x"}
    )
    assert refused.status_code == 200
    assert "Only a Saturday or a Sunday" in refused.content.decode()
    other_year = client.post(
        add, {"year": year.pk, "date": f"{year.year + 1}-03-04", "kind": "holiday", "name": "x"}
    )
    assert "is not in the year" in other_year.content.decode()
    taken = set(CalendarDay.objects.values_list("date", flat=True))
    day = dt.date(year.year, 3, 2)
    while day in taken or day.weekday() >= 5:
        day += dt.timedelta(days=1)
    saved = client.post(
        add, {"year": year.pk, "date": day.isoformat(), "kind": "holiday", "name": "Company day"}
    )
    assert saved.status_code == 302
    event = AuditEvent.objects.get(action="trade.admin.add")
    assert (event.actor, event.after["name"]) == (superuser, "Company day")


def test_others_than_superusers_get_no_trade_admin(client, rules_admin, reviewer):
    for user in (rules_admin, reviewer):
        client.force_login(user)
        response = client.get(reverse("admin:trade_ledgerentry_changelist"))
        assert response.status_code in (302, 403)
