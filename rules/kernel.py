"""The evaluator's kernel: three-valued codes for whole columns of specs.

Plain Python (numpy and pandas, no Django). One kernel works on whole columns, so screening one
product and re-screening a million run the same code: a single product is a frame of one row.
The rules are those of CONTROL_CATALOGUE.md sections 3 and 4:

- a criterion is true, false or unknown (missing value, or measured at another test condition
  than the one the criterion states, or failing a criterion that is itself unverified);
- an entry applies to some categories/subtypes; its criteria combine with three-valued AND
  (any false → no match; else any unknown → unknown; else match);
- an entry that fails only by being within the near band below its thresholds is "near";
- the product outcome follows a fixed precedence over the entries and their measures' status.

Codes are small integers so that three-valued AND is a minimum: FALSE < UNKNOWN < TRUE.
rules.evaluation turns the codes into results (rules.results).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rules.catalogue import Condition, Criterion, Entry, Scope
from rules.vocabulary import CATEGORIES, CELL_TYPE_DEFAULTS, CELL_TYPES, OUTCOMES

# Criterion codes (three-valued logic; AND is the minimum).
FALSE, UNKNOWN, TRUE = 0, 1, 2
CRITERION_RESULTS = {FALSE: "false", UNKNOWN: "unknown", TRUE: "true"}

# Entry codes.
NOT_APPLICABLE, NO_MATCH, NEAR, ENTRY_UNKNOWN, MATCH = -1, 0, 1, 2, 3
ENTRY_RESULTS = {NO_MATCH: "no_match", NEAR: "near", ENTRY_UNKNOWN: "unknown", MATCH: "match"}

OUTCOME_CODES = {name: i for i, name in enumerate(OUTCOMES)}

# Why a criterion is unknown (shown to users, and the basis of "missing").
MISSING_VALUE = "missing_value"
MISSING_CONDITION = "missing_condition"
CONDITION_MISMATCH = "condition_mismatch"
UNVERIFIED_FAILS = "unverified_criterion_fails"

_SUBTYPES = tuple(dict.fromkeys(s for subtypes in CATEGORIES.values() for s in subtypes))


def _compare(values: np.ndarray, operator: str, threshold: float) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        if operator == ">=":
            return values >= threshold
        if operator == ">":
            return values > threshold
        if operator == "<=":
            return values <= threshold
        if operator == "<":
            return values < threshold
    raise ValueError(f"unknown operator {operator!r}")


def _within_band(values: np.ndarray, operator: str, threshold: float, band: float) -> np.ndarray:
    """True where a failing value is within `band` (a fraction) of the threshold, on its side."""
    with np.errstate(invalid="ignore"):
        if operator in (">=", ">"):
            return values >= threshold * (1.0 - band)
        return values <= threshold * (1.0 + band)


def condition_holds(condition: Condition, measured: np.ndarray) -> np.ndarray:
    allowed = abs(condition.value) * condition.tolerance_pct / 100.0 + 1e-9 * max(
        1.0, abs(condition.value)
    )
    with np.errstate(invalid="ignore"):
        return np.abs(measured - condition.value) <= allowed


def criterion_kernel(
    criterion: Criterion, values: np.ndarray, condition_values: np.ndarray | None, band: float
) -> tuple[np.ndarray, np.ndarray]:
    """(codes, near) for one criterion over a column of values in its canonical unit."""
    present = ~np.isnan(values)
    codes = np.where(_compare(values, criterion.operator, criterion.threshold), TRUE, FALSE)
    codes = codes.astype(np.int8)
    if criterion.condition is not None:
        assert condition_values is not None
        codes[present & ~condition_holds(criterion.condition, condition_values)] = UNKNOWN
    codes[~present] = UNKNOWN
    near = (codes == FALSE) & _within_band(values, criterion.operator, criterion.threshold, band)
    if not criterion.verified:
        # Failing a criterion we could not verify does not rule the entry out: a reviewer decides.
        codes[codes == FALSE] = UNKNOWN
        near[:] = False
    return codes, near


class SpecColumns:
    """The columns of a spec frame as numpy arrays, with category masks computed once."""

    def __init__(self, specs: pd.DataFrame) -> None:
        self.specs = specs
        self.length = len(specs)
        self._categories = pd.Categorical(_text_column(specs, "category"), categories=CATEGORIES)
        self._subtypes = pd.Categorical(_text_column(specs, "subtype"), categories=_SUBTYPES)
        self._masks: dict[tuple[str, str | None], np.ndarray] = {}
        self._values: dict[str, np.ndarray] = {}
        self._attributes: dict[str, pd.Categorical] = {}

    def category_mask(self, category: str) -> np.ndarray:
        key = (category, None)
        if key not in self._masks:
            self._masks[key] = self._categories.codes == self._categories.categories.get_loc(
                category
            )
        return self._masks[key]

    def attribute(self, name: str) -> pd.Categorical:
        """A scope attribute (subtype, cell_type) as categorical codes; -1 where blank.

        A blank cell type takes the template's default for the chemistry (a lithium-ion or
        sodium-ion cell is secondary: CELL_TYPE_DEFAULTS)."""
        if name not in self._attributes:
            if name == "subtype":
                self._attributes[name] = self._subtypes
            else:
                given = _text_column(self.specs, name)
                default = _text_column(self.specs, "subtype").map(CELL_TYPE_DEFAULTS)
                effective = given.where(given.notna() & (given != ""), default)
                self._attributes[name] = pd.Categorical(effective, categories=CELL_TYPES)
        return self._attributes[name]

    def scope_codes(self, scope: Scope) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Whether each row is within the scope, three-valued (TRUE, UNKNOWN, FALSE), and for
        the UNKNOWN rows, which attribute's blank made them so."""
        inside = self.category_mask(scope.category)
        unknown = np.zeros(self.length, dtype=bool)
        blanks: dict[str, np.ndarray] = {}
        for name, required in scope.attributes():
            values = self.attribute(name)
            blank = values.codes == -1
            inside = inside & (blank | (values.codes == values.categories.get_loc(required)))
            blanks[name] = blank
            unknown |= blank
        codes = np.where(inside, np.where(unknown, UNKNOWN, TRUE), FALSE).astype(np.int8)
        return codes, {name: blank & (codes == UNKNOWN) for name, blank in blanks.items()}

    def flags(self, column: str) -> np.ndarray:
        """A boolean column (missing or empty cells are False)."""
        key = f"flag:{column}"
        if key not in self._values:
            if column in self.specs.columns:
                series = self.specs[column]
                self._values[key] = series.where(series.notna(), False).astype(bool).to_numpy()
            else:
                self._values[key] = np.zeros(self.length, dtype=bool)
        return self._values[key]

    def values(self, parameter: str) -> np.ndarray:
        if parameter not in self._values:
            if parameter in self.specs.columns:
                column = pd.to_numeric(self.specs[parameter], errors="coerce")
                self._values[parameter] = column.to_numpy(dtype=np.float64, na_value=np.nan)
            else:
                self._values[parameter] = np.full(self.length, np.nan)
        return self._values[parameter]

    def texts(self, column: str) -> np.ndarray:
        key = f"text:{column}"
        if key not in self._values:
            self._values[key] = _text_column(self.specs, column).to_numpy(dtype=object)
        return self._values[key]


