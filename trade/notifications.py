"""E-mails of the export side, sent after the transaction that caused them commits (the
pattern of screening.notifications): an application waiting to be filed, a shipment held, a
dismissal waiting for its second reviewer, a list version waiting for its checker. The alerts
digest is trade.alerts'. Each e-mail is in its recipients' language (rules.people), whoever's
action sent it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from rules.access import ANALYST, REVIEWER, RULES_ADMIN
from rules.people import mail_in_their_language
from trade.models import LicenceApplication, ListVersion, PartyMatch, Shipment

logger = logging.getLogger(__name__)


def send(recipients: Iterable[User], compose: Callable[[], tuple[str, str]]) -> None:
    """compose() gives (subject, body); it is called in each recipient's language."""
    mail_in_their_language(recipients, compose, logger=logger)


def _link(obj: Any) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{obj.get_absolute_url()}"


def people(*roles: str, besides: int | None = None) -> list[User]:
    users = get_user_model().objects.filter(groups__name__in=roles, is_active=True).distinct()
    return [u for u in users if u.pk != besides]


def application_ready(application: LicenceApplication) -> None:
    """Tell the others who may file it that a draft application has its documents."""
    send(
        people(ANALYST, REVIEWER, besides=application.prepared_by_id),
        lambda: (
            _("[Export] %(ref)s is ready to be filed") % {"ref": application.reference},
            _("%(ref)s (%(kind)s, contract %(contract)s) was prepared by %(who)s.\n\n%(link)s")
            % {
                "ref": application.reference,
                "kind": application.kind,
                "contract": application.contract_reference,
                "who": application.prepared_by,
                "link": _link(application),
            },
        ),
    )


def shipments_held(held: list[Shipment]) -> None:
    """Tell the reviewers which shipments wait for a decision (one e-mail per run)."""
    if not held:
        return
    lines = "\n".join(f"- {s.reference}: {_link(s)}" for s in held[:50])
    send(
        people(REVIEWER),
        lambda: (
            _("[Export] %(n)s shipment(s) held") % {"n": len(held)},
            _("These shipments are held; each says why and what clears it:\n\n%(lines)s")
            % {"lines": lines},
        ),
    )


def dismissal_proposed(match: PartyMatch) -> None:
    send(
        people(REVIEWER, besides=match.proposed_by_id),
        lambda: (
            _("[Export] A dismissal of a candidate match waits for you"),
            _("%(who)s proposes that %(party)s is not %(entry)s: %(why)s\n\n%(link)s")
            % {
                "who": match.proposed_by,
                "party": match.party,
                "entry": match.entry_ref,
                "why": match.rationale,
                "link": _link(match.party),
            },
        ),
    )


def list_loaded(version: ListVersion) -> None:
    send(
        people(RULES_ADMIN, besides=version.loaded_by_id),
        lambda: (
            _("[Export] %(list)s waits to be published") % {"list": version},
            _("%(who)s loaded it from %(file)s. Check its changes and publish it.\n\n%(link)s")
            % {"who": version.loaded_by, "file": version.original_name, "link": _link(version)},
        ),
    )
