"""The export side's dashboard: held shipments by reason, licence balances and expiries (within
a horizon, the setting by default), value shipped under licence by control code; for whoever
works on the export side."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from trade import dashboard, shipments

pytestmark = pytest.mark.urls("tests.trade.urls")

SHIP_DAY = dt.date(2026, 12, 15)


@pytest.fixture
def book(case_in, screened, party, licence_for, analyst):
    """A licence of 100 kg (3A001, until 2027-06-30): 20 kg exported, 40 kg released, an order
    of 80 kg held for balance, and one held for a product without a determination."""
    approved = case_in("approved")
    acme = party()
    licence = licence_for(approved, consignee=acme, end_user=acme, quantity="100", unit="kg")
    counter = iter(range(1, 100))

    def order(product, amount, value):
        return shipments.enter_shipment(
            user=analyst,
            reference=f"SO-{next(counter)}",
            destination_country="DE",
            consignee=acme,
            end_user=acme,
            planned_ship_date=SHIP_DAY,
            lines=[shipments.LineInput(product=product, quantity=amount, unit="kg", value=value)],
        )

    exported = order(approved.product, "20", "500")
    shipments.confirm_export(shipment=exported, user=analyst, exported_on=SHIP_DAY)
    order(approved.product, "40", "1000")
    order(approved.product, "80", "2000")
    order(screened(sku="NEW-1").product, "5", "10")
    return licence


def test_held_shipments_count_under_each_of_their_reasons(book):
    held, found = dashboard.held_by_reason()
    assert held == 2
    assert [(r.code, r.label, r.shipments, r.lines, r.prohibited) for r in found] == [
        ("insufficient_balance", "Balance too low", 1, 1, 0),
        ("no_determination", "No determination", 1, 1, 0),
    ]


def test_licence_lines_show_their_balance_and_whether_they_expire_soon(book):
    [line] = dashboard.licence_lines(dt.date(2027, 6, 10), 30)
    assert (line.number, line.status, line.control_code, line.unit) == (
        "L-2026-0001",
        "valid",
        "3A001",
        "kg",
    )
    assert (line.authorised, line.drawn, line.reserved, line.remaining) == (
        Decimal(100),
        Decimal(20),
        Decimal(40),
        Decimal(40),
    )
    assert (line.days_left, line.expiring, line.remaining_pct) == (20, True, 40.0)
    [later] = dashboard.licence_lines(dt.date(2027, 6, 10), 10)
    assert later.expiring is False
    [gone] = dashboard.licence_lines(dt.date(2027, 7, 1), 30)
    assert (gone.status, gone.expiring) == ("expired", False)


def test_value_under_licence_is_by_control_code_exported_and_released(book):
    [value] = dashboard.value_by_control_code()
    assert (value.control_code, value.currency, value.exported, value.released, value.lines) == (
        "3A001",
        "USD",
        Decimal(500),
        Decimal(1000),
        2,
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [("analyst", 200), ("reviewer", 200), ("superuser", 200), ("rules_admin", 403)],
)
def test_the_page_is_for_whoever_works_on_the_export_side(request, client, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("trade_dashboard")).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("trade_dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_draws_each_chart_with_its_table(client, reviewer, book, settings):
    settings.LICENCE_EXPIRY_ALERT_DAYS = 30
    client.force_login(reviewer)
    response = client.get(reverse("trade_dashboard"))
    page = response.content.decode()
    assert "plotly/plotly.min.js" in page
    for key in ("held", "expiries", "value", "balances"):
        figure = json.loads(
            page.split(f'id="chart-{key}-data" type="application/json">')[1].split("</script>")[0]
        )
        assert figure["data"], key
        assert figure["layout"]["template"]["layout"]["font"]["family"]
    assert "Balance too low" in page
    assert "insufficient_balance" in page  # the code, in the table beside its label
    assert response.context["within"] == 30
    wider = client.get(reverse("trade_dashboard"), {"days": "400"})
    assert wider.context["within"] == 30
    assert "The horizon was not understood" in wider.content.decode()
    assert client.get(reverse("trade_dashboard"), {"days": "200"}).context["within"] == 200
