"""Reading spec spreadsheets (CSV, XLSX) safely into a table of raw cells; and specs sent as
JSON objects (the API), into the same table.

The type is decided by content, never by the name or the client's claim, and the size is checked
first; then the CSV reader (rules.csvfiles) or the XLSX reader (rules.xlsxfiles) checks every
other limit before the work it bounds. Plain Python (no Django).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import pandas as pd

from rules.cells import CellIssue, normalise_header
from rules.csvfiles import read_csv
from rules.rawtables import FileLimits, RawTable, SpecFileError, check_shape
from rules.xlsxfiles import read_xlsx

SIGNATURES = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old Excel 97-2003 (.xls) or other Office file; save it as .xlsx",
    ),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
)


def detect_kind(data: bytes) -> str:
    """'xlsx' or 'csv' by content; raises SpecFileError for anything else."""
    if not data:
        raise SpecFileError("The file is empty.")
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    for signature, what in SIGNATURES:
        if data.startswith(signature):
            raise SpecFileError(f"This is {what}, not a CSV or XLSX spreadsheet.")
    return "csv"


def read_spec_file(
    data: bytes, *, limits: FileLimits | None = None, size: int | None = None
) -> RawTable:
    """The file's cells, or SpecFileError. `size` is the whole file's size when `data` holds
    only its beginning (a caller reads at most one byte over the limit)."""
    limits = limits or FileLimits()
    size = max(len(data), size or 0)
    if size > limits.max_bytes:
        raise SpecFileError(
            f"The file is {size / 1_048_576:.1f} MB; the limit is "
            f"{limits.max_bytes / 1_048_576:.0f} MB."
        )
    kind = detect_kind(data)
    table = read_xlsx(data, limits) if kind == "xlsx" else read_csv(data, limits)
    check_shape(table, limits)
    return table


def read_spec_records(
    records: Sequence[Mapping[str, object]], *, limits: FileLimits | None = None
) -> RawTable:
    """Specs sent as JSON objects whose keys are the template's columns and whose values are
    text, numbers or null, as a raw table. Row N is the Nth object (1 is the first): there is
    no header row. A value of another kind (true, a list, an object) is an error of its row
    and column, as a formula is in a spreadsheet; the cell is read as empty."""
    limits = limits or FileLimits()
    if not records:
        raise SpecFileError("No specs were sent.")
    if len(records) > limits.max_rows:
        raise SpecFileError(f"{len(records):,} specs were sent; the limit is {limits.max_rows:,}.")
    header: dict[str, None] = {}
    issues: list[CellIssue] = []
    cells: list[Mapping[str, object]] = []
    longest = limits.max_cell_chars
    for position, record in enumerate(records, start=1):
        if not isinstance(record, Mapping):
            raise SpecFileError(f"Spec {position} is not a JSON object.")
        bad = []
        for key, value in record.items():
            if type(value) is str:
                if len(value) > longest:
                    raise SpecFileError(
                        f"Row {position}, column '{key}' holds {len(value):,} characters; "
                        f"the limit is {longest:,}."
                    )
            elif isinstance(value, bool) or not isinstance(value, str | int | float | None):
                bad.append(key)
        if bad:
            for key in bad:
                issues.append(
                    CellIssue(
                        position,
                        normalise_header(key),
                        json.dumps(record[key], ensure_ascii=False)[:200],
                        "must be text, a number or null",
                    )
                )
            record = {key: (None if key in bad else value) for key, value in record.items()}
        header.update(dict.fromkeys(map(str, record)))
        cells.append(record)
    if len(header) > limits.max_columns:
        raise SpecFileError(
            f"The specs have {len(header)} different keys; the limit is {limits.max_columns}."
        )
    for key in header:
        if len(key) > longest:
            raise SpecFileError(f"A key holds {len(key):,} characters; the limit is {longest:,}.")
    # The limits of check_shape, checked above cell by cell: no pandas pass per column.
    frame = pd.DataFrame(
        {key: [record.get(key) for record in cells] for key in header}, dtype=object
    )
    return RawTable(
        frame=frame,
        row_numbers=list(range(1, len(records) + 1)),
        kind="json",
        encoding="UTF-8",
        header=list(header),
        issues=issues,
    )


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def read_spec_json(data: bytes, *, limits: FileLimits | None = None) -> RawTable:
    """A JSON document whose "specs" member is a list of spec objects (read_spec_records)."""
    limits = limits or FileLimits()
    if len(data) > limits.max_bytes:
        raise SpecFileError(
            f"The document is {len(data) / 1_048_576:.1f} MB; the limit is "
            f"{limits.max_bytes / 1_048_576:.0f} MB."
        )
    try:
        document = json.loads(data, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise SpecFileError(f"The document is not JSON: {exc}") from exc
    specs = document.get("specs") if isinstance(document, dict) else None
    if not isinstance(specs, list):
        raise SpecFileError('The document has no "specs" list.')
    return read_spec_records(specs, limits=limits)
