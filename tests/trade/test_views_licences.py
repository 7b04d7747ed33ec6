"""Licence and application pages: the lists' filters, a licence with its versions, ledger and
balance chart (drawn offline), amendments (a new version; held shipments released), status
changes, preparing an application from approved cases, documents with their SHA-256, filing
(four-eyes), the decision date, grants and refusals, and the printable package."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import TINY_PDF
from tests.trade.views import application_form
from trade.models import (
    ApplicationDocument,
    ApplicationState,
    Licence,
    LicenceApplication,
    ShipmentState,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def text(response) -> str:
    return response.content.decode()


# --- licences ---------------------------------------------------------------------------------


def test_the_licence_list_filters_and_shows_what_is_left(client, analyst, trade_world):
    licence = trade_world.licence
    trade_world.released(quantity="95")
    client.force_login(analyst)
    shown = text(client.get(reverse("licence_list")))
    assert licence.number in shown
    assert "3A001: 5 / 100 kg" in shown
    assert 'class="nowrap balance-low"' in shown  # 5 % left: below the alert threshold
    assert licence.number in text(client.get(reverse("licence_list"), {"state": "valid"}))
    assert licence.number not in text(client.get(reverse("licence_list"), {"state": "expired"}))
    assert licence.number in text(client.get(reverse("licence_list"), {"q": "3A001"}))
    assert licence.number not in text(client.get(reverse("licence_list"), {"destination": "FR"}))


def test_an_exhausted_licence_is_found_by_its_status_today(client, analyst, trade_world):
    licence = trade_world.licence
    trade_world.released(quantity="100")
    client.force_login(analyst)
    shown = text(client.get(reverse("licence_list"), {"state": "exhausted"}))
    assert licence.number in shown
    assert "Exhausted" in shown
    assert licence.number not in text(client.get(reverse("licence_list"), {"state": "valid"}))


def test_a_licence_shows_versions_ledger_and_a_chart_drawn_offline(client, analyst, trade_world):
    shipment = trade_world.released(quantity="40")
    client.force_login(analyst)
    response = client.get(trade_world.licence.get_absolute_url())
    shown = text(response)
    assert "Version 1" in shown
    assert "Reserved for a released shipment" in shown
    assert shipment.reference in shown
    assert "/static/plotly/plotly.min.js" in shown
    assert "cdn" not in shown.lower()
    figure = json.loads(
        re.search(
            r'<script id="balance-figure" type="application/json">(.*?)</script>', shown, re.S
        ).group(1)
    )
    left = next(trace for trace in figure["data"] if trace["name"].endswith(": left"))
    assert left["y"][0] == 100
    assert left["y"][-1] == 60


def test_an_amendment_is_a_new_version_and_releases_what_it_covers(client, analyst, trade_world):
    licence = trade_world.licence
    trade_world.released(quantity="80")
    held = trade_world.enter(quantity="50")  # 20 kg left: held for lack of balance
    assert held.state == ShipmentState.HELD
    (item,) = licence.current.items.all()
    client.force_login(analyst)
    url = reverse("licence_amend", args=[licence.pk])
    assert "Record an amendment of L-2026-0001" in text(client.get(url))
    response = client.post(url, {"reason": "", f"quantity_{item.pk}": "200"})
    assert 'id="id_reason_error"' in text(response)
    response = client.post(
        url, {"reason": "Amendment 1: 200 kg.", f"quantity_{item.pk}": "200"}, follow=True
    )
    shown = text(response)
    assert "Version 2 recorded." in shown
    assert f"Released by the new check: {held.reference}." in shown
    licence.refresh_from_db()
    assert licence.current.number == 2
    assert licence.versions.get(number=1).items.get().quantity == 100  # as it was granted
    held.refresh_from_db()
    assert held.state == ShipmentState.RELEASED


def test_an_amendment_past_the_longest_validity_is_said_beside_the_date(
    client, analyst, trade_world
):
    licence = trade_world.licence
    (item,) = licence.current.items.all()
    client.force_login(analyst)
    response = client.post(
        reverse("licence_amend", args=[licence.pk]),
        {"reason": "Extension.", "valid_until": "2028-01-01", f"quantity_{item.pk}": "100"},
    )
    assert 'id="id_valid_until_error"' in text(response)
    assert "valid for at most 366 days" in text(response) or "at most" in text(response)
    assert licence.versions.count() == 1


def test_a_suspension_holds_what_was_released(client, reviewer, trade_world):
    shipment = trade_world.released()
    licence = trade_world.licence
    client.force_login(reviewer)
    url = reverse("licence_status", args=[licence.pk])
    response = client.post(url, {"status": "suspended", "reason": ""})
    assert 'id="id_reason_error"' in text(response)
    response = client.post(
        url, {"status": "suspended", "reason": "MOFCOM letter of 2026-12-01."}, follow=True
    )
    assert f"Held by the new check: {shipment.reference}." in text(response)
    assert Licence.objects.get(pk=licence.pk).status == Licence.Status.SUSPENDED
    shipment.refresh_from_db()
    assert shipment.state == ShipmentState.HELD


def test_a_recheck_leaves_an_override_alone(client, analyst, reviewer, trade_world):
    from trade import shipments

    held = trade_world.held()
    shipments.override_hold(
        shipment=held, version=held.version, user=reviewer, rationale="Documented."
    )
    licence = trade_world.licence
    (item,) = licence.current.items.all()
    client.force_login(analyst)
    client.post(
        reverse("licence_amend", args=[licence.pk]),
        {"reason": "Amendment 1.", f"quantity_{item.pk}": "150"},
    )
    held.refresh_from_db()
    assert held.state == ShipmentState.RELEASED
    assert held.checks.count() == 1


# --- applications -----------------------------------------------------------------------------


def test_an_application_is_prepared_from_approved_cases(client, analyst, trade_world):
    case = trade_world.approved()
    client.force_login(analyst)
    shown = text(client.get(reverse("application_new"), {"case": case.pk}))
    assert f'<option value="{case.pk}" selected>' in shown
    response = client.post(reverse("application_new"), application_form(trade_world))
    application = LicenceApplication.objects.get()
    assert response["Location"] == application.get_absolute_url()
    assert application.prepared_by == analyst
    assert application.items.get().control_code == "3A001"


def test_an_application_without_items_says_so(client, analyst, trade_world):
    data = {**application_form(trade_world), "items-0-case": ""}
    client.force_login(analyst)
    response = client.post(reverse("application_new"), data)
    assert "An application needs at least one item." in text(response)
    assert not LicenceApplication.objects.exists()


def test_documents_are_kept_with_their_hash_and_listed_as_missing_until_attached(
    client, analyst, trade_world
):
    application = trade_world.application(documents=False)
    client.force_login(analyst)
    shown = text(client.get(application.get_absolute_url()))
    assert shown.count("— missing") == 4
    response = client.post(
        reverse("application_document", args=[application.pk]),
        {"kind": "contract", "file": SimpleUploadedFile("contract.pdf", TINY_PDF)},
        follow=True,
    )
    digest = hashlib.sha256(TINY_PDF).hexdigest()
    assert f"sha256 {digest}" in text(response)
    assert text(response).count("— missing") == 3
    response = client.post(
        reverse("application_document", args=[application.pk]),
        {"kind": "technical", "file": SimpleUploadedFile("page.html", b"<html>hi</html>")},
    )
    assert 'id="id_file_error"' in text(response)
    assert ApplicationDocument.objects.count() == 1


def test_whoever_prepared_an_application_does_not_file_it(client, analyst, analyst2, trade_world):
    application = trade_world.application()
    client.force_login(analyst)
    url = reverse("application_file", args=[application.pk])
    shown = text(client.get(application.get_absolute_url()))
    assert "You prepared this application: someone else files it" in shown
    response = client.post(url, {"version": application.version, "filed_on": "2026-11-20"})
    assert "Four-eyes rule: you prepared this application, so someone else files it." in text(
        response
    )
    assert LicenceApplication.objects.get().state == ApplicationState.DRAFT
    client.force_login(analyst2)
    response = client.post(
        url, {"version": application.version, "filed_on": "2026-11-20"}, follow=True
    )
    shown = text(response)
    application.refresh_from_db()
    assert application.state == ApplicationState.FILED
    assert application.decision_due > dt.date(2026, 11, 20) + dt.timedelta(days=45)
    assert f"Decision due</dt><dd><strong>{application.decision_due:%Y-%m-%d}" in shown
    assert "45 working days after filing" in shown


def test_an_application_with_documents_missing_is_not_filed(client, reviewer, trade_world):
    application = trade_world.application(documents=False)
    client.force_login(reviewer)
    response = client.post(
        reverse("application_file", args=[application.pk]),
        {"version": application.version, "filed_on": "2026-11-20"},
    )
    assert "Attach these documents before filing" in text(response)


def test_a_grant_records_the_licence_from_the_application(client, reviewer, trade_world):
    application = trade_world.filed()
    (item,) = application.items.all()
    client.force_login(reviewer)
    url = reverse("licence_grant", args=[application.pk])
    shown = text(client.get(url))
    assert "Record the licence granted on" in shown
    response = client.post(
        url,
        {
            "version": application.version,
            "number": "L-2026-0777",
            "valid_from": "2026-12-01",
            "valid_until": "2028-12-01",
            f"quantity_{item.pk}": "100",
        },
    )
    assert 'id="id_valid_until_error"' in text(response)  # a single licence: a year at most
    response = client.post(
        url,
        {
            "version": application.version,
            "number": "L-2026-0777",
            "valid_from": "2026-12-01",
            "valid_until": "2027-05-31",
            f"quantity_{item.pk}": "80",
        },
    )
    licence = Licence.objects.get(number="L-2026-0777")
    assert response["Location"] == licence.get_absolute_url()
    assert licence.current.items.get().quantity == 80
    application.refresh_from_db()
    assert application.state == ApplicationState.GRANTED
    assert client.get(url).status_code == 302  # granted: nothing more to record


def test_a_refusal_and_a_withdrawal_are_recorded(client, reviewer, analyst, trade_world):
    filed = trade_world.filed()
    client.force_login(reviewer)
    client.post(
        reverse("application_refuse", args=[filed.pk]),
        {"version": filed.version, "decided_on": "2026-12-20", "note": "End use unclear."},
    )
    filed.refresh_from_db()
    assert (filed.state, filed.decision_note) == (ApplicationState.REFUSED, "End use unclear.")
    draft = trade_world.application()
    client.force_login(analyst)
    response = client.post(
        reverse("application_withdraw", args=[draft.pk]), {"version": draft.version, "reason": ""}
    )
    assert 'id="id_reason_error"' in text(response)
    client.post(
        reverse("application_withdraw", args=[draft.pk]),
        {"version": draft.version, "reason": "Contract cancelled."},
    )
    draft.refresh_from_db()
    assert draft.state == ApplicationState.WITHDRAWN


def test_the_package_prints_everything_the_authority_reads(client, reviewer, trade_world):
    application = trade_world.filed()
    client.force_login(reviewer)
    shown = text(client.get(reverse("application_package", args=[application.pk])))
    applicant = trade_world.fixture("applicant")
    for expected in (
        applicant.name_zh,
        applicant.credit_code,
        "3A001",  # the item's control code
        "Technical description",
        "Gravimetric energy density",  # the spec's parameters
        "310",  # … with its value
        "Wh/kg",  # … and unit
        "Classification sheet",  # clause by clause, with sources
        "Source",
        "Battery packs for electric buses.",  # the end use
        "End-user statement",
        hashlib.sha256(TINY_PDF).hexdigest(),
        f"{application.decision_due:%Y-%m-%d}",
    ):
        assert expected in shown, expected
    assert "@media print" not in shown  # the site's print stylesheet, not a page of its own


def test_the_application_list_filters_by_state(client, analyst, trade_world):
    draft = trade_world.application()
    filed = trade_world.filed()
    client.force_login(analyst)
    shown = text(client.get(reverse("application_list"), {"state": "filed"}))
    assert filed.reference in shown
    assert draft.reference not in shown


def test_a_licence_and_its_kind_read_in_the_readers_language(client, analyst, trade_world):
    licence = trade_world.licence
    kind = licence.kind
    client.force_login(analyst)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    shown = text(client.get(reverse("licence_detail", args=[licence.pk])))
    assert f"{kind.name_zh} · " in shown
    assert kind.name_en not in shown
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    shown = text(client.get(reverse("licence_detail", args=[licence.pk])))
    assert f"{kind.name_en} · " in shown
    assert '<p class="small">Granted · ' in shown
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    shown = text(client.get(reverse("licence_detail", args=[licence.pk])))
    assert '<p class="small">已获批准 · ' in shown
    assert licence.current.reason == "Granted"  # stored in English whoever recorded it
