"""E-mail notifications, sent after the transaction that caused them commits."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from rules.access import REVIEWER
from screening.models import Case

logger = logging.getLogger(__name__)


def _send(subject: str, body: str, recipients: list[str]) -> None:
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return

    def deliver() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except OSError:
            # A mail outage must not undo a recorded decision; it is logged for the operators.
            logger.exception("could not send notification %r", subject)

    transaction.on_commit(deliver)


def _link(case: Case) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{case.get_absolute_url()}"


def case_submitted(case: Case) -> None:
    """Tell the reviewers a case is waiting in their queue."""
    reviewers = get_user_model().objects.filter(groups__name=REVIEWER, is_active=True)
    _send(
        _("[Screening] %(ref)s waits for review") % {"ref": case.reference},
        _("%(ref)s (%(product)s) was submitted by %(who)s.\n\n%(link)s")
        % {
            "ref": case.reference,
            "product": case.product,
            "who": case.submitted_by,
            "link": _link(case),
        },
        [u.email for u in reviewers if u.pk != case.submitted_by_id],
    )


def case_returned(case: Case, message: str) -> None:
    """Tell the analyst the reviewer needs information."""
    _send(
        _("[Screening] %(ref)s returned for information") % {"ref": case.reference},
        _("%(who)s asks:\n\n%(message)s\n\n%(link)s")
        % {"who": case.reviewer, "message": message, "link": _link(case)},
        [case.prepared_by.email, case.submitted_by.email if case.submitted_by else ""],
    )


def case_decided(case: Case) -> None:
    """Tell the analyst the case was decided."""
    _send(
        _("[Screening] %(ref)s decided: %(determination)s")
        % {"ref": case.reference, "determination": case.get_determination_display()},
        _("%(who)s decided %(ref)s.\n\nRationale: %(rationale)s\n\n%(link)s")
        % {
            "who": case.approved_by,
            "ref": case.reference,
            "rationale": case.rationale,
            "link": _link(case),
        },
        [case.prepared_by.email, case.submitted_by.email if case.submitted_by else ""],
    )
