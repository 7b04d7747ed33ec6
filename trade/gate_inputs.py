"""What the release gate reads, built with a handful of queries: each product's determination
(its latest decided case), every licence that could cover the lines (with its balances), and
the lines themselves."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Q

from screening.models import Case
from screening.states import DECIDED_STATES
from trade import gate
from trade.applications import control_codes_of, licence_kinds_for
from trade.licences import balances
from trade.models import (
    Licence,
    Shipment,
    ShipmentLine,
)


def determinations(product_ids: Iterable[int]) -> dict[int, gate.Determination]:
    """Each product's latest decided case (approved or closed), in one query."""
    found: dict[int, gate.Determination] = {}
    cases = (
        Case.objects.filter(product_id__in=set(product_ids), state__in=DECIDED_STATES)
        .select_related("screening")
        .prefetch_related("screening__hits")
        .order_by("product_id", "-decided_at", "-pk")
    )
    for case in cases:
        if case.product_id in found:
            continue
        found[case.product_id] = gate.Determination(
            case_id=case.pk,
            case_reference=case.reference,
            classification=case.determination,
            licence_kinds=tuple(sorted(licence_kinds_for(case))),
            control_codes=tuple(control_codes_of(case)),
            outdated=case.rules_changed,
        )
    return found


def licence_terms(lines: Sequence[gate.Line]) -> list[gate.LicenceTerms]:
    """Every licence whose current version could cover one of these lines (by product or by
    control code), with its balances. Three queries."""
    licences = list(
        Licence.objects.filter(current__isnull=False)
        .filter(
            Q(current__items__product_id__in={line.product_id for line in lines})
            | Q(current__items__line__startswith="code:")
        )
        .select_related("current", "kind")
        .prefetch_related("current__items")
        .distinct()
    )
    lines_of = balances(licences)
    return [
        gate.LicenceTerms(
            licence_id=licence.pk,
            number=licence.number,
            covers=licence.kind.covers,
            status=licence.status,
            valid_from=licence.current.valid_from,
            valid_until=licence.current.valid_until,
            destination=licence.current.destination_country,
            consignee_id=licence.current.consignee_id,
            end_user_id=licence.current.end_user_id,
            lines=tuple(
                gate.LicenceLine(
                    line=b.line,
                    product_id=b.product_id,
                    control_code=b.control_code,
                    remaining=b.remaining,
                    unit=b.unit,
                )
                for b in lines_of[licence.pk]
            ),
        )
        for licence in licences
        if licence.current is not None
    ]


def gate_lines(shipments: Sequence[Shipment]) -> list[gate.Line]:
    rows = ShipmentLine.objects.filter(shipment__in=shipments).select_related("product")
    by_id = {s.pk: s for s in shipments}
    return [
        gate.Line(
            line_id=row.pk,
            shipment_id=row.shipment_id,
            product_id=row.product_id,
            sku=str(row.product),
            quantity=row.quantity,
            unit=row.unit,
            destination=by_id[row.shipment_id].destination_country,
            consignee_id=by_id[row.shipment_id].consignee_id,
            end_user_id=by_id[row.shipment_id].end_user_id,
            ship_date=by_id[row.shipment_id].planned_ship_date,
        )
        for row in rows
    ]
