"""Reading a CSV spec file safely: its text encoding (UTF-8 with or without BOM, UTF-16 with BOM,
or GB18030, what Excel writes on Chinese Windows), its delimiter, and the header's cells and
every line's length checked before pandas parses anything. Plain Python (no Django).
"""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pandas as pd

from rules.messages import Template, gettext_noop
from rules.rawtables import (
    LONG_HEADER,
    NO_HEADER,
    TOO_MANY_COLUMNS,
    FileLimits,
    RawTable,
    SpecFileError,
    table_from_cells,
)

NOT_UTF16 = Template("csv.not_utf16", gettext_noop("The file claims to be UTF-16 text but is not."))
NUL_BYTES = Template(
    "csv.nul_bytes",
    gettext_noop(
        "The file contains NUL bytes: it is neither a CSV text file nor an XLSX workbook."
    ),
)
NOT_TEXT = Template(
    "csv.not_text",
    gettext_noop("The file is not text in UTF-8 or GB18030 (GBK). Save it as 'CSV UTF-8'."),
)
UNREADABLE_HEADER = Template(
    "csv.unreadable_header",
    gettext_noop(
        "The header row cannot be read (%(error)s); its cells are limited to %(limit)s characters."
    ),
)
WIDE_HEADER = Template(
    "csv.wide_header",
    gettext_noop(
        "The header row has %(cells)s cells; the limit is %(limit)s columns. Delete the empty "
        "columns after the last one."
    ),
)
LONG_LINE = Template(
    "csv.long_line",
    gettext_noop(
        "Line %(line)s holds %(length)s characters; a row holds at most %(columns)s cells of "
        "%(limit)s characters."
    ),
)
NUL_CHARACTERS = Template(
    "csv.nul_characters",
    gettext_noop("The file contains NUL characters: it is not a CSV text file."),
)
RAGGED = Template(
    "csv.ragged",
    gettext_noop(
        "Row %(row)s has %(seen)s cells but the rows above have %(expected)s; give every column "
        "a header, or remove the extra cells."
    ),
)
UNREADABLE = Template("csv.unreadable", gettext_noop("The CSV cannot be read: %(error)s"))

RAGGED_RE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name) for CSV bytes; raises SpecFileError when it is not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise SpecFileError(NOT_UTF16()) from exc
    if b"\x00" in data:
        raise SpecFileError(NUL_BYTES())
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError as exc:
        raise SpecFileError(NOT_TEXT()) from exc


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
                UNREADABLE_HEADER(error=str(exc), limit=f"{limits.max_cell_chars:,}")
            ) from exc
    else:
        header = line.split(delimiter)
    named = sum(1 for cell in header if cell.strip())
    if named > limits.max_columns:
        raise SpecFileError(TOO_MANY_COLUMNS(columns=f"{named:,}", limit=limits.max_columns))
    if len(header) > raw_width(limits):
        raise SpecFileError(WIDE_HEADER(cells=f"{len(header):,}", limit=limits.max_columns))
    for number, cell in enumerate(header, start=1):
        if len(cell) > limits.max_cell_chars:
            raise SpecFileError(
                LONG_HEADER(
                    column=number, length=f"{len(cell):,}", limit=f"{limits.max_cell_chars:,}"
                )
            )
    longest = raw_width(limits) * (limits.max_cell_chars + 3)
    lengths = np.fromiter(map(len, text.split("\n")), dtype=np.int64)
    if len(lengths) and lengths.max() > longest:
        line_number = int(lengths.argmax()) + 1
        raise SpecFileError(
            LONG_LINE(
                line=line_number,
                length=f"{int(lengths.max()):,}",
                columns=limits.max_columns,
                limit=f"{limits.max_cell_chars:,}",
            )
        )


def read_csv(data: bytes, limits: FileLimits) -> RawTable:
    text, encoding = decode_text(data)
    if "\x00" in text:
        raise SpecFileError(NUL_CHARACTERS())
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
        raise SpecFileError(NO_HEADER()) from exc
    except (pd.errors.ParserError, ValueError) as exc:
        ragged = RAGGED_RE.search(str(exc))
        if ragged:
            expected, line, seen = ragged.groups()
            raise SpecFileError(RAGGED(row=line, seen=seen, expected=expected)) from exc
        message = str(exc).strip().splitlines()[-1] if str(exc).strip() else "unreadable"
        raise SpecFileError(UNREADABLE(error=message)) from exc
    return table_from_cells(frame, "csv", encoding)
