"""`manage.py screen_parties`: the JSON contract of issue 14 and its exit codes."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from trade.listfiles import read_list_file
from trade.matching import LISTS

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it

LIST = (
    "list,entry_ref,name,aliases,country,listed_on,delisted_on,announcement,source\n"
    "control_list,CL01,Huawei Technologies Co. Ltd.,华为技术有限公司,CN,2025-01-02,,"
    "MOFCOM 2025 No. 1,\n"
    "unreliable_entity_list,UEL01,Lockheed Martin Corporation,,US,2023-02-16,2026-01-01,"
    "UEL 2023 No. 1,\n"
)
PARTIES = (
    "party_ref,name,country,name_zh,address\n"
    "P1,Huawei Technolgies,CN,,Shenzhen\n"
    "P2,Lockheed Martin,US,,\n"
    "P3,,CN,华为技术\n"
)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "list.csv").write_text(LIST, encoding="utf-8")
    (tmp_path / "parties.csv").write_text(PARTIES, encoding="utf-8")
    return tmp_path


def run(capsys, *args):
    with pytest.raises(SystemExit) as stopped:
        call_command("screen_parties", *args)
    return stopped.value.code, capsys.readouterr()


def test_json_lists_every_candidate_at_or_above_the_threshold(files, capsys):
    call_command(
        "screen_parties",
        str(files / "parties.csv"),
        "--list",
        str(files / "list.csv"),
        "--as-of",
        "2025-06-01",
        "--format",
        "json",
    )
    document = json.loads(capsys.readouterr().out)
    assert document["as_of"] == "2025-06-01"
    results = document["results"]
    assert [(r["row"], r["party_ref"]) for r in results] == [(2, "P1"), (3, "P2"), (4, "P3")]
    assert [[c["entry_ref"] for c in r["candidates"]] for r in results] == [
        ["CL01"],
        ["UEL01"],
        ["CL01"],
    ]
    candidate = results[0]["candidates"][0]
    assert set(candidate) == {"entry_ref", "list", "score", "reason"}
    assert candidate["list"] in LISTS
    assert candidate["score"] >= document["threshold"] == 0.8
    assert candidate["reason"].startswith("name 'Huawei Technolgies' matched name ")


def test_delisted_entries_are_not_candidates_as_of_a_later_date(files, capsys):
    call_command(
        "screen_parties",
        str(files / "parties.csv"),
        "--list",
        str(files / "list.csv"),
        "--as-of",
        "2026-01-01",
    )
    results = json.loads(capsys.readouterr().out)["results"]
    assert results[1]["candidates"] == []


def test_the_command_needs_no_database(files, capsys):
    # Without the db fixture pytest-django refuses any query: the run proves there is none.
    call_command("screen_parties", str(files / "parties.csv"), "--list", str(files / "list.csv"))
    assert json.loads(capsys.readouterr().out)["results"]


def test_table_says_no_match_never_cleared(files, capsys):
    (files / "other.csv").write_text(
        "party_ref,name,country\nP9,Acme Widgets,US\n", encoding="utf-8"
    )
    call_command(
        "screen_parties",
        str(files / "other.csv"),
        "--list",
        str(files / "list.csv"),
        "--format",
        "table",
        "--as-of",
        "2025-06-01",
    )
    out = capsys.readouterr().out
    sha = read_list_file(LIST.encode()).sha256[:12]
    assert f"no match in list.csv (sha256 {sha}, 2 entries listed on 2025-06-01)" in out
    assert "cleared" not in out


def test_unreadable_files_exit_2_with_one_line(files, capsys):
    code, out = run(capsys, str(files / "missing.csv"), "--list", str(files / "list.csv"))
    assert code == 2
    assert out.err.count("\n") <= 1
    assert out.err.startswith("error: cannot read")
    code, out = run(capsys, str(files / "parties.csv"), "--list", str(files / "missing.csv"))
    assert code == 2


def test_a_list_with_bad_cells_is_not_used(files, capsys):
    (files / "bad.csv").write_text(LIST.replace("2025-01-02", "2025-13-01"), encoding="utf-8")
    code, out = run(capsys, str(files / "parties.csv"), "--list", str(files / "bad.csv"))
    assert code == 2
    assert out.err.strip() == (
        f"error: cannot use list {files / 'bad.csv'}: 1 error(s): row 2, column 'listed_on': "
        "'2025-13-01' is not a date; expected YYYY-MM-DD (e.g. 2025-01-02)"
    )
    assert out.out == ""


def test_json_has_the_issue_14_keys_and_only_the_documented_additions(files, capsys):
    # Issue 14 states {"as_of", "results": [{"row", "party_ref", "candidates": [{"entry_ref",
    # "list", "score", "reason"}]}]}; the command adds "list" and "threshold" at the top and
    # "errors" to each result (README), which a reader of the stated keys never sees.
    call_command("screen_parties", str(files / "parties.csv"), "--list", str(files / "list.csv"))
    document = json.loads(capsys.readouterr().out)
    assert set(document) == {"as_of", "results", "list", "threshold"}
    assert isinstance(document["as_of"], str)
    for result in document["results"]:
        assert set(result) == {"row", "party_ref", "candidates", "errors"}
        assert isinstance(result["row"], int)
        assert isinstance(result["party_ref"], str)
        for candidate in result["candidates"]:
            assert set(candidate) == {"entry_ref", "list", "score", "reason"}
            assert isinstance(candidate["score"], float)
            assert isinstance(candidate["reason"], str)
    assert set(document["list"]) == {"file", "sha256", "entries", "listed_on_as_of"}
