from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TradeConfig(AppConfig):
    name = "trade"
    verbose_name = _("Export side: licences, shipments, parties")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(load_shipped_data, sender=self)


def load_shipped_data(sender: AppConfig, **kwargs: Any) -> None:
    """After `migrate`: the licence kinds, the working-day calendar and, on a database with no
    list yet, the starter lists (published by the system, as the shipped catalogue is), so a
    fresh database checks shipments at once. Later changes are administrators' work."""
    from trade.lists import ensure_starter_lists
    from trade.reference import load_shipped_data as load_kinds_and_calendar

    load_kinds_and_calendar()
    ensure_starter_lists()
