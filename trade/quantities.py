"""Quantities on licences and shipment lines: a number and a unit, converted where the units
convert and refused where they do not (kilograms against pieces).

Balances are money-like: they must add up exactly over thousands of draws, so quantities are
Decimals, and conversion factors come from a pint registry that works in Decimals (kg → t is
exactly 0.001, lb → kg exactly 0.45359237), once per pair of units. Counted things (pieces,
sets) are their own dimensions: a piece is never a set.

Plain Python (no Django).
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pint

# Spellings people write (lower case, NFKC) → the unit we keep. Counted units are our own;
# the others are pint's.
UNIT_SPELLINGS: dict[str, str] = {
    **dict.fromkeys(("kg", "kgs", "kilogram", "kilograms", "千克", "公斤"), "kg"),
    **dict.fromkeys(("g", "gram", "grams", "克"), "g"),
    **dict.fromkeys(("t", "tonne", "tonnes", "metric ton", "mt", "吨"), "t"),
    **dict.fromkeys(("lb", "lbs", "pound", "pounds"), "lb"),
    **dict.fromkeys(
        ("pc", "pcs", "piece", "pieces", "ea", "each", "unit", "units", "个", "件", "只", "块"),
        "piece",
    ),
    **dict.fromkeys(("set", "sets", "套", "台"), "set"),
    **dict.fromkeys(("m3", "m³", "cubic metre", "cubic meter", "立方米"), "m**3"),
    **dict.fromkeys(("l", "litre", "liter", "litres", "liters", "升"), "L"),
    **dict.fromkeys(("wh",), "Wh"),
    **dict.fromkeys(("kwh",), "kWh"),
    **dict.fromkeys(("mwh",), "MWh"),
}
COUNTED = ("piece", "set")
# How each unit is shown (and stored): the canonical spelling.
DISPLAY = {"m**3": "m³"}


class QuantityError(ValueError):
    """A quantity or unit that cannot be used; the message says why, for users."""


def canonical_unit(text: str) -> str:
    """The unit a spelling names, or QuantityError naming the accepted ones."""
    spelling = unicodedata.normalize("NFKC", text or "").strip().lower()
    unit = UNIT_SPELLINGS.get(spelling)
    if unit is None:
        known = ", ".join(sorted({DISPLAY.get(u, u) for u in UNIT_SPELLINGS.values()}))
        raise QuantityError(f"'{text}' is not a unit we know; use one of {known}")
    return DISPLAY.get(unit, unit)


def quantity(text: str) -> Decimal:
    """A quantity as written: a positive finite decimal number."""
    try:
        value = Decimal(unicodedata.normalize("NFKC", str(text)).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise QuantityError(f"'{text}' is not a number") from None
    if not value.is_finite() or value <= 0:
        raise QuantityError(f"'{text}' must be a number greater than 0")
    return value


# The units we keep, each as an exact multiple of its dimension's base unit (kg, m³, Wh): the
# same factors pint gives (a test holds them to it), without building pint's registry, which
# costs about a second the first time a process converts anything.
EXACT: dict[str, tuple[str, Decimal]] = {
    "kg": ("mass", Decimal(1)),
    "g": ("mass", Decimal("0.001")),
    "t": ("mass", Decimal(1000)),
    "lb": ("mass", Decimal("0.45359237")),
    "m³": ("volume", Decimal(1)),
    "L": ("volume", Decimal("0.001")),
    "Wh": ("energy", Decimal(1)),
    "kWh": ("energy", Decimal(1000)),
    "MWh": ("energy", Decimal(1_000_000)),
}


@lru_cache(maxsize=256)
def factor(from_unit: str, to_unit: str) -> Decimal:
    """Multiply a quantity in `from_unit` by this to get it in `to_unit` (canonical units)."""
    if from_unit == to_unit:
        return Decimal(1)
    if from_unit in COUNTED or to_unit in COUNTED:
        raise QuantityError(f"{from_unit} cannot be counted as {to_unit}")
    if from_unit in EXACT and to_unit in EXACT:
        (source, a), (target, b) = EXACT[from_unit], EXACT[to_unit]
        if source != target:
            raise QuantityError(f"{from_unit} cannot be converted to {to_unit}")
        return a / b
    return pint_factor(from_unit, to_unit)


def pint_factor(from_unit: str, to_unit: str) -> Decimal:
    """The factor as pint's registry (in Decimals) gives it: for units beyond EXACT."""
    pint_units = {DISPLAY[k]: k for k in DISPLAY}
    try:
        ratio = _decimal_registry().Quantity(Decimal(1), pint_units.get(from_unit, from_unit))
        magnitude = ratio.to(pint_units.get(to_unit, to_unit)).magnitude
    except pint.errors.DimensionalityError:
        raise QuantityError(f"{from_unit} cannot be converted to {to_unit}") from None
    return Decimal(magnitude)


@lru_cache(maxsize=1)
def _decimal_registry() -> pint.UnitRegistry:
    return pint.UnitRegistry(non_int_type=Decimal)


def text(amount: Decimal) -> str:
    """A quantity as people read it: plain digits, no exponent, no trailing zeros."""
    plain = format(amount.normalize(), "f")
    return plain


def convert(amount: Decimal, from_unit: str, to_unit: str) -> Decimal:
    return amount * factor(from_unit, to_unit)
