"""Export orders coming in: one entered in a form or by the API (`enter_shipment`), or many
from an upload's import in a few statements (`enter_shipments`). Both check the rules of an
order (who may enter it, a unique ERP reference, known products, quantities that parse) and
hand the new orders to the release gate (trade.shipments.check_shipments) in one run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rules import audit
from rules.access import can
from screening.bulk import insert_rows
from screening.models import Product
from trade import shipments
from trade.models import (
    CheckTrigger,
    Party,
    Shipment,
    ShipmentLine,
    ShipmentSource,
)
from trade.quantities import QuantityError, canonical_unit, quantity


@dataclass(frozen=True)
class LineInput:
    product: Product
    quantity: str
    unit: str
    value: str = ""
    currency: str = "USD"


# --- entering ---------------------------------------------------------------------------------


@transaction.atomic
def enter_shipment(
    *,
    user: User,
    reference: str,
    destination_country: str,
    consignee: Party,
    end_user: Party,
    planned_ship_date: dt.date,
    lines: Sequence[LineInput],
    source: str = ShipmentSource.FORM,
    check: bool = True,
) -> Shipment:
    """Record an export order (the ERP's order number is its key) and check it at once (an
    upload or an API call enters its whole batch first, then checks it in one run)."""
    if not can(user, "enter_shipments"):
        raise shipments.ShipmentError(_("You cannot enter shipments."))
    reference = reference.strip()
    if Shipment.objects.filter(reference=reference).exists():
        raise shipments.ShipmentError(
            _("Order %(ref)s is already recorded.") % {"ref": reference}, field="reference"
        )
    if not lines:
        raise shipments.ShipmentError(_("A shipment needs at least one line."), field="lines")
    shipment = Shipment.objects.create(
        reference=reference,
        destination_country=destination_country.upper(),
        consignee=consignee,
        end_user=end_user,
        planned_ship_date=planned_ship_date,
        entered_by=user,
        source=source,
    )
    for position, line in enumerate(lines, start=1):
        try:
            amount, unit = quantity(line.quantity), canonical_unit(line.unit)
            value = quantity(line.value) if line.value else None
        except QuantityError as exc:
            raise shipments.ShipmentError(
                _("Line %(n)s: %(problem)s") % {"n": position, "problem": exc}, field="lines"
            ) from None
        ShipmentLine.objects.create(
            shipment=shipment,
            position=position,
            product=line.product,
            quantity=amount,
            unit=unit,
            value=value,
            currency=line.currency.upper()[:3],
        )
    audit.record("shipment.enter", actor=user, obj=shipment, after=shipments.snapshot(shipment))
    if check:
        shipments.check_shipments([shipment], user=user, trigger=CheckTrigger.ENTERED)
        shipment.refresh_from_db()
    return shipment


@dataclass(frozen=True)
class OrderInput:
    reference: str
    destination_country: str
    consignee: Party
    end_user: Party
    planned_ship_date: dt.date
    lines: Sequence[LineInput]


@transaction.atomic
def enter_shipments(
    *,
    user: User,
    orders: Sequence[OrderInput],
    source: str = ShipmentSource.UPLOAD,
    trigger: str = CheckTrigger.UPLOADED,
) -> list[Shipment]:
    """Record many export orders at once (an upload's), by the same rules as enter_shipment,
    and check them all in one run of the gate. Written in bulk: the number of statements does
    not grow with the orders or their lines; one audit event names every order with what it
    holds (as a check of many orders does), and a single order has the event enter_shipment
    records."""
    if not can(user, "enter_shipments"):
        raise shipments.ShipmentError(_("You cannot enter shipments."))
    if not orders:
        return []
    references = [order.reference.strip() for order in orders]
    seen: set[str] = set()
    for reference in references:
        if reference in seen:
            raise shipments.ShipmentError(
                _("Order %(ref)s is already recorded.") % {"ref": reference}, field="reference"
            )
        seen.add(reference)
    taken = Shipment.objects.filter(reference__in=references).values_list("reference", flat=True)
    for reference in taken[:1]:
        raise shipments.ShipmentError(
            _("Order %(ref)s is already recorded.") % {"ref": reference}, field="reference"
        )
    lines: list[tuple[str, int, int, Decimal, str, Decimal | None, str]] = []
    for reference, order in zip(references, orders, strict=True):
        if not order.lines:
            raise shipments.ShipmentError(_("A shipment needs at least one line."), field="lines")
        for position, line in enumerate(order.lines, start=1):
            try:
                amount, unit = quantity(line.quantity), canonical_unit(line.unit)
                value = quantity(line.value) if line.value else None
            except QuantityError as exc:
                raise shipments.ShipmentError(
                    _("Order %(ref)s line %(n)s: %(problem)s")
                    % {"ref": reference, "n": position, "problem": exc},
                    field="lines",
                ) from None
            lines.append(
                (
                    reference,
                    position,
                    line.product.pk,
                    amount,
                    unit,
                    value,
                    line.currency.upper()[:3],
                )
            )
    now = timezone.now()
    insert_rows(
        Shipment,
        ("reference", "destination_country", "consignee", "end_user", "planned_ship_date"),
        (
            (
                reference,
                order.destination_country.upper(),
                order.consignee.pk,
                order.end_user.pk,
                order.planned_ship_date,
            )
            for reference, order in zip(references, orders, strict=True)
        ),
        constants={
            "entered_by": user.pk,
            "entered_at": now,
            "last_activity_at": now,
            "source": source,
        },
    )
    entered = list(Shipment.objects.filter(reference__in=references).order_by("pk"))
    shipment_of = {s.reference: s.pk for s in entered}
    insert_rows(
        ShipmentLine,
        ("shipment", "position", "product", "quantity", "unit", "value", "currency"),
        ((shipment_of[ref], *rest) for ref, *rest in lines),
    )
    if len(entered) == 1:
        # One order (an API call or a file of one order) is audited as enter_shipment does.
        (shipment,) = entered
        audit.record("shipment.enter", actor=user, obj=shipment, after=shipments.snapshot(shipment))
        shipments.check_shipments(entered, user=user, trigger=trigger)
        return list(Shipment.objects.filter(pk=shipment.pk))
    held_lines: dict[str, list[dict[str, Any]]] = {}
    for reference, position, product, amount, unit, _value, _currency in lines:
        held_lines.setdefault(reference, []).append(
            {"position": position, "product": product, "quantity": amount, "unit": unit}
        )
    audit.record_many(
        "shipment.enter",
        actor=user,
        model=Shipment,
        pks=[s.pk for s in entered],
        object_repr=f"{len(entered)} shipments",
        after={
            "source": source,
            "orders": {
                s.reference: {
                    "destination": s.destination_country,
                    "consignee": s.consignee_id,
                    "end_user": s.end_user_id,
                    "planned_ship_date": s.planned_ship_date,
                    "lines": held_lines[s.reference],
                }
                for s in entered
            },
        },
    )
    shipments.check_shipments(entered, user=user, trigger=trigger)
    return list(Shipment.objects.filter(pk__in=[s.pk for s in entered]).order_by("pk"))
