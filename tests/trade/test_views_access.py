"""The export side's pages follow the access matrix (tests/access_matrix.py TRADE_ROUTES): every
route × every persona, on an object of the kind the route acts on (made once for the routes
that act on it, and as it was before each test)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rules.models import AuditEvent
from tests.access_matrix import ANONYMOUS, EVERY_PERSONA, TRADE_ROUTES
from tests.conftest import TINY_PDF
from tests.trade.views import (
    LIST_CSV,
    SHIP_DAY,
    ClassFixtures,
    World,
    application_form,
    footprint_models,
    licence_form,
    shipment_csv,
)


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    """One media folder for the module: the documents of rows made once for the class are
    where its tests' requests look for them."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, media_root):
    settings.MEDIA_ROOT = media_root


def target_args(world: World, target: str) -> tuple[list, dict]:
    """The URL arguments of a route's target, made in `world`, and what its POST sends."""
    if target in ("shipments", "parties"):
        return [target], {}
    if target == "held_shipment":
        shipment = world.held()
        return [shipment.pk], {"version": shipment.version}
    if target == "released_shipment":
        shipment = world.released()
        return [shipment.pk], {"version": shipment.version}
    if target == "shipment_upload":
        return [world.shipment_upload().pk], {}
    if target == "licence":
        licence = world.licence
        (item,) = licence.current.items.all()
        return [licence.pk], {f"quantity_{item.pk}": "200"}
    if target in ("draft_application", "filed_application"):
        application = world.application() if target == "draft_application" else world.filed()
        (item,) = application.items.all()
        return [application.pk], {"version": application.version, f"quantity_{item.pk}": "100"}
    if target == "document":
        application = world.application()
        return [application.pk, application.documents.first().pk], {}
    if target == "party":
        return [world.party.pk], {}
    if target.startswith(("open_match:", "proposed_match:")):
        kind, action = target.split(":")
        match = world.open_match() if kind == "open_match" else world.proposed_match()
        return [match.pk, action], {"version": match.version}
    if target == "draft_list":
        return [world.draft_list().pk], {}
    if target == "published_list":
        return [world.published_list().pk], {}
    assert target == "", target
    world.approved()  # a product and parties the forms can name
    world.fixture("applicant")  # and the applicant and licence kind they name
    world.fixture("single_kind")
    return [], {}


def post_data(route: str, base: dict) -> dict:
    data = {
        "shipment_new": {
            "reference": "SO-NEW-1",
            "destination_country": "DE",
            "consignee": "P-1",
            "end_user": "P-1",
            "planned_ship_date": SHIP_DAY.isoformat(),
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "1",
            "lines-MAX_NUM_FORMS": "200",
            "lines-0-sku": "CASE-1",
            "lines-0-revision": "",
            "lines-0-quantity": "10",
            "lines-0-unit": "kg",
        },
        "shipment_recheck": {},
        "shipment_override": {"rationale": "The customer's licence covers it; see the file."},
        "shipment_export": {"exported_on": SHIP_DAY.isoformat(), "declaration_number": "D-1"},
        "shipment_cancel": {"reason": "The customer cancelled the order."},
        "trade_upload_commit": {"policy": "all_or_nothing"},
        "trade_upload_errors": {},
        "licence_amend": {"reason": "Amendment 1 (MOFCOM letter 2026-12-01): 200 kg."},
        "licence_status": {"status": "suspended", "reason": "MOFCOM suspended it on 2026-12-01."},
        "licence_grant": {
            "number": "L-2026-0099",
            "valid_from": "2026-12-01",
            "valid_until": "2027-05-31",
        },
        "application_file": {"filed_on": "2026-11-20", "authority_reference": "MOFCOM-1"},
        "application_refuse": {"decided_on": "2026-12-20", "note": "Refused: end use unclear."},
        "application_withdraw": {"reason": "The customer cancelled the contract."},
        "party_new": {
            "reference": "P-NEW",
            "name": "Nordlicht Akku GmbH",
            "country": "DE",
            "military_end_user": "no",
        },
        "party_edit": {
            "name": "Acme Batteries GmbH & Co. KG",
            "country": "DE",
            "military_end_user": "no",
        },
        "party_match_decide": {"rationale": "Checked the address: another company."},
        "list_version_confirm": {"source": "MOFCOM's list page, read on 2026-11-26"},
    }.get(route, {})
    return {**base, **data}


def footprint() -> tuple:
    return (
        AuditEvent.objects.count(),
        *(
            tuple(model.objects.order_by("pk").values_list(*fields))
            for model, fields in footprint_models()
        ),
    )


def sent_to_login(response) -> bool:
    return response.status_code == 302 and urlparse(response["Location"]).path == reverse("login")


def errors_shown(response) -> bool:
    """A refusal: a message on the redirect, or the form shown again with the refusal in it."""
    if response.status_code == 302:
        return any(m.level == messages.ERROR for m in get_messages(response.wsgi_request))
    if response.streaming:  # a download: read to the end, which closes the file
        b"".join(response.streaming_content)
        return False
    return response.status_code == 200 and b'class="form-errors"' in response.content


@pytest.fixture(scope="class")
def target(request, class_transaction, class_personas, class_sign_in, media_root):
    """(world, URL arguments, POST data) of the target named by the parameter, made once for
    the tests that share it and rolled back after them (the personas' sessions are made
    before it, outside its transaction)."""
    with class_transaction.transaction():
        with class_transaction.making(MEDIA_ROOT=media_root):
            fixtures = ClassFixtures(class_personas)
            world = World(fixtures)
            args, base = target_args(world, request.param)
            fixtures.freeze()
        yield world, args, base


class TestEveryTradeUrl:
    """Every export-side route for every persona (400 tests): each route's target is made once
    for the class, the tests grouped by it (a class-scoped parameter), and each test's changes
    to it are rolled back after it."""

    @pytest.mark.parametrize("persona", EVERY_PERSONA)
    @pytest.mark.parametrize(
        ("route", "method", "target", "outcome"),
        TRADE_ROUTES,
        ids=[f"{r[0]}-{r[1]}-{r[2] or 'none'}" for r in TRADE_ROUTES],
        indirect=["target"],
        scope="class",
    )
    def test_follows_the_matrix(
        self, db, client, class_sign_in, route, method, target, outcome, persona
    ):
        world, args, base = target
        if persona != ANONYMOUS:
            class_sign_in(client, persona)
        before = footprint()
        if method == "get":
            response = client.get(reverse(route, args=args))
        else:
            data = post_data(route, base)
            if route == "trade_upload_new":
                data = {"file": SimpleUploadedFile("orders.csv", shipment_csv("SO-UP-9"))}
            elif route == "application_document":
                data = {"kind": "other", "file": SimpleUploadedFile("annex.pdf", TINY_PDF)}
            elif route == "list_upload":
                data = {"file": SimpleUploadedFile("control.csv", LIST_CSV), "note": "Checked."}
            elif route == "application_new":
                data = application_form(world)
            elif route == "licence_record":
                data = licence_form(world)
            response = client.post(reverse(route, args=args), data)
        expect = outcome[persona]
        if expect == "login":
            assert sent_to_login(response), (response.status_code, response.get("Location"))
            assert footprint() == before
        elif expect == "refused":
            assert errors_shown(response), response.status_code
            assert footprint() == before
        elif expect in (403, 404):
            assert response.status_code == expect
            assert footprint() == before
        else:
            assert response.status_code == expect, response.content[:2000]
            assert not errors_shown(response)
            if method == "get":
                assert footprint() == before, "a GET changed the database"
