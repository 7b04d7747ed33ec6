"""Signals the rules layer defines, so that apps above it act when the rules in force change
without anything below importing them (rules knows no app; screening knows nothing of trade).

`rules_changed` is sent after the rules in force changed:
- kind "published": a rule set was published and its re-screen ran (screening.rescreening.run,
  in the task that ran it), so products' outcomes are the new ones;
- kind "status_confirmed": a rules administrator confirmed a measure's status (rules.views).
Arguments: kind, user (who caused it, or None). Each receiver returns a list of notices for the
page that shows the change: {"title": text, "items": [{"text": text, "url": address}]}.
trade.rechecks receives it and re-checks the shipments not yet exported.
"""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import Signal

logger = logging.getLogger(__name__)

rules_changed = Signal()


def announce(*, sender: Any, kind: str, user: Any) -> list[dict[str, Any]]:
    """Send `rules_changed` and gather the receivers' notices. A receiver that fails is logged
    and said in a notice: the change of rules stands whatever a follower does with it."""
    notices: list[dict[str, Any]] = []
    for receiver, answer in rules_changed.send_robust(sender=sender, kind=kind, user=user):
        if isinstance(answer, Exception):
            logger.error("rules_changed receiver %r failed", receiver, exc_info=answer)
            notices.append({"title": f"A follow-up of the change failed: {answer}", "items": []})
        else:
            notices.extend(answer or [])
    return notices
