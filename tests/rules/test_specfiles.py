"""Reading spec files safely: type by content, every limit before the work it bounds, JSON specs."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from rules.cells import CellIssue
from rules.rawtables import FileLimits, SpecFileError
from rules.specfiles import read_spec_file, read_spec_json, read_spec_records
from rules.specs import parse_specs
from tests.rules.helpers import xlsx_bytes

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


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
        (
            b"sku,name\nA\x00,b\n",
            "The file contains NUL bytes: it is neither a CSV text file nor an XLSX workbook.",
        ),
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


# --- every limit is checked before the work it bounds (issue 19, item 1) ----------------------


def sheet_xlsx(sheet_data: str, *, styles: str = "") -> bytes:
    """An openpyxl workbook whose first sheet's cells are replaced by `sheet_data`."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["sku"], ["A"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                start, end = content.index(b"<sheetData"), content.index(b"</sheetData>")
                content = content[:start] + f"<sheetData>{sheet_data}".encode() + content[end:]
            if item.filename == "xl/styles.xml" and styles:
                content = styles.encode()
            archive.writestr(item, content)
    return buffer.getvalue()


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


WIDE = 160_000
BEFORE_WORK = [
    (
        "160,000 named columns",
        (",".join(f"c{i}" for i in range(WIDE)) + "\n" + ",".join("1" * WIDE) + "\n").encode(),
        "The file has 160,000 columns; the limit is 60.",
    ),
    (
        "160,000 empty header cells",
        b"sku,name" + b"," * WIDE + b"\nA,B\n",
        "The header row has 160,002 cells; the limit is 60 columns. "
        "Delete the empty columns after the last one.",
    ),
    (
        "a quoted header with a cell over the limit",
        b'"sku","' + b"n" * 3_000 + b'"\nA,B\n',
        "The header of column 2 holds 3,000 characters; the limit is 2,000.",
    ),
    (
        "a 100,000-character line",
        b"sku,name\nA," + b"x" * 100_000 + b"\n" + b"B,y\n" * 10,
        None,  # within a row of 120 cells of 2,000 characters: refused after parsing, per cell
    ),
    (
        "a 300,000-character line",
        b"sku,name\nA," + b"x" * 300_000 + b"\n",
        "Line 2 holds 300,002 characters; a row holds at most 60 cells of 2,000 characters.",
    ),
    (
        "an XLSX reaching XFD1048576",
        sheet_xlsx(
            f'<row r="1">{inline("A1", "sku")}</row>'
            f'<row r="1048576">{inline("XFD1048576", "x")}</row>'
        ),
        "The XLSX has a cell at XFD1048576, beyond the limits of 300,000 rows and 60 columns; "
        "it was not opened.",
    ),
    (
        "an XLSX header of 16,384 columns",
        sheet_xlsx(
            '<row r="1">'
            + "".join(inline(f"{column_letters(i)}1", f"c{i}") for i in range(1, 16385))
            + "</row>"
        ),
        "The XLSX has a cell at BI1, beyond the limits of 300,000 rows and 60 columns; "
        "it was not opened.",
    ),
    (
        "an XLSX cell in row 1,000,000",
        sheet_xlsx(
            f'<row r="1">{inline("A1", "sku")}</row>'
            f'<row r="1000000">{inline("A1000000", "x")}</row>'
        ),
        "The XLSX has a cell at A1000000, beyond the limits of 300,000 rows and 60 columns; "
        "it was not opened.",
    ),
    (
        "an XLSX row of 16,384 cells without references",
        sheet_xlsx(
            f'<row r="1">{inline("A1", "sku")}</row><row r="2">'
            + "<c/>" * 16_383
            + '<c t="inlineStr"><is><t>far</t></is></c></row>'
        ),
        "The XLSX has cells or rows without a cell reference, which spreadsheet programs always "
        "write; open it in Excel or LibreOffice and save it again.",
    ),
    (
        "a document type in the styles, a part the importer never reads",
        sheet_xlsx(
            f'<row r="1">{inline("A1", "sku")}</row>',
            styles='<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
        ),
        "The XLSX cannot be read safely: its part xl/styles.xml declares an XML document type "
        "(DTD), which no workbook needs; it was refused as unsafe.",
    ),
]


@pytest.mark.parametrize(("label", "data", "message"), BEFORE_WORK, ids=[b[0] for b in BEFORE_WORK])
def test_limits_are_checked_before_the_work_they_bound(label, data, message):
    """Each of these took from seconds to minutes, or crashed the process, when the limit was
    checked only after the file was parsed (160,000 columns: 47 s; XFD1048576: an allocation
    of 512 GB). Refused now in well under a second, with the exact message."""
    started = time.monotonic()
    with pytest.raises(SpecFileError) as raised:
        read_spec_file(data)
    assert time.monotonic() - started < 1.0
    if message is None:
        assert str(raised.value).startswith("Row 2, column 'name' holds 100,000 characters")
    else:
        assert str(raised.value) == message


