"""Export orders: entering them, the release gate's check, overrides, export confirmations.

`check_shipments` builds the gate's inputs with a handful of queries (determinations of every
product, every licence that could cover them with its balance, every party's list status),
runs trade.gate and writes the answer. A shipment the gate releases reserves its licence
quantities in the same transaction, with the licences locked: two shipments that each fit a
balance alone but not together cannot both be released. Confirming the export draws the
reservation, once, however often the confirmation arrives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rules import audit
from rules.access import can
from rules.models import RuleSet
from screening.models import Product
from trade import gate, lists, parties
from trade.gate_inputs import determinations, gate_lines, licence_terms
from trade.models import (
    OPEN_SHIPMENT_STATES,
    LedgerEntry,
    Licence,
    Override,
    Party,
    Shipment,
    ShipmentCheck,
    ShipmentLine,
    ShipmentState,
)
from trade.quantities import QuantityError, canonical_unit, quantity


class ShipmentError(Exception):
    """The action is not allowed; the message says why. `field` names the form field."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Conflict(ShipmentError):
    """The shipment changed since the user loaded it."""


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
    source: str = "form",
) -> Shipment:
    """Record an export order (the ERP's order number is its key) and check it at once."""
    if not can(user, "enter_shipments"):
        raise ShipmentError(_("You cannot enter shipments."))
    reference = reference.strip()
    if Shipment.objects.filter(reference=reference).exists():
        raise ShipmentError(
            _("Order %(ref)s is already recorded.") % {"ref": reference}, field="reference"
        )
    if not lines:
        raise ShipmentError(_("A shipment needs at least one line."), field="lines")
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
            raise ShipmentError(
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
    audit.record("shipment.enter", actor=user, obj=shipment, after=snapshot(shipment))
    check_shipments([shipment], user=user, trigger="entered")
    shipment.refresh_from_db()
    return shipment


def snapshot(shipment: Shipment) -> dict[str, Any]:
    return {
        "reference": shipment.reference,
        "state": shipment.state,
        "destination": shipment.destination_country,
        "consignee": shipment.consignee_id,
        "end_user": shipment.end_user_id,
        "planned_ship_date": shipment.planned_ship_date,
        "lines": [
            {
                "position": line.position,
                "product": line.product_id,
                "quantity": line.quantity,
                "unit": line.unit,
                "result": line.result,
                "licence": line.licence_id,
            }
            for line in shipment.lines.all()
        ],
    }


# --- the gate's inputs ------------------------------------------------------------------------


# --- checking and releasing -------------------------------------------------------------------


@transaction.atomic
def check_shipments(
    shipments: Sequence[Shipment], *, user: User | None, trigger: str
) -> list[ShipmentCheck]:
    """Run the gate on shipments not yet exported; release (and reserve) or hold each.

    A shipment that was released gives its reservation back first, so a re-check decides on
    the balances as they are without it."""
    open_ones = [s for s in shipments if s.state in OPEN_SHIPMENT_STATES]
    if not open_ones:
        return []
    ids = sorted(s.pk for s in open_ones)
    # Serialise checks that could compete for the same balances: lock the shipments, then every
    # licence (in id order: two checks never wait for each other in a circle).
    locked = list(Shipment.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    _take_write_lock()
    _unreserve([s for s in locked if s.state == ShipmentState.RELEASED], user=user)
    lines = gate_lines(locked)
    terms = licence_terms(lines)
    list(Licence.objects.select_for_update().filter(pk__in=sorted(t.licence_id for t in terms)))
    terms = licence_terms(lines)  # balances read again under the lock
    party_status = parties.status_for_gate(
        {pid for s in locked for pid in (s.consignee_id, s.end_user_id)}
    )
    results = gate.check(
        lines,
        determinations=determinations(line.product_id for line in lines),
        licences=terms,
        parties=party_status,
    )
    rule_set = RuleSet.objects.current()
    lists_used = lists.list_versions_in_use()
    checks = []
    now = timezone.now()
    for shipment in locked:
        result = results[shipment.pk]
        run = ShipmentCheck.objects.create(
            shipment=shipment,
            at=now,
            as_of=shipment.planned_ship_date,
            result=result.result,
            lines=[
                {
                    "line": r.line_id,
                    "result": r.result,
                    "reasons": [x.as_dict() for x in r.reasons],
                    "licence": r.licence_id,
                    "licence_line": r.licence_line,
                    "draw": str(r.draw) if r.draw is not None else None,
                    "draw_unit": r.draw_unit,
                }
                for r in result.lines
            ],
            reasons=[x.as_dict() for x in result.reasons],
            rule_set_version=rule_set.version if rule_set else "",
            list_versions=lists_used,
            checked_by=user,
            trigger=trigger,
        )
        for line_result in result.lines:
            ShipmentLine.objects.filter(pk=line_result.line_id).update(
                result=line_result.result,
                reasons=[x.as_dict() for x in line_result.reasons],
                licence_id=line_result.licence_id,
                licence_line=line_result.licence_line,
            )
        state = ShipmentState.RELEASED if result.result == gate.RELEASE else ShipmentState.HELD
        if state == ShipmentState.RELEASED:
            _reserve(shipment, result.lines, user=user)
        Shipment.objects.filter(pk=shipment.pk).update(
            state=state,
            last_check=run,
            version=shipment.version + 1,
            last_activity_at=now,
        )
        audit.record(
            "shipment.check",
            actor=user,
            obj=shipment,
            after={"result": result.result, "trigger": trigger, "check": run.pk},
        )
        checks.append(run)
    return checks


def _take_write_lock() -> None:
    """SQLite has no row locks: a first write in the transaction takes the database's write
    lock, so two checks cannot read the same balances at once (PostgreSQL locks rows)."""
    if connection.vendor == "sqlite":
        Shipment.objects.filter(pk=-1).update(version=0)


def _reserve(shipment: Shipment, lines: Sequence[gate.LineResult], *, user: User | None) -> None:
    rows = {line.pk: line for line in shipment.lines.all()}
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            licence_id=result.licence_id,
            line=result.licence_line,
            kind=LedgerEntry.Kind.RESERVE,
            quantity=result.draw,
            unit=result.draw_unit,
            shipment_line=rows[result.line_id],
            shipment_quantity=rows[result.line_id].quantity,
            shipment_unit=rows[result.line_id].unit,
            actor=user if user is not None and user.is_authenticated else None,
            note=shipment.reference,
        )
        for result in lines
        if result.licence_id is not None and result.draw is not None
    )


