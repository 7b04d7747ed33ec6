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
from rules.messages import Template, gettext_noop
from rules.vocabulary import CATEGORIES, CELL_TYPES, OPERATORS, PARAMETERS, VERIFICATION_LEVELS

DATA_DIR = Path(__file__).resolve().parent / "data"

# Where in the catalogue a problem is: a measure, an entry, a criterion, then one of its fields.
MEASURE = Template("catalogue.measure", gettext_noop("measure %(key)s"))
ENTRY = Template("catalogue.entry", gettext_noop("entry %(key)s"))
CRITERION = Template("catalogue.criterion", gettext_noop("%(entry)s criterion %(n)s"))
FIELD = Template("catalogue.field", gettext_noop("%(place)s %(field)s"))
WINDOW_STATUS = Template("catalogue.window_status", gettext_noop("window status"))
WINDOW_START = Template("catalogue.window_start", gettext_noop("window start"))
WINDOW_END = Template("catalogue.window_end", gettext_noop("window end"))
KIND = Template("catalogue.kind", gettext_noop("kind"))
PUBLISHED = Template("catalogue.published", gettext_noop("published"))
EFFECTIVE = Template("catalogue.effective", gettext_noop("effective"))
LEVEL = Template("catalogue.level", gettext_noop("level"))
LICENCE = Template("catalogue.licence", gettext_noop("licence"))
CATEGORY = Template("catalogue.category", gettext_noop("category"))
SUBTYPE_OF = Template("catalogue.subtype_of", gettext_noop("subtype of %(category)s"))
CELL_TYPE = Template("catalogue.cell_type", gettext_noop("cell type"))
PARAMETER = Template("catalogue.parameter", gettext_noop("parameter"))
CONDITION = Template("catalogue.condition", gettext_noop("condition"))
CONDITION_VALUE = Template("catalogue.condition_value", gettext_noop("condition value"))
TOLERANCE = Template("catalogue.tolerance", gettext_noop("tolerance"))
THRESHOLD = Template("catalogue.threshold", gettext_noop("threshold"))
OPERATOR = Template("catalogue.operator", gettext_noop("operator"))

# What is wrong there.
NOT_A_DATE = Template(
    "catalogue.not_a_date", gettext_noop("%(where)s: %(value)s is not a date (YYYY-MM-DD)")
)
NOT_ONE_OF = Template(
    "catalogue.not_one_of", gettext_noop("%(where)s: %(value)s is not one of %(choices)s")
)
NOT_A_NUMBER = Template(
    "catalogue.not_a_number", gettext_noop("%(where)s: %(value)s is not a number")
)
NO_VERSION = Template("catalogue.no_version", gettext_noop("the rule set has no version"))
NO_KEY = Template("catalogue.no_key", gettext_noop("a measure has no key"))
NO_CODE = Template("catalogue.no_code", gettext_noop("measure %(measure)s: an entry has no code"))
KEY_MISMATCH = Template(
    "catalogue.key_mismatch", gettext_noop("entry %(key)s: key must be %(expected)s (measure:code)")
)
NO_CATEGORY = Template("catalogue.no_category", gettext_noop("%(where)s: applies to no category"))
NEAR_BAND = Template(
    "catalogue.near_band", gettext_noop("near_band_pct must be at least 0 and below 100")
)
MEASURE_TWICE = Template("catalogue.measure_twice", gettext_noop("measure %(key)s appears twice"))
EFFECTIVE_EARLY = Template(
    "catalogue.effective_early",
    gettext_noop("measure %(key)s: effective before it was published"),
)
WINDOW_BACKWARDS = Template(
    "catalogue.window_backwards",
    gettext_noop("measure %(key)s: a window ends (%(end)s) before it starts"),
)
WINDOWS_OVERLAP = Template(
    "catalogue.windows_overlap",
    gettext_noop("measure %(key)s: status windows from %(first)s and %(second)s overlap"),
)
NO_OWN_ENTRIES = Template(
    "catalogue.no_own_entries",
    gettext_noop("measure %(key)s: a %(kind)s has no entries of its own"),
)
ENTRY_TWICE = Template("catalogue.entry_twice", gettext_noop("entry %(key)s appears twice"))
UNKNOWN_OVERLAY = Template(
    "catalogue.unknown_overlay",
    gettext_noop("measure %(key)s: overlay on unknown measure %(target)s"),
)
UNREADABLE_FILE = Template("catalogue.unreadable_file", gettext_noop("%(path)s: %(error)s"))


