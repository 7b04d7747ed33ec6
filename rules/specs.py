"""Parsing product specs (SPEC_TEMPLATE.md) into canonical units, with per-cell errors.

One parser serves the web form, CSV and XLSX: each arrives as a table of raw cells (strings,
or the numbers and dates a spreadsheet holds) and leaves as a frame of canonical values with
provenance (given as a plain number, converted from which text, or derived by which formula),
plus every error and warning by spreadsheet row and column.

This module parses the identity, classification and trade columns (sku, category, subtype,
destination, …) and puts the frame together; rules.spec_parameters parses the parameter
columns. Work is done on whole columns, each distinct spelling once. Plain Python (pandas and
numpy, no Django).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd
import pycountry

from rules.cells import CellIssue, Collector, column_texts, normalise_header, normalised
from rules.messages import Template, gettext_noop
from rules.spec_parameters import parameter_columns
from rules.vocabulary import (
    CATEGORIES,
    PARAMETERS,
    REQUIRED_COLUMNS,
    TEMPLATE_COLUMNS,
    canonical_category,
    canonical_cell_type,
    canonical_subtype,
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

REPEATED_COLUMN = Template(
    "spec.repeated_column", gettext_noop("%(column)s (repeated column; the first one is used)")
)
NO_COLUMN = Template(
    "spec.no_column", gettext_noop("the file has no '%(column)s' column (required)")
)
REQUIRED = Template("spec.required", gettext_noop("required"))
TOO_LONG = Template("spec.too_long", gettext_noop("longer than %(limit)s characters"))
CONTROL_CHARACTERS = Template(
    "spec.control_characters", gettext_noop("contains control characters")
)
NOT_A_CATEGORY = Template(
    "spec.not_a_category", gettext_noop("not a category; use one of %(choices)s")
)
NOT_A_SUBTYPE = Template(
    "spec.not_a_subtype", gettext_noop("not a subtype of %(category)s; use one of %(choices)s")
)
NOT_A_CELL_TYPE = Template(
    "spec.not_a_cell_type", gettext_noop("not a cell type; use primary or secondary")
)
UK = Template("spec.uk", gettext_noop("'UK' is not an ISO code; the United Kingdom is GB"))
NOT_A_COUNTRY = Template(
    "spec.not_a_country",
    gettext_noop("not an ISO 3166-1 alpha-2 country code (e.g. DE, US, JP)"),
)
NOT_AN_HS_CODE = Template(
    "spec.not_an_hs_code",
    gettext_noop("an HS code is 4 to 10 digits (dots and spaces allowed)"),
)
NOT_AN_AMOUNT = Template("spec.not_an_amount", gettext_noop("not an amount in USD"))
NEGATIVE_AMOUNT = Template("spec.negative_amount", gettext_noop("must be a finite amount ≥ 0"))
SAME_KEY = Template("spec.same_key", gettext_noop("same sku and revision as row %(row)s"))


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


@cache
def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


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
    collector = Collector(rows)
    collector.errors.extend(extra_errors)

    columns: dict[str, pd.Series] = {}
    unknown: list[str] = []
    for position, original in enumerate(raw.columns):
        name = normalise_header(original)
        if name in TEMPLATE_COLUMNS and name not in columns:
            columns[name] = raw.iloc[:, position].reset_index(drop=True)
        elif name in TEMPLATE_COLUMNS:
            unknown.append(REPEATED_COLUMN(column=original))
        else:
            unknown.append(str(original))

    empty = pd.Series([None] * n, dtype=object)
    texts = {
        name: column_texts(columns[name]) if name in columns else empty
        for name in TEMPLATE_COLUMNS
        if name not in PARAMETERS
    }
    out: dict[str, object] = {}

    for name in REQUIRED_COLUMNS:
        if name not in columns:
            collector.add(np.ones(n, bool), name, empty, NO_COLUMN(column=name))
        else:
            collector.add(texts[name].isna().to_numpy(), name, empty, REQUIRED())

    for name, limit in TEXT_LIMITS.items():
        text = texts[name]
        present = text.notna().to_numpy()
        as_str = text.fillna("")
        too_long = present & (as_str.str.len() > limit).to_numpy()
        collector.add(too_long, name, text, TOO_LONG(limit=limit))
        control = present & as_str.str.contains(CONTROL_CHARS_RE).to_numpy()
        collector.add(control, name, text, CONTROL_CHARACTERS())
        out[name] = text
    # The natural key is compared after Unicode normalisation, so full-width and half-width
    # spellings of a part number are the same part number.
    out["sku"] = normalised(texts["sku"]).where(texts["sku"].notna(), None).astype(object)
    out["revision"] = normalised(texts["revision"]).fillna("").astype(object)

    out["category"], out["subtype"], out["cell_type"] = _categories(
        texts["category"], texts["subtype"], texts["cell_type"], collector
    )
    out["destination_country"] = _countries(texts["destination_country"], collector)
    out["hs_code"] = _hs_codes(texts["hs_code"], collector)
    out["annual_export_value_usd"] = _money(
        columns.get("annual_export_value_usd"), texts["annual_export_value_usd"], collector
    )

    out.update(parameter_columns(columns, n, collector))

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
            normalised(t).map(lambda v: slug(v) if isinstance(v, str) else v).replace("", None)
        ),
    )


def _categories(
    category_text: pd.Series,
    subtype_text: pd.Series,
    cell_type_text: pd.Series,
    collector: Collector,
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(category, subtype, cell_type) codes. Listed codes, their labels and common spellings
    (rules.vocabulary synonyms) are read as the code; anything else is an error naming the
    accepted values. A blank subtype or cell type stays blank: entries that depend on it are
    then unknown, never silently "other"."""
    category = _slug(category_text)
    category = category.map(lambda v: canonical_category(v) if isinstance(v, str) else None)
    bad = (category.isna() & category_text.notna()).to_numpy()
    collector.add(bad, "category", category_text, NOT_A_CATEGORY(choices=", ".join(CATEGORIES)))

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
            NOT_A_SUBTYPE(category=c, choices=", ".join(CATEGORIES[c]))
            if isinstance(c, str) and unlisted[i]
            else ""
            for i, c in enumerate(category)
        ],
    )

    cell_spelled = _slug(cell_type_text)
    cell_type = cell_spelled.map(lambda v: canonical_cell_type(v) if isinstance(v, str) else None)
    bad_cell = (cell_spelled.notna() & cell_type.isna()).to_numpy()
    collector.add(bad_cell, "cell_type", cell_type_text, NOT_A_CELL_TYPE())
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


