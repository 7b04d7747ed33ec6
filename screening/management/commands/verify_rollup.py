"""`manage.py verify_rollup`: sum every case and screening again and compare with the
dashboard's summaries (screening.rollup); `--repair` replaces them with the recomputation."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from screening import rollup


class Command(BaseCommand):
    help = "Check that the dashboard's summaries equal the cases and screenings summed again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--repair",
            action="store_true",
            help="rebuild the summaries from the cases and screenings when they differ",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        different = rollup.differences()
        for item in different:
            self.stderr.write(str(item))
        if different and options["repair"]:
            rows = rollup.rebuild()
            self.stdout.write(f"{len(different)} summary rows differed; rebuilt ({rows} rows).")
            return
        if different:
            self.stderr.write(f"{len(different)} summary rows differ from what they sum.")
            sys.exit(1)
        self.stdout.write(
            self.style.SUCCESS("The summaries equal the cases and screenings summed again.")
        )
