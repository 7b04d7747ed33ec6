"""What changed between two catalogues, item by item, for the person who publishes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rules.catalogue import Catalogue


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | changed
    item: str  # "measure CN-2025-58", "entry CN-2025-58:3A001", "rule set"
    field: str = ""
    before: Any = None
    after: Any = None


def _fields(data: dict[str, Any], skip: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in skip}


def diff(old: Catalogue, new: Catalogue) -> list[Change]:
    changes: list[Change] = []
    if old.near_band_pct != new.near_band_pct:
        changes.append(
            Change("changed", "rule set", "near_band_pct", old.near_band_pct, new.near_band_pct)
        )
    before = {m["key"]: m for m in old.to_dict()["measures"]}
    after = {m["key"]: m for m in new.to_dict()["measures"]}
    for key in sorted(before.keys() - after.keys()):
        changes.append(Change("removed", f"measure {key}"))
    for key in sorted(after.keys() - before.keys()):
        changes.append(Change("added", f"measure {key}"))
    for key in sorted(before.keys() & after.keys()):
        a, b = before[key], after[key]
        for name, value in _fields(b, ("entries",)).items():
            if a.get(name) != value:
                changes.append(Change("changed", f"measure {key}", name, a.get(name), value))
        entries_a = {e["key"]: e for e in a["entries"]}
        entries_b = {e["key"]: e for e in b["entries"]}
        for entry in sorted(entries_a.keys() - entries_b.keys()):
            changes.append(Change("removed", f"entry {entry}"))
        for entry in sorted(entries_b.keys() - entries_a.keys()):
            changes.append(Change("added", f"entry {entry}"))
        for entry in sorted(entries_a.keys() & entries_b.keys()):
            for name, value in entries_b[entry].items():
                if entries_a[entry].get(name) != value:
                    changes.append(
                        Change("changed", f"entry {entry}", name, entries_a[entry].get(name), value)
                    )
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
