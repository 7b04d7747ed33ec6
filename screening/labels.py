"""Words and numbers as the screening pages show them. The words for the catalogue's codes are in
rules.labels."""

from __future__ import annotations

import math

from django.utils.translation import get_language

# imported here only for screening.dashboard until it imports rules.labels
from rules.labels import (  # noqa: F401 (names kept importable from here, not used here)
    ENTRY_RESULT_LABELS,
    OPERATOR_SYMBOLS,
    STATUS_LABELS,
    category_label,
    country_name,
    entry_result_label,
    parameter_label,
)


def significant(number: float, digits: int = 4) -> str:
    """A number with `digits` significant digits for reading (whole numbers from 1,000 up are
    shown whole, with thousands separators); never in exponent notation."""
    if number == 0 or not math.isfinite(number):
        return format(number, "g")
    magnitude = math.floor(math.log10(abs(number)))
    if magnitude >= digits - 1:
        return f"{number:,.0f}"
    text = f"{number:.{digits - 1 - magnitude}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _chinese() -> bool:
    return (get_language() or "").startswith("zh")


def usd(value: float, *, decimals: int = 0, prefix: str = "US$") -> str:
    """An amount in US dollars with thousands separators: "US$250,000" (or `prefix`),
    "250,000美元" in Chinese."""
    number = f"{value:,.{decimals}f}"
    return f"{number}美元" if _chinese() else f"{prefix}{number}"


def compact_usd(value: float) -> str:
    """A headline amount: "US$28.6M", "US$350k"; in Chinese by 万 and 亿 ("2,860万美元",
    "1.23亿美元"), three significant digits either way."""
    if _chinese():
        for size, unit in ((1e8, "亿"), (1e4, "万")):
            if abs(value) >= size:
                return f"{_three_digits(value / size)}{unit}美元"
        return f"{value:,.0f}美元"
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"US${value / size:.3g}{suffix}"
    return f"US${value:,.0f}"


def _three_digits(number: float) -> str:
    rounded = float(f"{number:.3g}")
    if abs(rounded) >= 100:
        return f"{rounded:,.0f}"
    return f"{rounded:.3g}"
