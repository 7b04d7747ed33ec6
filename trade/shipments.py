"""Export orders after entry (trade.entry): the release gate's check, overrides, export
confirmations, cancellations.

`check_shipments` builds the gate's inputs with a handful of queries (determinations of every
product, every licence that could cover them with its balance, every party's list status),
runs trade.gate and writes the answer. A shipment the gate releases reserves its licence
quantities in the same transaction, with the licences locked: two shipments that each fit a
balance alone but not together cannot both be released. Confirming the export draws the
reservation, once, however often the confirmation arrives.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rules import audit
from rules.access import can
from rules.models import RuleSet
from screening.bulk import insert_rows
from trade import gate, lists, notifications, parties
from trade.gate_inputs import determinations, gate_lines, licence_terms
from trade.models import (
    OPEN_SHIPMENT_STATES,
    LedgerEntry,
    Licence,
    Override,
    Shipment,
    ShipmentCheck,
    ShipmentLine,
    ShipmentState,
)
from trade.permissions import may_override


class ShipmentError(Exception):
    """The action is not allowed; the message says why. `field` names the form field."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Conflict(ShipmentError):
    """The shipment changed since the user loaded it."""


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
    the balances as they are without it. The number of queries does not grow with the number
    of shipments or lines: inputs are read in a handful of queries, and the answers written in
    bulk (one audit event for the run, naming every shipment and its result)."""
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
    if connection.features.has_select_for_update:
        list(
            Licence.objects.select_for_update()
            .filter(pk__in=sorted(t.licence_id for t in terms))
            .values_list("pk", flat=True)
        )
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
    now = timezone.now()
    actor = user if user is not None and user.is_authenticated else None
    # Bulk inserts of plain rows (screening.bulk: executemany, COPY on PostgreSQL): the runs,
    # then their ids read back by shipment and time.
    insert_rows(
        ShipmentCheck,
        ("shipment", "as_of", "result", "lines", "reasons"),
        (
            (
                shipment.pk,
                shipment.planned_ship_date,
                results[shipment.pk].result,
                [
                    {
                        "line": r.line_id,
                        "result": r.result,
                        "reasons": [x.as_dict() for x in r.reasons],
                        "licence": r.licence_id,
                        "licence_line": r.licence_line,
                        "draw": str(r.draw) if r.draw is not None else None,
                        "draw_unit": r.draw_unit,
                    }
                    for r in results[shipment.pk].lines
                ],
                [x.as_dict() for x in results[shipment.pk].reasons],
            )
            for shipment in locked
        ),
        constants={
            "at": now,
            "rule_set_version": rule_set.version if rule_set else "",
            "list_versions": lists_used,
            "checked_by": actor.pk if actor is not None else None,
            "trigger": trigger,
        },
    )
    checks = list(ShipmentCheck.objects.filter(shipment__in=locked, at=now).order_by("pk"))
    by_line = {line.line_id: line for line in lines}
    _write_lines([line_result for shipment in locked for line_result in results[shipment.pk].lines])
    released = [s for s in locked if results[s.pk].result == gate.RELEASE]
    _insert_ledger(
        row
        for shipment in released
        for row in _reservations(shipment, results[shipment.pk].lines, by_line, actor)
    )
    notifications.shipments_held(
        [
            s
            for s in locked
            if results[s.pk].result != gate.RELEASE and s.state != ShipmentState.HELD
        ]
    )
    run_of = {run.shipment_id: run.pk for run in checks}
    _write_shipments(
        [
            (
                ShipmentState.RELEASED
                if results[s.pk].result == gate.RELEASE
                else ShipmentState.HELD,
                run_of[s.pk],
                s.version + 1,
                now,
                s.pk,
            )
            for s in locked
        ]
    )
    if len(locked) == 1:
        audit.record(
            "shipment.check",
            actor=user,
            obj=locked[0],
            after={"result": checks[0].result, "trigger": trigger, "check": checks[0].pk},
        )
    else:
        audit.record_many(
            "shipment.check",
            actor=user,
            model=Shipment,
            pks=[s.pk for s in locked],
            object_repr=f"{len(locked)} shipments",
            after={
                "trigger": trigger,
                "results": {s.reference: results[s.pk].result for s in locked},
            },
        )
    return checks


def _write_lines(results: Sequence[gate.LineResult]) -> None:
    """Every line's answer in one statement (executemany), whatever the number of lines."""
    table = connection.ops.quote_name(ShipmentLine._meta.db_table)
    as_json = "::jsonb" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET result = %s, reasons = %s{as_json}, licence_id = %s, "  # noqa: S608 -- table name from the model, values bound
            "licence_line = %s WHERE id = %s",
            [
                (
                    r.result,
                    json.dumps([x.as_dict() for x in r.reasons], ensure_ascii=False),
                    r.licence_id,
                    r.licence_line,
                    r.line_id,
                )
                for r in results
            ],
        )


