"""Shipment pages: the list's filters, the check in words with what clears each reason,
entering an order (lines, errors beside fields), overrides (rationale, four-eyes, prohibitions),
export confirmations (once), cancellations, uploads (dry run, row errors, import once)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from rules.access import ANALYST
from tests.trade.views import SHIP_DAY, shipment_csv
from trade import entry, licences
from trade.models import (
    LedgerEntry,
    ListVersion,
    Override,
    Shipment,
    ShipmentState,
    TradeUpload,
)
from trade.views.common import in_words

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def page(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(name, args=args), query)


def text(response) -> str:
    return response.content.decode()


# --- the list ---------------------------------------------------------------------------------


def test_the_list_filters_by_state_reason_destination_and_date(client, analyst, trade_world):
    held = trade_world.held()
    released = trade_world.released()
    shown = text(page(client, analyst, "shipment_list", state="held"))
    assert held.reference in shown
    assert released.reference not in shown
    shown = text(page(client, analyst, "shipment_list", reason="no_licence"))
    assert held.reference in shown
    assert released.reference not in shown
    assert "No licence" in shown  # the reason's short name in the row
    shown = text(page(client, analyst, "shipment_list", destination="fr"))
    assert held.reference not in shown
    shown = text(page(client, analyst, "shipment_list", ship_from=SHIP_DAY.isoformat()))
    assert held.reference in shown
    assert released.reference in shown
    shown = text(page(client, analyst, "shipment_list", ship_until="2026-12-01"))
    assert held.reference not in shown


def test_filtering_with_htmx_answers_with_the_rows_only(client, analyst, trade_world):
    held = trade_world.held()
    client.force_login(analyst)
    response = client.get(reverse("shipment_list"), {"state": "held"}, HTTP_HX_REQUEST="true")
    assert held.reference in text(response)
    assert "<html" not in text(response)
    assert response["Vary"].count("HX-Request") == 1


# --- the check --------------------------------------------------------------------------------


def test_a_held_shipment_says_why_in_words_and_links_to_what_clears_it(
    client, reviewer, trade_world
):
    shipment = trade_world.held()
    shown = text(page(client, reviewer, "shipment_detail", shipment.pk))
    product = trade_world.case.product
    assert f"{product}: a licence is required (3A001) and no licence covers it." in shown
    assert f'href="{reverse("application_list")}"' in shown
    assert "Apply for a licence" in shown
    assert "Hold: the shipment waits" in shown
    assert "control_list" not in shown  # lists named in words, with their versions
    assert "Export control list (出口管制管控名单) version" in shown


def test_a_product_without_a_determination_links_to_the_product(client, analyst, trade_world):

    screening = trade_world.fixture("screened")(sku="NEW-1")
    shipment = entry.enter_shipment(
        user=analyst,
        reference="SO-NEW",
        destination_country="DE",
        consignee=trade_world.party,
        end_user=trade_world.party,
        planned_ship_date=SHIP_DAY,
        lines=[entry.LineInput(product=screening.product, quantity="1", unit="kg")],
    )
    shown = text(page(client, analyst, "shipment_detail", shipment.pk))
    assert "NEW-1: no approved determination yet." in shown
    assert reverse("product_detail", args=[screening.product_id]) in shown


def test_a_released_shipment_shows_the_licence_it_draws_on(client, analyst, trade_world):
    shipment = trade_world.released()
    shown = text(page(client, analyst, "shipment_detail", shipment.pk))
    assert "Release: the shipment may leave" in shown
    assert trade_world.licence.get_absolute_url() in shown
    assert "Reserved for a released shipment" in shown


def test_no_such_shipment_is_404(client, analyst):
    assert page(client, analyst, "shipment_detail", 999_999).status_code == 404


# --- entering ---------------------------------------------------------------------------------


def order(**changes):
    data = {
        "reference": "SO-FORM-1",
        "destination_country": "de",
        "consignee": "P-1",
        "end_user": "P-1",
        "planned_ship_date": SHIP_DAY.isoformat(),
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "200",
        "lines-0-sku": "CASE-1",
        "lines-0-revision": "",
        "lines-0-quantity": "0.02",
        "lines-0-unit": "t",
        "lines-1-sku": "",
    }
    return {**data, **changes}


def test_entering_a_shipment_checks_it_at_once(client, analyst, trade_world):
    trade_world.approved()
    client.force_login(analyst)
    response = client.post(reverse("shipment_new"), order())
    shipment = Shipment.objects.get(reference="SO-FORM-1")
    assert response["Location"] == shipment.get_absolute_url()
    assert shipment.state == ShipmentState.HELD
    assert shipment.destination_country == "DE"
    (line,) = shipment.lines.all()  # the blank second line is left out
    assert (line.quantity, line.unit) == (Decimal("0.02"), "t")


def test_entry_errors_show_beside_their_fields(client, analyst, trade_world):
    trade_world.held()  # SO-00001 exists
    client.force_login(analyst)
    response = client.post(
        reverse("shipment_new"),
        order(consignee="NOBODY", **{"lines-0-sku": "NO-SUCH", "destination_country": "XX"}),
    )
    shown = text(response)
    assert response.status_code == 200
    assert "No party has this reference." in shown
    assert "No product has this SKU (and revision)." in shown
    assert "Not an ISO 3166-1 alpha-2 country code." in shown
    response = client.post(reverse("shipment_new"), order(reference="SO-00001"))
    assert "Order SO-00001 is already recorded." in text(response)
    assert 'id="id_reference_error"' in text(response)
    assert Shipment.objects.count() == 1


def test_a_quantity_that_is_no_quantity_is_said_for_its_line(client, analyst, trade_world):
    trade_world.approved()
    client.force_login(analyst)
    response = client.post(reverse("shipment_new"), order(**{"lines-0-quantity": "lots"}))
    assert response.status_code == 200
    assert "Line 1:" in text(response)
    assert not Shipment.objects.exists()


def test_add_a_line_keeps_what_was_typed(client, analyst, trade_world):
    trade_world.approved()
    client.force_login(analyst)
    response = client.post(
        reverse("shipment_new"), order(add_line="1", **{"lines-TOTAL_FORMS": "1"})
    )
    shown = text(response)
    assert 'name="lines-TOTAL_FORMS" value="2"' in shown
    assert 'value="SO-FORM-1"' in shown
    assert 'value="CASE-1"' in shown
    assert "This field is required" not in shown
    assert not Shipment.objects.exists()


# --- overrides --------------------------------------------------------------------------------


def test_an_override_needs_a_rationale_shown_beside_its_field(client, reviewer, trade_world):
    shipment = trade_world.held()
    client.force_login(reviewer)
    response = client.post(
        reverse("shipment_override", args=[shipment.pk]),
        {"version": shipment.version, "rationale": "  "},
    )
    assert response.status_code == 200
    assert 'id="id_rationale_error"' in text(response)
    assert Shipment.objects.get(pk=shipment.pk).state == ShipmentState.HELD


def test_whoever_entered_a_shipment_does_not_override_its_hold(
    client, reviewer, trade_world, django_user_model
):
    reviewer.groups.add(Group.objects.get(name=ANALYST))  # one person, both roles
    shipment = trade_world.held(user=reviewer)
    shown = text(page(client, reviewer, "shipment_detail", shipment.pk))
    assert "You entered this shipment: another reviewer decides" in shown
    response = client.post(
        reverse("shipment_override", args=[shipment.pk]),
        {"version": shipment.version, "rationale": "Urgent."},
    )
    assert "Four-eyes rule: you entered this shipment, so another reviewer decides." in text(
        response
    )
    assert not Override.objects.exists()


def test_a_reviewer_releases_a_hold_on_a_documented_decision(client, reviewer, trade_world):
    shipment = trade_world.held()
    client.force_login(reviewer)
    response = client.post(
        reverse("shipment_override", args=[shipment.pk]),
        {"version": shipment.version, "rationale": "Licence L-9 on paper, being recorded."},
    )
    assert response.status_code == 302
    assert Shipment.objects.get(pk=shipment.pk).state == ShipmentState.RELEASED
    shown = text(client.get(shipment.get_absolute_url()))
    assert "Released on a reviewer" in shown
    assert "Licence L-9 on paper, being recorded." in shown


def test_a_prohibition_cannot_be_overridden(client, reviewer, trade_world):
    military = trade_world.fixture("party")(
        reference="P-MIL", name="Fort Example Army Depot", country="US", military_end_user="yes"
    )
    shipment = trade_world.held(end_user=military)
    shown = text(page(client, reviewer, "shipment_detail", shipment.pk))
    assert "dual-use exports are prohibited (MOFCOM 2024 No. 46 para. 1)" in shown
    assert "Hold: the shipment may not leave (a prohibition)" in shown
    response = client.post(
        reverse("shipment_override", args=[shipment.pk]),
        {"version": shipment.version, "rationale": "Urgent."},
    )
    assert "A prohibition cannot be overridden" in text(response)
    assert Shipment.objects.get(pk=shipment.pk).state == ShipmentState.HELD


# --- exports and cancellations ----------------------------------------------------------------


def test_confirming_an_export_draws_once(client, analyst, trade_world):
    shipment = trade_world.released(quantity="40")
    client.force_login(analyst)
    url = reverse("shipment_export", args=[shipment.pk])
    data = {"exported_on": SHIP_DAY.isoformat(), "declaration_number": "531620261234567890"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same confirmation again
    assert LedgerEntry.objects.filter(kind="draw").count() == 1
    (balance,) = licences.balances([trade_world.licence])[trade_world.licence.pk]
    assert (balance.drawn, balance.remaining) == (Decimal("40"), Decimal("60"))
    shown = text(client.get(shipment.get_absolute_url(), follow=True))
    assert "Exported on 2026-12-15" in shown


def test_a_held_shipment_cannot_be_confirmed_as_exported(client, analyst, trade_world):
    shipment = trade_world.held()
    client.force_login(analyst)
    response = client.post(
        reverse("shipment_export", args=[shipment.pk]), {"exported_on": SHIP_DAY.isoformat()}
    )
    assert "Only a released shipment can be confirmed as exported." in text(response)
    assert not LedgerEntry.objects.exists()


def test_cancelling_needs_a_reason_and_gives_the_reservation_back(client, analyst, trade_world):
    shipment = trade_world.released(quantity="40")
    client.force_login(analyst)
    url = reverse("shipment_cancel", args=[shipment.pk])
    response = client.post(url, {"version": shipment.version, "reason": ""})
    assert 'id="id_reason_error"' in text(response)
    client.post(url, {"version": shipment.version, "reason": "Order cancelled by the customer."})
    assert Shipment.objects.get(pk=shipment.pk).state == ShipmentState.CANCELLED
    (balance,) = licences.balances([trade_world.licence])[trade_world.licence.pk]
    assert balance.remaining == Decimal("100")


def test_a_stale_page_cannot_cancel(client, analyst, trade_world):
    shipment = trade_world.held()
    client.force_login(analyst)
    response = client.post(
        reverse("shipment_cancel", args=[shipment.pk]),
        {"version": shipment.version - 1 or 99, "reason": "Old page."},
        follow=True,
    )
    assert "This shipment changed since you opened it." in text(response)
    assert Shipment.objects.get(pk=shipment.pk).state == ShipmentState.HELD


def test_checking_again_after_a_licence_arrives_releases(client, analyst, trade_world):
    shipment = trade_world.held()
    trade_world.licence  # noqa: B018 -- recorded after the shipment was held
    client.force_login(analyst)
    response = client.post(reverse("shipment_recheck", args=[shipment.pk]), follow=True)
    assert "Checked again: released." in text(response)
    assert Shipment.objects.get(pk=shipment.pk).state == ShipmentState.RELEASED


# --- uploads ----------------------------------------------------------------------------------


def upload(client, user, data: bytes, name="orders.csv"):
    client.force_login(user)
    return client.post(
        reverse("trade_upload_new", args=["shipments"]), {"file": SimpleUploadedFile(name, data)}
    )


def test_an_upload_is_a_dry_run_with_errors_by_row_and_column(client, analyst, trade_world):
    trade_world.approved()
    data = shipment_csv("SO-UP-1") + b"SO-UP-2,DE,P-1,NOBODY,2026-12-15,CASE-1,ten,kg\n"
    response = upload(client, analyst, data)
    stored = TradeUpload.objects.get()
    assert response["Location"] == stored.get_absolute_url()
    shown = text(client.get(stored.get_absolute_url()))
    assert "end_user_ref" in shown
    assert "is no party we know" in shown
    assert "row 3" in shown
    assert not Shipment.objects.exists()  # nothing imported by the dry run
    # All or nothing refuses while a record has errors.
    response = client.post(
        reverse("trade_upload_commit", args=[stored.pk]), {"policy": "all_or_nothing"}, follow=True
    )
    assert "1 record(s) have errors; nothing was imported." in text(response)
    assert not Shipment.objects.exists()
    report = client.post(reverse("trade_upload_errors", args=[stored.pk]))
    rows = report.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "row,reference,column,value,error"
    assert any(r.startswith("3,SO-UP-2,end_user_ref,NOBODY,") for r in rows)
    # The valid rows only, by an explicit choice.
    client.post(reverse("trade_upload_commit", args=[stored.pk]), {"policy": "valid_rows"})
    assert list(Shipment.objects.values_list("reference", flat=True)) == ["SO-UP-1"]


def test_uploading_the_same_file_again_changes_nothing(client, analyst, trade_world):
    trade_world.approved()
    upload(client, analyst, shipment_csv("SO-UP-1"))
    first = TradeUpload.objects.get()
    client.post(reverse("trade_upload_commit", args=[first.pk]), {"policy": "all_or_nothing"})
    upload(client, analyst, shipment_csv("SO-UP-1"))
    again = TradeUpload.objects.latest("pk")
    shown = text(client.get(again.get_absolute_url()))
    assert "Nothing to import" in shown
    assert Shipment.objects.count() == 1


def test_an_unreadable_file_is_refused_beside_the_file_field(client, analyst, trade_world):
    response = upload(client, analyst, b"order_number,sku\nSO-1,CASE-1\n")
    assert response.status_code == 200
    assert "The file lacks the column(s)" in text(response)
    assert 'id="id_file_error"' in text(response)
    assert not TradeUpload.objects.exists()


def test_only_whoever_uploaded_imports(client, analyst2, trade_world):
    stored = trade_world.shipment_upload()
    client.force_login(analyst2)
    shown = text(client.get(stored.get_absolute_url()))
    assert "The person who uploaded the file imports it." in shown
    response = client.post(
        reverse("trade_upload_commit", args=[stored.pk]), {"policy": "all_or_nothing"}, follow=True
    )
    assert "Only whoever uploaded a file imports it." in text(response)


def test_the_template_names_every_column(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("trade_upload_template", args=["shipments"]))
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("order_number,destination_country,consignee_ref,end_user_ref")
    assert client.get(reverse("trade_upload_template", args=["other"])).status_code == 404


# --- in Chinese -------------------------------------------------------------------------------


def test_a_held_shipment_reads_in_chinese(client, analyst, trade_world, settings):
    # The lists a reason names are stored as kinds and named in the reader's language; the
    # check's result says the gate held it (not a legal hold) and why the check ran.
    from tests.screening.test_chinese_pages import chinese, english_words

    settings.PARTY_LIST_MAX_AGE_DAYS = 30
    ListVersion.objects.filter(status=ListVersion.Status.PUBLISHED).update(
        confirmed_current_on=dt.date(2026, 1, 1)
    )
    shipment = trade_world.held()
    check = shipment.last_check
    assert {r["params"]["lists"] for r in check.reasons if r["code"] == "list_not_current"} == {
        "control_list, watch_list, unreliable_entity_list"
    }
    shown = text(chinese(client, analyst).get(shipment.get_absolute_url()))
    product = trade_world.approved().product
    typed = (shipment.consignee.name, product.current_spec.name, analyst.username)
    assert english_words(shown, typed) == []
    assert "出口管制管控名单、关注名单、不可靠实体清单：版本过旧" in shown
    assert '<span class="badge result-hold">暂停放行</span> · 录入 · ' in shown
    assert "保全" not in shown  # a legal hold's word
    assert " · 通过表单</p>" in shown  # where the order came from
    listed = text(client.get(reverse("shipment_list")))
    assert "名单未确认为最新、无许可证" in listed  # the reasons' short names, joined in Chinese
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = text(page(client, analyst, "shipment_detail", shipment.pk))
    assert '<span class="badge result-hold">hold</span> · entered · ' in english
    assert "Export control list (出口管制管控名单); Watch list (关注名单)" in english
    assert " · on the form</p>" in english


def test_a_reason_stored_with_a_lists_english_name_reads_in_chinese():
    # Checks stored before the kinds were kept name the list in English.
    stored = {
        "code": "list_not_current",
        "message": "Watch list (关注名单): too old to clear the consignee X; confirm ...",
        "params": {"lists": "Watch list (关注名单)", "party": "X", "role": "consignee"},
        "clear": "lists",
    }
    with translation.override("zh-hans"):
        words = in_words(stored)
    assert words["text"] == "关注名单：版本过旧，无法排除 X（收货人）；请确认名单为最新。"
    assert (words["clear_url"], words["clear_label"]) == ("/trade/lists/", "确认名单为最新")
