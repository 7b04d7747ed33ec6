"""What a screening says about one product: its result with the entries and criteria behind it,
their contract form (the JSON of the `screen` command and the API), the customs remark and the
row's notes (CONTROL_CATALOGUE.md §5).

Plain Python (no Django). rules.evaluation builds these from the kernel's codes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rules.catalogue import Catalogue, Criterion, Entry, Measure, Window
from rules.certainty import Assumption
from rules.messages import Message, Template, Words, gettext_noop
from rules.vocabulary import PARAMETERS, TEMPLATE_COLUMNS


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
            "threshold": plain_number(c.threshold),
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


def plain_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def format_number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


# The outcomes' names, as a message's parameter (a timeline entry says which outcome changed
# into which, in its reader's language); rules.labels.OUTCOME_LABELS are these words.
OUTCOME_WORDS = {
    "invalid": Template("outcome.invalid", gettext_noop("Invalid input")),
    "licence_required": Template("outcome.licence_required", gettext_noop("Licence required")),
    "indeterminate": Template("outcome.indeterminate", gettext_noop("Indeterminate: data missing")),
    "not_in_force": Template(
        "outcome.not_in_force", gettext_noop("Listed, but not in force on this date")
    ),
    "near_threshold": Template(
        "outcome.near_threshold", gettext_noop("Not controlled, near a threshold")
    ),
    "not_controlled": Template("outcome.not_controlled", gettext_noop("Not controlled")),
}


def outcome_words(code: str) -> Message | str:
    """An outcome's name as a message parameter (its code when it is none of ours)."""
    template = OUTCOME_WORDS.get(code)
    return template() if template is not None else code


NO_REMARK = Template(
    "results.no_remark",
    gettext_noop(
        "No customs remark: the control code of %(keys)s is not confirmed (an item number is "
        "not a control code). A rules administrator must record the confirmed code in the "
        "catalogue first."
    ),
)
# A destination advisory of the catalogue, in the reader's language (Words).
ADVICE = Template("results.advice", gettext_noop("%(advice)s"))

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


def row_notes(
    entries: list[dict[str, Any]],
    outcomes_by_regime: Mapping[str, str],
    destination: Any,
    *,
    catalogue: Catalogue,
    statuses: Mapping[str, str],
    assumptions: Mapping[str, Assumption],
    sentences: Mapping[str, str],
) -> RowNotes:
    """The remark, assumptions, advisories and warnings of one row, from the contract form
    of its listed entries (CONTROL_CATALOGUE.md §5)."""
    warnings: list[dict[str, Any]] = []
    assumed = dict.fromkeys(e["measure"] for e in entries if e["status_needs_confirmation"])
    remark, to_confirm = customs_remark(
        entries, outcomes_by_regime.get(REMARK_REGIME), catalogue.measures_by_key
    )
    if to_confirm:
        warnings.append(
            {
                "column": None,
                "message": NO_REMARK(keys=", ".join(to_confirm)),
            }
        )
    matched_in_force = {
        e["measure"]
        for e in entries
        if e["result"] == "match" and e["measure_status"] == "in_force"
    }
    advisories = []
    for measure in catalogue.measures:
        overlay = measure.overlay
        if (
            overlay is not None
            and statuses[measure.key] == "in_force"
            and destination in overlay.destinations
            and matched_in_force.intersection(overlay.on_measures)
        ):
            advisories.append((overlay.advice_en, overlay.advice_zh))
            warnings.append(
                {
                    "column": "destination_country",
                    "message": ADVICE(advice=Words(overlay.advice_en, overlay.advice_zh)),
                }
            )
            if measure.key in assumptions:
                assumed[measure.key] = None
    for key in assumed:
        warnings.append({"column": None, "message": sentences[key]})
    return RowNotes(
        customs_remark=remark,
        codes_to_confirm=tuple(to_confirm),
        assumptions=tuple(assumptions[key] for key in assumed),
        advisories=tuple(advisories),
        warnings=tuple(warnings),
    )


def notes_key(
    entries: list[dict[str, Any]], outcomes_by_regime: Mapping[str, str], destination: Any
) -> tuple[Any, ...] | None:
    """What row_notes reads of a row within one run (its catalogue, statuses and assumptions
    fixed, so an entry's key stands for its measure, regime, code and status): the entries'
    keys and results, the remark regime's outcome and the destination. Rows with equal keys
    have equal notes. None when the notes read the criteria's values too (a near-threshold
    remark names them)."""
    outcome = outcomes_by_regime.get(REMARK_REGIME)
    if outcome == "near_threshold":
        return None
    return (outcome, destination, tuple((e["key"], e["result"]) for e in entries))


def customs_remark(
    entries: list[dict[str, Any]], outcome: str | None, measures: Mapping[str, Measure]
) -> tuple[str | None, list[str]]:
    """(customs remark or None, entry keys whose unconfirmed code withholds it). Only from
    in-force measures of the Chinese regime whose licence is the dual-use export licence:
    never another regime's entries, never a technology-catalogue item."""
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
                value = format_number(c["value"])
                parts.append(f"{parameter.label_zh} {value} {parameter.unit}")
        if parts:
            return "不属于管制物项；" + "，".join(dict.fromkeys(parts)), []
    return None, []


_COLUMN_ORDER = {name: i for i, name in enumerate(TEMPLATE_COLUMNS)}


def column_position(name: str) -> int:
    """Missing data in the template's column order (subtype first, then the parameters)."""
    return _COLUMN_ORDER.get(name, len(_COLUMN_ORDER))
