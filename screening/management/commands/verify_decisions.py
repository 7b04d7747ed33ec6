"""`manage.py verify_decisions`: re-screen every decided case's stored input with its stored
rule set, and report any case whose result would differ."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand

from screening.records import verify_decisions


class Command(BaseCommand):
    help = "Check that every decided case's stored result is reproduced by its stored inputs."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, different = verify_decisions()
        for item in different:
            self.stderr.write(
                f"{item.case.reference}: stored {json.dumps(item.stored, ensure_ascii=False)} "
                f"but recomputed {json.dumps(item.recomputed, ensure_ascii=False)}"
            )
        if different:
            self.stderr.write(f"{len(different)} of {checked} decided cases differ.")
            sys.exit(1)
        self.stdout.write(
            self.style.SUCCESS(f"All {checked} decided cases reproduce their stored results.")
        )
