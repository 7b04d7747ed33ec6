"""E-mail notifications, sent after the transaction that caused them commits, each in the
language its recipients chose (rules.people), whoever's action sent it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from rules.access import REVIEWER
from rules.people import mail_in_their_language
from screening.models import Case

logger = logging.getLogger(__name__)

Compose = Callable[[], tuple[str, str]]


def _send(recipients: Iterable[User | None], compose: Compose) -> None:
    """One e-mail per language among the recipients (rules.people)."""
    mail_in_their_language(recipients, compose, logger=logger)


def _link(case: Case) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{case.get_absolute_url()}"


def case_submitted(case: Case) -> None:
    """Tell the reviewers a case is waiting in their queue."""
    reviewers = get_user_model().objects.filter(groups__name=REVIEWER, is_active=True)

    def compose() -> tuple[str, str]:
        return (
            _("[Screening] %(ref)s waits for review") % {"ref": case.reference},
            _("%(ref)s (%(product)s) was submitted by %(who)s.\n\n%(link)s")
            % {
                "ref": case.reference,
                "product": case.product,
                "who": case.submitted_by,
                "link": _link(case),
            },
        )

    _send([u for u in reviewers if u.pk != case.submitted_by_id], compose)


def case_returned(case: Case, message: str) -> None:
    """Tell the analyst the reviewer needs information."""

    def compose() -> tuple[str, str]:
        return (
            _("[Screening] %(ref)s returned for information") % {"ref": case.reference},
            _("%(who)s asks:\n\n%(message)s\n\n%(link)s")
            % {"who": case.reviewer, "message": message, "link": _link(case)},
        )

    _send([case.prepared_by, case.submitted_by], compose)


def case_decided(case: Case) -> None:
    """Tell the analyst the case was decided."""

    def compose() -> tuple[str, str]:
        return (
            _("[Screening] %(ref)s decided: %(determination)s")
            % {"ref": case.reference, "determination": case.get_determination_display()},
            _("%(who)s decided %(ref)s.\n\nRationale: %(rationale)s\n\n%(link)s")
            % {
                "who": case.approved_by,
                "ref": case.reference,
                "rationale": case.rationale,
                "link": _link(case),
            },
        )

    _send([case.prepared_by, case.submitted_by], compose)