def test_a_sheet_within_the_limits_is_read_whatever_its_references():
    """Blank rows may push the last row past max_rows; empty cells may lie past the columns."""
    table = read_spec_file(
        sheet_xlsx(
            f'<row r="1">{inline("A1", "sku")}{inline("BH1", "name")}</row>'
            f'<row r="1500">{inline("A1500", "A-1")}<c r="BI1500" s="0"/></row>'
            f'<row r="1501">{inline("A1501", "A-2")}{inline("C1501", "x")}</row>'
        ),
        limits=FileLimits(max_rows=1000),
    )
    assert (table.header[0], table.header[-1], len(table.header)) == ("sku", "name", 60)
    assert table.row_numbers == [1500, 1501]


def test_the_size_limit_reports_the_whole_file_when_only_its_start_was_read():
    limits = FileLimits(max_bytes=1024 * 1024)
    with pytest.raises(SpecFileError) as raised:
        read_spec_file(b"x" * (1024 * 1024 + 1), limits=limits, size=200 * 1024 * 1024)
    assert str(raised.value) == "The file is 200.0 MB; the limit is 1 MB."


# --- specs sent as JSON objects (the API) ------------------------------------------------------


def test_json_objects_become_rows_numbered_from_one_with_every_key_a_column():
    table = read_spec_records(
        [{"sku": "A", "energy_density_wh_per_kg": 310}, {"sku": "B", "name": "two"}]
    )
    assert table.kind == "json"
    assert table.row_numbers == [1, 2]
    assert table.header == ["sku", "energy_density_wh_per_kg", "name"]
    assert table.frame.to_dict("records") == [
        {"sku": "A", "energy_density_wh_per_kg": 310, "name": None},
        {"sku": "B", "energy_density_wh_per_kg": None, "name": "two"},
    ]


def test_json_specs_parse_like_spreadsheet_cells():
    table = read_spec_records(
        [{"SKU ": "A", "name": "Cell", "category": "battery_cell", "subtype": "li_ion",
          "energy_density_wh_per_kg": "0.31 kWh/kg", "mass_kg": 0.05}]
    )  # fmt: skip
    parsed = parse_specs(table.frame, row_numbers=table.row_numbers)
    assert parsed.errors == []
    row = parsed.specs.loc[1]
    assert (row["sku"], row["energy_density_wh_per_kg"], row["mass_kg"]) == ("A", 310.0, 0.05)


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([], "No specs were sent."),
        ([{"sku": "A"}, "B"], "Spec 2 is not a JSON object."),
        ([{"sku": "A"}] * 4, "4 specs were sent; the limit is 3."),
        ([{f"c{i}": 1 for i in range(5)}], "The specs have 5 different keys; the limit is 4."),
        ([{"sku": "x" * 11}], "Row 1, column 'sku' holds 11 characters; the limit is 10."),
        ([{"s" * 11: "x"}], "A key holds 11 characters; the limit is 10."),
    ],
)
def test_json_specs_outside_the_limits_are_refused(records, message):
    limits = FileLimits(max_rows=3, max_columns=4, max_cell_chars=10)
    with pytest.raises(SpecFileError) as refused:
        read_spec_records(records, limits=limits)
    assert str(refused.value) == message


def test_a_json_value_that_is_no_text_or_number_is_an_error_of_its_cell():
    table = read_spec_records(
        [
            {"sku": "A", "Mass_kg": True, "name": "one"},
            {"sku": "B", "mass_kg": {"value": 1}, "name": ["two"]},
            {"sku": "C", "mass_kg": 1},
        ]
    )
    assert table.issues == [
        CellIssue(1, "mass_kg", "true", "must be text, a number or null"),
        CellIssue(2, "mass_kg", '{"value": 1}', "must be text, a number or null"),
        CellIssue(2, "name", '["two"]', "must be text, a number or null"),
    ]
    assert table.frame.to_dict("records") == [
        {"sku": "A", "Mass_kg": None, "name": "one", "mass_kg": None},
        {"sku": "B", "Mass_kg": None, "name": None, "mass_kg": None},
        {"sku": "C", "Mass_kg": None, "name": None, "mass_kg": 1},
    ]


def test_a_json_document_gives_its_specs_list():
    table = read_spec_json(b'{"as_of": "2026-12-01", "specs": [{"sku": "A"}]}')
    assert table.frame.to_dict("records") == [{"sku": "A"}]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"specs": {"sku": "A"}}', 'The document has no "specs" list.'),
        (b'[{"sku": "A"}]', 'The document has no "specs" list.'),
        (b'{"specs": [{"mass_kg": NaN}]}', "The document is not JSON: NaN is not a JSON number"),
        (b"\xff\xfe", "The document is not JSON: "),
    ],
)
def test_a_json_document_without_a_specs_list_is_refused(data, message):
    with pytest.raises(SpecFileError) as refused:
        read_spec_json(data)
    assert str(refused.value).startswith(message)
