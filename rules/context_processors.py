"""The status-confirmation warning shown on every page, to every signed-in user: a status that
is an assumption concerns everyone who reads a result (CONTROL_CATALOGUE.md §5)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from rules.access import can
from rules.models import RuleSet, StatusConfirmation
from rules.watch import unconfirmed


def status_warnings(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    rule_set = RuleSet.objects.current()
    if rule_set is None:
        return {}
    today = timezone.localdate()
    confirmations = StatusConfirmation.objects.as_confirmations()
    catalogue = rule_set.catalogue()
    return {
        "status_warnings": unconfirmed(catalogue, today, confirmations),
        "status_catalogue": catalogue,
        "perms_publish_rules": can(user, "publish_rules"),
    }
