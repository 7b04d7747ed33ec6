"""The export side's pages read in Simplified Chinese: no English word outside what stays as
it is (codes, units, acronyms, and what people typed or the lists name), as the screening
pages are held (tests/screening/test_chinese_pages.py)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import client_for
from tests.screening.test_chinese_pages import english_words
from trade.models import Applicant, LicenceKind, ListEntryRow, Party
from trade.uploads import PARTY_OPTIONAL, PARTY_REQUIRED, SHIPMENT_OPTIONAL, SHIPMENT_REQUIRED

pytestmark = pytest.mark.django_db


def typed_here(*extra: str) -> tuple[str, ...]:
    """What people typed or the lists hold, which stays as written: party names, aliases and
    end uses, list entries' names, aliases and announcements, applicants' English names."""
    words: list[str] = list(extra)
    for party in Party.objects.all():
        words += [party.name, party.name_zh, party.end_use, party.address, *party.aliases]
    for entry in ListEntryRow.objects.all():
        words += [entry.name, entry.announcement, *entry.aliases]
    words += [a.name_en for a in Applicant.objects.all()]
    # Longest first: a name is taken out whole before a shorter one inside it.
    return tuple(sorted({w for w in words if w}, key=len, reverse=True))


def test_the_export_pages_read_in_chinese(client, analyst, reviewer, rules_admin, trade_world):
    held = trade_world.held()
    released = trade_world.released()
    licence = trade_world.licence
    application = trade_world.application()
    matched = trade_world.matched_party()
    version = trade_world.published_list()
    pages = [
        (analyst, reverse("trade_work")),
        (reviewer, reverse("trade_work")),
        (analyst, reverse("shipment_list")),
        (analyst, reverse("shipment_new")),
        (analyst, held.get_absolute_url()),
        (reviewer, held.get_absolute_url()),
        (analyst, released.get_absolute_url()),
        (analyst, reverse("licence_list")),
        (reviewer, licence.get_absolute_url()),
        (analyst, reverse("application_list")),
        (analyst, application.get_absolute_url()),
        (analyst, reverse("party_list")),
        (reviewer, matched.get_absolute_url()),
        (rules_admin, reverse("list_standing")),
        (rules_admin, reverse("list_version_detail", args=[version.pk])),
        (analyst, reverse("trade_upload_new", args=["shipments"])),
        (analyst, reverse("trade_upload_new", args=["parties"])),
        (reviewer, reverse("trade_dashboard")),
    ]
    typed = typed_here(
        trade_world.approved().product.current_spec.name,
        *(user.username for user in (analyst, reviewer, rules_admin)),
        *LicenceKind.objects.values_list("name_en", flat=True),
        application.end_use,
        "pcs",  # a unit
        # the upload files' column names, shown as codes
        *SHIPMENT_REQUIRED,
        *SHIPMENT_OPTIONAL,
        *PARTY_REQUIRED,
        *PARTY_OPTIONAL,
    )
    found = {}
    for user, url in pages:
        client_for(client, user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        response = client.get(url)
        assert response.status_code == 200, url
        words = english_words(response.content.decode(), typed)
        if words:
            found[f"{user.username} {url}"] = sorted(set(words))
    assert found == {}
