"""Reading a spreadsheet cell as a quantity in a parameter's canonical unit, with pint.

A cell holds a plain number in the column's canonical unit, or a number with its own unit
("0.31 kWh/kg", "2.6 g/cc", "5000 L"). Conversion factors are computed once per distinct unit
text, so a column of a million cells costs one pint lookup per spelling, not per cell.
Plain Python (no Django).
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import cache, lru_cache

import pint

from rules.messages import Message, Template, gettext_noop
from rules.vocabulary import Parameter

MAX_CELL_LENGTH = 60

NUMBER_RE = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*)$")
# "C/10" style C-rates (a tenth of the capacity per hour).
C_FRACTION_RE = re.compile(r"^C\s*/\s*(\d+(?:\.\d*)?)$", re.IGNORECASE)
# An exponent written straight after a unit symbol: cm3, m-3, m^3.
EXPONENT_RE = re.compile(r"([A-Za-z])\^?(-?\d+)")
# Common lower-case spellings that pint (rightly case-sensitive) would not know. Only unambiguous
# ones: "mwh" could be milli- or mega-watt-hour, so it is not here.
CASE_ALIASES = {
    "wh": "Wh",
    "kwh": "kWh",
    "ah": "Ah",
    "mah": "mAh",
    "mpa": "MPa",
    "gpa": "GPa",
    "kpa": "kPa",
    "cc": "cc",
}
FRACTION_WORDS = {"fraction", "frac", "ratio"}
C_RATE_WORDS = {"c", "c-rate", "crate", "c rate"}


NOT_A_C_RATE = Template(
    "units.not_a_c_rate",
    gettext_noop("'%(unit)s' is not a C-rate; write it like 0.1, 0.1C or C/10"),
)
NOT_CONVERTIBLE = Template(
    "units.not_convertible", gettext_noop("'%(unit)s' cannot be converted to %(canonical)s")
)
UNKNOWN_UNIT = Template("units.unknown_unit", gettext_noop("'%(unit)s' is not a unit we know"))
TOO_LONG = Template("units.too_long", gettext_noop("too long for a number (%(length)s characters)"))
C_ZERO = Template("units.c_zero", gettext_noop("C/0 is not a C-rate"))
SEPARATORS = Template(
    "units.separators", gettext_noop("use a dot for decimals and no thousands separators")
)
NOT_A_NUMBER = Template("units.not_a_number", gettext_noop("'%(text)s' is not a number"))
NOT_FINITE = Template("units.not_finite", gettext_noop("'%(text)s' is not a finite number"))
NOT_A_TEMPERATURE = Template(
    "units.not_a_temperature",
    gettext_noop("'%(unit)s' is not a temperature unit; write it like 20, 20 °C or 68 °F"),
)


class UnitError(ValueError):
    """A cell could not be read as a quantity of its column. The message is shown to users."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message


@cache
def registry() -> pint.UnitRegistry:
    return pint.UnitRegistry(autoconvert_offset_to_baseunit=True)


def normalise_text(text: str) -> str:
    """NFKC (full-width digits, ㎏, m³ → m3), trimmed, with multiplication signs spelled '*'."""
    text = unicodedata.normalize("NFKC", text).strip()
    return text.replace("·", "*").replace("×", "*").replace("⋅", "*").replace("−", "-")


def _pint_expression(unit_text: str) -> str:
    expression = EXPONENT_RE.sub(r"\1**\2", unit_text)
    units = registry()

    def fix_case(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in units:
            return word
        return CASE_ALIASES.get(word.lower(), word)

    return re.sub(r"[A-Za-z]+", fix_case, expression)


@lru_cache(maxsize=4096)
def conversion_factor(unit_text: str, parameter: Parameter) -> float:
    """Multiply a number written with `unit_text` by this to get the parameter's canonical unit."""
    lowered = unit_text.lower()
    if parameter.kind == "c_rate":
        if lowered in C_RATE_WORDS:
            return 1.0
        raise UnitError(NOT_A_C_RATE(unit=unit_text))
    if parameter.kind == "percent" and lowered in FRACTION_WORDS:
        return 100.0
    try:
        quantity = registry().Quantity(1.0, _pint_expression(unit_text))
        factor = float(quantity.to(parameter.pint_unit).magnitude)
    except pint.errors.DimensionalityError:
        raise UnitError(NOT_CONVERTIBLE(unit=unit_text, canonical=parameter.unit)) from None
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError):
        raise UnitError(UNKNOWN_UNIT(unit=unit_text)) from None
    except Exception:  # noqa: BLE001 -- pint's parser raises assorted errors on garbage text
        raise UnitError(UNKNOWN_UNIT(unit=unit_text)) from None
    if not math.isfinite(factor) or factor <= 0:
        raise UnitError(NOT_CONVERTIBLE(unit=unit_text, canonical=parameter.unit))
    return factor


def parse_quantity(text: str, parameter: Parameter) -> tuple[float, bool]:
    """(value in the canonical unit, whether a unit was converted) for one non-empty cell text.

    Raises UnitError with a message fit for users. Range checks are the caller's business.
    """
    text = normalise_text(text)
    if len(text) > MAX_CELL_LENGTH:
        raise UnitError(TOO_LONG(length=len(text)))
    if parameter.kind == "c_rate":
        match = C_FRACTION_RE.match(text)
        if match:
            divisor = float(match.group(1))
            if divisor == 0:
                raise UnitError(C_ZERO())
            return 1.0 / divisor, True
    if "," in text:
        raise UnitError(SEPARATORS())
    match = NUMBER_RE.match(text)
    if not match:
        raise UnitError(NOT_A_NUMBER(text=text))
    number = float(match.group(1))
    unit_text = match.group(2).strip()
    if not math.isfinite(number):
        raise UnitError(NOT_FINITE(text=text))
    if not unit_text:
        return number, False
    if parameter.kind == "temperature":
        return temperature_in_celsius(number, unit_text), True
    return number * conversion_factor(unit_text, parameter), True


# Temperature spellings, lower case with "°" and spaces removed. A bare "C" or "F" is a
# temperature in this column (pint would read coulomb or farad).
TEMPERATURE_UNITS = {
    "c": "degC",
    "degc": "degC",
    "celsius": "degC",
    "℃": "degC",
    "摄氏度": "degC",
    "f": "degF",
    "degf": "degF",
    "fahrenheit": "degF",
    "k": "kelvin",
    "kelvin": "kelvin",
}


def temperature_in_celsius(number: float, unit_text: str) -> float:
    """A temperature written with its unit, in °C. Offset units (°F) cannot be converted by a
    factor, so pint converts the quantity itself."""
    spelling = unit_text.replace("°", "").replace(" ", "").lower()
    unit = TEMPERATURE_UNITS.get(spelling)
    if unit is None:
        raise UnitError(NOT_A_TEMPERATURE(unit=unit_text))
    if unit == "degC":
        return number
    quantity = registry().Quantity(number, unit)
    return float(quantity.to("degC").magnitude)
