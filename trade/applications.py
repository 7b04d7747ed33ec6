"""Licence applications: prepared from approved cases (what the product is, the control code,
the licence path the reviewer determined), with the documents the authority asks for, filed by
someone else (four-eyes), decided by MOFCOM within 45 working days (trade.workdays), withdrawn
or refused. A grant is recorded with the licence (trade.licences)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rules import audit
from rules.access import can
from screening.evidence import EvidenceError, safe_name, sniff
from screening.models import Case
from screening.states import DECIDED_STATES
from trade import notifications, workdays
from trade.models import (
    Applicant,
    ApplicationDocument,
    ApplicationItem,
    ApplicationState,
    LicenceApplication,
    LicenceKind,
    Party,
)
from trade.permissions import may_file
from trade.quantities import QuantityError, canonical_unit, quantity
from trade.reference import working_calendar


class LicensingError(Exception):
    """The action is not allowed; the message says why, for the user. `field` names the form
    field it belongs beside, when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Conflict(LicensingError):
    """The application changed since the user loaded it."""


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
    if not missing_documents(application):
        notifications.application_ready(application)
    audit.record(
        "licence.application.document",
        actor=user,
        obj=application,
        after={"kind": kind, "name": document.original_name, "sha256": document.sha256},
    )
    return document


def _touch(application: LicenceApplication) -> None:
    LicenceApplication.objects.filter(pk=application.pk).update(last_activity_at=timezone.now())


def move_application(
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
    return move_application(
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
    return move_application(
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
    return move_application(
        application,
        version=version,
        source=[ApplicationState.FILED],
        target=ApplicationState.REFUSED,
        user=user,
        action="licence.application.refused",
        fields={"decided_on": decided_on, "decision_note": note.strip()},
        reason=note.strip(),
    )
