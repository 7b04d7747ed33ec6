"""The export side's API schemas (trade/api.py): shipments with their check, export
confirmations, cancellations, parties with their candidate matches."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

# Quantities and values: a number, or text as a spreadsheet has it ("1,200.5"); never a float
# that has lost digits on the way (send text for exact decimals).
Amount = str | int | Decimal


class LineIn(Schema):
    sku: str = Field(..., min_length=1, max_length=64)
    revision: str = Field("", max_length=32)
    quantity: Amount = Field(..., description='How much, e.g. "250" or 250.')
    unit: str = Field(..., min_length=1, max_length=12, description="kg, t, g, pcs, set, …")
    value: Amount | None = Field(None, description="The line's value (optional).")
    currency: str = Field("USD", min_length=3, max_length=3)


class ShipmentIn(Schema):
    reference: str = Field(
        ...,
        min_length=1,
        max_length=64,
        pattern=r"^[^/\s](?:[^/]*[^/\s])?$",
        description="The ERP's order number: the shipment's key (no '/'). Sending the same "
        "order again with the same content answers as the first time; with other content, 409.",
    )
    destination_country: str = Field(..., min_length=2, max_length=2, description="ISO 3166.")
    consignee_ref: str = Field(..., min_length=1, max_length=64, description="A party_ref.")
    end_user_ref: str = Field(..., min_length=1, max_length=64, description="A party_ref.")
    planned_ship_date: dt.date
    lines: list[LineIn] = Field(..., min_length=1, description="At most API_MAX_ROWS lines.")


class ShipmentBatchIn(Schema):
    orders: list[ShipmentIn] = Field(
        ...,
        min_length=1,
        description="At most API_MAX_SHIPMENT_BATCH orders (500 by default) and API_MAX_ROWS "
        "lines in all; entered all or none, checked in one run.",
    )


class ReasonOut(Schema):
    code: str = Field(description="Stable code, e.g. insufficient_balance.")
    label: str = Field(description="The code's short name, in the request's language.")
    message: str = Field(description="The reason in words, with the facts.")
    params: dict[str, str]
    prohibited: bool = Field(description="The law forbids it: no override can release it.")
    clear_url: str | None = Field(description="The page where it is cleared.")


class PartyRef(Schema):
    party_ref: str
    name: str


class LineOut(Schema):
    line: int
    sku: str
    revision: str
    quantity: str
    unit: str
    value: str | None
    currency: str
    result: Literal["release", "hold", ""]
    reasons: list[ReasonOut]
    licence: str | None = Field(description="The licence number the line draws on.")
    draw: str | None = Field(description="What it draws, in the licence's unit.")
    draw_unit: str


class CheckOut(Schema):
    result: Literal["release", "hold"]
    at: dt.datetime
    as_of: dt.date
    trigger: str
    rule_set_version: str
    list_versions: dict[str, dict[str, object]] = Field(
        description="Each list the check used: version, SHA-256, how current it is."
    )
    reasons: list[ReasonOut] = Field(description="The shipment's own (its parties).")


class ShipmentOut(Schema):
    reference: str
    state: Literal["draft", "held", "released", "exported", "cancelled"]
    state_label: str
    version: int
    destination_country: str
    consignee: PartyRef
    end_user: PartyRef
    planned_ship_date: dt.date
    entered_at: dt.datetime
    source: str
    exported_on: dt.date | None
    export_reference: str
    check: CheckOut | None
    lines: list[LineOut]
    url: str | None = Field(description="The shipment's page.")


class ShipmentAnswer(ShipmentOut):
    created: bool = Field(description="False when the order was recorded already.")


class ShipmentBatchAnswer(Schema):
    created: int = Field(description="How many orders were recorded now.")
    unchanged: int = Field(description="How many were recorded already with the same content.")
    orders: list[ShipmentAnswer] = Field(description="Every order, in the order sent.")


class ConfirmIn(Schema):
    exported_on: dt.date
    declaration_number: str = Field("", max_length=64, description="Customs declaration.")


class ConfirmAnswer(ShipmentOut):
    confirmed_now: bool = Field(description="False when the export was confirmed already.")


class CancelIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)
    version: int | None = Field(
        None, description="The version you last read; refused (409) if it changed since."
    )


class CancelAnswer(ShipmentOut):
    cancelled_now: bool = Field(description="False when it was cancelled already.")


# --- parties -------------------------------------------------------------------------------------


class PartyIn(Schema):
    party_ref: str = Field(
        ...,
        min_length=1,
        max_length=64,
        pattern=r"^[^/\s](?:[^/]*[^/\s])?$",
        description="Your reference for the party: its key (no '/').",
    )
    name: str = Field("", max_length=300, description="Latin script (name or name_zh needed).")
    name_zh: str = Field("", max_length=300)
    aliases: list[str] = Field(default_factory=list, max_length=50)
    country: str = Field(..., min_length=2, max_length=2, description="ISO 3166.")
    address: str = Field("", max_length=2000)
    roles: list[Literal["consignee", "end_user", "intermediary"]] = Field(default_factory=list)
    end_use: str = Field("", max_length=2000)
    military_end_user: Literal["yes", "no", "unknown"] = "unknown"


class CandidateOut(Schema):
    list: str
    list_label: str
    entry_ref: str
    entry_name: str
    score: float
    reason: str = Field(description="Which name matched which, and how.")
    state: Literal["open", "dismiss_proposed", "dismissed", "confirmed"]
    state_label: str


class ListUsed(Schema):
    list: str
    list_label: str
    version: int | None
    confirmed_current_on: dt.date | None
    words: str = Field(description='"no match in …" or the candidates found; never "cleared".')


class PartyOut(Schema):
    party_ref: str
    name: str
    name_zh: str
    aliases: list[str]
    country: str
    address: str
    roles: list[str]
    end_use: str
    military_end_user: str
    version: int
    candidates: list[CandidateOut]
    lists: list[ListUsed]
    url: str | None


class PartyAnswer(PartyOut):
    action: Literal["new", "changed", "unchanged"]
