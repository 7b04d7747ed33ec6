"""Licence applications and licences: the domain functions behind their pages and the API.

An application is prepared from approved cases (what the product is, the control code, the
licence path the reviewer determined), filed by someone else (four-eyes), decided by MOFCOM
within 45 working days (counted on trade.workdays' calendar). A granted licence is recorded
with what it authorises per line; an amendment is a new version; its balance is the ledger.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from rules import audit
from rules.access import can
from screening.evidence import EvidenceError, safe_name, sniff
from screening.models import Case
from screening.models.cases import DECIDED_STATES
from trade import workdays
from trade.models import (
    Applicant,
    ApplicationDocument,
    ApplicationItem,
    ApplicationState,
    CalendarDay,
    CalendarYear,
    LedgerEntry,
    Licence,
    LicenceApplication,
    LicenceItem,
    LicenceKind,
    LicenceVersion,
    Party,
)
from trade.quantities import QuantityError, canonical_unit, quantity

DATA_DIR = Path(__file__).resolve().parent / "data"


class LicensingError(Exception):
    """The action is not allowed; the message says why, for the user. `field` names the form
    field it belongs beside, when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Conflict(LicensingError):
    """The application changed since the user loaded it."""


# --- shipped data: licence kinds and the working-day calendar ---------------------------------


def load_shipped_data() -> None:
    """Licence kinds and calendar years shipped in trade/data that the database does not have
    yet (by code and by year): administrators maintain them in Django admin afterwards."""
    with (DATA_DIR / "licence_kinds.toml").open("rb") as fh:
        kinds = tomllib.load(fh)["kinds"]
    for kind in kinds:
        LicenceKind.objects.get_or_create(code=kind["code"], defaults=kind)
    calendar, years = workdays.load_shipped()
    for year in years:
        row, created = CalendarYear.objects.get_or_create(
            year=year["year"], defaults={"source": year["source"], "level": year["level"]}
        )
        if created:
            CalendarDay.objects.bulk_create(
                CalendarDay(year=row, date=day.date, kind=day.kind, name=day.name)
                for day in calendar.exceptions.values()
                if day.date.year == year["year"]
            )


def working_calendar() -> workdays.Calendar:
    """The calendar as administrators keep it in the database."""
    years = list(CalendarYear.objects.values_list("year", flat=True))
    days = [
        workdays.Day(date, kind, name)
        for date, kind, name in CalendarDay.objects.values_list("date", "kind", "name")
    ]
    return workdays.calendar_from_days(years, days)


# --- applications -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemInput:
    case: Case
    quantity: str
    unit: str
    value: str
    currency: str = "USD"


def licence_kinds_for(case: Case) -> set[str]:
    """What an approved case calls for: dual_use or technology (the licence path decided)."""
    if case.licence_path == "technology":
        return {"technology"}
    if case.licence_path in ("single", "general"):
        return {"dual_use"}
    return set()


def control_codes_of(case: Case) -> list[str]:
    """The control codes of the entries the determination rests on (or that matched)."""
    keys = case.determination_entries or [
        hit.key for hit in case.screening.hits.all() if hit.result == "match"
    ]
    return [key.split(":", 1)[1] for key in keys]


@transaction.atomic
def prepare_application(
    *,
    user: User,
    kind: LicenceKind,
    applicant: Applicant,
    contract_reference: str,
    consignee: Party,
    end_user: Party,
    end_use: str,
    destination_country: str,
    items: Sequence[ItemInput],
) -> LicenceApplication:
    if not can(user, "prepare_applications"):
        raise LicensingError(_("Only compliance analysts prepare licence applications."))
    if not items:
        raise LicensingError(_("An application needs at least one item."), field="items")
    if kind.needs_compliance_programme and not applicant.compliance_programme:
        raise LicensingError(
            _(
                "A %(kind)s needs an internal compliance programme, and %(applicant)s has none "
                "recorded."
            )
            % {"kind": kind.name_en, "applicant": applicant},
            field="kind",
        )
    application = LicenceApplication.objects.create(
        kind=kind,
        applicant=applicant,
        contract_reference=contract_reference.strip(),
        consignee=consignee,
        end_user=end_user,
        end_use=end_use.strip(),
        destination_country=destination_country.upper(),
        prepared_by=user,
    )
    for item in items:
        case = item.case
        if case.state not in DECIDED_STATES or case.determination != "licence_required":
            raise LicensingError(
                _("%(case)s is not an approved case that requires a licence.") % {"case": case},
                field="items",
            )
        if kind.covers not in licence_kinds_for(case):
            raise LicensingError(
                _("%(case)s was decided for another kind of licence (%(path)s).")
                % {"case": case, "path": case.get_licence_path_display()},
                field="items",
            )
        try:
            amount, unit = quantity(item.quantity), canonical_unit(item.unit)
            value = quantity(item.value)
        except QuantityError as exc:
            raise LicensingError(str(exc), field="items") from None
        codes = control_codes_of(case)
        ApplicationItem.objects.create(
            application=application,
            case=case,
            product=case.product,
            control_code="、".join(codes),
            quantity=amount,
            unit=unit,
            value=value,
            currency=item.currency.upper()[:3],
        )
    audit.record(
        "licence.application.prepare",
        actor=user,
        obj=application,
        after=_application_snapshot(application),
    )
    return application


