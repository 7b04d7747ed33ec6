"""What changed between two catalogues (and between their reference products), item by item,
for the person who publishes: a table of item, field, before → after ("CN-2025-58:3A001,
gravimetric energy density, ≥ 300 → 290 Wh/kg"). Plain Python."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rules.catalogue import Catalogue

OPERATORS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


@dataclass(frozen=True)
class Change:
    """One difference, readable as a row of "item, field, before → after"."""

    kind: str  # added | removed | changed
    item: str  # "measure CN-2025-58", "entry CN-2025-58:3A001", "reference <name>", "rule set"
    field: str = ""  # a field name, or the parameter a criterion tests (see `parameter`)
    before: Any = None
    after: Any = None
    parameter: str = ""  # set when the change is to a criterion: the parameter it tests

    @property
    def subject(self) -> str:
        """What kind of item changed: rule set, measure, entry or reference."""
        return "rule set" if self.item == "rule set" else self.item.split(" ", 1)[0]

    @property
    def name(self) -> str:
        """The item's key or name ("" for the rule set itself)."""
        return "" if self.item == "rule set" else self.item.split(" ", 1)[1]

    @property
    def before_text(self) -> str:
        return _text(self.before)

    @property
    def after_text(self) -> str:
        return _text(self.after)

    @property
    def change(self) -> str:
        """Before → after, saying what stays once: "≥ 300 → 290 Wh/kg"."""
        return compact(self.before_text, self.after_text)


def _number(value: float) -> str:
    return f"{value:g}"


def criterion_text(criterion: dict[str, Any]) -> str:
    """A criterion as a reader writes it: "≥ 2.58 g/cm³ at 220 MPa"."""
    text = (
        f"{OPERATORS.get(criterion['operator'], criterion['operator'])} "
        f"{_number(criterion['threshold'])} {criterion['unit']}"
    )
    condition = criterion.get("condition")
    if condition:
        text += f" at {_number(condition['value'])} {condition['unit']}"
        if condition.get("tolerance_pct"):
            text += f" ± {_number(condition['tolerance_pct'])} %"
    if not criterion.get("verified", True):
        text += " (unverified)"
    return text


def _text(value: Any) -> str:
    """A field's value as text: lists joined, scopes and windows spelled out."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, dict):
        if "category" in value:
            return f"{value['category']}/{value.get('subtype') or '*'}"
        if "status" in value and "start" in value:
            end = value.get("end") or "…"
            basis = f" ({value['basis']})" if value.get("basis") else ""
            return f"{value['status']} {value['start']} – {end}{basis}"
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items() if v not in (None, "", []))
    if isinstance(value, list | tuple):
        return "; ".join(_text(v) for v in value)
    return str(value)


def compact(before: str, after: str) -> str:
    """Before → after; when only one word differs, that word alone: "≥ 300 → 290 Wh/kg"."""
    a, b = before.split(" "), after.split(" ")
    if len(a) == len(b) > 1:
        differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(differ) == 1:
            i = differ[0]
            return " ".join([*a[:i], f"{a[i]} → {b[i]}", *a[i + 1 :]])
    return f"{before} → {after}"


def _criteria(item: str, old: list[dict], new: list[dict]) -> list[Change]:
    """Changes to an entry's criteria, one per criterion, matched by the parameter tested."""

    def by_parameter(criteria: list[dict]) -> dict[tuple[str, int], dict]:
        seen: dict[str, int] = {}
        keyed = {}
        for criterion in criteria:
            n = seen.get(criterion["parameter"], 0)
            seen[criterion["parameter"]] = n + 1
            keyed[(criterion["parameter"], n)] = criterion
        return keyed

    a, b = by_parameter(old), by_parameter(new)
    changes = []
    for key in [*a, *(k for k in b if k not in a)]:
        parameter = key[0]
        before, after = a.get(key), b.get(key)
        text_a = criterion_text(before) if before else None
        text_b = criterion_text(after) if after else None
        if text_a != text_b:
            kind = "added" if before is None else "removed" if after is None else "changed"
            changes.append(Change(kind, item, parameter, text_a, text_b, parameter))
        note_a, note_b = (before or {}).get("note", ""), (after or {}).get("note", "")
        if before and after and note_a != note_b:
            changes.append(Change("changed", item, f"{parameter}: note", note_a, note_b))
    return changes


