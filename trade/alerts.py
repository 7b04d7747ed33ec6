"""Licence alerts: licences expiring within LICENCE_EXPIRY_ALERT_DAYS, lines below
LICENCE_BALANCE_ALERT_PCT of their authorised quantity, applications past their decision date.
Shown on "my work" and sent as a digest by `manage.py trade_alerts` (daily, from cron or the
task queue)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rules.access import ANALYST, REVIEWER
from trade import notifications
from trade.licences import Balance, balances
from trade.models import ApplicationState, Licence, LicenceApplication


@dataclass(frozen=True)
class Alerts:
    expiring: list[Licence]
    low_balance: list[tuple[Licence, Balance]]
    overdue: list[LicenceApplication]

    @property
    def count(self) -> int:
        return len(self.expiring) + len(self.low_balance) + len(self.overdue)


def alerts(*, today: dt.date | None = None) -> Alerts:
    """Licences expiring within LICENCE_EXPIRY_ALERT_DAYS, lines below LICENCE_BALANCE_ALERT_PCT
    of their authorised quantity, applications past their decision date."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.LICENCE_EXPIRY_ALERT_DAYS)
    active = list(
        Licence.objects.filter(status=Licence.Status.ACTIVE, current__valid_until__gte=today)
        .select_related("current", "kind")
        .order_by("current__valid_until")
    )
    expiring = [lic for lic in active if lic.current and lic.current.valid_until <= horizon]
    threshold = Decimal(settings.LICENCE_BALANCE_ALERT_PCT) / 100
    lines = balances(active)
    low = [
        (licence, balance)
        for licence in active
        for balance in lines[licence.pk]
        if balance.authorised and balance.remaining / balance.authorised < threshold
    ]
    overdue = list(
        LicenceApplication.objects.filter(
            Q(state=ApplicationState.FILED) & Q(decision_due__lt=today)
        ).order_by("decision_due")
    )
    return Alerts(expiring=expiring, low_balance=low, overdue=overdue)


def send_digest(found: Alerts) -> int:
    """The alerts, to analysts and reviewers; how many there were
    (0: no e-mail)."""
    if not found.count:
        return 0

    def compose() -> tuple[str, str]:
        lines = [
            *(
                _("Licence %(n)s expires on %(d)s.")
                % {"n": lic.number, "d": lic.current.valid_until}
                for lic in found.expiring
                if lic.current
            ),
            *(
                _("Licence %(n)s, %(line)s: %(pct)s %% left.")
                % {"n": lic.number, "line": b.control_code, "pct": round(b.remaining_share * 100)}
                for lic, b in found.low_balance
            ),
            *(
                _("Application %(ref)s: the decision was due on %(d)s.")
                % {"ref": a.reference, "d": a.decision_due}
                for a in found.overdue
            ),
        ]
        return (
            _("[Export] %(n)s licence alert(s)") % {"n": found.count},
            "\n".join(f"- {line}" for line in lines)
            + f"\n\n{settings.SITE_URL.rstrip('/')}{reverse('trade_work')}",
        )

    notifications.send(notifications.people(ANALYST, REVIEWER), compose)
    return found.count
