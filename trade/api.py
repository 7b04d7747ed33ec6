"""The export side's endpoints of the API (/api/v1/, mounted in config/urls.py): shipments by the
ERP's order number (enter and check, read with the check, confirm the export, cancel) and
parties by their reference (save, read with their candidate matches).

Both keys make retries safe without an Idempotency-Key: the same order sent again with the same
content answers as the first time (200, `created` false) and a different one under the same
number is refused (409, saying what differs); a confirmation sent again draws nothing more; a
party sent again unchanged changes nothing. Each endpoint: the token's scope and its role's
capability (rules.api.TokenAuth, the same capabilities as the pages), then one domain call
(trade.shipments, trade.parties), whose refusals come back as problem details.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from rules.api import Problem, TokenAuth, caller, json_response, summarise
from rules.units import normalise_text
from screening.api_schemas import ProblemDetails
from screening.models import Product
from trade import parties as party_domain
from trade import shipments as shipment_domain
from trade.api_schemas import (
    CancelAnswer,
    CancelIn,
    ConfirmAnswer,
    ConfirmIn,
    PartyAnswer,
    PartyIn,
    PartyOut,
    ShipmentAnswer,
    ShipmentIn,
    ShipmentOut,
)
from trade.api_views import party_body, shipment_body
from trade.lists import PartyError
from trade.models import OPEN_SHIPMENT_STATES, Party, Shipment, ShipmentState
from trade.quantities import QuantityError, canonical_unit, quantity

router = Router(tags=["shipments"])
parties_router = Router(tags=["parties"])

WRITE = TokenAuth("write_shipments", "enter_shipments")
READ = TokenAuth("read", "view_trade")
WRITE_PARTIES = TokenAuth("write_shipments", "edit_parties")


def problems(*statuses: int) -> dict[int, type[Schema]]:
    return dict.fromkeys((401, 403, 429, *statuses), ProblemDetails)


def _found(reference: str) -> Shipment:
    shipment = (
        Shipment.objects.select_related("consignee", "end_user", "last_check")
        .filter(reference=reference.strip())
        .first()
    )
    if shipment is None:
        raise Problem(404, "not-found", f"No shipment has the order number {reference!r}.")
    return shipment


def _refused(exc: shipment_domain.ShipmentError | PartyError, status: int = 409) -> Problem:
    """A domain refusal: a field named → 422 pointing at it; a state that does not allow it →
    409 (or `status`)."""
    if exc.field:
        pointer = {"lines": "/lines", "reference": "/reference"}.get(exc.field, f"/{exc.field}")
        return Problem(
            422,
            "invalid-request",
            str(exc),
            errors=[{"pointer": pointer, "message": str(exc)}],
        )
    return Problem(status, "conflict", str(exc))


# --- shipments ---------------------------------------------------------------------------------


def _wanted(payload: ShipmentIn) -> dict[str, Any]:
    """The order as the domain takes it, or 422 listing every field that is wrong, by its
    JSON pointer, with the value sent."""
    errors: list[dict[str, str]] = []

    def error(pointer: str, value: Any, message: str) -> None:
        errors.append({"pointer": pointer, "value": str(value)[:200], "message": message})

    if len(payload.lines) > settings.API_MAX_ROWS:
        raise Problem(
            413,
            "too-many-lines",
            f"{len(payload.lines):,} lines; the limit is {settings.API_MAX_ROWS:,}.",
        )
    refs = {payload.consignee_ref.strip(), payload.end_user_ref.strip()}
    known = {p.reference: p for p in Party.objects.filter(reference__in=refs)}
    for field in ("consignee_ref", "end_user_ref"):
        ref = getattr(payload, field).strip()
        if ref not in known:
            error(f"/{field}", ref, "is no party we know; send it to /api/v1/parties first")
    country = payload.destination_country.strip().upper()
    if not (country.isascii() and country.isalpha() and len(country) == 2):
        error("/destination_country", payload.destination_country, "expected an ISO 3166 code")
    keys = {(normalise_text(line.sku), normalise_text(line.revision)) for line in payload.lines}
    products = {
        (p.sku, p.revision): p
        for p in Product.objects.filter(sku__in={sku for sku, _ in keys})
        if (p.sku, p.revision) in keys
    }
    lines = []
    for index, line in enumerate(payload.lines):
        at = f"/lines/{index}"
        key = (normalise_text(line.sku), normalise_text(line.revision))
        product = products.get(key)
        if product is None:
            error(f"{at}/sku", line.sku, "is no product we know (with this revision)")
        try:
            amount = quantity(str(line.quantity))
        except QuantityError as exc:
            error(f"{at}/quantity", line.quantity, str(exc))
            amount = None
        try:
            unit = canonical_unit(line.unit)
        except QuantityError as exc:
            error(f"{at}/unit", line.unit, str(exc))
            unit = ""
        value = None
        if line.value not in (None, ""):
            try:
                value = quantity(str(line.value))
            except QuantityError as exc:
                error(f"{at}/value", line.value, str(exc))
        lines.append(
            {
                "product": product,
                "quantity": amount,
                "unit": unit,
                "value": value,
                "currency": line.currency.strip().upper(),
            }
        )
    if errors:
        raise Problem(
            422,
            "invalid-shipment",
            f"{len(errors)} field(s) of the order are wrong; nothing was stored.",
            errors=errors,
        )
    return {
        "reference": payload.reference.strip(),
        "destination_country": country,
        "consignee": known[payload.consignee_ref.strip()],
        "end_user": known[payload.end_user_ref.strip()],
        "planned_ship_date": payload.planned_ship_date,
        "lines": lines,
    }


def _differences(shipment: Shipment, wanted: dict[str, Any]) -> list[str]:
    """What the order as sent says otherwise than the order as recorded, in words."""
    found = []
    for field in ("destination_country", "planned_ship_date"):
        if getattr(shipment, field) != wanted[field]:
            found.append(f"{field} ({getattr(shipment, field)} recorded)")
    for field, ref in (("consignee", "consignee_ref"), ("end_user", "end_user_ref")):
        if getattr(shipment, f"{field}_id") != wanted[field].pk:
            found.append(f"{ref} ({getattr(shipment, field).reference} recorded)")
    recorded = list(shipment.lines.order_by("position"))
    if len(recorded) != len(wanted["lines"]):
        found.append(f"the number of lines ({len(recorded)} recorded)")
        return found
    for index, (line, sent) in enumerate(zip(recorded, wanted["lines"], strict=True)):
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


@router.post(
    "",
    url_name="shipments",
    auth=WRITE,
    response={200: ShipmentAnswer, 201: ShipmentAnswer, **problems(409, 413, 422)},
    summary="Enter an export order and check it",
)
def enter_shipment(request: HttpRequest, payload: ShipmentIn) -> HttpResponse:
    """Records the order under its number (the ERP's) and checks it at once: the answer has
    release or hold for every line and for the shipment, with every reason in words and its
    code. 201 when it was recorded now. The same order sent again with the same content gets
    200 with the order as it is now (checked, released, exported…) and changes nothing; other
    content under a recorded number is refused with 409, saying what differs (cancel the order
    and send it under a new number). Parties and products must be known: 422 points at each
    field that is wrong (`/lines/2/sku`)."""
    wanted = _wanted(payload)
    summarise(request, reference=wanted["reference"], lines=len(wanted["lines"]))
    existing = Shipment.objects.filter(reference=wanted["reference"]).first()
    if existing is None:
        try:
            with transaction.atomic():
                shipment = shipment_domain.enter_shipment(
                    user=caller(request).user,
                    reference=wanted["reference"],
                    destination_country=wanted["destination_country"],
                    consignee=wanted["consignee"],
                    end_user=wanted["end_user"],
                    planned_ship_date=wanted["planned_ship_date"],
                    lines=[
                        shipment_domain.LineInput(
                            product=line["product"],
                            quantity=str(line["quantity"]),
                            unit=line["unit"],
                            value=str(line["value"]) if line["value"] is not None else "",
                            currency=line["currency"],
                        )
                        for line in wanted["lines"]
                    ],
                    source="api",
                )
        except IntegrityError:  # the same order number arrived at the same moment
            existing = Shipment.objects.filter(reference=wanted["reference"]).first()
            if existing is None:
                raise
        except shipment_domain.ShipmentError as exc:
            raise _refused(exc) from None
        else:
            body = shipment_body(_found(shipment.reference))
            summarise(request, reference=shipment.reference, created=True, state=shipment.state)
            return json_response({**body, "created": True}, status=201)
    differs = _differences(existing, wanted)
    if differs:
        raise Problem(
            409,
            "order-conflict",
            f"Order {existing.reference} is recorded with other content: "
            f"{', '.join(differs)}. An order is entered once; cancel it and send the new one "
            "under a new order number.",
        )
    summarise(request, reference=existing.reference, created=False, state=existing.state)
    return json_response({**shipment_body(_found(existing.reference)), "created": False})


@router.get(
    "/{reference}",
    url_name="shipment",
    auth=READ,
    response={200: ShipmentOut, **problems(404)},
    summary="An export order with its check",
)
def get_shipment(request: HttpRequest, reference: str) -> HttpResponse:
    """The order, its state and its last check: release or hold for the shipment and each line,
    every reason with its code, its words and the page that clears it, the licence each line
    draws on, and the rule set and list versions the check used."""
    shipment = _found(reference)
    summarise(request, reference=shipment.reference, state=shipment.state)
    return json_response(shipment_body(shipment))


@router.post(
    "/{reference}/confirm",
    url_name="shipment_confirm",
    auth=WRITE,
    response={200: ConfirmAnswer, **problems(404, 409, 422)},
    summary="Confirm an export (draws on the licences, once)",
)
def confirm_export(request: HttpRequest, reference: str, payload: ConfirmIn) -> HttpResponse:
    """A released order left: what it reserved is drawn from its licences. Sent again with the
    same date and declaration number, it draws nothing more and answers 200 with
    `confirmed_now` false; with another date or number, 409. A held order cannot be
    confirmed (409)."""
    shipment = _found(reference)
    declaration = payload.declaration_number.strip()
    if shipment.state == ShipmentState.EXPORTED and (
        shipment.exported_on != payload.exported_on or shipment.export_reference != declaration
    ):
        raise Problem(
            409,
            "already-exported",
            f"Order {shipment.reference} was confirmed as exported on {shipment.exported_on} "
            f"(declaration {shipment.export_reference or '—'}); this confirmation says otherwise.",
        )
    try:
        shipment, confirmed = shipment_domain.confirm_export(
            shipment=shipment,
            user=caller(request).user,
            exported_on=payload.exported_on,
            declaration_number=declaration,
        )
    except shipment_domain.ShipmentError as exc:
        raise _refused(exc) from None
    summarise(request, reference=shipment.reference, confirmed_now=confirmed)
    return json_response({**shipment_body(_found(shipment.reference)), "confirmed_now": confirmed})


@router.post(
    "/{reference}/cancel",
    url_name="shipment_cancel",
    auth=WRITE,
    response={200: CancelAnswer, **problems(404, 409, 422)},
    summary="Cancel an order that has not left",
)
def cancel_shipment(request: HttpRequest, reference: str, payload: CancelIn) -> HttpResponse:
    """What the order reserved goes back to its licences. Sent again, it answers 200 with
    `cancelled_now` false. An exported order cannot be cancelled (409); with `version`, an
    order that changed since is not cancelled either (409)."""
    shipment = _found(reference)
    if shipment.state == ShipmentState.CANCELLED:
        summarise(request, reference=shipment.reference, cancelled_now=False)
        return json_response({**shipment_body(shipment), "cancelled_now": False})
    if shipment.state not in OPEN_SHIPMENT_STATES:
        raise Problem(
            409, "conflict", f"Order {shipment.reference} was exported; it cannot be cancelled."
        )
    version = shipment.version if payload.version is None else payload.version
    try:
        shipment = shipment_domain.cancel_shipment(
            shipment=shipment, version=version, user=caller(request).user, reason=payload.reason
        )
    except shipment_domain.ShipmentError as exc:
        raise _refused(exc) from None
    summarise(request, reference=shipment.reference, cancelled_now=True)
    return json_response({**shipment_body(_found(shipment.reference)), "cancelled_now": True})


# --- parties -----------------------------------------------------------------------------------


@parties_router.post(
    "",
    url_name="parties",
    auth=WRITE_PARTIES,
    response={200: PartyAnswer, 201: PartyAnswer, **problems(422)},
    summary="Save a consignee or end user (by its reference) and screen it",
)
def save_party(request: HttpRequest, payload: PartyIn) -> HttpResponse:
    """Creates the party (201) or changes it (200, `action` changed), as an upload does, and
    screens it against the published lists at once: the answer lists its candidate matches,
    and for each list the version it was checked against. Sent again unchanged: 200,
    `action` unchanged, nothing is done."""
    country = payload.country.strip().upper()
    if not (country.isascii() and country.isalpha()):
        raise Problem(
            422,
            "invalid-request",
            "The country is not an ISO 3166 code.",
            errors=[{"pointer": "/country", "value": payload.country, "message": "expected DE"}],
        )
    existed = Party.objects.filter(reference=payload.party_ref.strip()).exists()
    try:
        party, changed = party_domain.save_party(
            user=caller(request).user,
            reference=payload.party_ref,
            name=payload.name,
            name_zh=payload.name_zh,
            aliases=payload.aliases,
            country=country,
            address=payload.address,
            roles=payload.roles,
            end_use=payload.end_use,
            military_end_user=payload.military_end_user,
        )
    except PartyError as exc:
        raise _refused(exc, 422) from None
    action = "new" if not existed else "changed" if changed else "unchanged"
    body = party_body(party)
    summarise(
        request,
        party_ref=party.reference,
        action=action,
        candidates=len(body["candidates"]),
    )
    return json_response({**body, "action": action}, status=201 if action == "new" else 200)


@parties_router.get(
    "/{party_ref}",
    url_name="party",
    auth=READ,
    response={200: PartyOut, **problems(404)},
    summary="A party with its candidate matches",
)
def get_party(request: HttpRequest, party_ref: str) -> HttpResponse:
    """The party, its candidate matches against China's lists (score, the reason in words,
    the decision taken on each), and for each list the version it was checked against: "no
    match in …" where none was found, never "cleared"."""
    party = Party.objects.filter(reference=party_ref.strip()).first()
    if party is None:
        raise Problem(404, "not-found", f"No party has the reference {party_ref!r}.")
    body = party_body(party)
    summarise(request, party_ref=party.reference, candidates=len(body["candidates"]))
    return json_response(body)
