"""What the export side's API answers: a shipment with its check and a party with its candidate
matches, as plain data (trade/api_schemas.py states their shape). A few queries each, whatever
the number of lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch

from trade import reasons
from trade.models import ListVersion, Party, PartyMatch, Shipment, ShipmentLine
from trade.models.parties import LIST_KINDS
from trade.quantities import text


def page_url(obj: Any) -> str | None:
    """The object's page, where the pages exist."""
    try:
        return str(obj.get_absolute_url())
    except NoReverseMatch:
        return None


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else text(value)


def _party_ref(party: Party) -> dict[str, str]:
    return {"party_ref": party.reference, "name": party.display_name}


def with_check(shipments: QuerySet[Shipment]) -> QuerySet[Shipment]:
    """Shipments with what shipment_body reads: parties, last check, lines with their products
    and licences (two queries however many shipments)."""
    return shipments.select_related("consignee", "end_user", "last_check").prefetch_related(
        Prefetch(
            "lines",
            queryset=ShipmentLine.objects.select_related("product", "licence").order_by("position"),
        )
    )


def shipment_body(shipment: Shipment) -> dict[str, Any]:
    """The order, its state and its last check, line by line (read it through with_check)."""
    check = shipment.last_check
    draws = {entry["line"]: entry for entry in (check.lines if check else [])}
    lines = []
    for line in shipment.lines.all():
        drawn = draws.get(line.pk, {})
        lines.append(
            {
                "line": line.position,
                "sku": line.product.sku,
                "revision": line.product.revision,
                "quantity": text(line.quantity),
                "unit": line.unit,
                "value": _amount(line.value),
                "currency": line.currency,
                "result": line.result,
                "reasons": [reasons.in_words(r) for r in line.reasons],
                "licence": line.licence.number if line.licence else None,
                "draw": _amount(Decimal(drawn["draw"])) if drawn.get("draw") else None,
                "draw_unit": drawn.get("draw_unit") or "",
            }
        )
    return {
        "reference": shipment.reference,
        "state": shipment.state,
        "state_label": str(shipment.get_state_display()),
        "version": shipment.version,
        "destination_country": shipment.destination_country,
        "consignee": _party_ref(shipment.consignee),
        "end_user": _party_ref(shipment.end_user),
        "planned_ship_date": shipment.planned_ship_date.isoformat(),
        "entered_at": shipment.entered_at.isoformat(),
        "source": shipment.source,
        "exported_on": shipment.exported_on.isoformat() if shipment.exported_on else None,
        "export_reference": shipment.export_reference,
        "check": None
        if check is None
        else {
            "result": check.result,
            "at": check.at.isoformat(),
            "as_of": check.as_of.isoformat(),
            "trigger": check.trigger,
            "rule_set_version": check.rule_set_version,
            "list_versions": check.list_versions,
            "reasons": [reasons.in_words(r) for r in check.reasons],
        },
        "lines": lines,
        "url": page_url(shipment),
    }


def party_body(party: Party) -> dict[str, Any]:
    """The party with its candidate matches, and what each list it was checked against says:
    "no match in <list> version <v> of <date>", never "cleared". Two queries."""
    labels = dict(LIST_KINDS)
    matches = list(
        PartyMatch.objects.filter(party=party).select_related("entry").order_by("-score", "pk")
    )
    published = {v.kind: v for v in ListVersion.objects.filter(status=ListVersion.Status.PUBLISHED)}
    lists = []
    for kind, label in LIST_KINDS:
        version = published.get(kind)
        live = [m for m in matches if m.list_kind == kind and m.state != PartyMatch.State.DISMISSED]
        if version is None:
            words = f"{label}: no version is published; the party is not checked against it."
        else:
            when = version.published_at or version.loaded_at
            of = f"{label} version {version.number} of {when:%Y-%m-%d}"
            if live:
                words = f"{len(live)} candidate match(es) in {of}: to be decided or decided."
            else:
                words = f"no match in {of}"
        lists.append(
            {
                "list": kind,
                "list_label": str(label),
                "version": version.number if version else None,
                "confirmed_current_on": version.confirmed_current_on.isoformat()
                if version and version.confirmed_current_on
                else None,
                "words": words,
            }
        )
    return {
        "party_ref": party.reference,
        "name": party.name,
        "name_zh": party.name_zh,
        "aliases": list(party.aliases),
        "country": party.country,
        "address": party.address,
        "roles": list(party.roles),
        "end_use": party.end_use,
        "military_end_user": party.military_end_user,
        "version": party.version,
        "candidates": [
            {
                "list": m.list_kind,
                "list_label": str(labels.get(m.list_kind, m.list_kind)),
                "entry_ref": m.entry_ref,
                "entry_name": m.entry.name,
                "score": round(m.score, 4),
                "reason": m.reason,
                "state": m.state,
                "state_label": str(m.get_state_display()),
            }
            for m in matches
        ],
        "lists": lists,
        "url": page_url(party),
    }
