"""The contract commands, run as other tools run them (`manage.py …`), say a mistyped argument
in one line of standard error and exit 2, as they do for a file they cannot read."""

from __future__ import annotations

import pytest
from django.core.management import ManagementUtility
from django.core.management.base import CommandError

from rules.management.commands.screen import Command as ScreenCommand

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


def run_as_tool(capsys, *argv):
    with pytest.raises(SystemExit) as stopped:
        ManagementUtility(["manage.py", *argv]).execute()
    return stopped.value.code, capsys.readouterr()


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (("screen", "specs.csv", "--as-of", "2026-13-01"), "'2026-13-01' is not a date"),
        (("screen", "specs.csv", "--format", "xml"), "argument --format: invalid choice"),
        (("screen_parties", "parties.csv"), "the following arguments are required: --list"),
        (
            ("screen_parties", "parties.csv", "--list", "list.csv", "--as-of", "27/11/2026"),
            "'27/11/2026' is not a date (YYYY-MM-DD)",
        ),
    ],
)
def test_a_mistyped_argument_is_one_line_and_exit_2(capsys, argv, says):
    code, out = run_as_tool(capsys, *argv)
    assert code == 2
    assert out.out == ""
    assert out.err.count("\n") == 1
    assert out.err.startswith(f"manage.py {argv[0]}: error: ")
    assert says in out.err
    assert out.err.rstrip().endswith("(see --help)")


def test_help_still_shows_the_usage(capsys):
    code, out = run_as_tool(capsys, "screen_parties", "--help")
    assert code == 0
    assert "usage: manage.py screen_parties" in out.out
    assert "--as-of AS_OF" in out.out


def test_called_from_code_a_mistyped_argument_is_a_command_error():
    parser = ScreenCommand().create_parser("manage.py", "screen")
    with pytest.raises(CommandError, match="is not a date"):
        parser.parse_args(["specs.csv", "--as-of", "soon"])
