"""Reading spec files safely: type by content, encodings, XLSX guards, row numbers."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from rules.specfiles import FileLimits, SpecFileError, read_spec_file


def xlsx_bytes(rows, *, title="specs"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_rows_keep_their_spreadsheet_row_numbers_across_blank_lines():
    table = read_spec_file(b"sku,name\nA,one\n\n,\nB,two\n")
    assert table.kind == "csv"
    assert table.row_numbers == [2, 5]
    assert table.frame.to_dict("records") == [
        {"sku": "A", "name": "one"},
        {"sku": "B", "name": "two"},
    ]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("sku,name\nA,电芯\n".encode("utf-8-sig"), "UTF-8"),
        ("sku,name\nA,电芯\n".encode("gb18030"), "GB18030"),
        ("sku\tname\nA\t电芯\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_csv_encodings_written_by_excel_are_read(data, encoding):
    table = read_spec_file(data)
    assert table.encoding == encoding
    assert table.frame.to_dict("records") == [{"sku": "A", "name": "电芯"}]


def test_semicolon_separated_csv_is_read():
    table = read_spec_file(b"sku;name\nA;one\n")
    assert table.frame.to_dict("records") == [{"sku": "A", "name": "one"}]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"%PDF-1.7 blah", "This is a PDF document, not a CSV or XLSX spreadsheet."),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest",
            "This is an old Excel 97-2003 (.xls) or other Office file; save it as .xlsx, not a CSV "
            "or XLSX spreadsheet.",
        ),
        (b"sku,name\nA\x00,b\n", "The file contains NUL bytes: it is not a CSV text file."),
        (b"PK\x03\x04garbage", "The file looks like an XLSX but its zip structure is broken."),
        (b"\n\n\n", "The file has no header row (it is empty)."),
        (
            b"sku,name\nA,b,extra\n",
            "Row 2 has 3 cells but the rows above have 2; give every column a header, or remove "
            "the extra cells.",
        ),
    ],
)
def test_unreadable_files_are_rejected_with_a_clear_message(data, message):
    with pytest.raises(SpecFileError) as raised:
        read_spec_file(data)
    assert str(raised.value) == message


def test_size_row_column_and_cell_limits():
    limits = FileLimits(max_bytes=40, max_rows=2, max_columns=2, max_cell_chars=5)
    with pytest.raises(SpecFileError, match="the limit is 0 MB"):
        read_spec_file(b"x" * 41, limits=limits)
    with pytest.raises(SpecFileError, match="The file has 3 rows; the limit is 2."):
        read_spec_file(b"a\n1\n2\n3\n", limits=limits)
    with pytest.raises(SpecFileError, match="The file has 3 columns; the limit is 2."):
        read_spec_file(b"a,b,c\n1,2,3\n", limits=limits)
    with pytest.raises(SpecFileError, match="Row 2, column 'a' holds 6 characters"):
        read_spec_file(b"a\n123456\n", limits=limits)


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
