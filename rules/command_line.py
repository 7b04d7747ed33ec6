"""What the two contract commands (`screen` and `screen_parties`) share.

Other tools run them and read their exit code and standard error: 0 when the files were read,
2 with one line saying what went wrong when not. A mistyped argument is such a case too, so the
parser says it in one line (argparse would print the usage block first) and points at --help.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


class ContractCommand(BaseCommand):
    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def one_line_error(message: str) -> NoReturn:
            if not parser.called_from_command_line:
                raise CommandError(f"Error: {message}")
            parser.exit(2, f"{parser.prog}: error: {message} (see --help)\n")

        parser.error = one_line_error  # type: ignore[method-assign]
        return parser

    def fail(self, message: str) -> NoReturn:
        """Stop with exit code 2 and the message on one line of standard error."""
        self.stderr.write("error: " + " ".join(message.split()))
        sys.exit(2)
