"""Parsing product specs (SPEC_TEMPLATE.md) into canonical units, with per-cell errors.

One parser serves the web form, CSV and XLSX: each arrives as a table of raw cells (strings,
or the numbers and dates a spreadsheet holds) and leaves as a frame of canonical values with
provenance (given as a plain number, converted from which text, or derived by which formula),
plus every error and warning by spreadsheet row and column.

Work is done on whole columns: unit conversion parses each distinct spelling once.
Plain Python (pandas and numpy, no Django).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd
import pycountry

from rules.units import UnitError, normalise_text, parse_quantity
from rules.vocabulary import (
    CATEGORIES,
    DERIVATIONS,
    PARAMETERS,
    REQUIRED_COLUMNS,
    TEMPLATE_COLUMNS,
    Parameter,
    canonical_category,
    canonical_cell_type,
    canonical_subtype,
    derived_column,
    raw_column,
    slug,
)

TEXT_LIMITS = {
    "sku": 64,
    "revision": 32,
    "name": 200,
    "manufacturer": 200,
    "source_document": 500,
}
CONTROL_CHARS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MONEY_GROUPED_RE = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
HS_CODE_RE = re.compile(r"^\d{4,10}$")
SIGNIFICANT_DIGITS = 12


@dataclass(frozen=True)
class CellIssue:
    """An error or warning about one cell: spreadsheet row (header = 1), column, raw text."""

    row: int
    column: str
    value: str
    message: str


@dataclass
class ParsedSpecs:
    specs: pd.DataFrame  # indexed by spreadsheet row number
    errors: list[CellIssue] = field(default_factory=list)
    warnings: list[CellIssue] = field(default_factory=list)
    unknown_columns: tuple[str, ...] = ()

    @property
    def invalid(self) -> np.ndarray:
        """Per row (in frame order): whether it has any error."""
        bad = {e.row for e in self.errors}
        return self.specs.index.isin(list(bad))

    def errors_by_row(self) -> dict[int, list[CellIssue]]:
        grouped: dict[int, list[CellIssue]] = {}
        for issue in self.errors:
            grouped.setdefault(issue.row, []).append(issue)
        return grouped

    def warnings_by_row(self) -> dict[int, list[CellIssue]]:
        grouped: dict[int, list[CellIssue]] = {}
        for issue in self.warnings:
            grouped.setdefault(issue.row, []).append(issue)
        return grouped


def normalise_header(name: object) -> str:
    return str(name).strip().lower()


@cache
def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


def _cell_text(value: object) -> str | None:
    """A raw cell as trimmed text; None when empty. Integral floats lose their '.0'."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[union-attr]
    if value is pd.NA or value is pd.NaT:
        return None
    text = str(value).strip()
    return text or None


def _texts(cells: pd.Series) -> pd.Series:
    """Trimmed text per cell (None for empty), as an object column. Empty cells are found in
    one comparison and the rest trimmed in one comprehension: several times faster than pandas'
    .str.strip with its missing-value handling, on 100,000-row files."""
    values = cells.to_numpy(dtype=object)
    texts = np.full(len(values), None, dtype=object)
    # Most cells of a template's columns are empty: find them in one comparison (pd.NA, which
    # cannot be compared, turns up only in frames built by hand; those go cell by cell).
    try:
        filled = np.flatnonzero(values != "")
    except TypeError:
        filled = np.arange(len(values))
    if filled.size:
        texts[filled] = [
            (value.strip() or None) if type(value) is str else _cell_text(value)
            for value in values[filled].tolist()
        ]
    return pd.Series(texts, index=cells.index, dtype=object)


def _normalised(text: pd.Series) -> pd.Series:
    """normalise_text on a column of strings, calling it only for the cells that need it:
    plain ASCII (almost every cell) is only trimmed, and that is done for the whole column."""
    ascii_only = text.str.isascii().fillna(True).astype(bool)
    out = text.str.strip()
    needs = ~ascii_only
    if needs.any():
        out = out.where(ascii_only, text[needs].map(normalise_text))
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


