"""List files and party files (CSV, XLSX or JSON) read into entries and parties, with every bad
cell reported by row, column, value and what was expected. Plain Python (no Django).

CSV and XLSX go through rules.specfiles.read_spec_file, the same safe reader as spec uploads
(type by content, zip-bomb guards, size and shape limits, formulas refused). The format is
docs/party-lists.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pycountry

from rules.rawtables import FileLimits, SpecFileError
from rules.specfiles import read_spec_file
from trade.match_types import LISTS, ListEntry, Party

LIST_COLUMNS = (
    "list",
    "entry_ref",
    "name",
    "aliases",
    "country",
    "listed_on",
    "delisted_on",
    "announcement",
    "source",
)
LIST_REQUIRED = ("list", "entry_ref", "name", "listed_on", "announcement")
LIST_OPTIONAL = ("address", "level", "notes")
LEVELS = ("V1", "V2", "UNVERIFIED")
PARTY_REQUIRED = ("party_ref", "name", "country")
PARTY_OPTIONAL = ("name_zh", "aliases", "address")
MAX_NAME_CHARS = 500
MAX_REF_CHARS = 64
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CHINESE_COUNTRY_NAMES = {
    "中国": "CN",
    "中华人民共和国": "CN",
    "美国": "US",
    "日本": "JP",
    "香港": "HK",
    "中国香港": "HK",
    "澳门": "MO",
    "中国澳门": "MO",
    "台湾": "TW",
    "中国台湾": "TW",
    "韩国": "KR",
    "德国": "DE",
    "英国": "GB",
    "法国": "FR",
    "俄罗斯": "RU",
    "加拿大": "CA",
    "荷兰": "NL",
    "新加坡": "SG",
}


class ListFileError(Exception):
    """The file cannot be used at all. The message says why, in one line."""


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row (header = 1), or position in a JSON array (first = 1)
    column: str
    value: str
    message: str
    where: str = "row"  # "row" for CSV/XLSX, "entry" for JSON

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
        value = f"{shown!r} " if shown else ""
        return f"{self.where} {self.row}, column '{self.column}': {value}{self.message}"


@dataclass
class ListFile:
    entries: list[ListEntry]
    errors: list[RowError]
    warnings: list[str]
    sha256: str
    kind: str  # csv | xlsx | json

    def summary(self) -> str:
        """The errors in one line (for a command's stderr)."""
        shown = "; ".join(str(e) for e in self.errors[:3])
        more = f"; and {len(self.errors) - 3} more" if len(self.errors) > 3 else ""
        return f"{len(self.errors)} error(s): {shown}{more}"


@dataclass
class PartyFile:
    parties: list[Party]
    errors: list[RowError]
    warnings: list[str] = field(default_factory=list)
    sha256: str = ""

    def errors_by_row(self) -> dict[int, list[RowError]]:
        found: dict[int, list[RowError]] = {}
        for error in self.errors:
            found.setdefault(error.row, []).append(error)
        return found


# --- reading rows -----------------------------------------------------------------------------


Records = list[tuple[int, dict[str, Any]]]


def _records(data: bytes, limits: FileLimits) -> tuple[Records, str, list[RowError], set[str]]:
    """(row number, {column: cell}) of every data row, the kind (csv, xlsx, json), cell issues
    (formulas) and the column names."""
    if _looks_like_json(data):
        records = _json_records(data, limits)
        header = set().union(*(cells.keys() for _, cells in records)) if records else set()
        return records, "json", [], header
    try:
        table = read_spec_file(data, limits=limits)
    except SpecFileError as exc:
        raise ListFileError(str(exc)) from exc
    names = [h.strip().lower() for h in table.frame.columns]
    duplicates = sorted({h for h in names if names.count(h) > 1})
    if duplicates:
        raise ListFileError("The header repeats column(s): " + ", ".join(duplicates) + ".")
    frame = table.frame.copy()
    frame.columns = names
    rows = frame.to_dict("records")
    issues = [RowError(i.row, i.column, i.value, i.message) for i in table.issues]
    return list(zip(table.row_numbers, rows, strict=True)), table.kind, issues, set(names)


def _looks_like_json(data: bytes) -> bool:
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[")


def _json_records(data: bytes, limits: FileLimits) -> Records:
    if len(data) > limits.max_bytes:
        raise ListFileError(
            f"The file is {len(data) / 1_048_576:.1f} MB; the limit is "
            f"{limits.max_bytes / 1_048_576:.0f} MB."
        )
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ListFileError(f"The JSON cannot be read: {exc}") from exc
    if isinstance(document, dict):
        document = document.get("entries", document.get("parties"))
    if not isinstance(document, list):
        raise ListFileError(
            'The JSON must be an array of objects, or an object with an "entries" array.'
        )
    if len(document) > limits.max_rows:
        raise ListFileError(
            f"The file has {len(document):,} entries; the limit is {limits.max_rows:,}."
        )
    records = []
    for position, item in enumerate(document, start=1):
        if not isinstance(item, dict):
            raise ListFileError(f"Entry {position} is not an object.")
        records.append((position, {str(k).strip().lower(): v for k, v in item.items()}))
    return records


def _text(value: Any) -> str:
    """A cell as trimmed text: integral floats lose their '.0', dates become YYYY-MM-DD."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(_text(v) for v in value)
    return unicodedata.normalize("NFC", str(value)).strip()


class _Row:
    """One record being checked: cells as text, errors collected with their row and column."""

    def __init__(self, number: int, cells: dict[str, Any], errors: list[RowError], where: str):
        self.number, self.cells, self.errors, self.where = number, cells, errors, where

    def text(self, column: str) -> str:
        return _text(self.cells.get(column))

    def error(self, column: str, message: str, value: str | None = None) -> None:
        shown = self.text(column) if value is None else value
        self.errors.append(RowError(self.number, column, shown, message, self.where))

    def required(self, column: str, what: str, limit: int = MAX_NAME_CHARS) -> str:
        value = self.text(column)
        if not value:
            self.error(column, f"is empty; expected {what}")
        elif len(value) > limit:
            self.error(column, f"is {len(value)} characters long; expected at most {limit}")
            return value[:limit]
        return value

    def date(self, column: str, *, required: bool) -> dt.date | None:
        value = self.cells.get(column)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = self.text(column)
        if not text:
            if required:
                self.error(column, "is empty; expected a date as YYYY-MM-DD")
            return None
        if DATE_RE.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                pass
        self.error(column, "is not a date; expected YYYY-MM-DD (e.g. 2025-01-02)")
        return None

    def country(self, column: str) -> str:
        text = self.text(column)
        if not text:
            return ""
        code = country_code(text)
        if code is None:
            self.error(column, "is not a country; expected an ISO 3166 code such as CN, US or JP")
            return ""
        return code

    def names(self, column: str) -> tuple[str, ...]:
        value = self.cells.get(column)
        parts = (
            value
            if isinstance(value, list)
            else unicodedata.normalize("NFKC", _text(value)).split(";")
        )
        names = []
        for part in parts:
            name = _text(part)
            if len(name) > MAX_NAME_CHARS:
                self.error(
                    column,
                    f"holds a name of {len(name)} characters; expected at most {MAX_NAME_CHARS}",
                    name,
                )
            elif name:
                names.append(name)
        return tuple(dict.fromkeys(names))


@lru_cache(maxsize=4096)
def country_code(text: str) -> str | None:
    """ISO 3166-1 alpha-2 code of a code (CN, CHN) or name (China, 中国); None if unknown."""
    cleaned = text.strip()
    if cleaned in CHINESE_COUNTRY_NAMES:
        return CHINESE_COUNTRY_NAMES[cleaned]
    upper = cleaned.upper()
    if len(upper) == 2 and pycountry.countries.get(alpha_2=upper):
        return upper
    if len(upper) == 3 and (found := pycountry.countries.get(alpha_3=upper)):
        return found.alpha_2
    if len(cleaned) > 3:
        try:
            return pycountry.countries.lookup(cleaned).alpha_2
        except LookupError:
            return None
    return None


# --- list files -------------------------------------------------------------------------------


def read_list_file(data: bytes, *, limits: FileLimits | None = None) -> ListFile:
    """Entries of a list file. Raises ListFileError when the file cannot be used at all; bad
    cells are in `.errors` (an entry with any error is left out of `.entries`)."""
    limits = limits or FileLimits()
    records, kind, errors, header = _records(data, limits)
    if kind != "json":
        missing = [c for c in LIST_REQUIRED if c not in header]
        if missing:
            raise ListFileError(
                "The list file lacks column(s) "
                + ", ".join(missing)
                + "; its columns are "
                + ", ".join(LIST_COLUMNS)
                + " (see docs/party-lists.md)."
            )
    if not records:
        raise ListFileError("The list file has no entries.")
    known = set(LIST_COLUMNS) | set(LIST_OPTIONAL)
    warnings = [f"unknown column, not used: {c}" for c in sorted(header - known)]
    where = "entry" if kind == "json" else "row"
    entries: list[ListEntry] = []
    seen: dict[str, int] = {}
    for number, cells in records:
        before = len(errors)
        row = _Row(number, cells, errors, where)
        entry = _entry(row, seen)
        if entry is not None and len(errors) == before:
            entries.append(entry)
    return ListFile(entries, errors, warnings, hashlib.sha256(data).hexdigest(), kind)


def _entry(row: _Row, seen: dict[str, int]) -> ListEntry | None:
    kind = row.text("list").lower()
    if not kind:
        row.error("list", "is empty; expected " + ", ".join(LISTS))
    elif kind not in LISTS:
        row.error("list", "is not a list; expected " + ", ".join(LISTS))
    entry_ref = row.required("entry_ref", "the entry's reference (e.g. CL01)", MAX_REF_CHARS)
    if entry_ref:
        if entry_ref in seen:
            row.error(
                "entry_ref",
                f"repeats the entry_ref of {row.where} {seen[entry_ref]}; "
                "expected a unique reference",
            )
        else:
            seen[entry_ref] = row.number
    name = row.required("name", "the listed party's name")
    aliases = row.names("aliases")
    country = row.country("country")
    listed_on = row.date("listed_on", required=True)
    delisted_on = row.date("delisted_on", required=False)
    if listed_on and delisted_on and delisted_on <= listed_on:
        row.error(
            "delisted_on",
            f"is not after listed_on ({listed_on.isoformat()}); expected a later date",
        )
    announcement = row.required(
        "announcement", "the announcement that listed it (e.g. MOFCOM 2025 No. 1)"
    )
    source = row.text("source")
    if source and not URL_RE.match(source):
        row.error("source", "is not a web address; expected one starting with https:// or http://")
    level = row.text("level").upper()
    if level and level not in LEVELS:
        row.error("level", "is not a verification level; expected " + ", ".join(LEVELS))
    if listed_on is None or kind not in LISTS:
        return None
    return ListEntry(
        list=kind,
        entry_ref=entry_ref,
        name=name,
        aliases=aliases,
        country=country,
        listed_on=listed_on,
        delisted_on=delisted_on,
        announcement=announcement,
        source=source,
        address=row.text("address"),
        level=level,
        notes=row.text("notes"),
        row=row.number,
    )


# --- party files ------------------------------------------------------------------------------


def read_party_file(data: bytes, *, limits: FileLimits | None = None) -> PartyFile:
    """Parties of a party file. Every row becomes a party (a row with errors is screened on
    what it has, so that nobody is skipped silently); bad cells are in `.errors`."""
    limits = limits or FileLimits()
    records, kind, errors, header = _records(data, limits)
    if kind != "json":
        missing = [c for c in PARTY_REQUIRED if c not in header]
        if missing:
            raise ListFileError(
                "The party file lacks column(s) "
                + ", ".join(missing)
                + "; it needs "
                + ", ".join(PARTY_REQUIRED)
                + " (more columns are allowed)."
            )
    if not records:
        raise ListFileError("The party file has no parties.")
    where = "entry" if kind == "json" else "row"
    parties: list[Party] = []
    seen: dict[str, int] = {}
    for number, cells in records:
        row = _Row(number, cells, errors, where)
        parties.append(_party(row, seen))
    return PartyFile(parties, errors, [], hashlib.sha256(data).hexdigest())


def _party(row: _Row, seen: dict[str, int]) -> Party:
    party_ref = row.required("party_ref", "the party's reference (e.g. P1)", MAX_REF_CHARS)
    if party_ref:
        if party_ref in seen:
            row.error(
                "party_ref",
                f"repeats the party_ref of {row.where} {seen[party_ref]}; "
                "expected a unique reference",
            )
        else:
            seen[party_ref] = row.number
    name, name_zh = row.text("name"), row.text("name_zh")
    if not name and not name_zh:
        row.error("name", "is empty; expected the party's name (or a name_zh)")
    for column, value in (("name", name), ("name_zh", name_zh)):
        if len(value) > MAX_NAME_CHARS:
            row.error(column, f"is {len(value)} characters long; expected at most {MAX_NAME_CHARS}")
    return Party(
        party_ref=party_ref,
        name=name[:MAX_NAME_CHARS],
        country=row.country("country"),
        name_zh=name_zh[:MAX_NAME_CHARS],
        aliases=row.names("aliases"),
        address=row.text("address"),
        row=row.number,
    )


def entries_to_json(entries: Iterable[ListEntry]) -> str:
    """The JSON form of entries (the list file format's JSON equivalent)."""
    return json.dumps({"entries": [_entry_json(e) for e in entries]}, ensure_ascii=False, indent=2)


def _entry_json(entry: ListEntry) -> dict[str, Any]:
    return {
        "list": entry.list,
        "entry_ref": entry.entry_ref,
        "name": entry.name,
        "aliases": list(entry.aliases),
        "country": entry.country,
        "listed_on": entry.listed_on.isoformat(),
        "delisted_on": entry.delisted_on.isoformat() if entry.delisted_on else "",
        "announcement": entry.announcement,
        "source": entry.source,
        "address": entry.address,
        "level": entry.level,
        "notes": entry.notes,
    }
