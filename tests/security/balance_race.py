"""Two export orders that each fit a licence's balance alone, but not together, checked at the
same moment from two threads (each with its own connection): exactly one may be released.

Run in a child process against a SQLite file database, and in the test process against
PostgreSQL, like tests/security/race.py.
"""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection

from rules.access import ANALYST, REVIEWER
from screening import products
from screening.demo import bring_to
from trade import licences, parties, shipments
from trade.models import Applicant, LicenceKind, Shipment, ShipmentLine
from trade.quantities import text


def licence_and_two_orders() -> tuple[int, list[int], int]:
    """(licence id, two shipment ids entered but not checked, the analyst's id)."""
    users = get_user_model().objects
    analyst = users.create_user("balance_analyst", password="unused-password-1234")
    analyst.groups.add(Group.objects.get(name=ANALYST))
    reviewer = users.create_user("balance_reviewer", password="unused-password-1234")
    reviewer.groups.add(Group.objects.get(name=REVIEWER))
    analyst = users.get(pk=analyst.pk)
    spec, _created = products.record_spec(
        sku="BAL-1",
        revision="",
        fields={
            "name": "Balance cell",
            "category": "battery_cell",
            "subtype": "li_ion",
            "energy_density_wh_per_kg": 310.0,
            "destination_country": "DE",
        },
        user=analyst,
    )
    screening = products.screen_spec(spec=spec, as_of=dt.date(2026, 12, 1), user=analyst)
    case = bring_to(screening, "approved", {"analyst": analyst, "reviewer": reviewer})
    acme, _ = parties.save_party(
        user=analyst, reference="BAL-P", name="Acme Batteries GmbH", country="DE"
    )
    holder = Applicant.objects.create(
        name_zh="示例",
        credit_code="91310000MA1FL0001X",
        address="上海",
        contact="王",
        phone="1",
    )
    licence = licences.record_licence(
        user=analyst,
        number="BAL-L",
        kind=LicenceKind.objects.get(code="dual_use_single"),
        holder=holder,
        valid_from=dt.date(2026, 11, 1),
        valid_until=dt.date(2027, 6, 30),
        consignee=acme,
        end_user=acme,
        destination_country="DE",
        lines=[
            licences.LicenceLineInput(
                control_code="3A001", quantity="100", unit="kg", product=case.product
            )
        ],
    )
    orders = []
    for n in (1, 2):
        shipment = Shipment.objects.create(
            reference=f"BAL-SO-{n}",
            destination_country="DE",
            consignee=acme,
            end_user=acme,
            planned_ship_date=dt.date(2026, 12, 15),
            entered_by=analyst,
        )
        ShipmentLine.objects.create(
            shipment=shipment,
            position=1,
            product=case.product,
            quantity=Decimal("60"),
            unit="kg",
        )
        orders.append(shipment.pk)
    return licence.pk, orders, analyst.pk


def race_checks(shipment_pks: list[int], user_pk: int) -> list[str]:
    """Both orders checked at once; each thread's answer ("release", "hold", or an error)."""
    barrier = threading.Barrier(len(shipment_pks))
    outcomes: list[str] = []
    record = threading.Lock()

    def attempt(shipment_pk: int) -> None:
        try:
            user = get_user_model().objects.get(pk=user_pk)
            shipment = Shipment.objects.get(pk=shipment_pk)
            barrier.wait(timeout=30)
            (run,) = shipments.check_shipments([shipment], user=user, trigger="race")
            outcome = run.result
        except Exception as exc:  # noqa: BLE001 -- reported to the test, which fails on it
            outcome = f"error: {type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with record:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(pk,)) for pk in shipment_pks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def balance_after(licence_pk: int) -> dict[str, str]:
    licence = licences.Licence.objects.get(pk=licence_pk)
    (line,) = licences.balances([licence])[licence_pk]
    return {"reserved": text(line.reserved), "remaining": text(line.remaining)}
