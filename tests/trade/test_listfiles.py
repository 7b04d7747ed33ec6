"""List files and party files: CSV, XLSX and JSON; every bad cell by row, column and value."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.rules.helpers import xlsx_bytes
from trade.listfiles import ListFileError, read_list_file, read_party_file

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it

HEADER = "list,entry_ref,name,aliases,country,listed_on,delisted_on,announcement,source"
GOOD = (
    "control_list,CL01,Huawei Technologies Co. Ltd.,华为技术有限公司;Huawei Tech,CN,2025-01-02,,"
    "MOFCOM 2025 No. 1,https://example.com/a"
)


def csv_bytes(*rows: str) -> bytes:
    return ("\n".join((HEADER, *rows)) + "\n").encode()


def test_a_good_row_becomes_an_entry():
    listed = read_list_file(csv_bytes(GOOD))
    assert listed.errors == []
    [entry] = listed.entries
    assert (entry.list, entry.entry_ref, entry.aliases, entry.country, entry.listed_on) == (
        "control_list",
        "CL01",
        ("华为技术有限公司", "Huawei Tech"),
        "CN",
        dt.date(2025, 1, 2),
    )
    assert listed.kind == "csv"


def test_every_bad_cell_is_named_by_row_column_value_and_expectation():
    listed = read_list_file(
        csv_bytes(
            GOOD,
            "contrl_list,CL02,X,,ZZ,2025-13-01,,MOFCOM,ftp://x",
            "watch_list,CL01,,,,2025-01-02,2024-12-31,,",
        )
    )
    assert [str(e) for e in listed.errors] == [
        "row 3, column 'list': 'contrl_list' is not a list; expected control_list, watch_list, "
        "unreliable_entity_list",
        "row 3, column 'country': 'ZZ' is not a country; expected an ISO 3166 code such as CN, US "
        "or JP",
        "row 3, column 'listed_on': '2025-13-01' is not a date; expected YYYY-MM-DD (e.g. "
        "2025-01-02)",
        "row 3, column 'source': 'ftp://x' is not a web address; expected one starting with "
        "https:// or http://",
        "row 4, column 'entry_ref': 'CL01' repeats the entry_ref of row 2; expected a unique "
        "reference",
        "row 4, column 'name': is empty; expected the listed party's name",
        "row 4, column 'delisted_on': '2024-12-31' is not after listed_on (2025-01-02); expected "
        "a later date",
        "row 4, column 'announcement': is empty; expected the announcement that listed it (e.g. "
        "MOFCOM 2025 No. 1)",
    ]
    assert [e.entry_ref for e in listed.entries] == ["CL01"]


def test_missing_columns_make_the_file_unusable():
    with pytest.raises(ListFileError, match="lacks column\\(s\\) listed_on, announcement"):
        read_list_file(b"list,entry_ref,name\ncontrol_list,CL01,X\n")


def test_unknown_columns_are_reported_not_used():
    data = (HEADER + ",colour\n" + GOOD + ",red\n").encode()
    assert read_list_file(data).warnings == ["unknown column, not used: colour"]


def test_a_non_spreadsheet_is_refused_by_content():
    with pytest.raises(ListFileError, match="PDF"):
        read_list_file(b"%PDF-1.4 ...")


def test_xlsx_list_files_read_like_csv():
    rows = [HEADER.split(","), GOOD.split(",")]
    listed = read_list_file(xlsx_bytes(rows))
    assert (listed.kind, len(listed.entries), listed.errors) == ("xlsx", 1, [])


def test_json_list_files_are_the_same_format():
    document = {
        "entries": [
            {
                "list": "unreliable_entity_list",
                "entry_ref": "UEL01",
                "name": "PVH Corp.",
                "aliases": ["PVH集团"],
                "country": "US",
                "listed_on": "2025-02-04",
                "announcement": "UEL working mechanism, 2025-02-04",
            },
            {"list": "watch_list", "entry_ref": "W1", "name": "X", "listed_on": "yesterday"},
        ]
    }
    listed = read_list_file(json.dumps(document).encode())
    assert [e.aliases for e in listed.entries] == [("PVH集团",)]
    assert [str(e) for e in listed.errors] == [
        "entry 2, column 'listed_on': 'yesterday' is not a date; expected YYYY-MM-DD (e.g. "
        "2025-01-02)",
        "entry 2, column 'announcement': is empty; expected the announcement that listed it "
        "(e.g. MOFCOM 2025 No. 1)",
    ]


def test_party_rows_with_errors_are_still_screened_and_reported():
    parties = read_party_file(
        b"party_ref,name,country,name_zh\nP1,Acme,US,\nP2,,XX,\nP1,Other,China,\n"
    )
    assert [(p.party_ref, p.country) for p in parties.parties] == [
        ("P1", "US"),
        ("P2", ""),
        ("P1", "CN"),
    ]
    assert [str(e) for e in parties.errors] == [
        "row 3, column 'name': is empty; expected the party's name (or a name_zh)",
        "row 3, column 'country': 'XX' is not a country; expected an ISO 3166 code such as CN, US "
        "or JP",
        "row 4, column 'party_ref': 'P1' repeats the party_ref of row 2; expected a unique "
        "reference",
    ]


def test_the_starter_list_reads_without_errors():
    from pathlib import Path

    data = (
        Path(__file__).resolve().parents[2] / "trade" / "data" / "starter_lists.csv"
    ).read_bytes()
    listed = read_list_file(data)
    assert listed.errors == []
    assert {e.list for e in listed.entries} == {
        "control_list",
        "watch_list",
        "unreliable_entity_list",
    }
    assert {e.level for e in listed.entries} == {"V2"}