def _application_snapshot(application: LicenceApplication) -> dict[str, Any]:
    return {
        "state": application.state,
        "kind": application.kind.code,
        "applicant": application.applicant.credit_code,
        "contract": application.contract_reference,
        "consignee": application.consignee_id,
        "end_user": application.end_user_id,
        "destination": application.destination_country,
        "filed_on": application.filed_on,
        "decision_due": application.decision_due,
        "items": [
            {
                "case": i.case_id,
                "product": i.product_id,
                "code": i.control_code,
                "quantity": i.quantity,
                "unit": i.unit,
                "value": i.value,
                "currency": i.currency,
            }
            for i in application.items.all()
        ],
    }


DOCUMENT_KINDS_NEEDED = ("contract", "technical", "end_user", "end_use")


def missing_documents(application: LicenceApplication) -> list[str]:
    have = set(application.documents.values_list("kind", flat=True))
    needed = application.kind.documents or list(DOCUMENT_KINDS_NEEDED)
    return [kind for kind in needed if kind not in have]


@transaction.atomic
def attach_document(
    *, application: LicenceApplication, user: User, kind: str, upload: UploadedFile
) -> ApplicationDocument:
    """A document the authority asks for, checked by content and kept with its SHA-256, like
    case evidence."""
    if not can(user, "prepare_applications"):
        raise LicensingError(_("You cannot attach documents to applications."))
    if application.state != ApplicationState.DRAFT:
        raise LicensingError(_("Documents are attached before the application is filed."))
    if kind not in ApplicationDocument.Kind.values:
        raise LicensingError(_("Choose what the document is."), field="kind")
    limit = settings.EVIDENCE_MAX_BYTES
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise LicensingError(
            _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)},
            field="file",
        )
    if not data:
        raise LicensingError(_("The file is empty."), field="file")
    try:
        content_type = sniff(data)
    except EvidenceError as exc:
        raise LicensingError(str(exc), field="file") from None
    document = ApplicationDocument(
        application=application,
        kind=kind,
        original_name=safe_name(upload.name or ""),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user,
    )
    document.file.save("document", ContentFile(data), save=False)
    document.save()
    _touch(application)
    audit.record(
        "licence.application.document",
        actor=user,
        obj=application,
        after={"kind": kind, "name": document.original_name, "sha256": document.sha256},
    )
    return document


def _touch(application: LicenceApplication) -> None:
    LicenceApplication.objects.filter(pk=application.pk).update(last_activity_at=timezone.now())


def _move(
    application: LicenceApplication,
    *,
    version: int,
    source: Iterable[str],
    target: str,
    user: User,
    action: str,
    fields: Mapping[str, Any] | None = None,
    reason: str = "",
) -> LicenceApplication:
    """One guarded write, like case transitions: a stale page gets "this changed, reload"."""
    before = _application_snapshot(application)
    changes = {"state": target, "version": version + 1, "last_activity_at": timezone.now()}
    updated = LicenceApplication.objects.filter(
        pk=application.pk, version=version, state__in=list(source)
    ).update(**changes, **(fields or {}))
    if updated != 1:
        raise Conflict(_("This application changed since you opened it. Reload it and try again."))
    application.refresh_from_db()
    audit.record(
        action,
        actor=user,
        obj=application,
        before=before,
        after=_application_snapshot(application),
        reason=reason,
    )
    return application


def may_file(application: LicenceApplication, user: User) -> bool:
    """Four-eyes: whoever prepared an application does not mark it filed (superusers too)."""
    return can(user, "file_applications") and user.pk != application.prepared_by_id


