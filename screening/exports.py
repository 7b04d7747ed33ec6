"""Writing tables for spreadsheets: CSV cells that a spreadsheet will not run as formulas.

Excel, LibreOffice and Google Sheets treat a cell starting with =, +, -, @ (and, after a tab, CR
or NUL, whatever follows) as a formula, so a product name like `=HYPERLINK(...)` in an export
would run on the reader's machine (OWASP "CSV injection"). Every text cell of every CSV or XLSX
the application writes, header rows included, goes through `neutralise` (CSV documents through
`csv_text`): such a cell gets a leading single quote, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise(value: Any) -> Any:
    """The value, with a leading ' when it is text a spreadsheet would read as a formula.

    Numbers are left alone: a negative number is not a formula, and quoting it would turn it
    into text in the reader's spreadsheet.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        value = value.item()
    if isinstance(value, numbers.Number):
        return value
    return neutralise(str(value))


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV document (with a header row) whose every text cell is neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()
