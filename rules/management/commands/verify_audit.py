"""`manage.py verify_audit`: check the audit trail's hash chain; report the first broken link."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from rules import audit


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail."

    def handle(self, *args: Any, **options: Any) -> None:
        count, broken = audit.verify()
        if broken is None:
            self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {count} events verified."))
            return
        self.stderr.write(f"Audit trail broken at event #{broken.seq}: {broken.problem}.")
        sys.exit(1)