def _where(place: str, field: Template | None) -> str:
    return FIELD(place=place, field=field()) if field is not None else place


def _date(value: Any, place: str, field: Template | None = None) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise CatalogueError(NOT_A_DATE(where=_where(place, field), value=repr(value)))


def _optional_date(value: Any, place: str, field: Template | None = None) -> dt.date | None:
    return None if value in (None, "") else _date(value, place, field)


def _choice(value: Any, allowed: Iterable[str], place: str, field: Template | None = None) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise CatalogueError(
            NOT_ONE_OF(where=_where(place, field), value=repr(value), choices=", ".join(allowed))
        )
    return value


def _number(value: Any, place: str, field: Template | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CatalogueError(NOT_A_NUMBER(where=_where(place, field), value=repr(value)))
    return float(value)


def catalogue_from_dict(data: Mapping[str, Any]) -> Catalogue:
    """Build and validate a catalogue from its dictionary form (TOML, JSON or database export)."""
    version = str(data.get("version") or "").strip()
    if not version:
        raise CatalogueError(NO_VERSION())
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
        raise CatalogueError(NO_KEY())
    where = MEASURE(key=key)
    windows = tuple(
        Window(
            status=_choice(w.get("status"), WINDOW_STATUSES, where, WINDOW_STATUS),
            start=_date(w.get("start"), where, WINDOW_START),
            end=_optional_date(w.get("end"), where, WINDOW_END),
            basis=str(w.get("basis", "")),
            note=str(w.get("note", "")),
            basis_zh=str(w.get("basis_zh", "")),
            note_zh=str(w.get("note_zh", "")),
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
        kind=_choice(m.get("kind", "control_list"), MEASURE_KINDS, where, KIND),
        instrument_zh=str(m.get("instrument_zh", "")),
        instrument_en=str(m.get("instrument_en", "")),
        title_zh=str(m.get("title_zh", "")),
        title_en=str(m.get("title_en", "")),
        published=_date(m.get("published"), where, PUBLISHED),
        effective=_date(m.get("effective"), where, EFFECTIVE),
        level=_choice(m.get("level", "V2"), VERIFICATION_LEVELS, where, LEVEL),
        level_note=str(m.get("level_note", "")),
        source=str(m.get("source", "")),
        level_note_zh=str(m.get("level_note_zh", "")),
        source_zh=str(m.get("source_zh", "")),
        source_url=str(m.get("source_url", "")),
        licence_kind=_choice(m.get("licence_kind", "dual_use"), LICENCE_KINDS, where, LICENCE),
        windows=windows,
        entries=entries,
        overlay=overlay,
    )


def _entry_from_dict(e: Mapping[str, Any], measure: str) -> Entry:
    code = str(e.get("code") or "").strip()
    if not code:
        raise CatalogueError(NO_CODE(measure=measure))
    key = f"{measure}:{code}"
    if e.get("key") not in (None, key):
        raise CatalogueError(KEY_MISMATCH(key=str(e.get("key")), expected=key))
    where = ENTRY(key=key)
    scopes = []
    for s in e.get("applies_to", ()):
        category = _choice(s.get("category"), CATEGORIES, where, CATEGORY)
        subtype = s.get("subtype") or None
        if subtype is not None:
            subtype_of = FIELD(place=where, field=SUBTYPE_OF(category=category))
            _choice(subtype, CATEGORIES[category], subtype_of)
        cell_type = s.get("cell_type") or None
        if cell_type is not None:
            _choice(cell_type, CELL_TYPES, where, CELL_TYPE)
        scopes.append(Scope(category, subtype, cell_type))
    if not scopes:
        raise CatalogueError(NO_CATEGORY(where=where))
    criteria = []
    for i, c in enumerate(e.get("criteria", ()), start=1):
        cwhere = CRITERION(entry=where, n=i)
        parameter = _choice(c.get("parameter"), PARAMETERS, cwhere, PARAMETER)
        condition = None
        if c.get("condition"):
            cond = c["condition"]
            condition = Condition(
                parameter=_choice(cond.get("parameter"), PARAMETERS, cwhere, CONDITION),
                value=_number(cond.get("value"), cwhere, CONDITION_VALUE),
                unit=str(cond.get("unit") or PARAMETERS[cond.get("parameter")].unit),
                tolerance_pct=_number(cond.get("tolerance_pct", 0.0), cwhere, TOLERANCE),
            )
        threshold = _number(c.get("threshold"), cwhere, THRESHOLD)
        criteria.append(
            Criterion(
                parameter=parameter,
                operator=_choice(c.get("operator"), OPERATORS, cwhere, OPERATOR),
                threshold=threshold,
                unit=str(c.get("unit") or PARAMETERS[parameter].unit),
                condition=condition,
                verified=bool(c.get("verified", True)),
                note=str(c.get("note", "")),
                note_zh=str(c.get("note_zh", "")),
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
        level=_choice(e.get("level", "V2"), VERIFICATION_LEVELS, where, LEVEL),
        level_note=str(e.get("level_note", "")),
        source=str(e.get("source", "")),
        level_note_zh=str(e.get("level_note_zh", "")),
        source_zh=str(e.get("source_zh", "")),
        criteria_confirmed=bool(e.get("criteria_confirmed", True)),
        # Absent in rule sets stored before codes were confirmed one by one: unconfirmed, so
        # no customs remark rests on them.
        code_confirmed=bool(e.get("code_confirmed", False)),
    )


def _check_catalogue(catalogue: Catalogue) -> None:
    seen_measures: set[str] = set()
    seen_entries: set[str] = set()
    if not 0 <= catalogue.near_band_pct < 100:
        raise CatalogueError(NEAR_BAND())
    for m in catalogue.measures:
        if m.key in seen_measures:
            raise CatalogueError(MEASURE_TWICE(key=m.key))
        seen_measures.add(m.key)
        if m.effective < m.published and m.kind != "suspension":
            raise CatalogueError(EFFECTIVE_EARLY(key=m.key))
        ordered = sorted(m.windows, key=lambda w: w.start)
        for w in ordered:
            if w.end is not None and w.end < w.start:
                raise CatalogueError(WINDOW_BACKWARDS(key=m.key, end=w.end))
        for a, b in zip(ordered, ordered[1:], strict=False):
            if a.end is None or a.end >= b.start:
                raise CatalogueError(WINDOWS_OVERLAP(key=m.key, first=a.start, second=b.start))
        if m.kind in ("suspension", "overlay") and m.entries:
            raise CatalogueError(NO_OWN_ENTRIES(key=m.key, kind=m.kind))
        for e in m.entries:
            if e.key in seen_entries:
                raise CatalogueError(ENTRY_TWICE(key=e.key))
            seen_entries.add(e.key)
    for m in catalogue.measures:
        if m.overlay:
            for target in m.overlay.on_measures:
                if target not in seen_measures:
                    raise CatalogueError(UNKNOWN_OVERLAY(key=m.key, target=target))


def _manifest(directory: Path) -> dict[str, Any]:
    manifest_path = directory / "manifest.toml"
    try:
        with manifest_path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError(UNREADABLE_FILE(path=manifest_path, error=exc)) from exc


def shipped_version(directory: Path = DATA_DIR) -> str:
    """The version label of the shipped catalogue, from its manifest alone (no measure file is
    read): what `ensure_shipped_catalogue` looks for before loading the rest."""
    return str(_manifest(directory).get("version") or "").strip()


def load_shipped(directory: Path = DATA_DIR) -> Catalogue:
    """The catalogue shipped with the code, from rules/data/manifest.toml and its measure files."""
    manifest = _manifest(directory)
    measures = []
    for name in manifest.get("measures", ()):
        path = directory / name
        try:
            with path.open("rb") as fh:
                measures.append(tomllib.load(fh))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise CatalogueError(UNREADABLE_FILE(path=path, error=exc)) from exc
    return catalogue_from_dict({**manifest, "measures": measures})
