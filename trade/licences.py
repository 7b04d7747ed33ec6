"""Licences as granted: what each authorises per line (an amendment is a new version, never an
edit), its status as the authority decides it, its balance from the append-only ledger
(reserved when a shipment is released, drawn when its export is confirmed, given back when it
is cancelled), and the alerts on expiries, low balances and overdue applications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from rules import audit
from rules.access import can
from trade.applications import LicensingError, move_application
from trade.models import (
    Applicant,
    ApplicationState,
    LedgerEntry,
    Licence,
    LicenceApplication,
    LicenceItem,
    LicenceKind,
    LicenceVersion,
    Party,
)
from trade.quantities import QuantityError, canonical_unit, quantity

# --- shipped data: licence kinds and the working-day calendar ---------------------------------


# --- applications -----------------------------------------------------------------------------


# --- licences ---------------------------------------------------------------------------------

# The first version's reason (the page says it in the reader's language).
GRANTED = gettext_noop("Granted")


@dataclass(frozen=True)
class LicenceLineInput:
    control_code: str
    quantity: str
    unit: str
    product: Any = None  # a screening Product, or None for a line by control code
    value: str = ""
    currency: str = "USD"

    @property
    def line(self) -> str:
        return (
            f"product:{self.product.pk}"
            if self.product is not None
            else (f"code:{self.control_code}")
        )


def _check_validity(kind: LicenceKind, valid_from: dt.date, valid_until: dt.date) -> None:
    if valid_until < valid_from:
        raise LicensingError(_("A licence cannot end before it starts."), field="valid_until")
    if kind.max_validity_days and (valid_until - valid_from).days + 1 > kind.max_validity_days:
        raise LicensingError(
            _("A %(kind)s is valid for at most %(days)s days.")
            % {"kind": kind.name_en, "days": kind.max_validity_days},
            field="valid_until",
        )


def _items(version: LicenceVersion, lines: Sequence[LicenceLineInput]) -> None:
    if not lines:
        raise LicensingError(_("A licence authorises at least one line."), field="items")
    seen: set[str] = set()
    for line in lines:
        if line.line in seen:
            raise LicensingError(
                _("%(line)s is listed twice.") % {"line": line.line}, field="items"
            )
        seen.add(line.line)
        try:
            amount, unit = quantity(line.quantity), canonical_unit(line.unit)
            value = quantity(line.value) if line.value else None
        except QuantityError as exc:
            raise LicensingError(str(exc), field="items") from None
        LicenceItem.objects.create(
            version=version,
            line=line.line,
            product=line.product,
            control_code=line.control_code.strip(),
            quantity=amount,
            unit=unit,
            value=value,
            currency=line.currency.upper()[:3],
        )


@transaction.atomic
def record_licence(
    *,
    user: User,
    number: str,
    kind: LicenceKind,
    holder: Applicant,
    valid_from: dt.date,
    valid_until: dt.date,
    consignee: Party,
    end_user: Party,
    destination_country: str,
    lines: Sequence[LicenceLineInput],
    application: LicenceApplication | None = None,
    application_version: int | None = None,
    note: str = "",
) -> Licence:
    """Record a granted licence: from the filed application it grants (marked granted), or
    one granted outside this system (no application; `note` says where it comes from). Both
    the same way: who may, a unique number, the kind's validity, the lines, the audit."""
    if not can(user, "manage_licences"):
        raise LicensingError(_("You cannot record licences."))
    number = number.strip()
    if not number:
        raise LicensingError(_("Give the licence number."), field="number")
    if Licence.objects.filter(number=number).exists():
        raise LicensingError(
            _("Licence %(number)s is already recorded.") % {"number": number}, field="number"
        )
    _check_validity(kind, valid_from, valid_until)
    licence = Licence.objects.create(
        number=number, kind=kind, holder=holder, application=application, recorded_by=user
    )
    version = LicenceVersion.objects.create(
        licence=licence,
        number=1,
        valid_from=valid_from,
        valid_until=valid_until,
        consignee=consignee,
        end_user=end_user,
        destination_country=destination_country.upper(),
        reason=GRANTED,  # stored in English, shown in the reader's language
        recorded_by=user,
    )
    _items(version, lines)
    Licence.objects.filter(pk=licence.pk).update(current=version)
    licence.refresh_from_db()
    if application is not None:
        move_application(
            application,
            version=application_version if application_version is not None else 0,
            source=[ApplicationState.FILED],
            target=ApplicationState.GRANTED,
            user=user,
            action="licence.application.granted",
            fields={"decided_on": valid_from},
        )
    audit.record(
        "licence.record",
        actor=user,
        obj=licence,
        after=licence_snapshot(licence),
        reason=note.strip(),
    )
    return licence


