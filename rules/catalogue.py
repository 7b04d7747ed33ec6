"""The control catalogue as an immutable snapshot: measures, status windows, entries, criteria.

Plain Python (no Django). A snapshot comes from the shipped TOML files (rules/data) or from a
rule set stored in the database; either way it is built and validated by rules.catalogue_data
and hashed here over a canonical JSON form, so the same rules always give the same content hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from rules.messages import Template, gettext_noop
from rules.vocabulary import (
    DERIVATIONS,
    PARAMETERS,
    SCOPE_ATTRIBUTES,
)

MEASURE_KINDS = ("control_list", "technology_catalogue", "suspension", "overlay")
LICENCE_KINDS = ("dual_use", "technology", "none")
WINDOW_STATUSES = ("in_force", "suspended", "repealed")


UNKNOWN_REGIMES = Template(
    "catalogue.unknown_regimes", gettext_noop("unknown regime(s): %(regimes)s")
)


class CatalogueError(ValueError):
    """The catalogue data is inconsistent. The message (a rules.messages.Message) says where."""


@dataclass(frozen=True)
class Condition:
    """A test condition a value must have been measured at, e.g. 220 MPa for compaction density."""

    parameter: str
    value: float
    unit: str
    tolerance_pct: float = 0.0


@dataclass(frozen=True)
class Criterion:
    parameter: str
    operator: str
    threshold: float
    unit: str
    condition: Condition | None = None
    verified: bool = True
    note: str = ""
    note_zh: str = ""


@dataclass(frozen=True)
class Scope:
    category: str
    subtype: str | None  # None: any subtype of the category
    cell_type: str | None = None  # None: any; "primary" or "secondary" (EU 3A001.e.1)

    def attributes(self) -> tuple[tuple[str, str], ...]:
        """(attribute, required value) pairs besides the category (rules.vocabulary
        SCOPE_ATTRIBUTES): a product whose value is blank may or may not be in scope."""
        pairs = ((name, getattr(self, name)) for name in SCOPE_ATTRIBUTES)
        return tuple((name, value) for name, value in pairs if value is not None)


@dataclass(frozen=True)
class Entry:
    key: str
    measure: str
    code: str
    title_zh: str
    title_en: str
    applies_to: tuple[Scope, ...]
    criteria: tuple[Criterion, ...] = ()
    hs_codes: tuple[str, ...] = ()
    level: str = "V2"
    level_note: str = ""
    source: str = ""
    level_note_zh: str = ""
    source_zh: str = ""
    # False when the entry is known to exist but what it covers could not be confirmed: it then
    # never matches or fails on its own, it is "unknown" and a reviewer decides.
    criteria_confirmed: bool = True
    # True only when the code itself was read in the text or in copies of it (V1 or V2 for the
    # code). An unconfirmed code never goes into a customs remark (CONTROL_CATALOGUE.md §5).
    code_confirmed: bool = False

    @property
    def parameters(self) -> tuple[str, ...]:
        names: list[str] = []
        for criterion in self.criteria:
            names.append(criterion.parameter)
            if criterion.condition:
                names.append(criterion.condition.parameter)
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class Window:
    status: str
    start: dt.date
    end: dt.date | None  # inclusive; None: open-ended
    basis: str = ""  # a measure's key, or words
    note: str = ""
    basis_zh: str = ""  # the words in Chinese (a key needs none: its instrument is named)
    note_zh: str = ""

    def contains(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Overlay:
    """A measure that adds review for some destinations to items another measure controls."""

    destinations: tuple[str, ...]
    on_measures: tuple[str, ...]
    advice_en: str
    advice_zh: str


@dataclass(frozen=True)
class Measure:
    key: str
    regime: str
    kind: str
    instrument_zh: str
    instrument_en: str
    title_zh: str
    title_en: str
    published: dt.date
    effective: dt.date
    level: str
    level_note: str = ""
    source: str = ""
    source_url: str = ""
    level_note_zh: str = ""
    source_zh: str = ""
    licence_kind: str = "dual_use"
    windows: tuple[Window, ...] = ()
    entries: tuple[Entry, ...] = ()
    overlay: Overlay | None = None

    def window_on(self, day: dt.date) -> Window | None:
        current = [w for w in self.windows if w.contains(day)]
        return max(current, key=lambda w: w.start) if current else None

    def status_on(self, day: dt.date) -> str:
        """in_force | suspended | not_yet_effective | repealed | expired, on the given day.

        A status window that covers the day decides; outside every window the measure is in force
        from its effective date and not yet effective before it. A suspension is itself in force
        only for its stated term (its windows): after the last one it has expired.
        """
        window = self.window_on(day)
        if window is not None:
            return window.status
        if day < self.effective:
            return "not_yet_effective"
        if self.kind == "suspension" and self.ended_window(day) is not None:
            return "expired"
        return "in_force"

    def ended_window(self, day: dt.date) -> Window | None:
        """The window the status on `day` rests on when no window covers the day: the last one
        that ended before it. None when a window covers the day or none has ended."""
        if self.window_on(day) is not None:
            return None
        ended = [w for w in self.windows if w.end is not None and w.end < day]
        return max(ended, key=lambda w: w.end or day) if ended else None

    @property
    def never_applied_before(self) -> dt.date | None:
        """The end of the suspension that held the measure from its effective date, if it was
        suspended before it ever applied (No. 58: effective 2025-11-08, suspended from
        2025-11-07); None if it applied at some point."""
        for window in sorted(self.windows, key=lambda w: w.start):
            if window.start > self.effective:
                return None
            if window.status == "suspended" and window.contains(self.effective):
                return window.end
        return None


@dataclass(frozen=True)
class Catalogue:
    version: str
    measures: tuple[Measure, ...]
    near_band_pct: float = 5.0
    title: str = ""

    @cached_property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for m in self.measures for e in m.entries)

    @cached_property
    def measures_by_key(self) -> dict[str, Measure]:
        return {m.key: m for m in self.measures}

    @cached_property
    def entries_by_key(self) -> dict[str, Entry]:
        return {e.key: e for e in self.entries}

    @cached_property
    def regimes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.regime for m in self.measures))

    def for_regimes(self, regimes: Iterable[str] | None) -> Catalogue:
        """The same catalogue restricted to some regimes (None: all)."""
        if regimes is None:
            return self
        wanted = set(regimes)
        unknown = wanted - set(self.regimes)
        if unknown:
            raise CatalogueError(UNKNOWN_REGIMES(regimes=", ".join(sorted(unknown))))
        return Catalogue(
            version=self.version,
            measures=tuple(m for m in self.measures if m.regime in wanted),
            near_band_pct=self.near_band_pct,
            title=self.title,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "title": self.title,
            "near_band_pct": self.near_band_pct,
            "measures": [_measure_to_dict(m) for m in self.measures],
        }

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON of the rules, excluding the version label and the
        Chinese of the explanatory words (TRANSLATIONS): translating a note changes no rule,
        and the hash of a rule set stays what its screenings and the `screen` contract say."""
        content = _without_translations(self.to_dict())
        del content["version"]
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def parameters_for(self, category: str, subtype: str | None = None) -> tuple[str, ...]:
        """Parameters that some entry applying to this category (and subtype) looks at."""
        names: list[str] = []
        for entry in self.entries:
            if any(
                s.category == category and (subtype in (None, "") or s.subtype in (None, subtype))
                for s in entry.applies_to
            ):
                names.extend(entry.parameters)
        for derivation in DERIVATIONS:
            if derivation.target in names:
                names.extend(derivation.inputs)
        wanted = set(names)
        return tuple(p for p in PARAMETERS if p in wanted)


