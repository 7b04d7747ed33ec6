"""Reading XLSX spec files: typed cells, formulas reported, and the zip and XML guards."""

from __future__ import annotations

import io
import zipfile

import pytest

from rules.rawtables import SpecFileError
from rules.specfiles import read_spec_file
from tests.rules.helpers import xlsx_bytes

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


def test_xlsx_is_read_with_typed_cells():
    table = read_spec_file(xlsx_bytes([["sku", "name", "mass_kg"], ["A", "one", 1.5]]))
    assert table.kind == "xlsx"
    assert table.row_numbers == [2]
    assert table.frame.to_dict("records") == [{"sku": "A", "name": "one", "mass_kg": 1.5}]


def test_xlsx_formula_cells_are_reported_by_row_and_column():
    data = xlsx_bytes([["sku", "name", "mass_kg"], ["A", "one", "=1+2"], ["B", "two", 3]])
    table = read_spec_file(data)
    assert [(i.row, i.column, i.message) for i in table.issues] == [
        (2, "mass_kg", "holds a formula; paste the values only (formulas are not accepted)")
    ]


def test_xlsx_zip_bomb_is_refused_before_unpacking():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(SpecFileError, match="zip bomb"):
        read_spec_file(buffer.getvalue())


def test_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(SpecFileError, match="not an XLSX workbook"):
        read_spec_file(buffer.getvalue())


def test_xlsx_with_xml_entity_expansion_is_refused():
    data = xlsx_bytes([["sku"], ["A"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                content = (
                    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><workbook>&lol2;</workbook>'
                )
            archive.writestr(item, content)
    with pytest.raises(SpecFileError, match="cannot be read safely"):
        read_spec_file(buffer.getvalue())
