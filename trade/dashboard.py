"""The export side's figures for its dashboard (/trade/dashboard/): held shipments by reason,
licence balances and expiries, and the value shipped under licence by control code. Plain data
from a handful of queries, whatever the number of orders; trade/dashboard_charts.py draws them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from trade import licences as licence_domain
from trade import reasons
from trade.models import Licence, LicenceItem, Shipment, ShipmentLine, ShipmentState


@dataclass(frozen=True)
class HeldReason:
    code: str
    label: str
    shipments: int  # held shipments with this reason (on a line or on the shipment)
    lines: int  # lines held for it (0 for the shipment's own reasons: parties, lists)
    prohibited: int  # of those shipments, how many the law forbids outright


def held_by_reason() -> tuple[int, list[HeldReason]]:
    """(held shipments, each reason among them), most frequent first. A shipment held for two
    reasons counts under both. One query."""
    shipments: Counter[str] = Counter()
    lines: Counter[str] = Counter()
    prohibited: Counter[str] = Counter()
    held = 0
    for own, per_line in Shipment.objects.filter(state=ShipmentState.HELD).values_list(
        "last_check__reasons", "last_check__lines"
    ):
        held += 1
        found: dict[str, bool] = {}
        for reason in own or []:
            found[reason["code"]] = found.get(reason["code"], False) or reason["prohibited"]
        for line in per_line or []:
            for code in {r["code"] for r in line["reasons"]}:
                lines[code] += 1
            for reason in line["reasons"]:
                found[reason["code"]] = found.get(reason["code"], False) or reason["prohibited"]
        for code, forbidden in found.items():
            shipments[code] += 1
            prohibited[code] += forbidden
    return held, [
        HeldReason(code, reasons.label(code), n, lines[code], prohibited[code])
        for code, n in sorted(shipments.items(), key=lambda item: (-item[1], item[0]))
    ]


@dataclass(frozen=True)
class LicenceLine:
    licence_id: int
    number: str
    status: str  # valid | expired | exhausted | revoked | suspended | not_yet_valid
    valid_until: dt.date
    days_left: int
    expiring: bool  # valid, and ends within the horizon
    control_code: str
    product: str
    unit: str
    authorised: Decimal
    reserved: Decimal
    drawn: Decimal
    remaining: Decimal

    @property
    def remaining_pct(self) -> float:
        return float(self.remaining / self.authorised * 100) if self.authorised else 0.0


def licence_lines(today: dt.date, within_days: int) -> list[LicenceLine]:
    """Every line of every recorded licence's current version, with its balance and how far
    its licence is from expiry; valid licences ending within `within_days` are expiring.
    Ordered by expiry. Four queries."""
    found = list(
        Licence.objects.filter(current__isnull=False)
        .select_related("current")
        .order_by("current__valid_until", "number")
    )
    balances = licence_domain.balances(found)
    products = dict(
        LicenceItem.objects.filter(version_id__in=[lic.current_id for lic in found])
        .exclude(product=None)
        .values_list("line", "product__sku")
    )
    horizon = today + dt.timedelta(days=within_days)
    rows = []
    for licence in found:
        version = licence.current
        assert version is not None
        lines = balances[licence.pk]
        status = licence_domain.effective_status(licence, today, lines)
        for balance in lines:
            rows.append(
                LicenceLine(
                    licence_id=licence.pk,
                    number=licence.number,
                    status=status,
                    valid_until=version.valid_until,
                    days_left=(version.valid_until - today).days,
                    expiring=status == "valid" and version.valid_until <= horizon,
                    control_code=balance.control_code,
                    product=products.get(balance.line, ""),
                    unit=balance.unit,
                    authorised=balance.authorised,
                    reserved=balance.reserved,
                    drawn=balance.drawn,
                    remaining=balance.remaining,
                )
            )
    return rows


@dataclass(frozen=True)
class CodeValue:
    control_code: str
    currency: str
    exported: Decimal  # lines of exported shipments, drawn on a licence
    released: Decimal  # lines of released shipments, reserved on a licence, not yet exported
    lines: int


def value_by_control_code() -> list[CodeValue]:
    """The value of shipment lines that went (or are released to go) under a licence, by the
    control code of the licence line they draw on, per currency. Largest first. Two queries."""
    rows = list(
        ShipmentLine.objects.filter(
            licence__isnull=False,
            shipment__state__in=(ShipmentState.EXPORTED, ShipmentState.RELEASED),
        ).values_list("licence_id", "licence_line", "value", "currency", "shipment__state")
    )
    codes = {
        (licence_id, line): code
        for licence_id, line, code in LicenceItem.objects.filter(
            version__licence_id__in={r[0] for r in rows}
        )
        .order_by("version__number")
        .values_list("version__licence_id", "line", "control_code")
    }
    totals: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    counts: Counter[tuple[str, str]] = Counter()
    for licence_id, line, value, currency, state in rows:
        key = (codes.get((licence_id, line), line.removeprefix("code:")), currency)
        totals[key][0 if state == ShipmentState.EXPORTED else 1] += value or Decimal(0)
        counts[key] += 1
    found = [
        CodeValue(code, currency, exported, released, counts[(code, currency)])
        for (code, currency), (exported, released) in totals.items()
    ]
    return sorted(found, key=lambda v: (-(v.exported + v.released), v.control_code, v.currency))
