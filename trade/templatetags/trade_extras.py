"""Template filters of the export side's pages: reason codes and list kinds in words."""

from __future__ import annotations

from typing import Any

from django import template

from trade import reasons
from trade.models.parties import LIST_KINDS
from trade.views.common import list_separator

register = template.Library()


@register.filter
def hold_reasons(check: Any) -> list[str]:
    """The short names of every reason a check held on (the shipment's own and its lines'),
    each once, in the order they came."""
    if check is None:
        return []
    codes = [r["code"] for r in check.reasons] + [
        r["code"] for line in check.lines for r in line.get("reasons", [])
    ]
    return [reasons.label(code) for code in dict.fromkeys(codes)]


@register.filter
def in_a_sentence(items: list[str]) -> str:
    """Items of a list (hold reasons) joined as the reader's language joins them."""
    return list_separator().join(str(item) for item in items)


@register.filter
def list_label(kind: str) -> str:
    return str(dict(LIST_KINDS).get(kind, kind))


@register.filter
def percent(share: float) -> str:
    return f"{share * 100:.0f} %"


@register.filter
def plain(amount: Any) -> str:
    """A decimal without trailing zeros (40.000000 → 40)."""
    if amount is None:
        return ""
    try:
        return format(amount.normalize(), "f")
    except AttributeError:
        return str(amount)


@register.filter
def role_label(role: str) -> str:
    """A party's role (consignee, end_user, intermediary) in words."""
    from trade.models import Party

    return str(dict(Party.Role.choices).get(role, role))
