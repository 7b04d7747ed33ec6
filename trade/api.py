"""The export side's endpoints of the API (/api/v1/, mounted in config/urls.py): shipments by the
ERP's order number (enter and check one or a batch, read with the check, confirm the export,
cancel) and parties by their reference (save, read with their candidate matches). Orders come in
through trade.api_orders: read and compared together, entered together
(trade.entry.enter_shipments, one run of the gate).

Both keys make retries safe without an Idempotency-Key: the same order sent again with the same
content answers as the first time (200, `created` false) and a different one under the same
number is refused (409, saying what differs); a confirmation sent again draws nothing more; a
party sent again unchanged changes nothing. Each endpoint: the token's scope and its role's
capability (rules.api.TokenAuth, the same capabilities as the pages), then one domain call
(trade.shipments, trade.parties), whose refusals come back as problem details.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from rules.api import Problem, TokenAuth, caller, json_response, summarise
from screening.api_schemas import ProblemDetails
from trade import api_orders
from trade import parties as party_domain
from trade import shipments as shipment_domain
from trade.api_orders import refused
from trade.api_schemas import (
    CancelAnswer,
    CancelIn,
    ConfirmAnswer,
    ConfirmIn,
    PartyAnswer,
    PartyIn,
    PartyOut,
    ShipmentAnswer,
    ShipmentBatchAnswer,
    ShipmentBatchIn,
    ShipmentIn,
    ShipmentOut,
)
from trade.api_views import party_body, shipment_body, with_check
from trade.lists import PartyError
from trade.models import OPEN_SHIPMENT_STATES, Party, Shipment, ShipmentState

router = Router(tags=["shipments"])
parties_router = Router(tags=["parties"])

WRITE = TokenAuth("write_shipments", "enter_shipments")
READ = TokenAuth("read", "view_trade")
WRITE_PARTIES = TokenAuth("write_shipments", "edit_parties")


def problems(*statuses: int) -> dict[int, type[Schema]]:
    return dict.fromkeys((401, 403, 429, *statuses), ProblemDetails)


def _found(reference: str) -> Shipment:
    shipment = with_check(Shipment.objects.filter(reference=reference.strip())).first()
    if shipment is None:
        raise Problem(404, "not-found", f"No shipment has the order number {reference!r}.")
    return shipment


# --- shipments ---------------------------------------------------------------------------------


def _too_many_lines(orders: list[ShipmentIn]) -> None:
    count = sum(len(order.lines) for order in orders)
    if count > settings.API_MAX_ROWS:
        raise Problem(
            413, "too-many-lines", f"{count:,} lines; the limit is {settings.API_MAX_ROWS:,}."
        )


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
    field that is wrong (`/lines/2/sku`). Many orders at once: `/shipments/batch`."""
    _too_many_lines([payload])
    (wanted,) = api_orders.read_orders([payload], batch=False)
    summarise(request, reference=wanted.reference, lines=len(wanted.lines))
    created = api_orders.enter_orders(user=caller(request).user, wanted=[wanted], batch=False)
    shipment = _found(wanted.reference)
    is_new = wanted.reference in created
    summarise(request, reference=shipment.reference, created=is_new, state=shipment.state)
    return json_response(
        {**shipment_body(shipment), "created": is_new}, status=201 if is_new else 200
    )


@router.post(
    "/batch",
    url_name="shipments_batch",
    auth=WRITE,
    response={200: ShipmentBatchAnswer, 201: ShipmentBatchAnswer, **problems(409, 413, 422)},
    summary="Enter many export orders and check them in one run",
)
def enter_shipment_batch(request: HttpRequest, payload: ShipmentBatchIn) -> HttpResponse:
    """Up to API_MAX_SHIPMENT_BATCH orders (and API_MAX_ROWS lines in all), each as
    `POST /shipments` takes one, entered together and checked in one run of the release gate
    (what the first orders reserve on a licence is no longer there for the later ones). The
    answer lists every order in the order sent, with `created`; 201 when any was recorded now.
    All or nothing: a field that is wrong in any order is 422, each error naming the order
    (`order`) and where (`/orders/3/lines/0/sku`); an order recorded with other content is 409
    naming it (`/orders/3`); nothing is stored then. Orders already recorded with the same
    content are answered as they are now, so the same batch sent again changes nothing."""
    limit = settings.API_MAX_SHIPMENT_BATCH
    if len(payload.orders) > limit:
        raise Problem(
            413, "too-many-orders", f"{len(payload.orders):,} orders; the limit is {limit:,}."
        )
    _too_many_lines(payload.orders)
    wanted = api_orders.read_orders(payload.orders, batch=True)
    summarise(request, orders=len(wanted), lines=sum(len(w.lines) for w in wanted))
    created = api_orders.enter_orders(user=caller(request).user, wanted=wanted, batch=True)
    references = [w.reference for w in wanted]
    found = {s.reference: s for s in with_check(Shipment.objects.filter(reference__in=references))}
    orders = [{**shipment_body(found[ref]), "created": ref in created} for ref in references]
    states = Counter(order["state"] for order in orders)
    summarise(
        request,
        orders=len(orders),
        created=sorted(created)[:100],
        unchanged=len(orders) - len(created),
        states=dict(sorted(states.items())),
    )
    body = {"created": len(created), "unchanged": len(orders) - len(created), "orders": orders}
    return json_response(body, status=201 if created else 200)


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
        raise refused(exc) from None
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
        raise refused(exc) from None
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
        raise refused(exc, 422) from None
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
