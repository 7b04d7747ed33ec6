"""The release gate: may each line of an export order leave, as of its ship date?

Per line: the product's current determination (its latest approved case); if a licence is
required, a licence that covers the product or its control code, the destination, the consignee
and the end user, valid on the ship date, not revoked or suspended, with enough balance in units
that convert. Per shipment: its parties (confirmed or open matches against the lists, list
versions that are too old, the US military end-user rule). Every reason is a code, a message in
words and what would clear it; the pages and the API translate the codes.

Lines compete for balances: a batch is allocated in ship-date order, and what one line takes is
not there for the next. The check writes nothing; reserving happens in trade.shipments, under a
lock on the licences.

Plain Python (no Django): the inputs are small dataclasses the domain builds with a handful of
queries, so 10,000 lines against 1,000 licences take one pass over dictionaries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from trade.quantities import QuantityError, convert

RELEASE, HOLD = "release", "hold"


@dataclass(frozen=True)
class Reason:
    code: str
    message: str  # English, with the facts; pages translate by code and params
    params: Mapping[str, str] = field(default_factory=dict)
    clear: str = ""  # what would clear it: a page name the domain turns into a link
    clear_id: int | None = None
    # Prohibited (the law forbids it) rather than held for a decision.
    prohibited: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "params": dict(self.params),
            "clear": self.clear,
            "clear_id": self.clear_id,
            "prohibited": self.prohibited,
        }


@dataclass(frozen=True)
class Determination:
    """A product's approved determination (its latest approved or closed case)."""

    case_id: int
    case_reference: str
    classification: str  # licence_required | not_controlled | near_threshold | not_in_force
    licence_kinds: tuple[str, ...]  # dual_use | technology: what the matching entries call for
    control_codes: tuple[str, ...]
    outdated: bool = False  # rules changed since: the case was flagged for re-review


@dataclass(frozen=True)
class LicenceLine:
    line: str  # "product:<id>" or "code:<control code>"
    product_id: int | None
    control_code: str
    remaining: Decimal  # authorised − reserved − drawn, in `unit`
    unit: str


@dataclass(frozen=True)
class LicenceTerms:
    licence_id: int
    number: str
    covers: str  # dual_use | technology
    status: str  # active | revoked | suspended
    valid_from: dt.date
    valid_until: dt.date
    destination: str
    consignee_id: int
    end_user_id: int
    lines: tuple[LicenceLine, ...]


@dataclass(frozen=True)
class PartyStatus:
    party_id: int
    name: str
    country: str
    military_end_user: str  # yes | no | unknown
    end_use: str
    confirmed: tuple[str, ...] = ()  # list entries confirmed as this party ("control_list:CL01")
    open_candidates: tuple[str, ...] = ()
    # Lists (kinds: "watch_list") too old to rely on for a party nobody cleared before (the list
    # age setting).
    stale_lists: tuple[str, ...] = ()
    prohibiting_lists: tuple[str, ...] = ()  # of the confirmed ones, lists that prohibit


@dataclass(frozen=True)
class Line:
    line_id: int
    shipment_id: int
    product_id: int
    sku: str
    quantity: Decimal
    unit: str
    destination: str
    consignee_id: int
    end_user_id: int
    ship_date: dt.date


@dataclass
class LineResult:
    line_id: int
    result: str
    reasons: list[Reason]
    licence_id: int | None = None
    licence_line: str = ""
    draw: Decimal | None = None  # in the licence line's unit
    draw_unit: str = ""


@dataclass
class ShipmentResult:
    shipment_id: int
    result: str
    reasons: list[Reason]  # the shipment's own (parties), beside its lines'
    lines: list[LineResult]


# Destinations whose military end users and military end uses are prohibited for dual-use
# items (MOFCOM 2024 No. 46 paragraph 1): data, where the domain passes it in.
MILITARY_PROHIBITED_DEFAULT = frozenset({"US"})


