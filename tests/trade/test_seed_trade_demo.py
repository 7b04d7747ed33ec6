"""`manage.py seed_trade_demo`: after seed_demo, demo data that shows every state (orders,
applications, licences, candidate matches) and every hold reason the release gate gives; run
again, it changes nothing. The states and reasons are read from the models' choices."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from trade import licences
from trade.models import (
    ApplicationState,
    LedgerEntry,
    Licence,
    LicenceApplication,
    PartyMatch,
    Shipment,
    ShipmentState,
)
from trade.reasons import HoldReason

pytestmark = pytest.mark.urls("tests.trade.urls")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def footprint():
    return (
        Shipment.objects.count(),
        Licence.objects.count(),
        LicenceApplication.objects.count(),
        LedgerEntry.objects.count(),
        PartyMatch.objects.count(),
    )


def test_the_trade_demo_shows_every_state_and_reason_and_runs_twice(rule_set, capsys):
    with pytest.raises(CommandError, match="seed_demo` first"):
        call_command("seed_trade_demo")
    call_command("seed_demo")
    call_command("seed_trade_demo")
    assert "every shipment state and hold reason" in capsys.readouterr().out
    first = footprint()
    call_command("seed_trade_demo")
    assert "already present; nothing changed" in capsys.readouterr().out
    assert footprint() == first

    assert set(Shipment.objects.values_list("state", flat=True)) == set(ShipmentState.values)
    given = set()
    for shipment in Shipment.objects.select_related("last_check").exclude(last_check=None):
        check = shipment.last_check
        given |= {r["code"] for r in check.reasons}
        given |= {r["code"] for line in check.lines for r in line["reasons"]}
    assert given == set(HoldReason.values)
    held = Shipment.objects.filter(state=ShipmentState.HELD)
    assert all(s.last_check.result == "hold" for s in held)

    assert set(LicenceApplication.objects.values_list("state", flat=True)) == set(
        ApplicationState.values
    )
    assert set(PartyMatch.objects.values_list("state", flat=True)) == set(PartyMatch.State.values)
    assert set(Licence.objects.values_list("status", flat=True)) == set(Licence.Status.values)
    today = timezone.localdate()
    found = list(Licence.objects.select_related("current"))
    lines = licences.balances(found)
    effective = {licences.effective_status(lic, today, lines[lic.pk]) for lic in found}
    assert effective >= {"valid", "expired", "exhausted", "revoked", "suspended"}
    alerts = licences.alerts(today=today)
    assert alerts.expiring
    assert alerts.low_balance
    assert alerts.overdue
    # Exported once: its draw is in the ledger once.
    assert LedgerEntry.objects.filter(kind="draw").count() == 1
