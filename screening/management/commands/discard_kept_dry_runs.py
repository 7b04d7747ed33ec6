"""`manage.py discard_kept_dry_runs`: remove the dry runs' results kept for imports that will
not happen (screening.imports.screened.discard_stale). Run it daily."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from screening.imports import screened


class Command(BaseCommand):
    help = "Remove the dry runs' results kept for uploads that were not imported."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=7,
            help="keep the results of uploads checked within this many days (default 7)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        looked_at = screened.discard_stale(dt.timedelta(days=options["days"]))
        self.stdout.write(f"Uploads looked at: {looked_at}; none of them keeps a dry run any more.")
