"""Background tasks of the export side (django-tasks, run by `manage.py db_worker`).

A leaf, like screening.tasks: each task fetches its objects and calls one domain function.
Nothing imports this module but the app registry (TradeConfig.ready); the domain queues these
tasks by name through rules.background.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from rules.background import register
from trade import licences, notifications, shipments


@register
@task()
def recheck_shipments(trigger: str, user_id: int | None = None) -> None:
    """Re-check every shipment not yet exported (after rules or lists changed)."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    shipments.recheck_open(user=user, trigger=trigger)


@register
@task()
def send_trade_alerts() -> None:
    """E-mail the licence alerts (the daily digest)."""
    notifications.alerts_digest(licences.alerts())
