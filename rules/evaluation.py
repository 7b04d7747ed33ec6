"""The evaluator: screens parsed specs against a catalogue as of a date, and explains the result.

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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from rules.catalogue import Catalogue, Condition, Criterion, Entry, Measure, Window
from rules.vocabulary import CATEGORIES, OUTCOMES, PARAMETERS

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


def derived_column(parameter: str) -> str:
    """Name of the boolean column saying a parameter's value was derived by a formula."""
    return f"{parameter}__derived"


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


class _Columns:
    """The columns of a spec frame as numpy arrays, with category masks computed once."""

    def __init__(self, specs: pd.DataFrame) -> None:
        self.specs = specs
        self.length = len(specs)
        self._categories = pd.Categorical(_text_column(specs, "category"), categories=CATEGORIES)
        self._subtypes = pd.Categorical(_text_column(specs, "subtype"), categories=_SUBTYPES)
        self._masks: dict[tuple[str, str | None], np.ndarray] = {}
        self._values: dict[str, np.ndarray] = {}

    def scope_mask(self, category: str, subtype: str | None) -> np.ndarray:
        key = (category, subtype)
        if key not in self._masks:
            mask = self._categories.codes == self._categories.categories.get_loc(category)
            if subtype is not None:
                mask = mask & (self._subtypes.codes == self._subtypes.categories.get_loc(subtype))
            self._masks[key] = mask
        return self._masks[key]

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


def _text_column(specs: pd.DataFrame, name: str) -> pd.Series:
    if name in specs.columns:
        return specs[name].astype(object)
    return pd.Series([None] * len(specs), index=specs.index, dtype=object)


@dataclass(frozen=True)
class EntryArrays:
    entry: Entry
    codes: np.ndarray  # entry codes per row
    criteria: tuple[tuple[np.ndarray, np.ndarray], ...]  # (codes, near) per criterion


def entry_kernel(entry: Entry, columns: _Columns, band: float) -> EntryArrays:
    applicable = np.zeros(columns.length, dtype=bool)
    for scope in entry.applies_to:
        applicable |= columns.scope_mask(scope.category, scope.subtype)
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
    codes[~applicable] = NOT_APPLICABLE
    return EntryArrays(entry, codes, criteria)


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    value: float | None
    raw: str | None  # the cell as entered, when it was converted from another unit
    derived: bool
    result: str  # true | false | unknown
    near: bool
    reason: str  # "" or one of the unknown reasons above
    condition_value: float | None

    def to_contract(self) -> dict[str, Any]:
        c = self.criterion
        return {
            "parameter": c.parameter,
            "operator": c.operator,
            "threshold": _plain_number(c.threshold),
            "unit": c.unit,
            "value": self.value,
            "derived": self.derived,
            "result": self.result,
        }


@dataclass(frozen=True)
class EntryResult:
    entry: Entry
    measure: Measure
    result: str  # match | unknown | near
    measure_status: str
    window: Window | None
    criteria: tuple[CriterionResult, ...]

    @property
    def in_force(self) -> bool:
        return self.measure_status == "in_force"

    @property
    def reason(self) -> str:
        return "" if self.entry.criteria_confirmed else "criteria_unconfirmed"

    def to_contract(self) -> dict[str, Any]:
        return {
            "key": self.entry.key,
            "measure": self.entry.measure,
            "code": self.entry.code,
            "result": self.result,
            "measure_status": self.measure_status,
            "criteria": [c.to_contract() for c in self.criteria],
        }


@dataclass(frozen=True)
class ProductResult:
    """The screening of one product as of a date, with everything needed to explain it."""

    outcome: str
    as_of: dt.date
    entries: tuple[EntryResult, ...]  # matched, unknown or near (the contract's list)
    missing: tuple[str, ...]
    advisories: tuple[tuple[str, str], ...] = ()  # (English, Chinese)
    # Entries that apply to the product's category but plainly fail: the evidence for
    # "not controlled". Not part of the contract's list.
    not_met: tuple[EntryResult, ...] = ()

    @property
    def customs_remark(self) -> str:
        """The remark for the customs declaration (in Chinese, as the declaration needs it)."""
        if self.outcome == "licence_required":
            codes = [
                e.entry.code
                for e in self.entries
                if e.in_force and e.result == "match" and e.measure.licence_kind == "dual_use"
            ]
            if codes:
                return "属于两用物项，管制编码：" + "、".join(codes)
            return ""
        if self.outcome == "near_threshold":
            parts = []
            for e in self.entries:
                if e.in_force and e.result == "near":
                    for c in e.criteria:
                        parameter = PARAMETERS[c.criterion.parameter]
                        parts.append(
                            f"{parameter.label_zh} {_format_number(c.value)} {parameter.unit}"
                        )
            return "不属于管制物项；" + "，".join(dict.fromkeys(parts))
        return ""

    @property
    def licence_paths(self) -> tuple[str, ...]:
        """The kinds of licence the matching in-force entries call for."""
        return tuple(
            dict.fromkeys(
                e.measure.licence_kind
                for e in self.entries
                if e.in_force and e.result == "match" and e.measure.licence_kind != "none"
            )
        )

    def to_contract(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "entries": [e.to_contract() for e in self.entries],
            "missing": list(self.missing),
        }


