"""A catalogue from its dictionary form (the shipped TOML files, a stored snapshot, a rule set's
rows), built and validated: CatalogueError says where it is wrong. And the shipped catalogue
itself, from rules/data.

Plain Python (no Django).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from rules.catalogue import (
    LICENCE_KINDS,
    MEASURE_KINDS,
    WINDOW_STATUSES,
    Catalogue,
    CatalogueError,
    Condition,
    Criterion,
    Entry,
    Measure,
    Overlay,
    Scope,
    Window,
)
from rules.vocabulary import CATEGORIES, CELL_TYPES, OPERATORS, PARAMETERS, VERIFICATION_LEVELS

DATA_DIR = Path(__file__).resolve().parent / "data"


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise CatalogueError(f"{where}: {value!r} is not a date (YYYY-MM-DD)")


def _optional_date(value: Any, where: str) -> dt.date | None:
    return None if value in (None, "") else _date(value, where)


def _choice(value: Any, allowed: Iterable[str], where: str) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise CatalogueError(f"{where}: {value!r} is not one of {', '.join(allowed)}")
    return value


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CatalogueError(f"{where}: {value!r} is not a number")
    return float(value)


def catalogue_from_dict(data: Mapping[str, Any]) -> Catalogue:
    """Build and validate a catalogue from its dictionary form (TOML, JSON or database export)."""
    version = str(data.get("version") or "").strip()
    if not version:
        raise CatalogueError("the rule set has no version")
    measures = tuple(_measure_from_dict(m) for m in data.get("measures", ()))
    catalogue = Catalogue(
        version=version,
        title=str(data.get("title", "")),
        near_band_pct=_number(data.get("near_band_pct", 5.0), "near_band_pct"),
        measures=measures,
    )
    _check_catalogue(catalogue)
    return catalogue


def _measure_from_dict(m: Mapping[str, Any]) -> Measure:
    key = str(m.get("key") or "").strip()
    if not key:
        raise CatalogueError("a measure has no key")
    where = f"measure {key}"
    windows = tuple(
        Window(
            status=_choice(w.get("status"), WINDOW_STATUSES, f"{where} window status"),
            start=_date(w.get("start"), f"{where} window start"),
            end=_optional_date(w.get("end"), f"{where} window end"),
            basis=str(w.get("basis", "")),
            note=str(w.get("note", "")),
        )
        for w in m.get("windows", ())
    )
    overlay = None
    if m.get("overlay"):
        o = m["overlay"]
        overlay = Overlay(
            destinations=tuple(str(d).upper() for d in o.get("destinations", ())),
            on_measures=tuple(o.get("on_measures", ())),
            advice_en=str(o.get("advice_en", "")),
            advice_zh=str(o.get("advice_zh", "")),
        )
    entries = tuple(_entry_from_dict(e, key) for e in m.get("entries", ()))
    return Measure(
        key=key,
        regime=str(m.get("regime") or "CN"),
        kind=_choice(m.get("kind", "control_list"), MEASURE_KINDS, f"{where} kind"),
        instrument_zh=str(m.get("instrument_zh", "")),
        instrument_en=str(m.get("instrument_en", "")),
        title_zh=str(m.get("title_zh", "")),
        title_en=str(m.get("title_en", "")),
        published=_date(m.get("published"), f"{where} published"),
        effective=_date(m.get("effective"), f"{where} effective"),
        level=_choice(m.get("level", "V2"), VERIFICATION_LEVELS, f"{where} level"),
        level_note=str(m.get("level_note", "")),
        source=str(m.get("source", "")),
        source_url=str(m.get("source_url", "")),
        licence_kind=_choice(m.get("licence_kind", "dual_use"), LICENCE_KINDS, f"{where} licence"),
        windows=windows,
        entries=entries,
        overlay=overlay,
    )


def _entry_from_dict(e: Mapping[str, Any], measure: str) -> Entry:
    code = str(e.get("code") or "").strip()
    if not code:
        raise CatalogueError(f"measure {measure}: an entry has no code")
    key = f"{measure}:{code}"
    if e.get("key") not in (None, key):
        raise CatalogueError(f"entry {e.get('key')}: key must be {key} (measure:code)")
    where = f"entry {key}"
    scopes = []
    for s in e.get("applies_to", ()):
        category = _choice(s.get("category"), CATEGORIES, f"{where} category")
        subtype = s.get("subtype") or None
        if subtype is not None:
            _choice(subtype, CATEGORIES[category], f"{where} subtype of {category}")
        cell_type = s.get("cell_type") or None
        if cell_type is not None:
            _choice(cell_type, CELL_TYPES, f"{where} cell type")
        scopes.append(Scope(category, subtype, cell_type))
    if not scopes:
        raise CatalogueError(f"{where}: applies to no category")
    criteria = []
    for i, c in enumerate(e.get("criteria", ()), start=1):
        cwhere = f"{where} criterion {i}"
        parameter = _choice(c.get("parameter"), PARAMETERS, f"{cwhere} parameter")
        condition = None
        if c.get("condition"):
            cond = c["condition"]
            condition = Condition(
                parameter=_choice(cond.get("parameter"), PARAMETERS, f"{cwhere} condition"),
                value=_number(cond.get("value"), f"{cwhere} condition value"),
                unit=str(cond.get("unit") or PARAMETERS[cond.get("parameter")].unit),
                tolerance_pct=_number(cond.get("tolerance_pct", 0.0), f"{cwhere} tolerance"),
            )
        threshold = _number(c.get("threshold"), f"{cwhere} threshold")
        criteria.append(
            Criterion(
                parameter=parameter,
                operator=_choice(c.get("operator"), OPERATORS, f"{cwhere} operator"),
                threshold=threshold,
                unit=str(c.get("unit") or PARAMETERS[parameter].unit),
                condition=condition,
                verified=bool(c.get("verified", True)),
                note=str(c.get("note", "")),
            )
        )
    return Entry(
        key=key,
        measure=measure,
        code=code,
        title_zh=str(e.get("title_zh", "")),
        title_en=str(e.get("title_en", "")),
        applies_to=tuple(scopes),
        criteria=tuple(criteria),
        hs_codes=tuple(str(h) for h in e.get("hs_codes", ())),
        level=_choice(e.get("level", "V2"), VERIFICATION_LEVELS, f"{where} level"),
        level_note=str(e.get("level_note", "")),
        source=str(e.get("source", "")),
        criteria_confirmed=bool(e.get("criteria_confirmed", True)),
        # Absent in rule sets stored before codes were confirmed one by one: unconfirmed, so
        # no customs remark rests on them.
        code_confirmed=bool(e.get("code_confirmed", False)),
    )


def _check_catalogue(catalogue: Catalogue) -> None:
    seen_measures: set[str] = set()
    seen_entries: set[str] = set()
    if not 0 <= catalogue.near_band_pct < 100:
        raise CatalogueError("near_band_pct must be at least 0 and below 100")
    for m in catalogue.measures:
        if m.key in seen_measures:
            raise CatalogueError(f"measure {m.key} appears twice")
        seen_measures.add(m.key)
        if m.effective < m.published and m.kind != "suspension":
            raise CatalogueError(f"measure {m.key}: effective before it was published")
        ordered = sorted(m.windows, key=lambda w: w.start)
        for w in ordered:
            if w.end is not None and w.end < w.start:
                raise CatalogueError(f"measure {m.key}: a window ends ({w.end}) before it starts")
        for a, b in zip(ordered, ordered[1:], strict=False):
            if a.end is None or a.end >= b.start:
                raise CatalogueError(
                    f"measure {m.key}: status windows from {a.start} and {b.start} overlap"
                )
        if m.kind in ("suspension", "overlay") and m.entries:
            raise CatalogueError(f"measure {m.key}: a {m.kind} has no entries of its own")
        for e in m.entries:
            if e.key in seen_entries:
                raise CatalogueError(f"entry {e.key} appears twice")
            seen_entries.add(e.key)
    for m in catalogue.measures:
        if m.overlay:
            for target in m.overlay.on_measures:
                if target not in seen_measures:
                    raise CatalogueError(f"measure {m.key}: overlay on unknown measure {target}")


def load_shipped(directory: Path = DATA_DIR) -> Catalogue:
    """The catalogue shipped with the code, from rules/data/manifest.toml and its measure files."""
    manifest_path = directory / "manifest.toml"
    try:
        with manifest_path.open("rb") as fh:
            manifest = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError(f"{manifest_path}: {exc}") from exc
    measures = []
    for name in manifest.get("measures", ()):
        path = directory / name
        try:
            with path.open("rb") as fh:
                measures.append(tomllib.load(fh))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise CatalogueError(f"{path}: {exc}") from exc
    return catalogue_from_dict({**manifest, "measures": measures})
