"""A table of raw cells read from a file (RawTable), the limits every reader checks (FileLimits)
and the error a reader raises when a file cannot be read at all (SpecFileError).

The readers (rules.csvfiles, rules.xlsxfiles; rules.specfiles chooses one by content and reads
JSON specs) share the header rule and the shape checks here. Plain Python (no Django).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from rules.cells import CellIssue
from rules.messages import Message, Template, gettext_noop

NO_HEADER = Template("file.no_header", gettext_noop("The file has no header row (it is empty)."))
BEYOND_HEADER = Template(
    "file.beyond_header",
    gettext_noop(
        "Row %(row)s has cells beyond the header's %(width)s columns; give every column a header."
    ),
)
NO_HEADER_NAME = Template("file.no_header_name", gettext_noop("(column %(n)s, no header)"))
LONG_HEADER = Template(
    "file.long_header",
    gettext_noop(
        "The header of column %(column)s holds %(length)s characters; the limit is %(limit)s."
    ),
)
TOO_MANY_ROWS = Template(
    "file.too_many_rows", gettext_noop("The file has %(rows)s rows; the limit is %(limit)s.")
)
TOO_MANY_COLUMNS = Template(
    "file.too_many_columns",
    gettext_noop("The file has %(columns)s columns; the limit is %(limit)s."),
)
LONG_CELL = Template(
    "file.long_cell",
    gettext_noop(
        "Row %(row)s, column '%(column)s' holds %(length)s characters; the limit is %(limit)s."
    ),
)


class SpecFileError(Exception):
    """The file cannot be read at all. The message says why, for the person who uploaded it."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message


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


def _empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip()) or cell != cell


def table_from_cells(cells: pd.DataFrame, kind: str, encoding: str) -> RawTable:
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
        raise SpecFileError(NO_HEADER())
    header_index = int(filled_rows.argmax())
    header_cells = text.iloc[header_index].tolist()
    width = max((i + 1 for i, c in enumerate(header_cells) if not _empty(c)), default=0)
    below = slice(header_index + 1, None)
    beyond = filled.iloc[below, width:].any(axis=1).to_numpy()
    if beyond.any():
        first = int(beyond.argmax()) + header_index + 1
        raise SpecFileError(BEYOND_HEADER(row=first + 1, width=width))
    header = [
        str(c).strip() if not _empty(c) else str(NO_HEADER_NAME(n=i + 1))
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


def check_shape(table: RawTable, limits: FileLimits) -> None:
    for position, name in enumerate(table.header, start=1):
        if len(name) > limits.max_cell_chars:
            raise SpecFileError(
                LONG_HEADER(
                    column=position, length=f"{len(name):,}", limit=f"{limits.max_cell_chars:,}"
                )
            )
    rows, columns = table.frame.shape
    if rows > limits.max_rows:
        raise SpecFileError(TOO_MANY_ROWS(rows=f"{rows:,}", limit=f"{limits.max_rows:,}"))
    if columns > limits.max_columns:
        raise SpecFileError(TOO_MANY_COLUMNS(columns=columns, limit=limits.max_columns))
    for name in table.frame.columns:
        lengths = table.frame[name].astype(str).str.len()
        if len(lengths) and lengths.max() > limits.max_cell_chars:
            position = int(lengths.to_numpy().argmax())
            raise SpecFileError(
                LONG_CELL(
                    row=table.row_numbers[position],
                    column=name,
                    length=f"{int(lengths.max()):,}",
                    limit=f"{limits.max_cell_chars:,}",
                )
            )
