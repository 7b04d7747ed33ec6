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
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from rules.catalogue import Catalogue, Condition, Criterion, Entry, Measure, Scope, Window
from rules.certainty import Assumption, Confirmation, assumptions_on
from rules.vocabulary import (
    CATEGORIES,
    CELL_TYPE_DEFAULTS,
    CELL_TYPES,
    OUTCOMES,
    PARAMETERS,
    TEMPLATE_COLUMNS,
)

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

    def texts(self, column: str) -> list[Any]:
        key = f"text:{column}"
        if key not in self._values:
            self._values[key] = _text_column(self.specs, column).to_numpy(dtype=object)
        return self._values[key]  # type: ignore[return-value]


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


def entry_kernel(entry: Entry, columns: _Columns, band: float) -> EntryArrays:
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
    # The measure's status on the as-of date is an assumption (rules.certainty).
    assumption: Assumption | None = None
    # Scope attributes (subtype, cell_type) whose blank left it open whether the entry applies.
    blank_attributes: tuple[str, ...] = ()

    @property
    def in_force(self) -> bool:
        return self.measure_status == "in_force"

    @property
    def status_needs_confirmation(self) -> bool:
        return self.assumption is not None

    @property
    def reason(self) -> str:
        if not self.entry.criteria_confirmed:
            return "criteria_unconfirmed"
        return "scope_unknown" if self.blank_attributes else ""

    def to_contract(self) -> dict[str, Any]:
        return {
            "key": self.entry.key,
            "measure": self.entry.measure,
            "regime": self.measure.regime,
            "code": self.entry.code,
            "code_confirmed": self.entry.code_confirmed,
            "result": self.result,
            "measure_status": self.measure_status,
            "status_needs_confirmation": self.status_needs_confirmation,
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
    outcomes_by_regime: Mapping[str, str] = field(default_factory=dict)
    # The remark for the customs declaration (CN only, in Chinese as the declaration needs it);
    # None when no remark applies or a code it would carry is not confirmed.
    customs_remark: str | None = None
    # Entries whose unconfirmed code withholds the customs remark (keys).
    codes_to_confirm: tuple[str, ...] = ()
    # Measures whose status on the as-of date this result assumes (rules.certainty).
    assumptions: tuple[Assumption, ...] = ()
    # Warnings of the evaluation ({"column": None, "message": ...}); the spec's own warnings
    # (a given value that disagrees with the derived one, ...) are kept with the spec.
    warnings: tuple[dict[str, Any], ...] = ()

    @property
    def status_needs_confirmation(self) -> bool:
        return bool(self.assumptions)

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
            "outcomes_by_regime": dict(self.outcomes_by_regime),
            "customs_remark": self.customs_remark,
            "entries": [e.to_contract() for e in self.entries],
            "missing": list(self.missing),
            "warnings": [dict(w) for w in self.warnings],
        }


def _plain_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _format_number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


# The regime whose customs declaration the remark is for (CONTROL_CATALOGUE.md §5).
REMARK_REGIME = "CN"
REMARK_LICENCE = "dual_use"


@dataclass(frozen=True)
class RowNotes:
    """What a row's listed entries imply beyond its outcome: the customs remark, the codes that
    withhold it, the assumed statuses and the destination advisories, with the warnings that
    say so. Built from the contract form of the entries, so the whole-frame path and the
    one-row explanation share it."""

    customs_remark: str | None
    codes_to_confirm: tuple[str, ...]
    assumptions: tuple[Assumption, ...]
    advisories: tuple[tuple[str, str], ...]
    warnings: tuple[dict[str, Any], ...]


