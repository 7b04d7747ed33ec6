"""Export orders as the API receives them (trade/api.py), one or a batch: every field that is
wrong found at once and named by its JSON pointer (`/orders/3/lines/0/sku` in a batch), each
order compared with what is recorded under its ERP number (the same content answers as before,
other content is a 409 naming the order), and the new ones entered together through
trade.entry.enter_shipments: one run of the release gate over all their lines, as an upload's
import does. Nothing is stored unless every order of the request can be."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Prefetch

from rules.api import Problem
from rules.units import normalise_text
from screening.models import Product
from trade import entry
from trade.api_schemas import ShipmentIn
from trade.models import CheckTrigger, Party, Shipment, ShipmentLine, ShipmentSource
from trade.quantities import QuantityError, canonical_unit, quantity
from trade.shipments import ShipmentError


@dataclass(frozen=True)
class Wanted:
    """An order as sent, read: `at` is its JSON pointer ("" for a single order)."""

    at: str
    reference: str
    destination_country: str
    consignee: Party
    end_user: Party
    planned_ship_date: dt.date
    lines: list[dict[str, Any]]

    def as_input(self) -> entry.OrderInput:
        return entry.OrderInput(
            reference=self.reference,
            destination_country=self.destination_country,
            consignee=self.consignee,
            end_user=self.end_user,
            planned_ship_date=self.planned_ship_date,
            lines=[
                entry.LineInput(
                    product=line["product"],
                    quantity=str(line["quantity"]),
                    unit=line["unit"],
                    value=str(line["value"]) if line["value"] is not None else "",
                    currency=line["currency"],
                )
                for line in self.lines
            ],
        )


def _problem_detail(errors: list[dict[str, str]], batch: bool) -> str:
    if not batch:
        return f"{len(errors)} field(s) of the order are wrong; nothing was stored."
    orders = sorted({e["order"] for e in errors})
    return (
        f"{len(errors)} field(s) of {len(orders)} order(s) are wrong ({', '.join(orders[:20])}); "
        "nothing was stored."
    )


def read_orders(payloads: Sequence[ShipmentIn], *, batch: bool) -> list[Wanted]:
    """The orders as the domain takes them, or 422 listing every field that is wrong (of every
    order) by its JSON pointer, with the value sent and, in a batch, the order's number.
    Parties and products of all the orders are looked up in two queries."""
    errors: list[dict[str, str]] = []
    refs = {ref.strip() for p in payloads for ref in (p.consignee_ref, p.end_user_ref)}
    known = {p.reference: p for p in Party.objects.filter(reference__in=refs)}
    keys = {
        (normalise_text(line.sku), normalise_text(line.revision))
        for payload in payloads
        for line in payload.lines
    }
    products = {
        (p.sku, p.revision): p
        for p in Product.objects.filter(sku__in={sku for sku, _ in keys})
        if (p.sku, p.revision) in keys
    }
    first_at: dict[str, str] = {}
    found = []
    for index, payload in enumerate(payloads):
        at = f"/orders/{index}" if batch else ""
        reference = payload.reference.strip()

        def error(pointer: str, value: Any, message: str, reference: str = reference) -> None:
            problem = {"pointer": pointer, "value": str(value)[:200], "message": message}
            errors.append({"order": reference, **problem} if batch else problem)

        if reference in first_at:
            error(f"{at}/reference", reference, f"is sent twice (first at {first_at[reference]})")
        first_at.setdefault(reference, at)
        for field in ("consignee_ref", "end_user_ref"):
            ref = getattr(payload, field).strip()
            if ref not in known:
                error(f"{at}/{field}", ref, "is no party we know; send it to /api/v1/parties first")
        country = payload.destination_country.strip().upper()
        if not (country.isascii() and country.isalpha() and len(country) == 2):
            error(f"{at}/destination_country", payload.destination_country, "expected an ISO code")
        lines = []
        for number, line in enumerate(payload.lines):
            where = f"{at}/lines/{number}"
            product = products.get((normalise_text(line.sku), normalise_text(line.revision)))
            if product is None:
                error(f"{where}/sku", line.sku, "is no product we know (with this revision)")
            amount: Decimal | None = None
            try:
                amount = quantity(str(line.quantity))
            except QuantityError as exc:
                error(f"{where}/quantity", line.quantity, str(exc))
            unit = ""
            try:
                unit = canonical_unit(line.unit)
            except QuantityError as exc:
                error(f"{where}/unit", line.unit, str(exc))
            value = None
            if line.value not in (None, ""):
                try:
                    value = quantity(str(line.value))
                except QuantityError as exc:
                    error(f"{where}/value", line.value, str(exc))
            lines.append(
                {
                    "product": product,
                    "quantity": amount,
                    "unit": unit,
                    "value": value,
                    "currency": line.currency.strip().upper(),
                }
            )
        if not errors:
            found.append(
                Wanted(
                    at=at,
                    reference=reference,
                    destination_country=country,
                    consignee=known[payload.consignee_ref.strip()],
                    end_user=known[payload.end_user_ref.strip()],
                    planned_ship_date=payload.planned_ship_date,
                    lines=lines,
                )
            )
    if errors:
        raise Problem(422, "invalid-shipment", _problem_detail(errors, batch), errors=errors)
    return found


def differences(shipment: Shipment, wanted: Wanted) -> list[str]:
    """What the order as sent says otherwise than the order as recorded, in words (the
    shipment's lines prefetched, by position)."""
    found = []
    for field in ("destination_country", "planned_ship_date"):
        if getattr(shipment, field) != getattr(wanted, field):
            found.append(f"{field} ({getattr(shipment, field)} recorded)")
    for field, ref in (("consignee", "consignee_ref"), ("end_user", "end_user_ref")):
        if getattr(shipment, f"{field}_id") != getattr(wanted, field).pk:
            found.append(f"{ref} ({getattr(shipment, field).reference} recorded)")
    recorded = sorted(shipment.lines.all(), key=lambda line: line.position)
    if len(recorded) != len(wanted.lines):
        found.append(f"the number of lines ({len(recorded)} recorded)")
        return found
    for index, (line, sent) in enumerate(zip(recorded, wanted.lines, strict=True)):
        pairs = (
            ("sku", line.product_id, sent["product"].pk),
            ("quantity", line.quantity, sent["quantity"]),
            ("unit", line.unit, sent["unit"]),
            ("value", line.value, sent["value"]),
            ("currency", line.currency, sent["currency"][:3]),
        )
        for name, was, now in pairs:
            if was != now:
                found.append(f"lines/{index}/{name}")
    return found


def _recorded(wanted: Sequence[Wanted]) -> dict[str, Shipment]:
    return {
        s.reference: s
        for s in Shipment.objects.filter(reference__in=[w.reference for w in wanted])
        .select_related("consignee", "end_user")
        .prefetch_related(Prefetch("lines", queryset=ShipmentLine.objects.order_by("position")))
    }


def _refuse_conflicts(wanted: Sequence[Wanted], recorded: dict[str, Shipment], batch: bool) -> None:
    conflicts = [
        (w, differs)
        for w in wanted
        if w.reference in recorded and (differs := differences(recorded[w.reference], w))
    ]
    if not conflicts:
        return
    advice = "An order is entered once; cancel it and send the new one under a new order number."
    if not batch:
        ((w, differs),) = conflicts
        raise Problem(
            409,
            "order-conflict",
            f"Order {w.reference} is recorded with other content: {', '.join(differs)}. {advice}",
        )
    raise Problem(
        409,
        "order-conflict",
        f"{len(conflicts)} order(s) are recorded with other content "
        f"({', '.join(w.reference for w, _ in conflicts[:20])}); nothing was stored. {advice}",
        errors=[
            {
                "pointer": w.at,
                "order": w.reference,
                "message": f"recorded with other content: {', '.join(differs)}",
            }
            for w, differs in conflicts
        ],
    )


def enter_orders(*, user: User, wanted: Sequence[Wanted], batch: bool) -> set[str]:
    """Enter the orders not recorded yet, all at once and checked in one run of the gate;
    refuse the request (409, nothing stored) if any is recorded with other content. Returns
    the numbers entered now. An order that another call entered at the same moment is compared
    as if it had been recorded before."""
    for attempt in range(2):
        recorded = _recorded(wanted)
        _refuse_conflicts(wanted, recorded, batch)
        new = [w for w in wanted if w.reference not in recorded]
        if not new:
            return set()
        try:
            with transaction.atomic():
                entry.enter_shipments(
                    user=user,
                    orders=[w.as_input() for w in new],
                    source=ShipmentSource.API,
                    trigger=CheckTrigger.ENTERED,
                )
        except IntegrityError:  # the same order number arrived at the same moment
            if attempt:
                raise
        except ShipmentError as exc:
            raise refused(exc) from None
        else:
            return {w.reference for w in new}
    raise AssertionError("unreachable")  # pragma: no cover


def refused(exc: Exception, status: int = 409) -> Problem:
    """A domain refusal: a field named → 422 pointing at it; a state that does not allow it →
    409 (or `status`)."""
    field = getattr(exc, "field", "")
    if field:
        pointer = {"lines": "/lines", "reference": "/reference"}.get(field, f"/{field}")
        return Problem(
            422,
            "invalid-request",
            str(exc),
            errors=[{"pointer": pointer, "message": str(exc)}],
        )
    return Problem(status, "conflict", str(exc))
