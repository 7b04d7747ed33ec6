"""Parsing and screening raw specs (as a spreadsheet would hold them) without a database."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import pandas as pd

from rules.catalogue import Catalogue
from rules.evaluation import screen_frame
from rules.results import ProductResult
from rules.specs import ParsedSpecs, parse_specs

BASE = {"sku": "S-1", "name": "Thing", "category": "battery_cell", "subtype": "li_ion"}


def parse(*rows: dict[str, Any], **common: Any) -> ParsedSpecs:
    return parse_specs(pd.DataFrame([{**common, **row} for row in rows], dtype=object))


def screen_rows(
    rows: list[dict[str, Any]], catalogue: Catalogue, as_of: dt.date
) -> list[ProductResult]:
    parsed = parse_specs(pd.DataFrame(rows, dtype=object))
    screening = screen_frame(parsed.specs, catalogue, as_of, invalid=parsed.invalid)
    return [screening.explain(i) for i in range(len(rows))]


def screen_raw(catalogue: Catalogue, as_of: dt.date, **cells: Any) -> ProductResult:
    row = {"sku": "T-1", "name": "Test product", **cells}
    return screen_rows([row], catalogue, as_of)[0]


def entry_results(result: ProductResult) -> dict[str, str]:
    return {e.entry.key: e.result for e in result.entries}


def xlsx_bytes(rows: list[list[Any]], *, title: str = "specs") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
