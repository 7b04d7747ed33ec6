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
from rules.messages import Template, gettext_noop
from rules.rawtables import LONG_CELL, FileLimits, RawTable, SpecFileError, check_shape
from rules.xlsxfiles import read_xlsx

# What a file is by its first bytes, each said in a whole sentence.
SIGNATURES = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        Template(
            "file.is_xls",
            gettext_noop(
                "This is an old Excel 97-2003 (.xls) or other Office file; save it as .xlsx, "
                "not a CSV or XLSX spreadsheet."
            ),
        ),
    ),
    (
        b"%PDF",
        Template(
            "file.is_pdf",
            gettext_noop("This is a PDF document, not a CSV or XLSX spreadsheet."),
        ),
    ),
    (
        b"\x89PNG",
        Template(
            "file.is_png", gettext_noop("This is a PNG image, not a CSV or XLSX spreadsheet.")
        ),
    ),
    (
        b"\xff\xd8\xff",
        Template(
            "file.is_jpeg", gettext_noop("This is a JPEG image, not a CSV or XLSX spreadsheet.")
        ),
    ),
    (
        b"GIF8",
        Template(
            "file.is_gif", gettext_noop("This is a GIF image, not a CSV or XLSX spreadsheet.")
        ),
    ),
    (
        b"\x1f\x8b",
        Template(
            "file.is_gzip",
            gettext_noop("This is a gzip archive, not a CSV or XLSX spreadsheet."),
        ),
    ),
    (
        b"Rar!",
        Template(
            "file.is_rar", gettext_noop("This is a RAR archive, not a CSV or XLSX spreadsheet.")
        ),
    ),
    (
        b"7z\xbc\xaf",
        Template(
            "file.is_7z",
            gettext_noop("This is a 7-Zip archive, not a CSV or XLSX spreadsheet."),
        ),
    ),
    (
        b"MZ",
        Template(
            "file.is_exe",
            gettext_noop("This is a Windows program, not a CSV or XLSX spreadsheet."),
        ),
    ),
    (
        b"\x7fELF",
        Template("file.is_elf", gettext_noop("This is a program, not a CSV or XLSX spreadsheet.")),
    ),
)
EMPTY = Template("file.empty", gettext_noop("The file is empty."))
TOO_BIG = Template(
    "file.too_big", gettext_noop("The file is %(size)s MB; the limit is %(limit)s MB.")
)
NO_SPECS = Template("json.no_specs", gettext_noop("No specs were sent."))
TOO_MANY_SPECS = Template(
    "json.too_many_specs", gettext_noop("%(specs)s specs were sent; the limit is %(limit)s.")
)
NOT_AN_OBJECT = Template("json.not_an_object", gettext_noop("Spec %(n)s is not a JSON object."))
NOT_A_VALUE = Template("json.not_a_value", gettext_noop("must be text, a number or null"))
TOO_MANY_KEYS = Template(
    "json.too_many_keys",
    gettext_noop("The specs have %(keys)s different keys; the limit is %(limit)s."),
)
LONG_KEY = Template(
    "json.long_key", gettext_noop("A key holds %(length)s characters; the limit is %(limit)s.")
)
DOCUMENT_TOO_BIG = Template(
    "json.too_big", gettext_noop("The document is %(size)s MB; the limit is %(limit)s MB.")
)
NOT_JSON = Template("json.not_json", gettext_noop("The document is not JSON: %(error)s"))
NO_SPECS_LIST = Template("json.no_specs_list", gettext_noop('The document has no "specs" list.'))


def detect_kind(data: bytes) -> str:
    """'xlsx' or 'csv' by content; raises SpecFileError for anything else."""
    if not data:
        raise SpecFileError(EMPTY())
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    for signature, sentence in SIGNATURES:
        if data.startswith(signature):
            raise SpecFileError(sentence())
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
            TOO_BIG(size=f"{size / 1_048_576:.1f}", limit=f"{limits.max_bytes / 1_048_576:.0f}")
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
        raise SpecFileError(NO_SPECS())
    if len(records) > limits.max_rows:
        raise SpecFileError(TOO_MANY_SPECS(specs=f"{len(records):,}", limit=f"{limits.max_rows:,}"))
    header: dict[str, None] = {}
    issues: list[CellIssue] = []
    cells: list[Mapping[str, object]] = []
    longest = limits.max_cell_chars
    for position, record in enumerate(records, start=1):
        if not isinstance(record, Mapping):
            raise SpecFileError(NOT_AN_OBJECT(n=position))
        bad = []
        for key, value in record.items():
            if type(value) is str:
                if len(value) > longest:
                    raise SpecFileError(
                        LONG_CELL(
                            row=position,
                            column=key,
                            length=f"{len(value):,}",
                            limit=f"{longest:,}",
                        )
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
                        NOT_A_VALUE(),
                    )
                )
            record = {key: (None if key in bad else value) for key, value in record.items()}
        header.update(dict.fromkeys(map(str, record)))
        cells.append(record)
    if len(header) > limits.max_columns:
        raise SpecFileError(TOO_MANY_KEYS(keys=len(header), limit=limits.max_columns))
    for key in header:
        if len(key) > longest:
            raise SpecFileError(LONG_KEY(length=f"{len(key):,}", limit=f"{longest:,}"))
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
            DOCUMENT_TOO_BIG(
                size=f"{len(data) / 1_048_576:.1f}", limit=f"{limits.max_bytes / 1_048_576:.0f}"
            )
        )
    try:
        document = json.loads(data, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise SpecFileError(NOT_JSON(error=str(exc))) from exc
    specs = document.get("specs") if isinstance(document, dict) else None
    if not isinstance(specs, list):
        raise SpecFileError(NO_SPECS_LIST())
    return read_spec_records(specs, limits=limits)