def _write_shipments(rows: Sequence[tuple[str, int, int, dt.datetime, int]]) -> None:
    """Every shipment's state, last check and version in one statement (executemany)."""
    table = connection.ops.quote_name(Shipment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET state = %s, last_check_id = %s, version = %s, "  # noqa: S608 -- table name from the model, values bound
            "last_activity_at = %s WHERE id = %s",
            rows,
        )


def _take_write_lock() -> None:
    """SQLite has no row locks: a first write in the transaction takes the database's write
    lock, so two checks cannot read the same balances at once (PostgreSQL locks rows)."""
    if connection.vendor == "sqlite":
        Shipment.objects.filter(pk=-1).update(version=0)


LEDGER_COLUMNS = (
    "licence",
    "line",
    "kind",
    "quantity",
    "unit",
    "shipment_line",
    "shipment_quantity",
    "shipment_unit",
    "actor",
    "note",
)


def _insert_ledger(rows: Iterable[tuple[Any, ...]]) -> None:
    """Append ledger rows (in LEDGER_COLUMNS order) in bulk; the ledger only ever grows."""
    insert_rows(LedgerEntry, LEDGER_COLUMNS, rows, constants={"at": timezone.now()})


def _reservations(
    shipment: Shipment,
    results: Sequence[gate.LineResult],
    lines: dict[int, gate.Line],
    actor: User | None,
) -> list[tuple[Any, ...]]:
    """What a released shipment reserves: each line's draw on the licence line found for it."""
    return [
        (
            result.licence_id,
            result.licence_line,
            LedgerEntry.Kind.RESERVE.value,
            result.draw,
            result.draw_unit,
            result.line_id,
            lines[result.line_id].quantity,
            lines[result.line_id].unit,
            actor.pk if actor is not None else None,
            shipment.reference,
        )
        for result in results
        if result.licence_id is not None and result.draw is not None
    ]


def _unreserve(shipments: Sequence[Shipment], *, user: User | None) -> None:
    """Give back what released shipments reserved and did not draw."""
    if not shipments:
        return
    held: dict[tuple[int, int, str], Decimal] = {}
    first: dict[int, tuple[str, Decimal, str]] = {}
    for line_id, licence_id, line, kind, amount, unit, as_shipped, shipped_unit in (
        LedgerEntry.objects.filter(shipment_line__shipment__in=shipments)
        .order_by("pk")
        .values_list(
            "shipment_line_id",
            "licence_id",
            "line",
            "kind",
            "quantity",
            "unit",
            "shipment_quantity",
            "shipment_unit",
        )
    ):
        sign = 1 if kind == LedgerEntry.Kind.RESERVE else -1
        key = (line_id, licence_id, line)
        held[key] = held.get(key, Decimal(0)) + sign * amount
        first.setdefault(line_id, (unit, as_shipped, shipped_unit))
    actor = user.pk if user is not None and user.is_authenticated else None
    _insert_ledger(
        (
            licence_id,
            line,
            LedgerEntry.Kind.UNRESERVE.value,
            amount,
            first[line_id][0],
            line_id,
            first[line_id][1],
            first[line_id][2],
            actor,
            "",
        )
        for (line_id, licence_id, line), amount in held.items()
        if amount > 0
    )


# --- overrides, export confirmations, cancellations -------------------------------------------


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
    _insert_ledger(
        _reservations(
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
            {line.line_id: line for line in gate_lines([shipment])},
            user,
        )
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
