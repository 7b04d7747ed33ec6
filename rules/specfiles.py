"""Reading spec spreadsheets (CSV, XLSX) safely into a table of raw cells; and specs sent as
JSON objects (the API), into the same table.

The type is decided by content, never by the name or the client's claim. Every limit is checked
before the work it bounds: the size first; for a CSV the header row's cells and every line's
length before the file is parsed; for an XLSX (a zip) the member count, unpacked size and
compression ratio before anything is unpacked, then every XML part's prolog (a document type
declaration is refused) and the cell references of the sheet (nothing beyond the row and column
limits) before the sheet is read. Its XML is read with defusedxml, and cells holding formulas
are reported. CSV text may be UTF-8
(with or without BOM), UTF-16 with BOM, or GB18030 (what Excel writes on Chinese Windows).
Plain Python (no Django).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import python_calamine
from defusedxml import ElementTree as SafeET

from rules.cells import CellIssue, normalise_header


class SpecFileError(Exception):
    """The file cannot be read at all. The message says why, for the person who uploaded it."""


@dataclass(frozen=True)
class FileLimits:
    max_bytes: int = 100 * 1024 * 1024
    max_rows: int = 300_000
    max_columns: int = 60
    max_cell_chars: int = 2_000
    xlsx_max_members: int = 500
    xlsx_max_unpacked_bytes: int = 600 * 1024 * 1024
    xlsx_max_ratio: float = 250.0


@dataclass
class RawTable:
    """The cells under the header row, with each row's spreadsheet row number."""

    frame: pd.DataFrame
    row_numbers: list[int]
    kind: str  # csv | xlsx | json
    encoding: str = ""
    header: list[str] = field(default_factory=list)  # header name of each column by position
    issues: list[CellIssue] = field(default_factory=list)  # formulas and the like


XLSX_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CELL_REF_RE = re.compile(r"^([A-Z]+)(\d+)$")
RAGGED_RE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")

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
    table = _read_xlsx(data, limits) if kind == "xlsx" else _read_csv(data, limits)
    _check_shape(table, limits)
    return table


# --- CSV --------------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name) for CSV bytes; raises SpecFileError when it is not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise SpecFileError("The file claims to be UTF-16 text but is not.") from exc
    if b"\x00" in data:
        raise SpecFileError("The file contains NUL bytes: it is not a CSV text file.")
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError as exc:
        raise SpecFileError(
            "The file is not text in UTF-8 or GB18030 (GBK). Save it as 'CSV UTF-8'."
        ) from exc


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def raw_width(limits: FileLimits) -> int:
    """How many cells a row may hold before parsing, empty ones included (spreadsheets leave
    empty columns at the edge; named columns are limited to max_columns)."""
    return 2 * limits.max_columns


def _check_csv_shape(text: str, delimiter: str, limits: FileLimits) -> None:
    """The header row's cells and every line's length, before pandas parses anything: a wide
    header costs work per column, so 160,000 of them must be refused before that work."""
    position = 0
    while position < len(text):
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        line = text[position:end].rstrip("\r")
        if line.strip(delimiter + " \t\ufeff"):
            break
        position = end + 1
    else:
        return  # no header at all: reported when parsed
    if '"' in line:
        csv.field_size_limit(max(limits.max_cell_chars * 4, 131072))
        try:
            header = next(csv.reader(io.StringIO(text[position:]), delimiter=delimiter))
        except csv.Error as exc:
            raise SpecFileError(
                f"The header row cannot be read ({exc}); its cells are limited to "
                f"{limits.max_cell_chars:,} characters."
            ) from exc
    else:
        header = line.split(delimiter)
    named = sum(1 for cell in header if cell.strip())
    if named > limits.max_columns:
        raise SpecFileError(f"The file has {named:,} columns; the limit is {limits.max_columns}.")
    if len(header) > raw_width(limits):
        raise SpecFileError(
            f"The header row has {len(header):,} cells; the limit is {limits.max_columns} "
            "columns. Delete the empty columns after the last one."
        )
    for number, cell in enumerate(header, start=1):
        if len(cell) > limits.max_cell_chars:
            raise SpecFileError(
                f"The header of column {number} holds {len(cell):,} characters; "
                f"the limit is {limits.max_cell_chars:,}."
            )
    longest = raw_width(limits) * (limits.max_cell_chars + 3)
    lengths = np.fromiter(map(len, text.split("\n")), dtype=np.int64)
    if len(lengths) and lengths.max() > longest:
        line_number = int(lengths.argmax()) + 1
        raise SpecFileError(
            f"Line {line_number} holds {int(lengths.max()):,} characters; a row holds at most "
            f"{limits.max_columns} cells of {limits.max_cell_chars:,} characters."
        )