def licence_snapshot(licence: Licence) -> dict[str, Any]:
    version = licence.current
    return {
        "number": licence.number,
        "kind": licence.kind.code,
        "status": licence.status,
        "version": version.number if version else None,
        "valid_from": version.valid_from if version else None,
        "valid_until": version.valid_until if version else None,
        "consignee": version.consignee_id if version else None,
        "end_user": version.end_user_id if version else None,
        "destination": version.destination_country if version else None,
        "items": [
            {"line": i.line, "code": i.control_code, "quantity": i.quantity, "unit": i.unit}
            for i in (version.items.all() if version else ())
        ],
    }


@transaction.atomic
def amend_licence(
    *,
    licence: Licence,
    user: User,
    reason: str,
    valid_until: dt.date | None = None,
    lines: Sequence[LicenceLineInput] | None = None,
) -> LicenceVersion:
    """A new version with what changed (validity, authorised lines); the ledger carries over
    by line, so what was drawn stays drawn."""
    if not can(user, "manage_licences"):
        raise LicensingError(_("You cannot amend licences."))
    if not reason.strip():
        raise LicensingError(_("Say what the amendment is (its reference)."), field="reason")
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    before = licence_snapshot(licence)
    current = licence.current
    assert current is not None
    until = valid_until or current.valid_until
    _check_validity(licence.kind, current.valid_from, until)
    version = LicenceVersion.objects.create(
        licence=licence,
        number=current.number + 1,
        valid_from=current.valid_from,
        valid_until=until,
        consignee=current.consignee,
        end_user=current.end_user,
        destination_country=current.destination_country,
        reason=reason.strip(),
        recorded_by=user,
    )
    if lines is None:
        lines = [
            LicenceLineInput(
                control_code=i.control_code,
                quantity=str(i.quantity),
                unit=i.unit,
                product=i.product,
                value=str(i.value) if i.value is not None else "",
                currency=i.currency,
            )
            for i in current.items.select_related("product")
        ]
    _items(version, lines)
    Licence.objects.filter(pk=licence.pk).update(current=version)
    licence.refresh_from_db()
    audit.record(
        "licence.amend",
        actor=user,
        obj=licence,
        before=before,
        after=licence_snapshot(licence),
        reason=reason.strip(),
    )
    return version


@transaction.atomic
def set_status(*, licence: Licence, user: User, status: str, reason: str) -> Licence:
    """Revoke, suspend or reactivate a licence (as the authority decided), with the reason."""
    if not can(user, "manage_licences"):
        raise LicensingError(_("You cannot change a licence's status."))
    if status not in Licence.Status.values:
        raise LicensingError(_("Choose a status."), field="status")
    if not reason.strip():
        raise LicensingError(_("Say why (the authority's decision)."), field="reason")
    before = licence_snapshot(licence)
    Licence.objects.filter(pk=licence.pk).update(status=status)
    licence.refresh_from_db()
    audit.record(
        "licence.status",
        actor=user,
        obj=licence,
        before=before,
        after=licence_snapshot(licence),
        reason=reason.strip(),
    )
    return licence


# --- balances ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    line: str
    control_code: str
    product_id: int | None
    unit: str
    authorised: Decimal
    reserved: Decimal  # for released shipments not yet exported
    drawn: Decimal  # by confirmed exports

    @property
    def remaining(self) -> Decimal:
        return self.authorised - self.reserved - self.drawn

    @property
    def remaining_share(self) -> float:
        return float(self.remaining / self.authorised) if self.authorised else 0.0


def balances(licences: Iterable[Licence]) -> dict[int, list[Balance]]:
    """Licence id → the balance of every line its current version authorises. Two queries."""
    licences = list(licences)
    ids = [licence.pk for licence in licences]
    sums: dict[tuple[int, str, str], Decimal] = {}
    for licence_id, line, kind, total in (
        LedgerEntry.objects.filter(licence_id__in=ids)
        .values_list("licence_id", "line", "kind")
        .annotate(total=Sum("quantity"))
    ):
        sums[(licence_id, line, kind)] = total
    items = LicenceItem.objects.filter(version__licence_id__in=ids).filter(
        version_id__in=[licence.current_id for licence in licences]
    )
    found: dict[int, list[Balance]] = {pk: [] for pk in ids}
    for item in items.select_related("version"):
        licence_id = item.version.licence_id

        def total(kind: str, licence_id: int = licence_id, line: str = item.line) -> Decimal:
            return sums.get((licence_id, line, kind), Decimal(0))

        drawn = total("draw")
        reserved = total("reserve") - total("unreserve") - drawn
        found[licence_id].append(
            Balance(
                line=item.line,
                control_code=item.control_code,
                product_id=item.product_id,
                unit=item.unit,
                authorised=item.quantity,
                reserved=reserved,
                drawn=drawn,
            )
        )
    return found


def effective_status(licence: Licence, on: dt.date, lines: Sequence[Balance]) -> str:
    """valid | expired | exhausted | revoked | suspended, on a date."""
    if licence.status != Licence.Status.ACTIVE:
        return licence.status
    version = licence.current
    if version is None or on > version.valid_until:
        return "expired"
    if on < version.valid_from:
        return "not_yet_valid"
    if lines and all(b.remaining <= 0 for b in lines):
        return "exhausted"
    return "valid"
