"""CSV cells a spreadsheet would run as formulas are neutralised (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from screening.exports import csv_text, neutralise

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("\0=cmd", "'\0=cmd"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
    ],
)
def test_neutralise_quotes_text_a_spreadsheet_would_run(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize("value", ["Cell A", "3A001", "", " =not first", "a=b", "电芯"])
def test_neutralise_leaves_other_text_alone(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("value", [-5, -2.5, 0, 7, Decimal("-1.50"), None, True])
def test_neutralise_leaves_numbers_and_none_alone(value):
    assert neutralise(value) is value


def test_csv_text_neutralises_every_text_cell_and_the_header():
    text = csv_text(["=name", "value"], [["=1+2", -3.5], ["@x", Decimal("-2")], [None, "ok"]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["'=name", "value"], ["'=1+2", "-3.5"], ["'@x", "-2"], ["", "ok"]]
