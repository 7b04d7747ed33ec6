"""Party and list pages: candidate matches with their score and reason in words, decisions that
need a second reviewer to dismiss, "no match in <list> version <v> of <date>" (never
"cleared"), entering parties, party uploads, list files with errors by row and column, the
diff, maker-checker publishing, confirming a list current, and "my work" per role."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests.trade.views import LIST_CSV
from trade.models import ListVersion, Party, PartyMatch, ShipmentState, TradeUpload
from trade.reasons import CLEARED_ON

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def text(response) -> str:
    return response.content.decode()


# --- parties and their candidate matches ------------------------------------------------------


def test_a_party_without_candidates_reads_no_match_never_cleared(client, analyst, trade_world):
    party = trade_world.party
    client.force_login(analyst)
    shown = text(client.get(party.get_absolute_url()))
    version = ListVersion.objects.get(kind="control_list", status="published")
    assert (
        f"No match in Export control list (出口管制管控名单) version {version.number} of "
        f"{timezone.localtime(version.published_at):%Y-%m-%d}"
    ) in shown
    assert "cleared" not in shown.lower()
    assert "no match is not clearance" in shown


def test_a_candidate_shows_its_score_and_the_reason_in_words(client, reviewer, trade_world):
    match = trade_world.open_match()
    client.force_login(reviewer)
    shown = text(client.get(match.party.get_absolute_url()))
    assert "CL-2025-1-01" in shown
    assert "General Dynamics" in shown
    assert "1.00" in shown
    assert (
        "The party&#x27;s name “General Dynamics Corporation” meets the entry&#x27;s name "
        "“General Dynamics”: name score 1.00; same country (United States); score 1.00."
    ) in shown
    assert f'<span lang="en">{escape(match.evidence["detail"])}</span>' in shown
    assert "Open: to be decided" in shown
    assert "Propose: not the same party" in shown
    assert "Confirm: the same party" in shown
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    shown = text(client.get(match.party.get_absolute_url()))
    assert (
        "交易方的名称“General Dynamics Corporation”与条目的名称“General Dynamics”相符："
        "名称得分 1.00；国家相同（美国）；总分 1.00。"
    ) in shown


def test_a_candidate_keeps_the_parts_of_its_reason(trade_world):
    match = trade_world.open_match()
    evidence = dict(match.evidence)
    assert evidence.pop("detail").startswith("same words")
    assert evidence == {
        "party_name_kind": "name",
        "party_name": "General Dynamics Corporation",
        "entry_name_kind": "name",
        "entry_name": "General Dynamics",
        "name_score": 1.0,
        "party_country": "US",
        "entry_country": "US",
    }
    assert match.reason.startswith("name 'General Dynamics Corporation' matched name")


def test_a_match_found_before_its_parts_were_kept_shows_its_english_reason(
    client, reviewer, trade_world
):
    match = trade_world.open_match()
    PartyMatch.objects.filter(pk=match.pk).update(evidence={})
    client.force_login(reviewer)
    shown = text(client.get(match.party.get_absolute_url()))
    assert f'<span lang="en">{escape(match.reason)}</span>' in shown


def test_analysts_see_candidates_but_do_not_decide_them(client, analyst, trade_world):
    match = trade_world.open_match()
    client.force_login(analyst)
    shown = text(client.get(match.party.get_absolute_url()))
    assert "CL-2025-1-01" in shown
    assert "Propose: not the same party" not in shown


def test_a_dismissal_needs_a_rationale_and_a_second_reviewer(
    client, reviewer, reviewer2, trade_world
):
    match = trade_world.open_match()
    client.force_login(reviewer)
    url = reverse("party_match_decide", args=[match.pk, "dismiss"])
    response = client.post(url, {"version": match.version, "rationale": ""})
    assert "Say why it is not the same party." in text(response)
    assert 'id="id_rationale_error"' in text(response)
    client.post(url, {"version": match.version, "rationale": "Another company: see its register."})
    match.refresh_from_db()
    assert match.state == PartyMatch.State.DISMISS_PROPOSED
    shown = text(client.get(match.party.get_absolute_url()))
    assert "You proposed this dismissal: another reviewer accepts it" in shown
    accept = reverse("party_match_decide", args=[match.pk, "accept"])
    response = client.post(accept, {"version": match.version})
    assert "Four-eyes rule: you proposed this dismissal" in text(response)
    client.force_login(reviewer2)
    client.post(accept, {"version": match.version})
    match.refresh_from_db()
    assert (match.state, match.decided_by) == (PartyMatch.State.DISMISSED, reviewer2)


def test_an_accepted_dismissal_releases_the_shipment_it_held(
    client, reviewer, reviewer2, trade_world
):
    not_controlled = trade_world.fixture("case_in")("approved", energy="200")
    party = trade_world.fixture("party")(
        reference="P-GD", name="General Dynamics Corporation", country="US", military_end_user="no"
    )
    shipment = trade_world.enter(consignee=party, end_user=party, product=not_controlled.product)
    assert shipment.state == ShipmentState.HELD
    client.force_login(reviewer)
    shown = text(client.get(shipment.get_absolute_url()))
    assert (
        "General Dynamics Corporation (consignee and end user) may be Export control list "
        "(出口管制管控名单) CL-2025-1-01: decide the candidate matches."
    ) in shown
    assert party.get_absolute_url() in shown
    match = party.matches.get()
    client.post(
        reverse("party_match_decide", args=[match.pk, "dismiss"]),
        {"version": match.version, "rationale": "A namesake: different address and register."},
    )
    client.force_login(reviewer2)
    response = client.post(
        reverse("party_match_decide", args=[match.pk, "accept"]),
        {"version": match.version + 1},
        follow=True,
    )
    assert f"Released by the new check: {shipment.reference}." in text(response)
    shipment.refresh_from_db()
    assert shipment.state == ShipmentState.RELEASED


def test_a_confirmed_match_holds_every_shipment_to_the_party(client, reviewer, trade_world):
    match = trade_world.open_match()
    client.force_login(reviewer)
    client.post(
        reverse("party_match_decide", args=[match.pk, "confirm"]),
        {"version": match.version, "rationale": "Same address."},
    )
    match.refresh_from_db()
    assert match.state == PartyMatch.State.CONFIRMED
    assert client.post(reverse("party_match_decide", args=[match.pk, "other"])).status_code == 404


def test_entering_and_changing_a_party(client, analyst, trade_world):
    client.force_login(analyst)
    response = client.post(
        reverse("party_new"),
        {
            "reference": "P-NEW",
            "name": "",
            "name_zh": "",
            "country": "DE",
            "military_end_user": "no",
        },
    )
    assert "A party needs a name (Latin or Chinese)." in text(response)
    response = client.post(
        reverse("party_new"),
        {
            "reference": "P-NEW",
            "name": "Nordlicht Akku GmbH",
            "country": "de",
            "aliases": "Nordlicht\nNL Akku",
            "roles": ["consignee"],
            "military_end_user": "no",
        },
    )
    party = Party.objects.get(reference="P-NEW")
    assert response["Location"] == party.get_absolute_url()
    assert party.aliases == ["Nordlicht", "NL Akku"]
    response = client.post(
        reverse("party_new"),
        {"reference": "P-NEW", "name": "Someone else", "country": "DE", "military_end_user": "no"},
    )
    assert "A party has this reference already" in text(response)
    client.post(
        reverse("party_edit", args=[party.pk]),
        {
            "reference": "P-CHANGED",
            "name": "Nordlicht Akku GmbH",
            "country": "AT",
            "military_end_user": "no",
        },
    )
    party.refresh_from_db()
    assert (party.reference, party.country, party.version) == ("P-NEW", "AT", 2)


def test_the_party_list_filters_by_candidates(client, analyst, trade_world):
    match = trade_world.open_match()
    plain = trade_world.party
    client.force_login(analyst)
    shown = text(client.get(reverse("party_list"), {"candidates": "open"}))
    assert match.party.reference in shown
    assert plain.reference not in shown
    assert "1 candidate to decide" in shown


def test_a_party_upload_dry_runs_and_imports(client, analyst):
    data = (
        b"party_ref,name,country,roles,military_end_user\n"
        b"P-U1,Ostwind Zellen GmbH,DE,consignee,no\n"
        b"P-U2,,DE,buyer,maybe\n"
    )
    client.force_login(analyst)
    client.post(
        reverse("trade_upload_new", args=["parties"]),
        {"file": SimpleUploadedFile("parties.csv", data)},
    )
    stored = TradeUpload.objects.get(kind="parties")
    shown = text(client.get(stored.get_absolute_url()))
    assert "&#x27;buyer&#x27; is not a role" in shown
    assert "expected yes, no or unknown" in shown
    client.post(reverse("trade_upload_commit", args=[stored.pk]), {"policy": "valid_rows"})
    assert list(
        Party.objects.filter(reference__startswith="P-U").values_list("reference", flat=True)
    ) == ["P-U1"]


# --- lists ------------------------------------------------------------------------------------


def test_the_standing_says_how_current_each_list_is(client, reviewer, trade_world):
    client.force_login(reviewer)
    shown = text(client.get(reverse("list_standing")))
    for label in ("Export control list", "Watch list", "Unreliable Entity List"):
        assert label in shown
    assert "Confirmed current" in shown
    assert "Confirm it is current" not in shown  # administrators confirm


def test_a_list_file_with_errors_says_where_and_loads_nothing(client, rules_admin):
    bad = (
        b"list,entry_ref,name,aliases,country,listed_on,delisted_on,announcement,source\n"
        b"control_list,T-01,Northwind,,US,02/01/2025,,MOFCOM 2025 No. 1,\n"
    )
    client.force_login(rules_admin)
    before = ListVersion.objects.count()
    response = client.post(
        reverse("list_upload"), {"file": SimpleUploadedFile("bad.csv", bad), "note": ""}
    )
    shown = text(response)
    assert "nothing was loaded" in shown
    assert "listed_on" in shown
    assert "02/01/2025" in shown
    assert re.search(r'<td [^>]*class="num"[^>]*>2</td>', shown)  # the row
    assert ListVersion.objects.count() == before


def test_a_loaded_list_shows_its_diff_and_another_administrator_publishes_it(
    client, rules_admin, rules_admin2, reviewer
):
    client.force_login(rules_admin)
    response = client.post(
        reverse("list_upload"), {"file": SimpleUploadedFile("control.csv", LIST_CSV)}
    )
    version = ListVersion.objects.get(status="draft")
    assert response["Location"] == version.get_absolute_url()
    shown = text(client.get(version.get_absolute_url()))
    assert "Northwind Aerospace Systems Inc." in shown
    assert "added" in shown
    assert "Lockheed Martin Corporation" in shown
    assert "removed" in shown
    assert "You loaded this version: another rules administrator" in shown
    response = client.post(reverse("list_version_publish", args=[version.pk]), follow=True)
    assert "Maker-checker" in text(response)
    client.force_login(reviewer)
    assert client.get(version.get_absolute_url()).status_code == 404  # a draft
    client.force_login(rules_admin2)
    client.post(reverse("list_version_publish", args=[version.pk]))
    version.refresh_from_db()
    assert version.status == ListVersion.Status.PUBLISHED
    client.force_login(reviewer)
    assert client.get(version.get_absolute_url()).status_code == 200


def test_confirming_a_list_current_needs_where_it_was_checked(client, rules_admin, settings):
    version = ListVersion.objects.get(kind="watch_list", status="published")
    ListVersion.objects.filter(pk=version.pk).update(confirmed_current_on="2026-01-01")
    client.force_login(rules_admin)
    shown = text(client.get(reverse("list_standing")))
    assert "not confirmed current" in shown
    url = reverse("list_version_confirm", args=[version.pk])
    response = client.post(url, {"source": ""})
    assert response.status_code == 200
    assert 'class="errorlist"' in text(response)
    client.post(url, {"source": "MOFCOM list page, read today"})
    version.refresh_from_db()
    assert version.confirmed_current_on == timezone.localdate()


# --- the links of the reasons, and my work ----------------------------------------------------


def test_every_reason_links_to_a_page_that_exists():
    for name, _label in CLEARED_ON.values():
        args = [] if name in ("application_list", "list_standing") else [1]
        assert reverse(name, args=args)


def test_my_work_shows_each_role_what_waits_for_it(
    client, analyst, analyst2, reviewer, rules_admin2, trade_world
):
    held = trade_world.held()
    draft = trade_world.application()
    match = trade_world.open_match()
    trade_world.draft_list()
    client.force_login(analyst)
    shown = text(client.get(reverse("trade_work")))
    assert "Your draft applications" in shown
    assert draft.reference in shown
    assert "Your shipments on hold" in shown
    assert held.reference in shown
    client.force_login(analyst2)
    shown = text(client.get(reverse("trade_work")))
    assert "Applications to file (prepared by someone else)" in shown
    assert draft.reference in shown
    client.force_login(reviewer)
    shown = text(client.get(reverse("trade_work")))
    assert "Held shipments to decide" in shown
    assert held.reference in shown
    assert "Candidate matches to decide" in shown
    assert match.entry_ref in shown
    client.force_login(rules_admin2)
    shown = text(client.get(reverse("trade_work")))
    assert "List versions to check and publish" in shown
    assert "v2" not in shown[:0]
    assert held.reference not in shown
