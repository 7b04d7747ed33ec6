"""Words and numbers as the screening pages show them. The words for the catalogue's codes are in
rules.labels."""

from __future__ import annotations

import math


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
