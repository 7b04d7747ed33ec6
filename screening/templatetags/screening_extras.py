"""Display filters of the screening pages: measured values for reading. The words for the
catalogue's codes are rules_extras' filters (rules/templatetags)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from rules.labels import assumption_sentence
from rules.spec_parameters import format_cell
from screening import labels
from screening.labels import significant
from screening.states import EventKind

register = template.Library()

# registered here only for templates/screening/dashboard.html until it loads rules_extras
register.simple_tag(assumption_sentence, name="assumption_sentence")


@register.filter
def measured(value: Any, threshold: Any = None) -> str:
    """A measured or derived value for reading: 4 significant digits (308.3, not
    308.333333333), with the full value on hover. Beside a threshold, never rounded onto or
    across it: 299.96 against 300 shows in full, or the reader would see "300" fail "≥ 300"."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    exact = format_cell(number)
    short = significant(number)
    if threshold not in (None, "") and short != exact:
        limit = float(threshold)
        rounded = float(short.replace(",", ""))
        if (rounded == limit) or ((rounded > limit) != (number > limit)):
            short = exact
    if short == exact:
        return exact
    return format_html('<span title="{}">{}</span>', exact, short)


@register.filter
def usd(value: Any, decimals: int = 0) -> str:
    """An amount in US dollars as pages show one: "USD 250,000"; "250,000美元" in Chinese."""
    if value is None or value == "":
        return "—"
    return labels.usd(float(value), decimals=int(decimals), prefix="USD ")


@register.filter
def usd_compact(value: Any) -> str:
    """A headline amount: "US$28.6M"; "2,860万美元" in Chinese."""
    if value is None or value == "":
        return "—"
    return labels.compact_usd(float(value))


@register.filter
def event_kind_label(code: str) -> str:
    """A timeline event's kind (a decision record's code) in the reader's language."""
    return str(EventKind(code).label) if code in EventKind.values else code