def _entry_summary(entry: dict[str, Any]) -> str:
    scopes = _text(entry["applies_to"])
    criteria = (
        "; ".join(f"{c['parameter']} {criterion_text(c)}" for c in entry["criteria"])
        or "no criteria"
    )
    return f"{scopes}: {criteria}"


def diff(old: Catalogue, new: Catalogue) -> list[Change]:
    """What changed between two catalogues, readable: one row per changed field, a criterion's
    change as "≥ 300 → 290 Wh/kg"."""
    changes: list[Change] = []
    for name in ("title", "near_band_pct"):
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            changes.append(Change("changed", "rule set", name, a, b))
    before = {m["key"]: m for m in old.to_dict()["measures"]}
    after = {m["key"]: m for m in new.to_dict()["measures"]}
    for key in sorted(before.keys() - after.keys()):
        changes.append(Change("removed", f"measure {key}"))
    for key in sorted(after.keys() - before.keys()):
        changes.append(
            Change(
                "added", f"measure {key}", "instrument_en", None, after[key].get("instrument_en")
            )
        )
    for key in sorted(before.keys() & after.keys()):
        a, b = before[key], after[key]
        for name, value in b.items():
            if name != "entries" and a.get(name) != value:
                changes.append(Change("changed", f"measure {key}", name, a.get(name), value))
        entries_a = {e["key"]: e for e in a["entries"]}
        entries_b = {e["key"]: e for e in b["entries"]}
        for entry in sorted(entries_a.keys() - entries_b.keys()):
            changes.append(
                Change("removed", f"entry {entry}", "criteria", _entry_summary(entries_a[entry]))
            )
        for entry in sorted(entries_b.keys() - entries_a.keys()):
            changes.append(
                Change(
                    "added", f"entry {entry}", "criteria", None, _entry_summary(entries_b[entry])
                )
            )
        for entry in sorted(entries_a.keys() & entries_b.keys()):
            item = f"entry {entry}"
            for name, value in entries_b[entry].items():
                was = entries_a[entry].get(name)
                if name == "criteria":
                    changes.extend(_criteria(item, was or [], value))
                elif was != value:
                    changes.append(Change("changed", item, name, was, value))
    return changes


def _cells(cells: dict[str, Any]) -> str:
    return ", ".join(f"{name} = {value}" for name, value in sorted(cells.items()))


def _expected(reference: dict[str, Any]) -> dict[str, str]:
    """Expected outcomes by "as of <date>" (and the regimes when they are not the default)."""
    result = {}
    for expected in reference["expect"]:
        label = f"expected as of {expected['as_of']}"
        if expected.get("regimes"):
            label += f" ({', '.join(expected['regimes'])})"
        result[label] = expected["outcome"]
    return result


def reference_diff(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    """What changed between two rule sets' reference products (rules.publishing.references_of),
    by name: added and removed ones, their cells, notes, and each expected outcome."""
    changes: list[Change] = []
    before = {r["name"]: r for r in old}
    after = {r["name"]: r for r in new}
    for name in sorted(before.keys() - after.keys()):
        changes.append(Change("removed", f"reference {name}"))
    for name in sorted(after.keys() - before.keys()):
        expected = _expected(after[name])
        changes.append(
            Change(
                "added",
                f"reference {name}",
                "cells",
                None,
                _cells(after[name]["cells"]),
            )
        )
        for label, outcome in expected.items():
            changes.append(Change("added", f"reference {name}", label, None, outcome))
    for name in sorted(before.keys() & after.keys()):
        a, b = before[name], after[name]
        item = f"reference {name}"
        if a["cells"] != b["cells"]:
            changes.append(Change("changed", item, "cells", _cells(a["cells"]), _cells(b["cells"])))
        for field in ("note", "active"):
            if a.get(field) != b.get(field):
                changes.append(Change("changed", item, field, a.get(field), b.get(field)))
        expected_a, expected_b = _expected(a), _expected(b)
        for label in sorted(expected_a.keys() | expected_b.keys()):
            if expected_a.get(label) != expected_b.get(label):
                kind = (
                    "added"
                    if label not in expected_a
                    else "removed"
                    if label not in expected_b
                    else "changed"
                )
                changes.append(
                    Change(kind, item, label, expected_a.get(label), expected_b.get(label))
                )
    return changes