def check(
    lines: Sequence[Line],
    *,
    determinations: Mapping[int, Determination],
    licences: Iterable[LicenceTerms],
    parties: Mapping[int, PartyStatus],
    military_prohibited: frozenset[str] = MILITARY_PROHIBITED_DEFAULT,
) -> dict[int, ShipmentResult]:
    """Release or hold for every line and every shipment of `lines`."""
    by_line: dict[str, list[LicenceTerms]] = defaultdict(list)
    for terms in licences:
        for item in terms.lines:
            by_line[item.line].append(terms)
    # What earlier lines of this batch took, per (licence, line), in the licence's unit.
    taken: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    results: dict[int, ShipmentResult] = {}
    ordered = sorted(lines, key=lambda x: (x.ship_date, x.shipment_id, x.line_id))
    dual_use: set[int] = set()  # shipments with a line that needs a dual-use licence
    first_lines: dict[int, Line] = {}
    for line in ordered:
        shipment = results.get(line.shipment_id)
        if shipment is None:
            first_lines[line.shipment_id] = line
            shipment = results[line.shipment_id] = ShipmentResult(
                line.shipment_id, RELEASE, _list_reasons(line, parties), []
            )
        determination = determinations.get(line.product_id)
        if determination is not None and "dual_use" in determination.licence_kinds:
            dual_use.add(line.shipment_id)
        shipment.lines.append(_line(line, determination, by_line, taken))
    for shipment_id, shipment in results.items():
        if shipment_id in dual_use:
            shipment.reasons.extend(
                _military_reasons(first_lines[shipment_id], parties, military_prohibited)
            )
        held = shipment.reasons or any(r.result == HOLD for r in shipment.lines)
        shipment.result = HOLD if held else RELEASE
    return results


def _line(
    line: Line,
    determination: Determination | None,
    by_line: Mapping[str, list[LicenceTerms]],
    taken: dict[tuple[int, str], Decimal],
) -> LineResult:
    if determination is None:
        return LineResult(
            line.line_id,
            HOLD,
            [
                Reason(
                    "no_determination",
                    f"{line.sku}: no approved determination yet.",
                    {"sku": line.sku},
                    clear="product",
                    clear_id=line.product_id,
                )
            ],
        )
    reasons: list[Reason] = []
    if determination.outdated:
        reasons.append(
            Reason(
                "determination_outdated",
                f"{line.sku}: the rules changed since case {determination.case_reference} was "
                "decided; it needs a new determination.",
                {"sku": line.sku, "case": determination.case_reference},
                clear="case",
                clear_id=determination.case_id,
            )
        )
    if determination.classification != "licence_required":
        if reasons:
            return LineResult(line.line_id, HOLD, reasons)
        return LineResult(line.line_id, RELEASE, [])
    found = _licence_for(line, determination, by_line, taken)
    if isinstance(found, Reason):
        return LineResult(line.line_id, HOLD, [*reasons, found])
    terms, item, draw = found
    taken[(terms.licence_id, item.line)] += draw
    return LineResult(
        line.line_id,
        HOLD if reasons else RELEASE,
        reasons,
        licence_id=terms.licence_id,
        licence_line=item.line,
        draw=draw,
        draw_unit=item.unit,
    )


def _licence_for(
    line: Line,
    determination: Determination,
    by_line: Mapping[str, list[LicenceTerms]],
    taken: Mapping[tuple[int, str], Decimal],
) -> tuple[LicenceTerms, LicenceLine, Decimal] | Reason:
    """The licence line that lets this line go, or the closest reason why none does."""
    keys = [f"product:{line.product_id}"] + [f"code:{c}" for c in determination.control_codes]
    candidates = [
        (terms, item)
        for key in keys
        for terms in by_line.get(key, ())
        for item in terms.lines
        if item.line == key and terms.covers in determination.licence_kinds
    ]
    codes = ", ".join(determination.control_codes) or "—"
    params = {"sku": line.sku, "codes": codes}
    if not candidates:
        return Reason(
            "no_licence",
            f"{line.sku}: a licence is required ({codes}) and no licence covers it.",
            params,
            clear="licences",
        )
    closest: Reason | None = None
    for terms, item in sorted(candidates, key=lambda c: (c[0].valid_until, c[0].licence_id)):
        problem = _terms_problem(line, terms)
        if problem is not None:
            closest = closest or problem
            continue
        try:
            draw = convert(line.quantity, line.unit, item.unit)
        except QuantityError as exc:
            closest = Reason(
                "unit_mismatch",
                f"{line.sku}: licence {terms.number} counts in {item.unit}; the line is in "
                f"{line.unit} ({exc}).",
                {**params, "licence": terms.number, "unit": item.unit, "line_unit": line.unit},
                clear="licence",
                clear_id=terms.licence_id,
            )
            continue
        available = item.remaining - taken.get((terms.licence_id, item.line), Decimal(0))
        if draw > available:
            closest = Reason(
                "insufficient_balance",
                f"{line.sku}: licence {terms.number} has {_plain(available)} {item.unit} left; "
                f"the line needs {_plain(draw)} {item.unit}.",
                {
                    **params,
                    "licence": terms.number,
                    "left": _plain(available),
                    "needed": _plain(draw),
                    "unit": item.unit,
                },
                clear="licence",
                clear_id=terms.licence_id,
            )
            continue
        return terms, item, draw
    assert closest is not None
    return closest