def _read_csv(data: bytes, limits: FileLimits) -> RawTable:
    text, encoding = decode_text(data)
    if "\x00" in text:
        raise SpecFileError("The file contains NUL characters: it is not a CSV text file.")
    delimiter = _delimiter(text)
    _check_csv_shape(text, delimiter, limits)
    csv.field_size_limit(max(limits.max_cell_chars * 4, 131072))
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.EmptyDataError as exc:
        raise SpecFileError("The file has no header row (it is empty).") from exc
    except (pd.errors.ParserError, ValueError) as exc:
        ragged = RAGGED_RE.search(str(exc))
        if ragged:
            expected, line, seen = ragged.groups()
            raise SpecFileError(
                f"Row {line} has {seen} cells but the rows above have {expected}; "
                "give every column a header, or remove the extra cells."
            ) from exc
        message = str(exc).strip().splitlines()[-1] if str(exc).strip() else "unreadable"
        raise SpecFileError(f"The CSV cannot be read: {message}") from exc
    return _with_header(frame, "csv", encoding)


# --- JSON (the API) ---------------------------------------------------------------------------


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
    # The limits of _check_shape, checked above cell by cell: no pandas pass per column.
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


# --- XLSX -------------------------------------------------------------------------------------


def _check_zip(archive: zipfile.ZipFile, size: int, limits: FileLimits) -> None:
    members = archive.infolist()
    if len(members) > limits.xlsx_max_members:
        raise SpecFileError(f"The XLSX has {len(members)} parts; a spreadsheet needs far fewer.")
    unpacked = 0
    for member in members:
        unpacked += member.file_size
        if member.compress_size and member.file_size / member.compress_size > limits.xlsx_max_ratio:
            raise SpecFileError(
                "The XLSX unpacks to far more than it weighs (a zip bomb?); it was not opened."
            )
    if unpacked > limits.xlsx_max_unpacked_bytes:
        raise SpecFileError(
            f"The XLSX unpacks to {unpacked / 1_048_576:.0f} MB; the limit is "
            f"{limits.xlsx_max_unpacked_bytes / 1_048_576:.0f} MB."
        )
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise SpecFileError("This zip file is not an XLSX workbook.")


