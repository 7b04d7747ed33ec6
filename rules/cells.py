"""The cells of a raw table as text, and the issues found in them by row and column.

What the spec parser (rules.specs, rules.spec_parameters) and the file readers (rules.specfiles
and its CSV and XLSX readers) share. Plain Python (pandas and numpy, no Django).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rules.units import normalise_text


@dataclass(frozen=True)
class CellIssue:
    """An error or warning about one cell: spreadsheet row (header = 1), column, raw text."""

    row: int
    column: str
    value: str
    message: str


def normalise_header(name: object) -> str:
    return str(name).strip().lower()


def cell_text(value: object) -> str | None:
    """A raw cell as trimmed text; None when empty. Integral floats lose their '.0'."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        return value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return None
    text = str(value).strip()
    return text or None


def column_texts(cells: pd.Series) -> pd.Series:
    """Trimmed text per cell (None for empty), as an object column. Empty cells are found in
    one comparison and the rest trimmed in one comprehension: several times faster than pandas'
    .str.strip with its missing-value handling, on 100,000-row files."""
    values = cells.to_numpy(dtype=object)
    texts = np.full(len(values), None, dtype=object)
    # Most cells of a template's columns are empty: find them in one comparison (pd.NA, which
    # cannot be compared, turns up only in frames built by hand; those go cell by cell).
    try:
        filled = np.flatnonzero(values != "")
    except TypeError:
        filled = np.arange(len(values))
    if filled.size:
        texts[filled] = [
            (value.strip() or None) if type(value) is str else cell_text(value)
            for value in values[filled].tolist()
        ]
    return pd.Series(texts, index=cells.index, dtype=object)


def normalised(text: pd.Series) -> pd.Series:
    """normalise_text on a column of strings, calling it only for the cells that need it:
    plain ASCII (almost every cell) is only trimmed, and that is done for the whole column."""
    ascii_only = text.str.isascii().fillna(True).astype(bool)
    out = text.str.strip()
    needs = ~ascii_only
    if needs.any():
        out = out.where(ascii_only, text[needs].map(normalise_text))
    return out


class Collector:
    """Gathers issues column by column, vectorised: a mask and a message per kind of problem."""

    def __init__(self, rows: np.ndarray) -> None:
        self.rows = rows
        self.errors: list[CellIssue] = []
        self.warnings: list[CellIssue] = []

    def add(
        self,
        mask: np.ndarray,
        column: str,
        texts: pd.Series | Sequence[object],
        message: str | Sequence[str],
        *,
        warning: bool = False,
    ) -> None:
        target = self.warnings if warning else self.errors
        positions = np.flatnonzero(mask)
        for pos in positions.tolist():
            raw = texts.iloc[pos] if isinstance(texts, pd.Series) else texts[pos]
            text = "" if raw is None else str(raw)
            msg = message if isinstance(message, str) else message[pos]
            target.append(CellIssue(int(self.rows[pos]), column, text, msg))
