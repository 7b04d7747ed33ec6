"""What the release gate reads, built with a handful of queries: each product's determination
(its latest decided case), every licence that could cover the lines (with its balances), and
the lines themselves."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Q

from screening.models import Case, ScreeningEntry
from screening.states import DECIDED_STATES
from trade import gate
from trade.applications import licence_kinds_for
from trade.licences import balances
from trade.models import (
    Licence,
    Shipment,
    ShipmentLine,
)


def determinations(product_ids: Iterable[int]) -> dict[int, gate.Determination]:
    """Each product's latest decided case (approved or closed), in two queries: the cases
    (only the columns the gate reads), then the matched entries of those whose determination
    names none (as trade.applications.control_codes_of reads them)."""
    latest: dict[int, Case] = {}
    # The products' cases by the product index, the decided ones kept here: with the state in
    # the query SQLite (no statistics) took the state's index and read every decided case of
    # the portfolio, 0.8 s at a million cases for an upload's 1,000 products.
    cases = (
        Case.objects.filter(product_id__in=set(product_ids))
        .only(
            "pk",
            "product_id",
            "state",
            "screening_id",
            "created_at",
            "determination",
            "licence_path",
            "determination_entries",
            "rules_changed",
        )
        .order_by("product_id", "-decided_at", "-pk")
    )
    for case in cases:
        if case.state in DECIDED_STATES:
            latest.setdefault(case.product_id, case)
    matched: dict[int, list[str]] = {}
    for screening_id, key in ScreeningEntry.objects.filter(
        screening_id__in={c.screening_id for c in latest.values() if not c.determination_entries},
        result="match",
    ).values_list("screening_id", "key"):
        matched.setdefault(screening_id, []).append(key)
    found: dict[int, gate.Determination] = {}
    for product_id, case in latest.items():
        keys = case.determination_entries or matched.get(case.screening_id, [])
        found[product_id] = gate.Determination(
            case_id=case.pk,
            case_reference=case.reference,
            classification=case.determination,
            licence_kinds=tuple(sorted(licence_kinds_for(case))),
            control_codes=tuple(key.split(":", 1)[1] for key in keys),
            outdated=case.rules_changed,
        )
    return found


def licence_terms(lines: Sequence[gate.Line]) -> list[gate.LicenceTerms]:
    """Every licence whose current version could cover one of these lines (by product or by
    control code), with its balances. Three queries, columns only (trade.licences.balances
    reads each licence's id and current version)."""
    rows = list(
        Licence.objects.filter(current__isnull=False)
        .filter(
            Q(current__items__product_id__in={line.product_id for line in lines})
            | Q(current__items__line__startswith="code:")
        )
        .distinct()
        .values_list(
            "pk",
            "number",
            "kind__covers",
            "status",
            "current_id",
            "current__valid_from",
            "current__valid_until",
            "current__destination_country",
            "current__consignee_id",
            "current__end_user_id",
        )
    )
    lines_of = balances(Licence(pk=row[0], current_id=row[4]) for row in rows)
    return [
        gate.LicenceTerms(
            licence_id=pk,
            number=number,
            covers=covers,
            status=status,
            valid_from=valid_from,
            valid_until=valid_until,
            destination=destination,
            consignee_id=consignee_id,
            end_user_id=end_user_id,
            lines=tuple(
                gate.LicenceLine(
                    line=b.line,
                    product_id=b.product_id,
                    control_code=b.control_code,
                    remaining=b.remaining,
                    unit=b.unit,
                )
                for b in lines_of[pk]
            ),
        )
        for (
            pk,
            number,
            covers,
            status,
            _current,
            valid_from,
            valid_until,
            destination,
            consignee_id,
            end_user_id,
        ) in rows
    ]


def gate_lines(shipments: Sequence[Shipment]) -> list[gate.Line]:
    """The lines of these shipments as the gate reads them: one query, columns only."""
    by_id = {s.pk: s for s in shipments}
    rows = ShipmentLine.objects.filter(shipment__in=shipments).values_list(
        "pk", "shipment_id", "product_id", "product__sku", "product__revision", "quantity", "unit"
    )
    lines = []
    for pk, shipment_id, product_id, sku, revision, amount, unit in rows:
        shipment = by_id[shipment_id]
        lines.append(
            gate.Line(
                line_id=pk,
                shipment_id=shipment_id,
                product_id=product_id,
                sku=f"{sku} rev {revision}" if revision else sku,  # as str(product) reads
                quantity=amount,
                unit=unit,
                destination=shipment.destination_country,
                consignee_id=shipment.consignee_id,
                end_user_id=shipment.end_user_id,
                ship_date=shipment.planned_ship_date,
            )
        )
    return lines