class _Collector:
    """Gathers issues column by column, vectorised: a mask and a message per kind of problem."""

    def __init__(self, rows: np.ndarray) -> None:
        self.rows = rows
        self.errors: list[CellIssue] = []
        self.warnings: list[CellIssue] = []

    def add(
        self,
        mask: np.ndarray,
        column: str,
        texts: pd.Series | Sequence[object],
        message: str | Sequence[str],
        *,
        warning: bool = False,
    ) -> None:
        target = self.warnings if warning else self.errors
        positions = np.flatnonzero(mask)
        for pos in positions:
            raw = texts.iloc[pos] if isinstance(texts, pd.Series) else texts[pos]
            text = "" if raw is None else str(raw)
            msg = message if isinstance(message, str) else message[pos]
            target.append(CellIssue(int(self.rows[pos]), column, text, msg))


def parse_specs(
    raw: pd.DataFrame,
    *,
    row_numbers: Sequence[int] | None = None,
    extra_errors: Iterable[CellIssue] = (),
) -> ParsedSpecs:
    """Parse a raw table whose columns are the file's headers (any case, any spacing).

    `row_numbers` gives each row's spreadsheet row number (default: 2, 3, ...).
    `extra_errors` are problems the file reader found (formulas, for example).
    """
    n = len(raw)
    rows = np.asarray(row_numbers if row_numbers is not None else range(2, n + 2), dtype=np.int64)
    collector = _Collector(rows)
    collector.errors.extend(extra_errors)

    columns: dict[str, pd.Series] = {}
    unknown: list[str] = []
    for position, original in enumerate(raw.columns):
        name = normalise_header(original)
        if name in TEMPLATE_COLUMNS and name not in columns:
            columns[name] = raw.iloc[:, position].reset_index(drop=True)
        elif name in TEMPLATE_COLUMNS:
            unknown.append(f"{original} (repeated column; the first one is used)")
        else:
            unknown.append(str(original))

    empty = pd.Series([None] * n, dtype=object)
    texts = {
        name: _texts(columns[name]) if name in columns else empty
        for name in TEMPLATE_COLUMNS
        if name not in PARAMETERS
    }
    out: dict[str, object] = {}

    for name in REQUIRED_COLUMNS:
        if name not in columns:
            collector.add(
                np.ones(n, bool), name, empty, f"the file has no '{name}' column (required)"
            )
        else:
            collector.add(texts[name].isna().to_numpy(), name, empty, "required")

    for name, limit in TEXT_LIMITS.items():
        text = texts[name]
        present = text.notna().to_numpy()
        as_str = text.fillna("")
        too_long = present & (as_str.str.len() > limit).to_numpy()
        collector.add(too_long, name, text, f"longer than {limit} characters")
        control = present & as_str.str.contains(CONTROL_CHARS_RE).to_numpy()
        collector.add(control, name, text, "contains control characters")
        out[name] = text
    # The natural key is compared after Unicode normalisation, so full-width and half-width
    # spellings of a part number are the same part number.
    out["sku"] = _normalised(texts["sku"]).where(texts["sku"].notna(), None).astype(object)
    out["revision"] = _normalised(texts["revision"]).fillna("").astype(object)

    out["category"], out["subtype"], out["cell_type"] = _categories(
        texts["category"], texts["subtype"], texts["cell_type"], collector
    )
    out["destination_country"] = _countries(texts["destination_country"], collector)
    out["hs_code"] = _hs_codes(texts["hs_code"], collector)
    out["annual_export_value_usd"] = _money(
        columns.get("annual_export_value_usd"), texts["annual_export_value_usd"], collector
    )

    values: dict[str, np.ndarray] = {}
    for parameter in PARAMETERS.values():
        cells = columns.get(parameter.name)
        value, raw_text = _parameter(cells, parameter, n, collector)
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
            f"{derivation.formula} gives more than the plausible maximum of "
            f"{target.maximum:g} {target.unit}; check the voltage, capacity and mass",
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
        messages = [
            f"given {given[i]:g} {unit}, but {derivation.formula} gives {computed[i]:.4g} {unit} "
            f"({percent[i]:.1f} % apart); the given value is used, check which is right"
            if disagree[i]
            else ""
            for i in range(n)
        ]
        given_text = pd.Series(given).map(lambda v: "" if np.isnan(v) else f"{v:g}")
        collector.add(disagree, derivation.target, given_text, messages, warning=True)

    _duplicates(out["sku"], out["revision"], rows, collector)

    specs = pd.DataFrame(out)
    specs.index = pd.Index(rows, name="row")
    collector.errors.sort(key=lambda e: (e.row, _column_order(e.column)))
    collector.warnings.sort(key=lambda e: (e.row, _column_order(e.column)))
    return ParsedSpecs(
        specs=specs,
        errors=collector.errors,
        warnings=collector.warnings,
        unknown_columns=tuple(unknown),
    )