def _text_column(specs: pd.DataFrame, name: str) -> pd.Series:
    if name in specs.columns:
        return specs[name].astype(object)
    return pd.Series([None] * len(specs), index=specs.index, dtype=object)


@dataclass(frozen=True)
class EntryArrays:
    entry: Entry
    codes: np.ndarray  # entry codes per row
    criteria: tuple[tuple[np.ndarray, np.ndarray], ...]  # (codes, near) per criterion
    # Rows whose scope is unknown because this attribute (subtype, cell_type) is blank.
    blank_attributes: dict[str, np.ndarray]


def entry_kernel(entry: Entry, columns: SpecColumns, band: float) -> EntryArrays:
    # Three-valued OR over the entry's scopes: the maximum.
    scope = np.full(columns.length, FALSE, dtype=np.int8)
    blank_attributes: dict[str, np.ndarray] = {}
    for item in entry.applies_to:
        codes, blanks = columns.scope_codes(item)
        scope = np.maximum(scope, codes)
        for name, mask in blanks.items():
            blank_attributes[name] = blank_attributes.get(name, False) | mask
    criteria = tuple(
        criterion_kernel(
            c,
            columns.values(c.parameter),
            columns.values(c.condition.parameter) if c.condition else None,
            band,
        )
        for c in entry.criteria
    )
    if not entry.criteria_confirmed:
        codes = np.full(columns.length, ENTRY_UNKNOWN, dtype=np.int8)
    elif not criteria:
        codes = np.full(columns.length, MATCH, dtype=np.int8)
    else:
        combined = np.minimum.reduce([c for c, _ in criteria])
        all_near_or_true = np.logical_and.reduce([(c == TRUE) | n for c, n in criteria])
        codes = np.select(
            [combined == TRUE, combined == UNKNOWN, all_near_or_true],
            [MATCH, ENTRY_UNKNOWN, NEAR],
            default=NO_MATCH,
        ).astype(np.int8)
    # A product that may or may not be in scope (its subtype is blank) matches only "maybe";
    # if a criterion plainly fails it is out whatever its subtype, and "near" stays near.
    codes[(scope == UNKNOWN) & (codes == MATCH)] = ENTRY_UNKNOWN
    codes[scope == FALSE] = NOT_APPLICABLE
    blank_attributes = {
        name: mask & (codes == ENTRY_UNKNOWN) for name, mask in blank_attributes.items()
    }
    return EntryArrays(entry, codes, criteria, blank_attributes)


def outcome_codes(
    entries: tuple[EntryArrays, ...], statuses: dict[str, str], invalid: np.ndarray
) -> np.ndarray:
    """The outcome code of every row from its entries' codes and their measures' statuses on
    the as-of date, by the precedence of CONTROL_CATALOGUE.md §4 (the order of OUTCOMES)."""
    n = len(invalid)
    in_force_match = np.zeros(n, dtype=bool)
    in_force_unknown = np.zeros(n, dtype=bool)
    in_force_near = np.zeros(n, dtype=bool)
    other_hit = np.zeros(n, dtype=bool)
    for arrays in entries:
        if statuses[arrays.entry.measure] == "in_force":
            in_force_match |= arrays.codes == MATCH
            in_force_unknown |= arrays.codes == ENTRY_UNKNOWN
            in_force_near |= arrays.codes == NEAR
        else:
            other_hit |= arrays.codes >= ENTRY_UNKNOWN
    return np.select(
        [invalid, in_force_match, in_force_unknown, other_hit, in_force_near],
        [OUTCOME_CODES[o] for o in OUTCOMES[:5]],
        default=OUTCOME_CODES["not_controlled"],
    ).astype(np.int8)
