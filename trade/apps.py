from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TradeConfig(AppConfig):
    name = "trade"
    verbose_name = _("Export side: licences, shipments, parties")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the background tasks by name (rules.background); the task module stays a
        # leaf. Re-checks follow rule changes through rules.signals (screening never imports
        # trade).
        from rules.signals import rules_changed
        from trade import rechecks, tasks  # noqa: F401 -- tasks: imported for its registrations

        post_migrate.connect(load_shipped_data, sender=self)
        rules_changed.connect(rechecks.after_rules_change, dispatch_uid="trade.rechecks")


def load_shipped_data(sender: AppConfig, **kwargs: Any) -> None:
    """After `migrate`: the licence kinds, the working-day calendar and, on a database with no
    list yet, the starter lists (published by the system, as the shipped catalogue is), so a
    fresh database checks shipments at once. Later changes are administrators' work."""
    from trade.lists import ensure_starter_lists
    from trade.reference import load_shipped_data as load_kinds_and_calendar

    load_kinds_and_calendar()
    ensure_starter_lists()