class FrameScreening:
    """The screening of a frame of specs: codes for every row, explanations on demand.

    `confirmations` are the status confirmations recorded by rules administrators (up to the
    moment the screening is made): they decide which statuses are assumptions.
    """

    def __init__(
        self,
        specs: pd.DataFrame,
        catalogue: Catalogue,
        as_of: dt.date,
        invalid: np.ndarray | None = None,
        confirmations: Iterable[Confirmation] = (),
    ) -> None:
        self.specs = specs
        self.catalogue = catalogue
        self.as_of = as_of
        self.statuses = {m.key: m.status_on(as_of) for m in catalogue.measures}
        self.assumptions = assumptions_on(catalogue, as_of, confirmations)
        columns = _Columns(specs)
        self._columns = columns
        band = catalogue.near_band_pct / 100.0
        self.entries = tuple(entry_kernel(e, columns, band) for e in catalogue.entries)
        n = len(specs)
        self.invalid = np.zeros(n, dtype=bool) if invalid is None else np.asarray(invalid, bool)
        self.outcome_codes = self._outcomes(self.entries)
        measures = catalogue.measures_by_key
        self.regime_outcome_codes = {
            regime: self._outcomes(
                tuple(a for a in self.entries if measures[a.entry.measure].regime == regime)
            )
            for regime in catalogue.regimes
        }
        self._run_sentences = {
            key: assumption.sentence(catalogue) for key, assumption in self.assumptions.items()
        }

    def _outcomes(self, entries: tuple[EntryArrays, ...]) -> np.ndarray:
        n = len(self.specs)
        in_force_match = np.zeros(n, dtype=bool)
        in_force_unknown = np.zeros(n, dtype=bool)
        in_force_near = np.zeros(n, dtype=bool)
        other_hit = np.zeros(n, dtype=bool)
        for arrays in entries:
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

    def run_warnings(self) -> list[dict[str, str]]:
        """Warnings for the whole run: every measure whose status on the as-of date is assumed."""
        return [
            {"measure": key, "message": sentence} for key, sentence in self._run_sentences.items()
        ]

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
            measure = self.catalogue.measures_by_key[entry.measure]
            status = self.statuses[entry.measure]
            assumed = entry.measure in self.assumptions
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
            blanks = [
                (name, mask[listed].tolist()) for name, mask in arrays.blank_attributes.items()
            ]
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
                if status == "in_force":
                    for name, blank in blanks:
                        if blank[k]:
                            missing.setdefault(row, set()).add(name)
                entries[row].append(
                    {
                        "key": entry.key,
                        "measure": entry.measure,
                        "regime": measure.regime,
                        "code": entry.code,
                        "code_confirmed": entry.code_confirmed,
                        "result": ENTRY_RESULTS[code],
                        "measure_status": status,
                        "status_needs_confirmation": assumed,
                        "criteria": criteria,
                    }
                )
        regime_names = {
            regime: np.array(OUTCOMES, dtype=object)[codes].tolist()
            for regime, codes in self.regime_outcome_codes.items()
        }
        destinations = self._columns.texts("destination_country")
        results = []
        for i in range(n):
            by_regime = {regime: outcomes[i] for regime, outcomes in regime_names.items()}
            if entries[i]:
                notes = self.row_notes(entries[i], by_regime, destinations[i])
                remark, warnings = notes.customs_remark, list(notes.warnings)
            else:
                remark, warnings = None, []
            results.append(
                {
                    "outcome": names[i],
                    "outcomes_by_regime": by_regime,
                    "customs_remark": remark,
                    "entries": entries[i],
                    "missing": sorted(missing[i], key=_column_position) if i in missing else [],
                    "warnings": warnings,
                }
            )
        return results

    def _flags(self, column: str) -> np.ndarray:
        return self._columns.flags(column)

    def row_notes(
        self, entries: list[dict[str, Any]], outcomes_by_regime: Mapping[str, str], destination: Any
    ) -> RowNotes:
        """The remark, assumptions, advisories and warnings of one row, from the contract form
        of its listed entries (CONTROL_CATALOGUE.md §5)."""
        warnings: list[dict[str, Any]] = []
        assumed = dict.fromkeys(e["measure"] for e in entries if e["status_needs_confirmation"])
        remark, to_confirm = self._remark(entries, outcomes_by_regime.get(REMARK_REGIME))
        if to_confirm:
            warnings.append(
                {
                    "column": None,
                    "message": "No customs remark: the control code of "
                    + ", ".join(to_confirm)
                    + " is not confirmed (an item number is not a control code). A rules "
                    "administrator must record the confirmed code in the catalogue first.",
                }
            )
        matched_in_force = {
            e["measure"]
            for e in entries
            if e["result"] == "match" and e["measure_status"] == "in_force"
        }
        advisories = []
        for measure in self.catalogue.measures:
            overlay = measure.overlay
            if (
                overlay is not None
                and self.statuses[measure.key] == "in_force"
                and destination in overlay.destinations
                and matched_in_force.intersection(overlay.on_measures)
            ):
                advisories.append((overlay.advice_en, overlay.advice_zh))
                warnings.append({"column": "destination_country", "message": overlay.advice_en})
                if measure.key in self.assumptions:
                    assumed[measure.key] = None
        for key in assumed:
            warnings.append({"column": None, "message": self._run_sentences[key]})
        return RowNotes(
            customs_remark=remark,
            codes_to_confirm=tuple(to_confirm),
            assumptions=tuple(self.assumptions[key] for key in assumed),
            advisories=tuple(advisories),
            warnings=tuple(warnings),
        )

    def _remark(
        self, entries: list[dict[str, Any]], outcome: str | None
    ) -> tuple[str | None, list[str]]:
        """(customs remark or None, entry keys whose unconfirmed code withholds it). Only from
        in-force measures of the Chinese regime whose licence is the dual-use export licence:
        never another regime's entries, never a technology-catalogue item."""
        measures = self.catalogue.measures_by_key
        declared = [
            e
            for e in entries
            if e["regime"] == REMARK_REGIME
            and e["measure_status"] == "in_force"
            and measures[e["measure"]].licence_kind == REMARK_LICENCE
        ]
        if outcome == "licence_required":
            matching = [e for e in declared if e["result"] == "match"]
            unconfirmed = [e["key"] for e in matching if not e["code_confirmed"]]
            if unconfirmed:
                return None, unconfirmed
            if matching:
                codes = dict.fromkeys(e["code"] for e in matching)
                return "属于两用物项，管制编码：" + "、".join(codes), []
            return None, []
        if outcome == "near_threshold":
            parts = []
            for e in declared:
                if e["result"] != "near":
                    continue
                for c in e["criteria"]:
                    parameter = PARAMETERS[c["parameter"]]
                    value = _format_number(c["value"])
                    parts.append(f"{parameter.label_zh} {value} {parameter.unit}")
            if parts:
                return "不属于管制物项；" + "，".join(dict.fromkeys(parts)), []
        return None, []

    def explain(self, position: int) -> ProductResult:
        """Everything about the row at this position (0-based), in catalogue order."""
        outcome = OUTCOMES[self.outcome_codes[position]]
        by_regime = {
            regime: OUTCOMES[codes[position]] for regime, codes in self.regime_outcome_codes.items()
        }
        if outcome == "invalid":
            return ProductResult(
                outcome=outcome,
                as_of=self.as_of,
                entries=(),
                missing=(),
                outcomes_by_regime=by_regime,
            )
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
            blank = tuple(name for name, mask in arrays.blank_attributes.items() if mask[position])
            entry_result = EntryResult(
                entry=entry,
                measure=measure,
                result=ENTRY_RESULTS[code],
                measure_status=status,
                window=measure.window_on(self.as_of),
                criteria=criteria,
                assumption=self.assumptions.get(entry.measure),
                blank_attributes=blank,
            )
            if code == NO_MATCH:
                not_met.append(entry_result)
                continue
            results.append(entry_result)
            if status == "in_force" and code == ENTRY_UNKNOWN:
                missing.extend(blank)
                for c in criteria:
                    if c.reason == MISSING_VALUE:
                        missing.append(c.criterion.parameter)
                    elif c.reason == MISSING_CONDITION and c.criterion.condition:
                        missing.append(c.criterion.condition.parameter)
        if results:
            notes = self.row_notes(
                [r.to_contract() for r in results], by_regime, row.get("destination_country")
            )
        else:
            notes = RowNotes(None, (), (), (), ())
        return ProductResult(
            outcome=outcome,
            as_of=self.as_of,
            entries=tuple(results),
            missing=tuple(sorted(set(missing), key=_column_position)),
            advisories=notes.advisories,
            not_met=tuple(not_met),
            outcomes_by_regime=by_regime,
            customs_remark=notes.customs_remark,
            codes_to_confirm=notes.codes_to_confirm,
            assumptions=notes.assumptions,
            warnings=notes.warnings,
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


_COLUMN_ORDER = {name: i for i, name in enumerate(TEMPLATE_COLUMNS)}


def _column_position(name: str) -> int:
    """Missing data in the template's column order (subtype first, then the parameters)."""
    return _COLUMN_ORDER.get(name, len(_COLUMN_ORDER))


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
    confirmations: Iterable[Confirmation] = (),
) -> FrameScreening:
    """Screen every row of a frame of parsed specs (canonical units) as of a date."""
    return FrameScreening(specs, catalogue, as_of, invalid, confirmations)
