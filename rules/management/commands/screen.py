"""`manage.py screen FILE [--as-of DATE] [--format json|table] [--regime R ...]`

Screens a CSV or XLSX file in the spec template without writing to the database, and prints
the result in the contract of ../shared/domain/SPEC_TEMPLATE.md. Other tools parse the JSON:
keep its shape exactly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from rules.catalogue import Catalogue, CatalogueError, load_shipped
from rules.evaluation import FrameScreening, screen_frame
from rules.models import RuleSet
from rules.specfiles import FileLimits, SpecFileError, read_spec_file
from rules.specs import ParsedSpecs, parse_specs


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def current_catalogue(stderr: Any) -> Catalogue:
    """The current published rule set; the shipped catalogue when the database has none."""
    try:
        rule_set = RuleSet.objects.current()
    except DatabaseError:
        rule_set = None
    if rule_set is not None:
        return rule_set.catalogue()
    stderr.write("note: no published rule set in the database; using the shipped catalogue\n")
    return load_shipped()


def contract_results(parsed: ParsedSpecs, screening: FrameScreening) -> list[dict[str, Any]]:
    errors = parsed.errors_by_row()
    results = []
    for position, (row, spec) in enumerate(parsed.specs.iterrows()):
        result = screening.explain(position)
        sku = spec.get("sku")
        results.append(
            {
                "row": int(row),
                "sku": sku if isinstance(sku, str) else "",
                "revision": spec.get("revision") or "",
                **result.to_contract(),
                "errors": [{"column": e.column, "message": e.message} for e in errors.get(row, [])],
            }
        )
    return results


class Command(BaseCommand):
    help = "Screen a CSV or XLSX file of product specs (no database writes)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as-of", type=iso_date, default=None, help="YYYY-MM-DD (default: today)"
        )
        parser.add_argument("--format", choices=("json", "table"), default="json")
        parser.add_argument(
            "--regime",
            action="append",
            default=None,
            help="Regime to screen against (repeatable; default: {})".format(
                ", ".join(settings.SCREENING["DEFAULT_REGIMES"])
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        as_of = options["as_of"] or timezone.localdate()
        try:
            data = path.read_bytes()
        except OSError as exc:
            self._fail(f"cannot read {path}: {exc.strerror or exc}")
        try:
            table = read_spec_file(data, limits=FileLimits(**settings.SPEC_FILE_LIMITS))
        except SpecFileError as exc:
            self._fail(f"cannot read {path}: {exc}")
        full = current_catalogue(self.stderr)
        regimes = options["regime"] or settings.SCREENING["DEFAULT_REGIMES"]
        try:
            catalogue = full.for_regimes(regimes)
        except CatalogueError as exc:
            raise CommandError(str(exc)) from exc
        parsed = parse_specs(table.frame, row_numbers=table.row_numbers, extra_errors=table.issues)
        if parsed.unknown_columns:
            self.stderr.write(
                "warning: unknown columns, not used: " + ", ".join(parsed.unknown_columns)
            )
        screening = screen_frame(parsed.specs, catalogue, as_of, invalid=parsed.invalid)
        results = contract_results(parsed, screening)
        if options["format"] == "json":
            document = {
                "as_of": as_of.isoformat(),
                # The published rule set's identity, whatever regimes were chosen.
                "rule_set": {"version": full.version, "hash": full.content_hash},
                "results": results,
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False))
        else:
            self._table(results, as_of, full)

    def _fail(self, message: str) -> None:
        self.stderr.write(f"error: {message}")
        sys.exit(2)

    def _table(self, results: list[dict[str, Any]], as_of: dt.date, catalogue: Catalogue) -> None:
        short_hash = catalogue.content_hash[:12]
        self.stdout.write(
            f"As of {as_of.isoformat()} · rule set {catalogue.version} ({short_hash})"
        )
        header = f"{'row':>5}  {'sku':<20} {'rev':<6} {'outcome':<17} detail"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for r in results:
            if r["errors"]:
                detail = "; ".join(f"{e['column']}: {e['message']}" for e in r["errors"])
            else:
                detail = ", ".join(
                    f"{e['code']} {e['result']} ({e['measure_status']})" for e in r["entries"]
                )
                if r["missing"]:
                    detail += " · missing: " + ", ".join(r["missing"])
            sku, revision = r["sku"][:20], r["revision"][:6]
            self.stdout.write(f"{r['row']:>5}  {sku:<20} {revision:<6} {r['outcome']:<17} {detail}")
