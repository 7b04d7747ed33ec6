"""Re-checks of the shipments not yet exported when what the gate reads changes: after a rule
set is published (its re-screen done) or a measure's status confirmed (rules.signals, sent by
the lower layers, received here), and after a list version is published (here). Each answers
with the shipments newly held, for the page that caused it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from trade import lists, shipments
from trade.models import ListVersion, Shipment


def notice(held: list[Shipment]) -> dict[str, Any]:
    """The newly held shipments as a notice (rules.signals' shape)."""
    return {
        "title": _("Shipments not yet exported were checked again: %(n)s newly held.")
        % {"n": len(held)},
        "items": [
            {"text": s.reference, "url": s.get_absolute_url()} for s in held[:100]
        ],
    }


def after_rules_change(
    sender: Any, *, kind: str, user: AbstractBaseUser | None, **kwargs: Any
) -> list[dict[str, Any]]:
    """rules.signals.rules_changed receiver (connected in TradeConfig.ready)."""
    held = shipments.recheck_open(user=user, trigger=f"rules_{kind}")
    return [notice(held)]


@transaction.atomic
def publish_list(
    *, version: ListVersion, user: AbstractBaseUser
) -> tuple[ListVersion, list[Shipment]]:
    """Publish a list version (maker-checker; every party re-screened) and re-check the
    shipments not yet exported against it: (the version, the shipments newly held)."""
    version = lists.publish_list_version(version=version, user=user)
    return version, shipments.recheck_open(user=user, trigger="list_published")