def _countries(text: pd.Series, collector: Collector) -> pd.Series:
    code = _per_distinct(text, lambda t: normalised(t).str.upper().replace("", None))
    valid = code.isin(list(country_codes()))
    bad = (code.notna() & ~valid).to_numpy()
    uk, other = UK(), NOT_A_COUNTRY()
    messages = [uk if c == "UK" else other for c in code]
    collector.add(bad, "destination_country", text, messages)
    return code.where(valid, None)


def _hs_codes(text: pd.Series, collector: Collector) -> pd.Series:
    code = _per_distinct(
        text, lambda t: normalised(t).str.replace(r"[\s.]", "", regex=True).replace("", None)
    )
    valid = code.fillna("").str.match(HS_CODE_RE)
    bad = (code.notna() & ~valid).to_numpy()
    collector.add(bad, "hs_code", text, NOT_AN_HS_CODE())
    return code.where(valid, None)


def _money(cells: pd.Series | None, text: pd.Series, collector: Collector) -> np.ndarray:
    n = len(text)
    if cells is not None and pd.api.types.is_numeric_dtype(cells.dtype):
        values = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        bad_text = np.zeros(n, bool)
    else:
        cleaned = normalised(text.fillna("")).str.replace(
            r"^(US\$|USD|\$)\s*|\s*(USD)$", "", regex=True, case=False
        )
        grouped = cleaned.str.match(MONEY_GROUPED_RE)
        cleaned = cleaned.where(~grouped, cleaned.str.replace(",", "", regex=False))
        values = pd.to_numeric(cleaned.replace("", None), errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )
        bad_text = text.notna().to_numpy() & np.isnan(values)
    collector.add(bad_text, "annual_export_value_usd", text, NOT_AN_AMOUNT())
    with np.errstate(invalid="ignore"):
        bad_value = ~np.isnan(values) & (~np.isfinite(values) | (values < 0))
    collector.add(bad_value, "annual_export_value_usd", text, NEGATIVE_AMOUNT())
    return np.where(bad_text | bad_value, np.nan, values)


def _duplicates(
    sku: pd.Series, revision: pd.Series, rows: np.ndarray, collector: Collector
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
        [SAME_KEY(row=first_row[i]) if repeated[i] else "" for i in range(len(sku))],
    )
