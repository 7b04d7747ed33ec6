"""Uploads of shipments and parties (CSV or XLSX, read with rules.specfiles through
trade.listfiles): the same discipline as spec uploads. The file is read whole before anything
is stored (an unreadable file is refused with its reason); the stored original keeps its
SHA-256; the dry run lists every shipment or party with what the import would do (new,
changed, unchanged, or its errors by row, column and value); the import re-reads the stored
file, checks it again against the database as it is then, and writes in one transaction, all
or nothing unless the user chose the valid rows. Shipments are keyed by the ERP's order number
and parties by their reference, so uploading the same file again changes nothing.

Shipment files: one row per line; the order's own columns repeat on each of its rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rules import audit
from rules.access import can
from rules.rawtables import FileLimits
from screening.evidence import safe_name
from screening.models import Product
from trade import entry, parties
from trade.listfiles import ListFileError, RowError, _records, _Row
from trade.models import CheckTrigger, Party, Shipment, ShipmentSource, TradeUpload
from trade.quantities import QuantityError, canonical_unit, quantity

SHIPMENT_REQUIRED = (
    "order_number",
    "destination_country",
    "consignee_ref",
    "end_user_ref",
    "planned_ship_date",
    "sku",
    "quantity",
    "unit",
)
SHIPMENT_OPTIONAL = ("revision", "value", "currency")
PARTY_REQUIRED = ("party_ref", "name", "country")
PARTY_OPTIONAL = ("name_zh", "aliases", "address", "roles", "end_use", "military_end_user")
ROLES = {r.value for r in Party.Role}
MILITARY = {m.value for m in Party.Military}


class UploadRefused(Exception):
    """The file cannot be used at all (or the user may not upload it); the message says why."""


@dataclass
class Record:
    """One shipment (its rows) or one party of a file, with what the import would do."""

    row: int
    ref: str
    errors: list[RowError] = field(default_factory=list)
    action: str = ""  # new | changed | unchanged | invalid
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "ref": self.ref,
            "action": self.action,
            "errors": [
                {"row": e.row, "column": e.column, "value": e.value, "message": e.message}
                for e in self.errors
            ],
        }


def _limits() -> FileLimits:
    return FileLimits(**settings.SPEC_FILE_LIMITS)


def _read(data: bytes, required: Sequence[str]) -> list[_Row]:
    try:
        records, kind, issues, header = _records(data, _limits())
    except ListFileError as exc:
        raise UploadRefused(str(exc)) from None
    if kind == "json":
        raise UploadRefused(_("Upload a CSV or XLSX file."))
    missing = [c for c in required if c not in header]
    if missing:
        raise UploadRefused(
            _("The file lacks the column(s) %(missing)s; it needs %(needed)s.")
            % {"missing": ", ".join(missing), "needed": ", ".join(required)}
        )
    if not records:
        raise UploadRefused(_("The file has no rows."))
    rows = []
    for number, cells in records:
        errors = [i for i in issues if i.row == number]
        rows.append(_Row(number, cells, errors, "row"))
    return rows


# --- parties ----------------------------------------------------------------------------------


def _party_records(rows: list[_Row]) -> list[Record]:
    seen: dict[str, int] = {}
    found = []
    for row in rows:
        ref = row.required("party_ref", "the party's reference (e.g. P1)", 64)
        if ref in seen:
            row.error("party_ref", f"repeats the party_ref of row {seen[ref]}")
        seen.setdefault(ref, row.number)
        name, name_zh = row.text("name"), row.text("name_zh")
        if not name and not name_zh:
            row.error("name", "is empty; expected the party's name (or a name_zh)")
        country = row.country("country")
        if not country:
            row.error("country", "is empty; expected an ISO 3166 code such as DE")
        roles = [r.strip().lower() for r in row.text("roles").replace(",", ";").split(";")]
        roles = [r for r in roles if r]
        for role in roles:
            if role not in ROLES:
                row.error("roles", f"'{role}' is not a role; expected {', '.join(sorted(ROLES))}")
        military = row.text("military_end_user").lower() or Party.Military.UNKNOWN
        if military not in MILITARY:
            row.error("military_end_user", "expected yes, no or unknown")
        found.append(
            Record(
                row.number,
                ref,
                row.errors,
                data={
                    "reference": ref,
                    "name": name[:300],
                    "name_zh": name_zh[:300],
                    "aliases": list(row.names("aliases")),
                    "country": country,
                    "address": row.text("address"),
                    "roles": [r for r in roles if r in ROLES],
                    "end_use": row.text("end_use"),
                    "military_end_user": military,
                },
            )
        )
    existing = {p.reference: p for p in Party.objects.filter(reference__in=[r.ref for r in found])}
    for record in found:
        party = existing.get(record.ref)
        if record.errors:
            record.action = "invalid"
        elif party is None:
            record.action = "new"
        else:
            same = all(
                getattr(party, key) == value
                for key, value in record.data.items()
                if key != "reference"
            )
            record.action = "unchanged" if same else "changed"
    return found


# --- shipments --------------------------------------------------------------------------------


def _shipment_records(rows: list[_Row]) -> list[Record]:
    grouped: dict[str, list[_Row]] = {}
    for row in rows:
        ref = row.required("order_number", "the ERP's order number", 64)
        grouped.setdefault(ref, []).append(row)
    party_refs = {row.text(column) for row in rows for column in ("consignee_ref", "end_user_ref")}
    known_parties = {p.reference: p.pk for p in Party.objects.filter(reference__in=party_refs)}
    keys = {(row.text("sku"), row.text("revision")) for row in rows}
    products = {
        (sku, revision): pk
        for pk, sku, revision in Product.objects.filter(
            sku__in={sku for sku, _revision in keys}
        ).values_list("pk", "sku", "revision")
    }
    entered = set(
        Shipment.objects.filter(reference__in=list(grouped)).values_list("reference", flat=True)
    )
    found = []
    for ref, members in grouped.items():
        first = members[0]
        errors: list[RowError] = []
        head: dict[str, Any] = {}
        for column in SHIPMENT_REQUIRED[1:5]:
            values = {row.text(column) for row in members}
            if len(values) > 1:
                for row in members[1:]:
                    if row.text(column) != first.text(column):
                        row.error(column, f"differs from row {first.number} of the same order")
        head["destination_country"] = first.country("destination_country")
        if not head["destination_country"]:
            first.error("destination_country", "is empty; expected an ISO 3166 code such as DE")
        for column in ("consignee_ref", "end_user_ref"):
            value = first.text(column)
            if value not in known_parties:
                first.error(column, "is no party we know; enter or upload the party first")
            head[column] = known_parties.get(value)
        head["planned_ship_date"] = first.date("planned_ship_date", required=True)
        lines = []
        for row in members:
            product = products.get((row.text("sku"), row.text("revision")))
            if product is None:
                row.error("sku", "is no product we know (with this revision)")
            try:
                amount, unit = quantity(row.text("quantity")), canonical_unit(row.text("unit"))
            except QuantityError as exc:
                row.error("quantity", str(exc))
                amount, unit = None, ""
            value = row.text("value")
            if value:
                try:
                    quantity(value)
                except QuantityError as exc:
                    row.error("value", str(exc))
            lines.append(
                {
                    "product": product,
                    "quantity": str(amount) if amount is not None else "",
                    "unit": unit,
                    "value": value,
                    "currency": (row.text("currency") or "USD").upper()[:3],
                }
            )
            errors.extend(row.errors)
        record = Record(first.number, ref, errors, data={**head, "lines": lines})
        if errors:
            record.action = "invalid"
        elif ref in entered:
            record.action = "unchanged"  # already entered: an upload never changes an order
        else:
            record.action = "new"
        found.append(record)
    return found


READERS = {
    TradeUpload.Kind.SHIPMENTS: (SHIPMENT_REQUIRED, _shipment_records),
    TradeUpload.Kind.PARTIES: (PARTY_REQUIRED, _party_records),
}
CAPABILITY = {
    TradeUpload.Kind.SHIPMENTS: "enter_shipments",
    TradeUpload.Kind.PARTIES: "edit_parties",
}


def dry_run(kind: str, data: bytes) -> list[Record]:
    """Every shipment or party of the file and what an import would do with it."""
    required, reader = READERS[TradeUpload.Kind(kind)]
    return reader(_read(data, required))


@transaction.atomic
def receive(*, kind: str, data: bytes, filename: str, user: User) -> TradeUpload:
    """Read the whole file, then store it with its dry run (nothing else is written)."""
    if not can(user, CAPABILITY[TradeUpload.Kind(kind)]):
        raise UploadRefused(_("You cannot upload these."))
    records = dry_run(kind, data)
    upload = TradeUpload(
        kind=kind,
        original_name=safe_name(filename)[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        status=TradeUpload.Status.CHECKED,
        rows=[r.as_dict() for r in records],
        total=len(records),
        invalid=sum(1 for r in records if r.action == "invalid"),
        uploaded_by=user,
    )
    upload.file.save("upload", ContentFile(data), save=False)
    upload.save()
    audit.record(
        "trade.upload",
        actor=user,
        obj=upload,
        after={"kind": kind, "sha256": upload.sha256, "records": upload.total},
    )
    return upload


class ImportRefused(UploadRefused):
    """The import cannot go ahead (errors under all-or-nothing, or already imported)."""


def may_import(upload: TradeUpload, user: User) -> bool:
    """Only whoever uploaded the file imports it (they saw its dry run), or a superuser."""
    return upload.uploaded_by_id == user.pk or bool(user.is_superuser)


@transaction.atomic
def commit(*, upload: TradeUpload, user: User, policy: str) -> TradeUpload:
    """Import a checked upload, checked again against the database as it is now."""
    upload = TradeUpload.objects.select_for_update().get(pk=upload.pk)
    if not may_import(upload, user) or not can(user, CAPABILITY[TradeUpload.Kind(upload.kind)]):
        raise ImportRefused(_("Only whoever uploaded a file imports it."))
    if upload.status != TradeUpload.Status.CHECKED:
        raise ImportRefused(_("This file was imported already."))
    if policy not in TradeUpload.Policy.values:
        raise ImportRefused(_("Choose how to import."))
    with upload.file.open("rb") as fh:
        data = fh.read()
    records = dry_run(upload.kind, data)
    invalid = [r for r in records if r.action == "invalid"]
    if invalid and policy == TradeUpload.Policy.ALL_OR_NOTHING:
        raise ImportRefused(
            _("%(n)s record(s) have errors; nothing was imported.") % {"n": len(invalid)}
        )
    todo = [r for r in records if r.action in ("new", "changed")]
    if upload.kind == TradeUpload.Kind.PARTIES:
        for record in todo:
            parties.save_party(user=user, **record.data)
        created = {"parties": [r.ref for r in todo]}
    else:
        created = {"shipments": _enter(todo, user)}
    TradeUpload.objects.filter(pk=upload.pk).update(
        status=TradeUpload.Status.IMPORTED,
        policy=policy,
        imported_at=timezone.now(),
        rows=[r.as_dict() for r in records],
        created=created,
    )
    upload.refresh_from_db()
    audit.record(
        "trade.upload.import",
        actor=user,
        obj=upload,
        after={"policy": policy, **created, "skipped": [r.row for r in invalid]},
    )
    return upload


def _enter(records: Sequence[Record], user: User) -> list[str]:
    """Enter every new order in bulk, then check them all in one run of the gate."""
    party_ids = {pk for r in records for pk in (r.data["consignee_ref"], r.data["end_user_ref"])}
    party_of = Party.objects.in_bulk(party_ids)
    product_of = Product.objects.in_bulk(
        {line["product"] for r in records for line in r.data["lines"]}
    )
    entered = entry.enter_shipments(
        user=user,
        orders=[
            entry.OrderInput(
                reference=record.ref,
                destination_country=record.data["destination_country"],
                consignee=party_of[record.data["consignee_ref"]],
                end_user=party_of[record.data["end_user_ref"]],
                planned_ship_date=record.data["planned_ship_date"] or dt.date.today(),
                lines=[
                    entry.LineInput(
                        product=product_of[line["product"]],
                        quantity=line["quantity"],
                        unit=line["unit"],
                        value=line["value"],
                        currency=line["currency"],
                    )
                    for line in record.data["lines"]
                ],
            )
            for record in records
        ],
        source=ShipmentSource.UPLOAD,
        trigger=CheckTrigger.UPLOADED,
    )
    return [s.reference for s in entered]


def error_rows(upload: TradeUpload) -> list[list[Any]]:
    """The error report: row, reference, column, value, message."""
    return [
        [e["row"], record["ref"], e["column"], e["value"], e["message"]]
        for record in upload.rows
        for e in record["errors"]
    ]
