"""What waits for a person on the export side ("my work"), by what their role may do: drafts
to file (someone else prepared them), holds to decide, candidate matches to decide, dismissals
to accept, list versions to publish, and the alerts. A handful of queries, whatever the data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rules.access import can
from trade import licences
from trade.models import (
    ApplicationState,
    LicenceApplication,
    ListVersion,
    PartyMatch,
    Shipment,
    ShipmentState,
)

LIMIT = 50  # rows shown per list; the count says how many there are


@dataclass
class Queue:
    key: str
    items: list[Any] = field(default_factory=list)
    count: int = 0


@dataclass
class Work:
    queues: list[Queue]
    alerts: licences.Alerts | None

    @property
    def total(self) -> int:
        return sum(q.count for q in self.queues) + (self.alerts.count if self.alerts else 0)


def _queue(key: str, queryset: Any) -> Queue:
    items = list(queryset[:LIMIT])
    count = len(items) if len(items) < LIMIT else queryset.count()
    return Queue(key, items, count)


def work_for(user: Any) -> Work:
    queues = []
    if can(user, "prepare_applications"):
        queues.append(
            _queue(
                "my_drafts",
                LicenceApplication.objects.filter(
                    state=ApplicationState.DRAFT, prepared_by=user
                ).select_related("kind", "end_user"),
            )
        )
    if can(user, "file_applications"):
        queues.append(
            _queue(
                "to_file",
                LicenceApplication.objects.filter(state=ApplicationState.DRAFT)
                .exclude(prepared_by=user)
                .select_related("kind", "end_user", "prepared_by"),
            )
        )
    if can(user, "enter_shipments"):
        queues.append(
            _queue(
                "my_holds",
                Shipment.objects.filter(state=ShipmentState.HELD, entered_by=user)
                .select_related("last_check", "end_user")
                .order_by("planned_ship_date", "pk"),
            )
        )
    if can(user, "override_holds"):
        queues.append(
            _queue(
                "holds",
                Shipment.objects.filter(state=ShipmentState.HELD)
                .exclude(entered_by=user)
                .select_related("last_check", "end_user")
                .order_by("planned_ship_date", "pk"),
            )
        )
    if can(user, "decide_party_matches"):
        queues.append(
            _queue(
                "candidates",
                PartyMatch.objects.filter(state=PartyMatch.State.OPEN)
                .select_related("party", "entry")
                .order_by("-score", "pk"),
            )
        )
        queues.append(
            _queue(
                "dismissals",
                PartyMatch.objects.filter(state=PartyMatch.State.DISMISS_PROPOSED)
                .exclude(proposed_by=user)
                .select_related("party", "entry", "proposed_by")
                .order_by("pk"),
            )
        )
    if can(user, "load_lists"):
        queues.append(
            _queue(
                "lists",
                ListVersion.objects.filter(status=ListVersion.Status.DRAFT)
                .exclude(loaded_by=user)
                .select_related("loaded_by")
                .order_by("kind", "number"),
            )
        )
    return Work(queues, licences.alerts() if can(user, "view_trade") else None)
