"""The parameter columns of a spec: cell texts to canonical values with provenance (the text as
entered when a unit was converted; the formula when a value was derived), with their issues.

Plain Python (pandas and numpy, no Django). rules.specs parses the other columns and calls
`parameter_columns` for these.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from rules.cells import Collector, column_texts
from rules.messages import Message, Template, gettext_noop
from rules.units import UnitError, parse_quantity
from rules.vocabulary import DERIVATIONS, PARAMETERS, Parameter, derived_column, raw_column

SIGNIFICANT_DIGITS = 12

DERIVED_IMPLAUSIBLE = Template(
    "spec.derived_implausible",
    gettext_noop(
        "%(formula)s gives more than the plausible maximum of %(maximum)s %(unit)s; check the "
        "voltage, capacity and mass"
    ),
)
DERIVED_DISAGREES = Template(
    "spec.derived_disagrees",
    gettext_noop(
        "given %(given)s %(unit)s, but %(formula)s gives %(computed)s %(unit)s (%(percent)s %% "
        "apart); the given value is used, check which is right"
    ),
)
NOT_A_NUMBER = Template("spec.not_a_number", gettext_noop("not a number"))
NOT_FINITE = Template("spec.not_finite", gettext_noop("not a finite number"))
NEGATIVE = Template("spec.negative", gettext_noop("must not be negative"))
BELOW_MINIMUM = Template(
    "spec.below_minimum", gettext_noop("below the plausible minimum of %(minimum)s %(unit)s")
)
ZERO = Template("spec.zero", gettext_noop("must be greater than 0"))
ABOVE_MAXIMUM = Template(
    "spec.above_maximum",
    gettext_noop("above the plausible maximum of %(maximum)s %(unit)s; check the unit"),
)
FRACTION_LIKE = Template(
    "spec.fraction_like",
    gettext_noop("%(column)s is in percent (0–100); write '0.9995 fraction' if you meant 99.95 %%"),
)


def parameter_columns(
    columns: Mapping[str, pd.Series], n: int, collector: Collector
) -> dict[str, object]:
    """The columns of the parsed frame for every parameter: its canonical values and the text
    of its converted cells; then the values derived by a formula (DERIVATIONS) where none was
    given, with the column saying so. Disagreements between given and derived values are
    warnings."""
    out: dict[str, object] = {}
    values: dict[str, np.ndarray] = {}
    for parameter in PARAMETERS.values():
        value, raw_text = _parameter(columns.get(parameter.name), parameter, n, collector)
        values[parameter.name] = value
        out[parameter.name] = value
        out[raw_column(parameter.name)] = raw_text

    for derivation in DERIVATIONS:
        given = values[derivation.target]
        inputs = [values[name] for name in derivation.inputs]
        available = np.logical_and.reduce([~np.isnan(v) for v in inputs])
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            computed = round_significant(np.asarray(derivation.compute(*inputs), dtype=float))
        use = available & np.isnan(given)
        target = PARAMETERS[derivation.target]
        implausible = use & ~(computed <= target.maximum)
        computed_text = pd.Series(computed).map(lambda v: f"{v:.6g}")
        collector.add(
            implausible,
            derivation.target,
            computed_text,
            DERIVED_IMPLAUSIBLE(
                formula=derivation.formula, maximum=f"{target.maximum:g}", unit=target.unit
            ),
        )
        use &= ~implausible
        out[derivation.target] = np.where(use, computed, given)
        out[derived_column(derivation.target)] = use
        both = available & ~np.isnan(given)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            apart = np.abs(given - computed) / np.abs(given)
            percent = apart * 100
        disagree = both & (apart > derivation.tolerance)
        unit = PARAMETERS[derivation.target].unit
        messages: list[str] = [
            DERIVED_DISAGREES(
                given=f"{given[i]:g}",
                unit=unit,
                formula=derivation.formula,
                computed=f"{computed[i]:.4g}",
                percent=f"{percent[i]:.1f}",
            )
            if disagree[i]
            else ""
            for i in range(n)
        ]
        given_text = pd.Series(given).map(lambda v: "" if np.isnan(v) else f"{v:g}")
        collector.add(disagree, derivation.target, given_text, messages, warning=True)
    return out


class _NumberTexts:
    """Cell texts of a numeric column, formatted only for the cells an issue names."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values

    def __getitem__(self, position: int) -> str:
        value = self.values[position]
        return "" if np.isnan(value) else f"{value:g}"

    def __len__(self) -> int:
        return len(self.values)