# A document type declaration is where entities (billion laughs, external files) are declared; no
# part of a workbook needs one. It can only stand in the prolog, before the root element.
PROLOG_BYTES = 65_536
ROOT_START = re.compile(r"<[A-Za-z_]")
DTD = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _check_xml_prologs(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook any of whose XML parts declares a document type (whether or not the
    importer would parse that part), or whose prolog is too long to see its end."""
    for member in archive.infolist():
        if not member.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(member) as fh:
            head = fh.read(PROLOG_BYTES)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = head.decode("utf-16", errors="replace")
        else:
            text = head.decode("latin-1")
        root = ROOT_START.search(text)
        if root is None and len(head) == PROLOG_BYTES:
            raise SpecFileError(
                f"The XLSX cannot be read safely: its part {member.filename} has no document "
                "element in its first 64 KB; it was refused."
            )
        if DTD.search(text, 0, root.start() if root else len(text)):
            raise SpecFileError(
                f"The XLSX cannot be read safely: its part {member.filename} declares an XML "
                "document type (DTD), which no workbook needs; it was refused as unsafe."
            )


def _above(bound: int, digits: str) -> str:
    """A regex for the numerals greater than `bound`: decimal (digits "0-9", leading zeros
    allowed) or spreadsheet column letters (digits "A-Z", bijective base 26)."""
    if digits == "0-9":
        text, zero, low, high = str(bound), "0*", "0", "9"
    else:
        text, zero, low, high, n = "", "", "A", "Z", bound
        while n:
            n, rest = divmod(n - 1, 26)
            text = chr(65 + rest) + text
    first = "1" if digits == "0-9" else "A"
    longer = f"[{first}-{high}][{low}-{high}]{{{len(text)},}}"
    same = []
    for i, char in enumerate(text):
        if char == high:
            continue
        bigger = chr(ord(char) + 1)
        tail = f"[{low}-{high}]{{{len(text) - i - 1}}}" if i < len(text) - 1 else ""
        same.append(f"{text[:i]}[{bigger}-{high}]{tail}")
    return zero + "(?:" + "|".join([longer, *same]) + ")"


def _check_sheet_extent(sheet: bytes, limits: FileLimits) -> None:
    """Refuse a sheet with a cell beyond the row or column limits before it is read: the reader
    allocates every cell of the rectangle up to the farthest one, so a 2-cell file reaching
    XFD1048576 would ask for hundreds of gigabytes."""
    rows = limits.max_rows + max(1_000, limits.max_rows // 10)  # room for blank rows
    # `r="` starts the pattern so that the search skips along at C speed (a 57 MB sheet of
    # 100,000 rows takes a fifth of a second); a match is checked to be an attribute.
    beyond = re.compile(
        rb'r="((?:%s)[0-9]+|[A-Z]+%s)"[^>]*(?<!/)>'
        % (_above(limits.max_columns, "A-Z").encode(), _above(rows, "0-9").encode())
    )
    for found in beyond.finditer(sheet):
        if sheet[found.start() - 1 : found.start()].isspace():
            raise SpecFileError(
                f"The XLSX has a cell at {found.group(1).decode()}, beyond the limits of "
                f"{limits.max_rows:,} rows and {limits.max_columns} columns; it was not opened."
            )
    # A cell or row may leave out its reference (it then follows the previous one), so a row of
    # 16,384 bare cells reaches column XFD without naming it. Spreadsheet programs and libraries
    # write every reference; a sheet without them is refused rather than walked cell by cell.
    # Writers put `r` first: the quick searches find the others, which the exact one checks.
    suspect = QUICK_BARE_CELL.search(sheet) or QUICK_BARE_ROW.search(sheet) or b":c" in sheet
    if suspect and BARE.search(sheet):
        raise SpecFileError(
            "The XLSX has cells or rows without a cell reference, which spreadsheet programs "
            "always write; open it in Excel or LibreOffice and save it again."
        )


QUICK_BARE_CELL = re.compile(rb'<c(?! r=")[\s/>]')
QUICK_BARE_ROW = re.compile(rb'<row(?! r=")[\s/>]')
BARE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:c|row)(?=[\s/>])(?![^>]*\sr=)")


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    workbook = SafeET.fromstring(archive.read("xl/workbook.xml"))
    sheet = workbook.find(f"{{{XLSX_MAIN_NS}}}sheets/{{{XLSX_MAIN_NS}}}sheet")
    if sheet is None:
        raise SpecFileError("The XLSX workbook has no sheet.")
    rel_id = sheet.get(f"{{{REL_NS}}}id")
    rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.findall(f"{{{PKG_REL_NS}}}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise SpecFileError("The XLSX workbook's first sheet cannot be found.")


def _formula_cells(raw: bytes) -> list[tuple[int, int]]:
    """(row, column index) of every cell of the sheet that holds a formula."""
    if b"<f" not in raw and b":f" not in raw:
        return []
    found = []
    cell_tag, formula_tag = f"{{{XLSX_MAIN_NS}}}c", f"{{{XLSX_MAIN_NS}}}f"
    for _, element in SafeET.iterparse(io.BytesIO(raw), events=("end",)):
        if element.tag == cell_tag:
            if element.find(formula_tag) is not None:
                match = CELL_REF_RE.match(element.get("r", ""))
                if match:
                    found.append((int(match.group(2)), _column_index(match.group(1))))
            element.clear()
    return found


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (ord(letter) - 64)
    return index - 1


def _read_xlsx(data: bytes, limits: FileLimits) -> RawTable:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise SpecFileError("The file looks like an XLSX but its zip structure is broken.") from exc
    with archive:
        _check_zip(archive, len(data), limits)
        try:
            _check_xml_prologs(archive)
            sheet_path = _first_sheet_path(archive)
            with archive.open(sheet_path) as fh:
                sheet = fh.read()
            _check_sheet_extent(sheet, limits)
            formulas = _formula_cells(sheet)
        except SpecFileError:
            raise
        except Exception as exc:
            raise SpecFileError(f"The XLSX cannot be read safely: {type(exc).__name__}") from exc
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:
        raise SpecFileError(f"The XLSX cannot be read: {exc}") from exc
    table = _with_header(pd.DataFrame(rows, dtype=object), "xlsx", "")
    header_row = table.row_numbers[0] - 1 if table.row_numbers else 1
    for row, column in formulas:
        if row <= header_row:
            continue
        name = table.header[column] if column < len(table.header) else f"column {column + 1}"
        table.issues.append(
            CellIssue(
                row,
                normalise_header(name),
                "",
                "holds a formula; paste the values only (formulas are not accepted)",
            )
        )
    return table


# --- both -------------------------------------------------------------------------------------


def _empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip()) or cell != cell


def _with_header(cells: pd.DataFrame, kind: str, encoding: str) -> RawTable:
    """The first non-empty row is the header; fully empty rows below it are dropped.

    `cells` holds the whole sheet from its first row, columns by position. Work is on whole
    columns: a file of 100,000 rows should not cost 100,000 Python calls per step.
    """
    text = cells.astype(object)
    # A cell of spaces counts as filled here (a row of them is reported row by row later);
    # comparing whole columns with "" keeps this step in C for 100,000-row files.
    filled = text.notna() & text.ne("")
    filled_rows = filled.any(axis=1).to_numpy()
    if not filled_rows.any():
        raise SpecFileError("The file has no header row (it is empty).")
    header_index = int(filled_rows.argmax())
    header_cells = text.iloc[header_index].tolist()
    width = max((i + 1 for i, c in enumerate(header_cells) if not _empty(c)), default=0)
    below = slice(header_index + 1, None)
    beyond = filled.iloc[below, width:].any(axis=1).to_numpy()
    if beyond.any():
        first = int(beyond.argmax()) + header_index + 1
        raise SpecFileError(
            f"Row {first + 1} has cells beyond the header's {width} columns; "
            "give every column a header."
        )
    header = [
        str(c).strip() if not _empty(c) else f"(column {i + 1}, no header)"
        for i, c in enumerate(header_cells[:width])
    ]
    keep_rows = filled_rows[below]
    body = text.iloc[below, :width][keep_rows]
    body = body.where(body.notna(), "")
    body.columns = header
    numbers = (pd.RangeIndex(len(text))[below][keep_rows] + 1).tolist()
    # Columns without a header and without any value are spreadsheet noise, not data.
    noise = [
        name
        for i, name in enumerate(header)
        if _empty(header_cells[i]) and not filled.iloc[below, i][keep_rows].any()
    ]
    body = body.drop(columns=noise).reset_index(drop=True)
    return RawTable(frame=body, row_numbers=numbers, kind=kind, encoding=encoding, header=header)


def _check_shape(table: RawTable, limits: FileLimits) -> None:
    for position, name in enumerate(table.header, start=1):
        if len(name) > limits.max_cell_chars:
            raise SpecFileError(
                f"The header of column {position} holds {len(name):,} characters; "
                f"the limit is {limits.max_cell_chars:,}."
            )
    rows, columns = table.frame.shape
    if rows > limits.max_rows:
        raise SpecFileError(f"The file has {rows:,} rows; the limit is {limits.max_rows:,}.")
    if columns > limits.max_columns:
        raise SpecFileError(f"The file has {columns} columns; the limit is {limits.max_columns}.")
    for name in table.frame.columns:
        lengths = table.frame[name].astype(str).str.len()
        if len(lengths) and lengths.max() > limits.max_cell_chars:
            position = int(lengths.to_numpy().argmax())
            raise SpecFileError(
                f"Row {table.row_numbers[position]}, column '{name}' holds "
                f"{int(lengths.max()):,} characters; the limit is {limits.max_cell_chars:,}."
            )
