"""Words and numbers as the screening pages show them. The words for the catalogue's codes are in
rules.labels."""

from __future__ import annotations

import math

from django.utils.translation import get_language


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
        return f"{chinese_amount(value)}美元"
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"US${value / size:.3g}{suffix}"
    return f"US${value:,.0f}"


def chinese_amount(value: float) -> str:
    """An amount in 万 (10⁴) or 亿 (10⁸), as Chinese readers count: 28,600,000 → 2,860万,
    350,000 → 35万, 150,000,000 → 1.5亿; below 10,000 as it is, with thousands separators."""
    for size, unit in ((1e8, "亿"), (1e4, "万")):
        if abs(value) >= size:
            return f"{significant(value / size, 3)}{unit}"
    return f"{value:,.0f}"
