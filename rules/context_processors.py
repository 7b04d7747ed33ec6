"""The status-confirmation warning shown on every page, to every signed-in user: a status that
is an assumption concerns everyone who reads a result (CONTROL_CATALOGUE.md §5)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from rules.access import can
from rules.catalogue import Catalogue
from rules.certainty import Assumption
from rules.models import RuleSet, StatusConfirmation
from rules.watch import unconfirmed


def status_warnings(request: HttpRequest) -> dict[str, Any]:
    """The warnings and the catalogue they name, computed once and only when a template uses
    them (templates call a callable variable): a fragment such as a dashboard section or the
    case list's rows never shows the banner, so it reads neither rule set nor confirmations."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def computed() -> tuple[list[Assumption], Catalogue | None]:
        rule_set = RuleSet.objects.current()
        if rule_set is None:
            return [], None
        catalogue = rule_set.catalogue()
        confirmations = StatusConfirmation.objects.as_confirmations()
        return unconfirmed(catalogue, timezone.localdate(), confirmations), catalogue

    return {
        "status_warnings": lambda: computed()[0],
        "status_catalogue": lambda: computed()[1],
        "perms_publish_rules": can(user, "publish_rules"),
    }
