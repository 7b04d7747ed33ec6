"""Licence applications (from approved cases, four-eyes filing, the 45-working-day decision
date, documents), licences (validity limits, amendments as versions) and alerts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rules.models import AuditEvent
from trade import alerts, applications, licences
from trade.models import ApplicationState, LicenceKind

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def application(analyst, applicant, single_kind, case_in, party):
    acme = party()
    case = case_in("approved")
    return applications.prepare_application(
        user=analyst,
        kind=single_kind,
        applicant=applicant,
        contract_reference="C-2026-118",
        consignee=acme,
        end_user=acme,
        end_use="Energy storage systems for grid balancing",
        destination_country="DE",
        items=[applications.ItemInput(case=case, quantity="500", unit="kg", value="120000")],
    )


def attach_all(application, user):
    for kind in ("contract", "technical", "end_user", "end_use"):
        applications.attach_document(
            application=application,
            user=user,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}.pdf", PDF),
        )


def test_an_application_is_prepared_from_an_approved_case(application):
    item = application.items.get()
    assert (item.control_code, item.quantity, item.unit) == ("3A001", Decimal("500"), "kg")
    assert application.state == ApplicationState.DRAFT
    assert AuditEvent.objects.filter(action="licence.application.prepare").count() == 1


def test_an_undecided_case_cannot_be_applied_for(analyst, applicant, single_kind, case_in, party):
    acme = party()
    with pytest.raises(applications.LicensingError, match="is not an approved case"):
        applications.prepare_application(
            user=analyst,
            kind=single_kind,
            applicant=applicant,
            contract_reference="C",
            consignee=acme,
            end_user=acme,
            end_use="x",
            destination_country="DE",
            items=[
                applications.ItemInput(
                    case=case_in("submitted"), quantity="1", unit="kg", value="1"
                )
            ],
        )


def test_a_general_licence_needs_a_compliance_programme(analyst, applicant, case_in, party):
    applicant.compliance_programme = False
    applicant.save()
    general = LicenceKind.objects.get(code="dual_use_general")
    acme = party()
    with pytest.raises(applications.LicensingError, match="internal compliance programme"):
        applications.prepare_application(
            user=analyst,
            kind=general,
            applicant=applicant,
            contract_reference="C",
            consignee=acme,
            end_user=acme,
            end_use="x",
            destination_country="DE",
            items=[
                applications.ItemInput(case=case_in("approved"), quantity="1", unit="kg", value="1")
            ],
        )


def test_whoever_prepared_an_application_does_not_file_it(application, analyst, reviewer):
    attach_all(application, analyst)
    with pytest.raises(applications.LicensingError, match="Four-eyes rule"):
        applications.file_application(
            application=application,
            version=application.version,
            user=analyst,
            filed_on=dt.date(2026, 9, 18),
        )
    filed = applications.file_application(
        application=application,
        version=application.version,
        user=reviewer,
        filed_on=dt.date(2026, 9, 18),
        authority_reference="MOFCOM-2026-0918-01",
    )
    assert (filed.state, filed.filed_by, filed.decision_due, filed.decision_due_certain) == (
        ApplicationState.FILED,
        reviewer,
        dt.date(2026, 11, 26),  # 45 Chinese working days (tests/trade/test_workdays.py)
        True,
    )


def test_filing_needs_the_documents_the_authority_asks_for(application, reviewer, analyst):
    applications.attach_document(
        application=application,
        user=analyst,
        kind="contract",
        upload=SimpleUploadedFile("contract.pdf", PDF),
    )
    with pytest.raises(applications.LicensingError) as raised:
        applications.file_application(
            application=application,
            version=application.version,
            user=reviewer,
            filed_on=dt.date(2026, 11, 26),
        )
    assert str(raised.value) == (
        "Attach these documents before filing: Technical description or test report, "
        "End-user statement, End-use statement."
    )


def test_a_document_is_checked_by_content_and_kept_with_its_hash(application, analyst):
    with pytest.raises(applications.LicensingError, match="Only PDF"):
        applications.attach_document(
            application=application,
            user=analyst,
            kind="contract",
            upload=SimpleUploadedFile("contract.pdf", b"PK\x03\x04not a workbook"),
        )
    document = applications.attach_document(
        application=application,
        user=analyst,
        kind="contract",
        upload=SimpleUploadedFile("../../contract.pdf", PDF),
    )
    assert (document.original_name, document.content_type, len(document.sha256)) == (
        "contract.pdf",
        "application/pdf",
        64,
    )


def test_a_decision_date_in_a_year_without_a_calendar_is_an_estimate(
    application, analyst, reviewer
):
    attach_all(application, analyst)
    filed = applications.file_application(
        application=application,
        version=application.version,
        user=reviewer,
        filed_on=dt.date(2026, 12, 1),
    )
    assert filed.decision_due_certain is False


def test_a_grant_records_the_licence_and_closes_the_application(
    application, analyst, reviewer, applicant
):
    attach_all(application, analyst)
    filed = applications.file_application(
        application=application,
        version=application.version,
        user=reviewer,
        filed_on=dt.date(2026, 9, 18),
    )
    item = filed.items.get()
    licence = licences.record_licence(
        user=reviewer,
        number="MOFCOM-L-0001",
        kind=filed.kind,
        holder=applicant,
        valid_from=dt.date(2026, 11, 20),
        valid_until=dt.date(2027, 11, 19),
        consignee=filed.consignee,
        end_user=filed.end_user,
        destination_country="DE",
        lines=[
            licences.LicenceLineInput(
                control_code="3A001", quantity="500", unit="kg", product=item.product
            )
        ],
        application=filed,
        application_version=filed.version,
    )
    filed.refresh_from_db()
    assert filed.state == ApplicationState.GRANTED
    assert (licence.current.number, licence.current.valid_until) == (1, dt.date(2027, 11, 19))


def test_a_single_licence_is_valid_for_a_year_at_most(
    analyst, applicant, single_kind, party, case_in
):
    acme = party()
    case = case_in("approved")
    with pytest.raises(applications.LicensingError, match="at most 365 days"):
        licences.record_licence(
            user=analyst,
            number="L-X",
            kind=single_kind,
            holder=applicant,
            valid_from=dt.date(2026, 12, 1),
            valid_until=dt.date(2027, 12, 1),
            consignee=acme,
            end_user=acme,
            destination_country="DE",
            lines=[
                licences.LicenceLineInput(
                    control_code="3A001", quantity="1", unit="kg", product=case.product
                )
            ],
        )


def test_alerts_list_expiring_licences_low_balances_and_overdue_applications(
    application, analyst, reviewer, licence_for, case_in, party, settings
):
    settings.LICENCE_EXPIRY_ALERT_DAYS = 30
    acme = party(reference="P-A", name="Acme Storage AB", country="SE")
    expiring = licence_for(
        case_in("approved"),
        consignee=acme,
        end_user=acme,
        number="L-EXP",
        valid_until=dt.date(2026, 12, 20),
    )
    attach_all(application, analyst)
    applications.file_application(
        application=application,
        version=application.version,
        user=reviewer,
        filed_on=dt.date(2026, 9, 1),
    )
    found = alerts.alerts(today=dt.date(2026, 12, 1))
    assert [lic.number for lic in found.expiring] == ["L-EXP"]
    assert [a.pk for a in found.overdue] == [application.pk]
    assert expiring.number == "L-EXP"