def _plain_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _format_number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


class FrameScreening:
    """The screening of a frame of specs: codes for every row, explanations on demand."""

    def __init__(
        self,
        specs: pd.DataFrame,
        catalogue: Catalogue,
        as_of: dt.date,
        invalid: np.ndarray | None = None,
    ) -> None:
        self.specs = specs
        self.catalogue = catalogue
        self.as_of = as_of
        self.statuses = {m.key: m.status_on(as_of) for m in catalogue.measures}
        columns = _Columns(specs)
        self._columns = columns
        band = catalogue.near_band_pct / 100.0
        self.entries = tuple(entry_kernel(e, columns, band) for e in catalogue.entries)
        n = len(specs)
        self.invalid = np.zeros(n, dtype=bool) if invalid is None else np.asarray(invalid, bool)
        self.outcome_codes = self._outcomes(n)

    def _outcomes(self, n: int) -> np.ndarray:
        in_force_match = np.zeros(n, dtype=bool)
        in_force_unknown = np.zeros(n, dtype=bool)
        in_force_near = np.zeros(n, dtype=bool)
        other_hit = np.zeros(n, dtype=bool)
        for arrays in self.entries:
            if self.statuses[arrays.entry.measure] == "in_force":
                in_force_match |= arrays.codes == MATCH
                in_force_unknown |= arrays.codes == ENTRY_UNKNOWN
                in_force_near |= arrays.codes == NEAR
            else:
                other_hit |= arrays.codes >= ENTRY_UNKNOWN
        return np.select(
            [self.invalid, in_force_match, in_force_unknown, other_hit, in_force_near],
            [OUTCOME_CODES[o] for o in OUTCOMES[:5]],
            default=OUTCOME_CODES["not_controlled"],
        ).astype(np.int8)

    @cached_property
    def outcomes(self) -> pd.Series:
        """The outcome name for every row, indexed like the specs."""
        names = np.array(OUTCOMES, dtype=object)[self.outcome_codes]
        return pd.Series(names, index=self.specs.index, name="outcome")

    def contracts(self) -> list[dict[str, Any]]:
        """The contract form of every row's result (`explain(i).to_contract()` for all i),
        built from the arrays without a per-row pass over the frame: for large imports."""
        n = len(self.specs)
        names = np.array(OUTCOMES, dtype=object)[self.outcome_codes]
        entries: list[list[dict[str, Any]]] = [[] for _ in range(n)]
        missing: dict[int, set[str]] = {}
        valid = ~self.invalid
        for arrays in self.entries:
            listed = np.flatnonzero(valid & (arrays.codes >= NEAR))
            if not listed.size:
                continue
            entry = arrays.entry
            status = self.statuses[entry.measure]
            columns = []
            for criterion, (codes, _near) in zip(entry.criteria, arrays.criteria, strict=True):
                values = self._columns.values(criterion.parameter)[listed]
                derived = self._flags(derived_column(criterion.parameter))[listed]
                condition = (
                    self._columns.values(criterion.condition.parameter)[listed]
                    if criterion.condition
                    else None
                )
                # Python lists, not arrays: indexing a numpy array per row costs more here.
                columns.append(
                    (
                        criterion,
                        _plain_number(criterion.threshold),
                        codes[listed].tolist(),
                        values.tolist(),
                        derived.tolist(),
                        condition.tolist() if condition is not None else None,
                    )
                )
            entry_codes = arrays.codes[listed].tolist()
            for k, row in enumerate(listed.tolist()):
                code = entry_codes[k]
                criteria = []
                for criterion, threshold, codes, values, derived, condition in columns:
                    value = values[k]
                    result = CRITERION_RESULTS[codes[k]]
                    criteria.append(
                        {
                            "parameter": criterion.parameter,
                            "operator": criterion.operator,
                            "threshold": threshold,
                            "unit": criterion.unit,
                            "value": None if value != value else value,  # NaN: no value
                            "derived": bool(derived[k]),
                            "result": result,
                        }
                    )
                    if status == "in_force" and code == ENTRY_UNKNOWN and result == "unknown":
                        if value != value:
                            missing.setdefault(row, set()).add(criterion.parameter)
                        elif condition is not None and condition[k] != condition[k]:
                            missing.setdefault(row, set()).add(criterion.condition.parameter)
                entries[row].append(
                    {
                        "key": entry.key,
                        "measure": entry.measure,
                        "code": entry.code,
                        "result": ENTRY_RESULTS[code],
                        "measure_status": status,
                        "criteria": criteria,
                    }
                )
        order = {name: i for i, name in enumerate(PARAMETERS)}
        return [
            {
                "outcome": names[i],
                "entries": entries[i],
                "missing": sorted(missing[i], key=order.__getitem__) if i in missing else [],
            }
            for i in range(n)
        ]

    def _flags(self, column: str) -> np.ndarray:
        return self._columns.flags(column)

    def explain(self, position: int) -> ProductResult:
        """Everything about the row at this position (0-based), in catalogue order."""
        outcome = OUTCOMES[self.outcome_codes[position]]
        if outcome == "invalid":
            return ProductResult(outcome=outcome, as_of=self.as_of, entries=(), missing=())
        row = self.specs.iloc[position]
        results = []
        not_met = []
        missing: list[str] = []
        for arrays in self.entries:
            code = int(arrays.codes[position])
            if code == NOT_APPLICABLE:
                continue
            entry = arrays.entry
            measure = self.catalogue.measures_by_key[entry.measure]
            status = self.statuses[entry.measure]
            criteria = tuple(
                self._criterion_result(criterion, codes[position], near[position], row)
                for criterion, (codes, near) in zip(entry.criteria, arrays.criteria, strict=True)
            )
            entry_result = EntryResult(
                entry=entry,
                measure=measure,
                result=ENTRY_RESULTS[code],
                measure_status=status,
                window=measure.window_on(self.as_of),
                criteria=criteria,
            )
            if code == NO_MATCH:
                not_met.append(entry_result)
                continue
            results.append(entry_result)
            if status == "in_force" and code == ENTRY_UNKNOWN:
                for c in criteria:
                    if c.reason == MISSING_VALUE:
                        missing.append(c.criterion.parameter)
                    elif c.reason == MISSING_CONDITION and c.criterion.condition:
                        missing.append(c.criterion.condition.parameter)
        order = {name: i for i, name in enumerate(PARAMETERS)}
        return ProductResult(
            outcome=outcome,
            as_of=self.as_of,
            entries=tuple(results),
            missing=tuple(sorted(set(missing), key=order.__getitem__)),
            advisories=self._advisories(row, results),
            not_met=tuple(not_met),
        )

    def _criterion_result(
        self, criterion: Criterion, code: int, near: bool, row: pd.Series
    ) -> CriterionResult:
        value = _cell_number(row.get(criterion.parameter))
        condition_value = (
            _cell_number(row.get(criterion.condition.parameter)) if criterion.condition else None
        )
        reason = ""
        if code == UNKNOWN:
            if value is None:
                reason = MISSING_VALUE
            elif criterion.condition is not None and condition_value is None:
                reason = MISSING_CONDITION
            elif criterion.condition is not None and not bool(
                condition_holds(criterion.condition, np.array([condition_value]))[0]
            ):
                reason = CONDITION_MISMATCH
            else:
                reason = UNVERIFIED_FAILS
        raw = row.get(f"{criterion.parameter}__raw")
        return CriterionResult(
            criterion=criterion,
            value=value,
            raw=raw if isinstance(raw, str) and raw else None,
            derived=_flag(row.get(derived_column(criterion.parameter))),
            result=CRITERION_RESULTS[int(code)],
            near=bool(near),
            reason=reason,
            condition_value=condition_value,
        )

    def _advisories(
        self, row: pd.Series, results: Iterable[EntryResult]
    ) -> tuple[tuple[str, str], ...]:
        destination = row.get("destination_country")
        matched = {r.entry.measure for r in results if r.in_force and r.result == "match"}
        notes = []
        for measure in self.catalogue.measures:
            overlay = measure.overlay
            if (
                overlay is not None
                and self.statuses[measure.key] == "in_force"
                and destination in overlay.destinations
                and matched.intersection(overlay.on_measures)
            ):
                notes.append((overlay.advice_en, overlay.advice_zh))
        return tuple(notes)


def _flag(value: Any) -> bool:
    return isinstance(value, bool | np.bool_) and bool(value)


def _cell_number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) else number


def screen_frame(
    specs: pd.DataFrame,
    catalogue: Catalogue,
    as_of: dt.date,
    *,
    invalid: np.ndarray | None = None,
) -> FrameScreening:
    """Screen every row of a frame of parsed specs (canonical units) as of a date."""
    return FrameScreening(specs, catalogue, as_of, invalid)


def screen_one(spec: Mapping[str, Any], catalogue: Catalogue, as_of: dt.date) -> ProductResult:
    """Screen one parsed spec (a mapping of column → value in canonical units)."""
    frame = pd.DataFrame([dict(spec)])
    return screen_frame(frame, catalogue, as_of).explain(0)