def _column_order(column: str) -> int:
    try:
        return TEMPLATE_COLUMNS.index(column)
    except ValueError:
        return len(TEMPLATE_COLUMNS)


def _per_distinct(text: pd.Series, transform: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """transform(text.fillna("")), computed once per distinct cell: columns such as category or
    country repeat a handful of spellings over 100,000 rows."""
    codes, uniques = pd.factorize(text.fillna("").astype(object))
    if len(uniques) * 4 > len(text):
        return transform(text.fillna(""))
    done = transform(pd.Series(uniques, dtype=object)).to_numpy(dtype=object)
    return pd.Series(done[codes], index=text.index, dtype=object)


def _slug(text: pd.Series) -> pd.Series:
    return _per_distinct(
        text,
        lambda t: (
            _normalised(t).map(lambda v: slug(v) if isinstance(v, str) else v).replace("", None)
        ),
    )


def _categories(
    category_text: pd.Series,
    subtype_text: pd.Series,
    cell_type_text: pd.Series,
    collector: _Collector,
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(category, subtype, cell_type) codes. Listed codes, their labels and common spellings
    (rules.vocabulary synonyms) are read as the code; anything else is an error naming the
    accepted values. A blank subtype or cell type stays blank: entries that depend on it are
    then unknown, never silently "other"."""
    category = _slug(category_text)
    category = category.map(lambda v: canonical_category(v) if isinstance(v, str) else None)
    bad = (category.isna() & category_text.notna()).to_numpy()
    collector.add(
        bad, "category", category_text, "not a category; use one of " + ", ".join(CATEGORIES)
    )

    spelled = _slug(subtype_text)
    pairs = pd.Series(list(zip(category.tolist(), spelled.tolist(), strict=True)), dtype=object)
    subtype = _per_distinct(
        pairs.map(lambda p: f"{p[0]}\x00{p[1]}" if isinstance(p[1], str) else None),
        lambda keys: keys.map(_subtype_of_key),
    )
    known = category.notna().to_numpy()
    unlisted = known & spelled.notna().to_numpy() & subtype.isna().to_numpy()
    collector.add(
        unlisted,
        "subtype",
        subtype_text,
        [
            f"not a subtype of {c}; use one of {', '.join(CATEGORIES[c])}"
            if isinstance(c, str)
            else ""
            for c in category
        ],
    )

    cell_spelled = _slug(cell_type_text)
    cell_type = cell_spelled.map(lambda v: canonical_cell_type(v) if isinstance(v, str) else None)
    bad_cell = (cell_spelled.notna() & cell_type.isna()).to_numpy()
    collector.add(
        bad_cell, "cell_type", cell_type_text, "not a cell type; use primary or secondary"
    )
    return _objects(category), _objects(subtype), _objects(cell_type)


def _objects(column: pd.Series) -> pd.Series:
    """An object column with None (not NaN) for the missing cells."""
    column = column.astype(object)
    return column.where(column.notna(), None)


def _subtype_of_key(key: object) -> str | None:
    if not isinstance(key, str) or not key:
        return None
    category, spelling = key.split("\x00", 1)
    if category not in CATEGORIES:
        return None
    return canonical_subtype(category, spelling)


def _countries(text: pd.Series, collector: _Collector) -> pd.Series:
    code = _per_distinct(text, lambda t: _normalised(t).str.upper().replace("", None))
    valid = code.isin(list(country_codes()))
    bad = (code.notna() & ~valid).to_numpy()
    messages = [
        "'UK' is not an ISO code; the United Kingdom is GB"
        if c == "UK"
        else "not an ISO 3166-1 alpha-2 country code (e.g. DE, US, JP)"
        for c in code
    ]
    collector.add(bad, "destination_country", text, messages)
    return code.where(valid, None)


def _hs_codes(text: pd.Series, collector: _Collector) -> pd.Series:
    code = _per_distinct(
        text, lambda t: _normalised(t).str.replace(r"[\s.]", "", regex=True).replace("", None)
    )
    valid = code.fillna("").str.match(HS_CODE_RE)
    bad = (code.notna() & ~valid).to_numpy()
    collector.add(bad, "hs_code", text, "an HS code is 4 to 10 digits (dots and spaces allowed)")
    return code.where(valid, None)


def _money(cells: pd.Series | None, text: pd.Series, collector: _Collector) -> np.ndarray:
    n = len(text)
    if cells is not None and pd.api.types.is_numeric_dtype(cells.dtype):
        values = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        bad_text = np.zeros(n, bool)
    else:
        cleaned = _normalised(text.fillna("")).str.replace(
            r"^(US\$|USD|\$)\s*|\s*(USD)$", "", regex=True, case=False
        )
        grouped = cleaned.str.match(MONEY_GROUPED_RE)
        cleaned = cleaned.where(~grouped, cleaned.str.replace(",", "", regex=False))
        values = pd.to_numeric(cleaned.replace("", None), errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )
        bad_text = text.notna().to_numpy() & np.isnan(values)
    collector.add(bad_text, "annual_export_value_usd", text, "not an amount in USD")
    with np.errstate(invalid="ignore"):
        bad_value = ~np.isnan(values) & (~np.isfinite(values) | (values < 0))
    collector.add(bad_value, "annual_export_value_usd", text, "must be a finite amount ≥ 0")
    return np.where(bad_text | bad_value, np.nan, values)


def _parameter(
    cells: pd.Series | None, parameter: Parameter, n: int, collector: _Collector
) -> tuple[np.ndarray, pd.Series]:
    """(canonical values, original text of converted cells) for one parameter column."""
    values = np.full(n, np.nan)
    raw_text = pd.Series([None] * n, dtype=object)
    if cells is None:
        return values, raw_text
    name = parameter.name
    if pd.api.types.is_bool_dtype(cells.dtype):
        text = _texts(cells.astype(object))
        collector.add(cells.to_numpy(dtype=bool) | True, name, text, "not a number")
        return values, raw_text
    if pd.api.types.is_numeric_dtype(cells.dtype):
        values = cells.to_numpy(dtype=float, na_value=np.nan, copy=True)
        text = _NumberTexts(values)
        nonfinite = np.isinf(values)
        collector.add(nonfinite, name, text, "not a finite number")
        values[nonfinite] = np.nan
    else:
        # Plain numbers (most filled cells) convert in one C pass; only the rest are trimmed and
        # read one distinct spelling at a time.
        quick = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        numeric = np.isfinite(quick)
        series = pd.Series([None] * n, dtype=object)
        rest = ~numeric & cells.notna().to_numpy()
        if rest.any():
            series[rest] = _texts(cells.reset_index(drop=True)[rest]).to_numpy()
        slow = series.notna().to_numpy()
        values = np.where(numeric, quick, np.nan)
        text = _Texts(series, quick)
        if slow.any():
            outcomes: dict[str, tuple[float, bool] | str] = {}
            for cell in pd.unique(series[slow]):
                try:
                    outcomes[cell] = parse_quantity(cell, parameter)
                except UnitError as exc:
                    outcomes[cell] = str(exc)
            slow_positions = np.flatnonzero(slow)
            errors = np.zeros(n, bool)
            messages = [""] * n
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
        "must not be negative"
        if parameter.minimum == 0
        else f"below the plausible minimum of {parameter.minimum:g} {parameter.unit}",
    )
    collector.add(zero, name, text, "must be greater than 0")
    collector.add(
        too_big,
        name,
        text,
        f"above the plausible maximum of {parameter.maximum:g} {parameter.unit}; check the unit",
    )
    if parameter.kind == "percent":
        fraction_like = present & (values > 0) & (values <= 1) & raw_text.isna().to_numpy()
        collector.add(
            fraction_like,
            name,
            text,
            f"{name} is in percent (0–100); write '0.9995 fraction' if you meant 99.95 %",
            warning=True,
        )
    values[negative | zero | too_big] = np.nan
    return values, raw_text


def _duplicates(
    sku: pd.Series, revision: pd.Series, rows: np.ndarray, collector: _Collector
) -> None:
    key = sku.fillna("") + "\x00" + revision.fillna("")
    has_sku = sku.notna().to_numpy()
    repeated = key.duplicated(keep="first").to_numpy() & has_sku
    if not repeated.any():
        return
    first_row = pd.Series(rows).groupby(key.to_numpy()).transform("first").to_numpy()
    collector.add(
        repeated,
        "sku",
        sku,
        [f"same sku and revision as row {first_row[i]}" for i in range(len(sku))],
    )
