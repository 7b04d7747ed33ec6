"""Re-checks of the shipments not yet exported when what the gate reads changes: after a rule
set is published (its re-screen done) or a measure's status confirmed (rules.signals, sent by
the lower layers, received here), and after a list version is published (here). Each answers
with the shipments newly held, for the page that caused it.

The pages' own changes that can clear or cause a hold re-check through here too, each one
domain call for its view: a licence amended or its status changed, a candidate match decided,
a list confirmed current (`recheck` says what was newly held and newly released)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils.translation import gettext as _

from trade import licences, lists, shipments
from trade.models import (
    OPEN_SHIPMENT_STATES,
    CheckTrigger,
    ListVersion,
    PartyMatch,
    Shipment,
    ShipmentState,
)


def notice(held: list[Shipment]) -> dict[str, Any]:
    """The newly held shipments as a notice (rules.signals' shape)."""
    return {
        "title": _("Shipments not yet exported were checked again: %(n)s newly held.")
        % {"n": len(held)},
        "items": [{"text": s.reference, "url": s.get_absolute_url()} for s in held[:100]],
    }


def after_rules_change(
    sender: Any, *, kind: str, user: User | None, **kwargs: Any
) -> list[dict[str, Any]]:
    """rules.signals.rules_changed receiver (connected in TradeConfig.ready)."""
    held = shipments.recheck_open(user=user, trigger=f"rules_{kind}")
    return [notice(held)] if held else []


@transaction.atomic
def publish_list(*, version: ListVersion, user: User) -> tuple[ListVersion, list[Shipment]]:
    """Publish a list version (maker-checker; every party re-screened) and re-check the
    shipments not yet exported against it: (the version, the shipments newly held)."""
    version = lists.publish_list_version(version=version, user=user)
    return version, shipments.recheck_open(user=user, trigger=CheckTrigger.LIST_PUBLISHED)


@dataclass
class Rechecked:
    """What a re-check changed: shipments newly held, and shipments newly released."""

    held: list[Shipment] = field(default_factory=list)
    released: list[Shipment] = field(default_factory=list)


def recheck(*, user: User | None, trigger: str) -> Rechecked:
    """Check again every shipment not yet exported, except those released on a reviewer's
    override since their last check (their release rests on a documented decision, which a
    re-check would undo). After what can clear or cause a hold on the pages: a licence amended
    or its status changed, a candidate match decided, a list confirmed current."""
    candidates = (
        Shipment.objects.filter(state__in=OPEN_SHIPMENT_STATES)
        .annotate(overridden_at=Max("overrides__at"))
        .filter(
            ~Q(state=ShipmentState.RELEASED)
            | Q(overridden_at__isnull=True)
            | Q(overridden_at__lt=F("last_check__at"))
        )
    )
    before = dict(candidates.values_list("pk", "state"))
    shipments.check_shipments(
        list(Shipment.objects.filter(pk__in=before)), user=user, trigger=trigger
    )
    after = dict(Shipment.objects.filter(pk__in=before).values_list("pk", "state"))
    changed = {
        state: [pk for pk, now in after.items() if now == state and before[pk] != state]
        for state in (ShipmentState.HELD, ShipmentState.RELEASED)
    }
    return Rechecked(
        held=list(Shipment.objects.filter(pk__in=changed[ShipmentState.HELD])),
        released=list(Shipment.objects.filter(pk__in=changed[ShipmentState.RELEASED])),
    )


@transaction.atomic
def amend_licence(*, user: User, **amendment: Any) -> tuple[Any, Rechecked]:
    """Amend a licence (trade.licences.amend_licence) and check the shipments again: a held
    shipment the new version covers is released."""
    version = licences.amend_licence(user=user, **amendment)
    return version, recheck(user=user, trigger=CheckTrigger.LICENCE_AMENDED)


@transaction.atomic
def set_licence_status(*, user: User, **change: Any) -> tuple[Any, Rechecked]:
    """Revoke, suspend or reactivate a licence, and check the shipments again."""
    licence = licences.set_status(user=user, **change)
    return licence, recheck(user=user, trigger=CheckTrigger.LICENCE_STATUS)


@transaction.atomic
def decide_match(
    decision: Callable[..., PartyMatch], *, user: User, **arguments: Any
) -> tuple[PartyMatch, Rechecked]:
    """A decision on a candidate match (trade.parties: confirm, propose or accept a dismissal),
    then the shipments checked again: a confirmed match holds, an accepted dismissal clears."""
    match = decision(user=user, **arguments)
    return match, recheck(user=user, trigger=CheckTrigger.PARTY_MATCH)


@transaction.atomic
def confirm_list_current(
    *, version: ListVersion, user: User, source: str
) -> tuple[ListVersion, Rechecked]:
    """Confirm a published list is current (trade.lists.confirm_current), then check the
    shipments that waited for it again."""
    version = lists.confirm_current(version=version, user=user, source=source)
    return version, recheck(user=user, trigger=CheckTrigger.LIST_CONFIRMED)
