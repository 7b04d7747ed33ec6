"""`manage.py verify_rollup`: sum every case again and compare with the dashboard's case
summary (screening.rollup); `--repair` replaces the summary with the recomputation."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from screening import rollup


class Command(BaseCommand):
    help = "Check that the dashboard's case summary equals the cases summed from scratch."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--repair",
            action="store_true",
            help="rebuild the summary from the cases when it differs",
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
            self.stderr.write(f"{len(different)} summary rows differ from the cases.")
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS("The case summary equals the cases summed again."))
