"""The release gate's hold reasons as a vocabulary: each code trade.gate gives, with its short
name (translated) for the API, admin, the dashboard and the demo data; and the page each
reason's `clear` names, as a link where that page exists.

trade.gate writes the codes (plain Python, no Django); this is where they get their words. A test
reads trade/gate.py and fails when it gives a code this list does not name.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


class HoldReason(models.TextChoices):
    NO_DETERMINATION = "no_determination", _("No determination")
    DETERMINATION_OUTDATED = "determination_outdated", _("Determination outdated")
    NO_LICENCE = "no_licence", _("No licence")
    UNIT_MISMATCH = "unit_mismatch", _("Units do not convert")
    INSUFFICIENT_BALANCE = "insufficient_balance", _("Balance too low")
    LICENCE_REVOKED = "licence_revoked", _("Licence revoked")
    LICENCE_SUSPENDED = "licence_suspended", _("Licence suspended")
    LICENCE_NOT_VALID_ON_DATE = "licence_not_valid_on_date", _("Licence not valid on the date")
    LICENCE_OTHER_DESTINATION = "licence_other_destination", _("Licence for another destination")
    LICENCE_OTHER_PARTIES = "licence_other_parties", _("Licence for other parties")
    PARTY_LISTED = "party_listed", _("Party listed")
    PARTY_CANDIDATE = "party_candidate", _("Party candidate match")
    LIST_NOT_CURRENT = "list_not_current", _("List not confirmed current")
    MILITARY_END_USER = "military_end_user", _("Military end user (prohibited)")
    MILITARY_UNKNOWN = "military_unknown", _("Military end use unknown")


# The page that clears a reason (trade.gate's `clear`), with the object id where it takes one,
# and what its link says.
CLEARED_ON = {
    "product": ("product_detail", _("Open the product and decide a case")),
    "case": ("case_detail", _("Re-review the case")),
    "licences": ("application_list", _("Apply for a licence")),
    "licence": ("licence_detail", _("Open the licence (amend it, or use another)")),
    "party": ("party_detail", _("Open the party (its matches and end use)")),
    "lists": ("list_standing", _("Confirm the list is current")),
}


def label(code: str) -> str:
    """The reason's short name; an unknown code as it is (never an error)."""
    try:
        return str(HoldReason(code).label)
    except ValueError:
        return code


def clear_url(reason: dict[str, Any]) -> str | None:
    """The address of what would clear the reason, or None where there is no such page."""
    clears = CLEARED_ON.get(reason.get("clear") or "")
    if clears is None:
        return None
    name = clears[0]
    try:
        if reason.get("clear_id"):
            return reverse(name, args=[reason["clear_id"]])
        return reverse(name)
    except NoReverseMatch:
        return None


def clear_label(reason: dict[str, Any]) -> str:
    """What the link to that page says ("" where there is none)."""
    clears = CLEARED_ON.get(reason.get("clear") or "")
    return str(clears[1]) if clears else ""


def in_words(reason: dict[str, Any]) -> dict[str, Any]:
    """A stored reason for a program: its code, short name, sentence, whether the law prohibits
    the export, and the link that clears it."""
    return {
        "code": reason["code"],
        "label": label(reason["code"]),
        "message": reason["message"],
        "params": reason.get("params", {}),
        "prohibited": bool(reason.get("prohibited")),
        "clear_url": clear_url(reason),
    }