@transaction.atomic
def file_application(
    *,
    application: LicenceApplication,
    version: int,
    user: User,
    filed_on: dt.date,
    authority_reference: str = "",
) -> LicenceApplication:
    if not can(user, "file_applications"):
        raise LicensingError(_("You cannot file licence applications."))
    if not may_file(application, user):
        raise LicensingError(
            _("Four-eyes rule: you prepared this application, so someone else files it.")
        )
    missing = missing_documents(application)
    if missing:
        labels = dict(ApplicationDocument.Kind.choices)
        raise LicensingError(
            _("Attach these documents before filing: %(missing)s.")
            % {"missing": ", ".join(str(labels.get(m, m)) for m in missing)}
        )
    days = application.kind.decision_working_days or settings.LICENCE_DECISION_WORKING_DAYS
    due = workdays.add_working_days(working_calendar(), filed_on, days)
    return _move(
        application,
        version=version,
        source=[ApplicationState.DRAFT],
        target=ApplicationState.FILED,
        user=user,
        action="licence.application.file",
        fields={
            "filed_by": user,
            "filed_on": filed_on,
            "authority_reference": authority_reference.strip(),
            "decision_due": due.date,
            "decision_due_certain": due.certain,
        },
    )


@transaction.atomic
def withdraw_application(
    *, application: LicenceApplication, version: int, user: User, reason: str
) -> LicenceApplication:
    if not (can(user, "prepare_applications") or can(user, "file_applications")):
        raise LicensingError(_("You cannot withdraw licence applications."))
    if not reason.strip():
        raise LicensingError(_("Say why the application is withdrawn."), field="reason")
    return _move(
        application,
        version=version,
        source=[ApplicationState.DRAFT, ApplicationState.FILED],
        target=ApplicationState.WITHDRAWN,
        user=user,
        action="licence.application.withdraw",
        reason=reason.strip(),
    )


@transaction.atomic
def record_refusal(
    *,
    application: LicenceApplication,
    version: int,
    user: User,
    decided_on: dt.date,
    note: str,
) -> LicenceApplication:
    if not can(user, "manage_licences"):
        raise LicensingError(_("You cannot record licence decisions."))
    return _move(
        application,
        version=version,
        source=[ApplicationState.FILED],
        target=ApplicationState.REFUSED,
        user=user,
        action="licence.application.refused",
        fields={"decided_on": decided_on, "decision_note": note.strip()},
        reason=note.strip(),
    )


# --- licences ---------------------------------------------------------------------------------


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
) -> Licence:
    """Record a granted licence (and mark its application granted)."""
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
        reason=_("Granted"),
        recorded_by=user,
    )
    _items(version, lines)
    Licence.objects.filter(pk=licence.pk).update(current=version)
    licence.refresh_from_db()
    if application is not None:
        _move(
            application,
            version=application_version if application_version is not None else 0,
            source=[ApplicationState.FILED],
            target=ApplicationState.GRANTED,
            user=user,
            action="licence.application.granted",
            fields={"decided_on": valid_from},
        )
    audit.record("licence.record", actor=user, obj=licence, after=licence_snapshot(licence))
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


# --- alerts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alerts:
    expiring: list[Licence]
    low_balance: list[tuple[Licence, Balance]]
    overdue: list[LicenceApplication]


def alerts(*, today: dt.date | None = None) -> Alerts:
    """Licences expiring within LICENCE_EXPIRY_ALERT_DAYS, lines below LICENCE_BALANCE_ALERT_PCT
    of their authorised quantity, applications past their decision date."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.LICENCE_EXPIRY_ALERT_DAYS)
    active = list(
        Licence.objects.filter(status=Licence.Status.ACTIVE, current__valid_until__gte=today)
        .select_related("current", "kind")
        .order_by("current__valid_until")
    )
    expiring = [lic for lic in active if lic.current and lic.current.valid_until <= horizon]
    threshold = Decimal(settings.LICENCE_BALANCE_ALERT_PCT) / 100
    lines = balances(active)
    low = [
        (licence, balance)
        for licence in active
        for balance in lines[licence.pk]
        if balance.authorised and balance.remaining / balance.authorised < threshold
    ]
    overdue = list(
        LicenceApplication.objects.filter(
            Q(state=ApplicationState.FILED) & Q(decision_due__lt=today)
        ).order_by("decision_due")
    )
    return Alerts(expiring=expiring, low_balance=low, overdue=overdue)
