"""Reading CSV spec files: row numbers, the encodings Excel writes, delimiters."""

from __future__ import annotations

import pytest

from rules.specfiles import read_spec_file

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


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
