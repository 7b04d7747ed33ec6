"""The evaluator: screens parsed specs against a catalogue as of a date, and explains the result.

Plain Python (numpy and pandas, no Django). `screen_frame` runs the kernel (rules.kernel) over a
whole frame: codes for every row and entry, the outcome of every row, overall and per regime.
From those arrays it builds each row's result (rules.results) on demand, `explain(i)`, or the
contract form of every row at once, `contracts()`, without a per-row pass over the frame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from rules.catalogue import Catalogue, Criterion
from rules.certainty import Confirmation, assumptions_on
from rules.kernel import (
    CONDITION_MISMATCH,
    CRITERION_RESULTS,
    ENTRY_RESULTS,
    ENTRY_UNKNOWN,
    MISSING_CONDITION,
    MISSING_VALUE,
    NEAR,
    NO_MATCH,
    NOT_APPLICABLE,
    UNKNOWN,
    UNVERIFIED_FAILS,
    SpecColumns,
    condition_holds,
    entry_kernel,
    outcome_codes,
)
from rules.results import (
    CriterionResult,
    EntryResult,
    ProductResult,
    RowNotes,
    column_position,
    notes_key,
    plain_number,
    row_notes,
)
from rules.vocabulary import OUTCOMES, derived_column, raw_column


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
        columns = SpecColumns(specs)
        self._columns = columns
        band = catalogue.near_band_pct / 100.0
        self.entries = tuple(entry_kernel(e, columns, band) for e in catalogue.entries)
        n = len(specs)
        self.invalid = np.zeros(n, dtype=bool) if invalid is None else np.asarray(invalid, bool)
        self.outcome_codes = outcome_codes(self.entries, self.statuses, self.invalid)
        measures = catalogue.measures_by_key
        self.regime_outcome_codes = {
            regime: outcome_codes(
                tuple(a for a in self.entries if measures[a.entry.measure].regime == regime),
                self.statuses,
                self.invalid,
            )
            for regime in catalogue.regimes
        }
        self._sentences = {
            key: assumption.sentence(catalogue) for key, assumption in self.assumptions.items()
        }

    @cached_property
    def outcomes(self) -> pd.Series:
        """The outcome name for every row, indexed like the specs."""
        names = np.array(OUTCOMES, dtype=object)[self.outcome_codes]
        return pd.Series(names, index=self.specs.index, name="outcome")

    def run_warnings(self) -> list[dict[str, str]]:
        """Warnings for the whole run: every measure whose status on the as-of date is assumed."""
        return [{"measure": key, "message": sentence} for key, sentence in self._sentences.items()]

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
                        plain_number(criterion.threshold),
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
                        elif (
                            criterion.condition is not None
                            and condition is not None
                            and condition[k] != condition[k]
                        ):
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
        # Rows that list the same entries with the same results for the same destination have
        # the same notes (rules.results.notes_key): worked out once (most rows of a file are
        # alike; the notes were a third of this function's time).
        known: dict[tuple[Any, ...], RowNotes] = {}
        results = []
        for i in range(n):
            by_regime = {regime: outcomes[i] for regime, outcomes in regime_names.items()}
            if entries[i]:
                key = notes_key(entries[i], by_regime, destinations[i])
                notes = known.get(key) if key is not None else None
                if notes is None:
                    notes = self._notes(entries[i], by_regime, destinations[i])
                    if key is not None:
                        known[key] = notes
                remark, warnings = notes.customs_remark, list(notes.warnings)
            else:
                remark, warnings = None, []
            results.append(
                {
                    "outcome": names[i],
                    "outcomes_by_regime": by_regime,
                    "customs_remark": remark,
                    "entries": entries[i],
                    "missing": sorted(missing[i], key=column_position) if i in missing else [],
                    "warnings": warnings,
                }
            )
        return results

    def _flags(self, column: str) -> np.ndarray:
        return self._columns.flags(column)

    def _notes(
        self, entries: list[dict[str, Any]], outcomes_by_regime: dict[str, str], destination: Any
    ) -> RowNotes:
        """The notes of one row (rules.results.row_notes) with this run's statuses."""
        return row_notes(
            entries,
            outcomes_by_regime,
            destination,
            catalogue=self.catalogue,
            statuses=self.statuses,
            assumptions=self.assumptions,
            sentences=self._sentences,
        )

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
            notes = self._notes(
                [r.to_contract() for r in results], by_regime, row.get("destination_country")
            )
        else:
            notes = RowNotes(None, (), (), (), ())
        return ProductResult(
            outcome=outcome,
            as_of=self.as_of,
            entries=tuple(results),
            missing=tuple(sorted(set(missing), key=column_position)),
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
        raw = row.get(raw_column(criterion.parameter))
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