def _measure_to_dict(m: Measure) -> dict[str, Any]:
    return {
        "key": m.key,
        "regime": m.regime,
        "kind": m.kind,
        "instrument_zh": m.instrument_zh,
        "instrument_en": m.instrument_en,
        "title_zh": m.title_zh,
        "title_en": m.title_en,
        "published": m.published.isoformat(),
        "effective": m.effective.isoformat(),
        "level": m.level,
        "level_note": m.level_note,
        "source": m.source,
        "source_url": m.source_url,
        "level_note_zh": m.level_note_zh,
        "source_zh": m.source_zh,
        "licence_kind": m.licence_kind,
        "windows": [
            {
                "status": w.status,
                "start": w.start.isoformat(),
                "end": w.end.isoformat() if w.end else None,
                "basis": w.basis,
                "note": w.note,
                "basis_zh": w.basis_zh,
                "note_zh": w.note_zh,
            }
            for w in m.windows
        ],
        "overlay": None
        if m.overlay is None
        else {
            "destinations": list(m.overlay.destinations),
            "on_measures": list(m.overlay.on_measures),
            "advice_en": m.overlay.advice_en,
            "advice_zh": m.overlay.advice_zh,
        },
        "entries": [_entry_to_dict(e) for e in m.entries],
    }


def _entry_to_dict(e: Entry) -> dict[str, Any]:
    return {
        "key": e.key,
        "code": e.code,
        "title_zh": e.title_zh,
        "title_en": e.title_en,
        "applies_to": [
            {"category": s.category, "subtype": s.subtype, "cell_type": s.cell_type}
            for s in e.applies_to
        ],
        "hs_codes": list(e.hs_codes),
        "level": e.level,
        "level_note": e.level_note,
        "source": e.source,
        "level_note_zh": e.level_note_zh,
        "source_zh": e.source_zh,
        "criteria_confirmed": e.criteria_confirmed,
        "code_confirmed": e.code_confirmed,
        "criteria": [
            {
                "parameter": c.parameter,
                "operator": c.operator,
                "threshold": c.threshold,
                "unit": c.unit,
                "condition": None
                if c.condition is None
                else {
                    "parameter": c.condition.parameter,
                    "value": c.condition.value,
                    "unit": c.condition.unit,
                    "tolerance_pct": c.condition.tolerance_pct,
                },
                "verified": c.verified,
                "note": c.note,
                "note_zh": c.note_zh,
            }
            for c in e.criteria
        ],
    }


# The Chinese of explanatory words (sources, notes, bases): shown on Chinese pages, outside the
# content hash.
TRANSLATIONS = frozenset({"source_zh", "note_zh", "level_note_zh", "basis_zh"})


def _without_translations(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_translations(v) for k, v in value.items() if k not in TRANSLATIONS}
    if isinstance(value, list):
        return [_without_translations(v) for v in value]
    return value