def _terms_problem(line: Line, terms: LicenceTerms) -> Reason | None:
    base = {"sku": line.sku, "licence": terms.number}
    if terms.status != "active":
        return Reason(
            f"licence_{terms.status}",
            f"{line.sku}: licence {terms.number} is {terms.status}.",
            base,
            clear="licence",
            clear_id=terms.licence_id,
        )
    if not terms.valid_from <= line.ship_date <= terms.valid_until:
        return Reason(
            "licence_not_valid_on_date",
            f"{line.sku}: licence {terms.number} is valid {terms.valid_from} to "
            f"{terms.valid_until}; the ship date is {line.ship_date}.",
            {
                **base,
                "from": str(terms.valid_from),
                "until": str(terms.valid_until),
                "date": str(line.ship_date),
            },
            clear="licence",
            clear_id=terms.licence_id,
        )
    if terms.destination != line.destination:
        return Reason(
            "licence_other_destination",
            f"{line.sku}: licence {terms.number} covers exports to {terms.destination}, not "
            f"{line.destination}.",
            {**base, "covered": terms.destination, "destination": line.destination},
            clear="licence",
            clear_id=terms.licence_id,
        )
    if (terms.consignee_id, terms.end_user_id) != (line.consignee_id, line.end_user_id):
        return Reason(
            "licence_other_parties",
            f"{line.sku}: licence {terms.number} names another consignee or end user.",
            base,
            clear="licence",
            clear_id=terms.licence_id,
        )
    return None


def _list_reasons(line: Line, parties: Mapping[int, PartyStatus]) -> list[Reason]:
    """The parties against China's lists: confirmed and open matches, lists too old to rely on."""
    reasons: list[Reason] = []
    for role, party_id in (("consignee", line.consignee_id), ("end_user", line.end_user_id)):
        party = parties.get(party_id)
        if party is None:
            continue
        base = {"role": role, "party": party.name}
        for listed in party.confirmed:
            prohibited = listed.split(":", 1)[0] in party.prohibiting_lists
            reasons.append(
                Reason(
                    "party_listed",
                    f"The {role.replace('_', ' ')} {party.name} is {listed} (a confirmed match).",
                    {**base, "entry": listed},
                    clear="party",
                    clear_id=party.party_id,
                    prohibited=prohibited,
                )
            )
        if party.open_candidates:
            reasons.append(
                Reason(
                    "party_candidate",
                    f"The {role.replace('_', ' ')} {party.name} may be "
                    f"{', '.join(party.open_candidates)}: decide the candidate matches.",
                    {**base, "entries": ", ".join(party.open_candidates)},
                    clear="party",
                    clear_id=party.party_id,
                )
            )
        if party.stale_lists:
            reasons.append(
                Reason(
                    "list_not_current",
                    f"{', '.join(party.stale_lists)}: too old to clear the {role.replace('_', ' ')}"
                    f" {party.name}; confirm the list is current.",
                    {**base, "lists": ", ".join(party.stale_lists)},
                    clear="lists",
                )
            )
    return reasons


def _military_reasons(
    line: Line, parties: Mapping[int, PartyStatus], military_prohibited: frozenset[str]
) -> list[Reason]:
    """MOFCOM 2024 No. 46 para. 1, for shipments with dual-use lines: a military end user or
    a military end use in these destinations is prohibited; not knowing holds the shipment for
    an end-use statement."""
    reasons: list[Reason] = []
    end_user = parties.get(line.end_user_id)
    if end_user is not None and end_user.country in military_prohibited:
        military_use = "military" in end_user.end_use.lower() or "军" in end_user.end_use
        if end_user.military_end_user == "yes" or military_use:
            reasons.append(
                Reason(
                    "military_end_user",
                    f"The end user {end_user.name} ({end_user.country}) is a military end user "
                    "or states a military end use: dual-use exports are prohibited (MOFCOM "
                    "2024 No. 46 para. 1).",
                    {"party": end_user.name, "country": end_user.country},
                    clear="party",
                    clear_id=end_user.party_id,
                    prohibited=True,
                )
            )
        elif end_user.military_end_user == "unknown":
            reasons.append(
                Reason(
                    "military_unknown",
                    f"The end user {end_user.name} ({end_user.country}): whether it is a military "
                    "end user is not known; an end-use statement is needed.",
                    {"party": end_user.name, "country": end_user.country},
                    clear="party",
                    clear_id=end_user.party_id,
                )
            )
    return reasons


def _plain(amount: Decimal) -> str:
    return format(amount.normalize(), "f")