def _unreserve(shipments: Sequence[Shipment], *, user: User | None) -> None:
    """Give back what released shipments reserved and did not draw."""
    if not shipments:
        return
    open_reservations: dict[int, list[LedgerEntry]] = {}
    for entry in LedgerEntry.objects.filter(shipment_line__shipment__in=shipments).order_by("pk"):
        open_reservations.setdefault(entry.shipment_line_id, []).append(entry)
    giving_back = []
    for entries in open_reservations.values():
        held: dict[tuple[int, str], Decimal] = {}
        for entry in entries:
            sign = 1 if entry.kind == LedgerEntry.Kind.RESERVE else -1
            key = (entry.licence_id, entry.line)
            held[key] = held.get(key, Decimal(0)) + sign * entry.quantity
        first = entries[0]
        for (licence_id, line), amount in held.items():
            if amount > 0:
                giving_back.append(
                    LedgerEntry(
                        licence_id=licence_id,
                        line=line,
                        kind=LedgerEntry.Kind.UNRESERVE,
                        quantity=amount,
                        unit=first.unit,
                        shipment_line_id=first.shipment_line_id,
                        shipment_quantity=first.shipment_quantity,
                        shipment_unit=first.shipment_unit,
                        actor=user if user is not None and user.is_authenticated else None,
                    )
                )
    LedgerEntry.objects.bulk_create(giving_back)


# --- overrides, export confirmations, cancellations -------------------------------------------


def may_override(shipment: Shipment, user: User) -> bool:
    """Four-eyes: a reviewer releases a hold, never on a shipment they entered."""
    return can(user, "override_holds") and user.pk != shipment.entered_by_id


@transaction.atomic
def override_hold(*, shipment: Shipment, version: int, user: User, rationale: str) -> Shipment:
    """Release a held shipment on a reviewer's documented decision. Prohibitions (a confirmed
    party on a prohibiting list, a military end user) cannot be overridden."""
    if not can(user, "override_holds"):
        raise ShipmentError(_("Only reviewers release held shipments."))
    if not may_override(shipment, user):
        raise ShipmentError(
            _("Four-eyes rule: you entered this shipment, so another reviewer decides.")
        )
    if not rationale.strip():
        raise ShipmentError(_("An override needs a rationale."), field="rationale")
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    if shipment.version != version or shipment.state != ShipmentState.HELD:
        raise Conflict(_("This shipment changed since you opened it. Reload it and try again."))
    run = shipment.last_check
    assert run is not None
    reasons = run.reasons + [x for line in run.lines for x in line["reasons"]]
    if any(reason["prohibited"] for reason in reasons):
        raise ShipmentError(_("A prohibition cannot be overridden: the shipment may not leave."))
    Override.objects.create(
        shipment=shipment,
        check_run=run,
        reasons_overridden=reasons,
        rationale=rationale.strip(),
        by=user,
        entered_by=shipment.entered_by,
    )
    # Lines the gate found a licence for still draw on it; the rest go on the reviewer's word.
    _reserve(
        shipment,
        [
            gate.LineResult(
                line["line"],
                line["result"],
                [],
                licence_id=line["licence"],
                licence_line=line["licence_line"],
                draw=Decimal(line["draw"]) if line["draw"] else None,
                draw_unit=line["draw_unit"],
            )
            for line in run.lines
            if line["licence"] and line["result"] == gate.RELEASE
        ],
        user=user,
    )
    Shipment.objects.filter(pk=shipment.pk).update(
        state=ShipmentState.RELEASED, version=version + 1, last_activity_at=timezone.now()
    )
    shipment.refresh_from_db()
    audit.record(
        "shipment.override",
        actor=user,
        obj=shipment,
        after={"reasons": [r["code"] for r in reasons]},
        reason=rationale.strip(),
    )
    return shipment