class _Texts(_NumberTexts):
    """Cell texts of a text column whose plain numbers were not kept as text."""

    def __init__(self, texts: pd.Series, numbers: np.ndarray) -> None:
        super().__init__(numbers)
        self.texts = texts.to_numpy(dtype=object)

    def __getitem__(self, position: int) -> str:
        text = self.texts[position]
        return text if text is not None else super().__getitem__(position)


def format_cell(value: float) -> str:
    """A number as a cell text that parses back to exactly the same number."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def round_significant(values: np.ndarray, digits: int = SIGNIFICANT_DIGITS) -> np.ndarray:
    """Round to `digits` significant digits, so unit conversion noise (2.6000000000000005) goes.

    Dividing an integer by a power of ten is correctly rounded in IEEE arithmetic, so the result
    is the double nearest to the rounded decimal.
    """
    out = values.astype(np.float64, copy=True)
    # Beyond this range no measured value lives, and powers of ten would overflow.
    magnitude_ok = (np.abs(out) > 1e-200) & (np.abs(out) < 1e200)
    finite = np.isfinite(out) & magnitude_ok
    magnitude = np.floor(np.log10(np.abs(out[finite])))
    exponent = (digits - 1 - magnitude).astype(int)
    scaled = out[finite]
    up = exponent >= 0
    scaled[up] = np.round(scaled[up] * 10.0 ** exponent[up]) / 10.0 ** exponent[up]
    down = ~up
    scaled[down] = np.round(scaled[down] / 10.0 ** -exponent[down]) * 10.0 ** -exponent[down]
    out[finite] = scaled
    return out


def _parameter(
    cells: pd.Series | None, parameter: Parameter, n: int, collector: Collector
) -> tuple[np.ndarray, pd.Series]:
    """(canonical values, original text of converted cells) for one parameter column."""
    values = np.full(n, np.nan)
    raw_text = pd.Series([None] * n, dtype=object)
    if cells is None:
        return values, raw_text
    name = parameter.name
    if pd.api.types.is_bool_dtype(cells.dtype):
        text = column_texts(cells.astype(object))
        collector.add(cells.to_numpy(dtype=bool) | True, name, text, NOT_A_NUMBER())
        return values, raw_text
    if pd.api.types.is_numeric_dtype(cells.dtype):
        values = cells.to_numpy(dtype=float, na_value=np.nan, copy=True)
        text = _NumberTexts(values)
        nonfinite = np.isinf(values)
        collector.add(nonfinite, name, text, NOT_FINITE())
        values[nonfinite] = np.nan
    else:
        # Plain numbers (most filled cells) convert in one C pass; only the rest are trimmed and
        # read one distinct spelling at a time.
        quick = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        numeric = np.isfinite(quick)
        series = pd.Series([None] * n, dtype=object)
        rest = ~numeric & cells.notna().to_numpy()
        if rest.any():
            series[rest] = column_texts(cells.reset_index(drop=True)[rest]).to_numpy()
        slow = series.notna().to_numpy()
        values = np.where(numeric, quick, np.nan)
        text = _Texts(series, quick)
        if slow.any():
            outcomes: dict[str, tuple[float, bool] | Message] = {}
            for cell in pd.unique(series[slow]):
                try:
                    outcomes[cell] = parse_quantity(cell, parameter)
                except UnitError as exc:
                    outcomes[cell] = exc.message
            slow_positions = np.flatnonzero(slow)
            errors = np.zeros(n, bool)
            messages: list[str] = [""] * n
            converted = np.zeros(n, bool)
            for pos in slow_positions:
                result = outcomes[series.iloc[pos]]
                if isinstance(result, str):
                    errors[pos] = True
                    messages[pos] = result
                else:
                    values[pos] = result[0]
                    converted[pos] = result[1]
            collector.add(errors, name, text, messages)
            values[converted] = round_significant(values[converted])
            raw_text = series.where(pd.Series(converted), None)
    present = ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        negative = present & (values < parameter.minimum)
        zero = present & parameter.strictly_positive & (values == 0)
        too_big = present & (values > parameter.maximum)
    collector.add(
        negative,
        name,
        text,
        NEGATIVE()
        if parameter.minimum == 0
        else BELOW_MINIMUM(minimum=f"{parameter.minimum:g}", unit=parameter.unit),
    )
    collector.add(zero, name, text, ZERO())
    collector.add(
        too_big,
        name,
        text,
        ABOVE_MAXIMUM(maximum=f"{parameter.maximum:g}", unit=parameter.unit),
    )
    if parameter.kind == "percent":
        fraction_like = present & (values > 0) & (values <= 1) & raw_text.isna().to_numpy()
        collector.add(
            fraction_like,
            name,
            text,
            FRACTION_LIKE(column=name),
            warning=True,
        )
    values[negative | zero | too_big] = np.nan
    return values, raw_text
