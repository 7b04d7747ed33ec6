"""`manage.py trade_alerts`: e-mail the licence alerts (expiring, low balances, overdue
decisions) to analysts and reviewers. Run it daily (cron, or a scheduler queueing the task)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from trade import licences, notifications


class Command(BaseCommand):
    help = "E-mail the licence alerts to analysts and reviewers."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            count = notifications.alerts_digest(licences.alerts())
        self.stdout.write(f"{count} alert(s) sent." if count else "No alerts.")
