"""The status-confirmation warning shown on every page to reviewers and administrators."""

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
    if not (user.is_superuser or can(user, "review_cases") or can(user, "publish_rules")):
        return {}
    rule_set = RuleSet.objects.current()
    if rule_set is None:
        return {}
    today = timezone.localdate()
    confirmations = [
        (key, timezone.localdate(at))
        for key, at in StatusConfirmation.objects.values_list("measure_key", "confirmed_at")
    ]
    return {"status_warnings": unconfirmed(rule_set.catalogue(), today, confirmations)}