@transaction.atomic
def confirm_export(
    *,
    shipment: Shipment,
    user: User,
    exported_on: dt.date,
    declaration_number: str = "",
) -> tuple[Shipment, bool]:
    """(shipment, whether this call confirmed it). Draws every reservation once: the same
    confirmation arriving twice draws nothing the second time."""
    if not can(user, "enter_shipments"):
        raise ShipmentError(_("You cannot confirm exports."))
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    if shipment.state == ShipmentState.EXPORTED:
        return shipment, False
    if shipment.state != ShipmentState.RELEASED:
        raise ShipmentError(_("Only a released shipment can be confirmed as exported."))
    _take_write_lock()
    reserved: dict[int, dict[tuple[int, str], Decimal]] = {}
    firsts: dict[int, LedgerEntry] = {}
    for entry in LedgerEntry.objects.filter(shipment_line__shipment=shipment).order_by("pk"):
        sign = -1 if entry.kind == LedgerEntry.Kind.UNRESERVE else 1
        if entry.kind == LedgerEntry.Kind.DRAW:
            continue
        key = (entry.licence_id, entry.line)
        per_line = reserved.setdefault(entry.shipment_line_id, {})
        per_line[key] = per_line.get(key, Decimal(0)) + sign * entry.quantity
        firsts.setdefault(entry.shipment_line_id, entry)
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            licence_id=licence_id,
            line=line,
            kind=LedgerEntry.Kind.DRAW,
            quantity=amount,
            unit=firsts[line_id].unit,
            shipment_line_id=line_id,
            shipment_quantity=firsts[line_id].shipment_quantity,
            shipment_unit=firsts[line_id].shipment_unit,
            actor=user,
            note=declaration_number.strip()[:300],
        )
        for line_id, held in reserved.items()
        for (licence_id, line), amount in held.items()
        if amount > 0
    )
    Shipment.objects.filter(pk=shipment.pk).update(
        state=ShipmentState.EXPORTED,
        exported_on=exported_on,
        export_reference=declaration_number.strip(),
        version=shipment.version + 1,
        last_activity_at=timezone.now(),
    )
    shipment.refresh_from_db()
    audit.record(
        "shipment.export",
        actor=user,
        obj=shipment,
        after={"exported_on": exported_on, "declaration": shipment.export_reference},
    )
    return shipment, True


@transaction.atomic
def cancel_shipment(*, shipment: Shipment, version: int, user: User, reason: str) -> Shipment:
    """Cancel an order that has not left: its reservations are given back."""
    if not can(user, "enter_shipments"):
        raise ShipmentError(_("You cannot cancel shipments."))
    if not reason.strip():
        raise ShipmentError(_("Say why the shipment is cancelled."), field="reason")
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    if shipment.version != version or shipment.state not in OPEN_SHIPMENT_STATES:
        raise Conflict(_("This shipment changed since you opened it. Reload it and try again."))
    _unreserve([shipment], user=user)
    Shipment.objects.filter(pk=shipment.pk).update(
        state=ShipmentState.CANCELLED, version=version + 1, last_activity_at=timezone.now()
    )
    shipment.refresh_from_db()
    audit.record("shipment.cancel", actor=user, obj=shipment, reason=reason.strip())
    return shipment


def recheck_open(*, user: User | None, trigger: str) -> list[Shipment]:
    """Re-check every shipment not yet exported (after a rule-set publish, a status
    confirmation or a list publish); the shipments newly held."""
    before = dict(
        Shipment.objects.filter(state__in=OPEN_SHIPMENT_STATES).values_list("pk", "state")
    )
    shipments = list(Shipment.objects.filter(pk__in=before))
    check_shipments(shipments, user=user, trigger=trigger)
    now_held = set(
        Shipment.objects.filter(pk__in=before, state=ShipmentState.HELD).values_list(
            "pk", flat=True
        )
    )
    return list(
        Shipment.objects.filter(pk__in=[pk for pk in now_held if before[pk] != ShipmentState.HELD])
    )
