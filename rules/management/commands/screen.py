"""`manage.py screen FILE [--as-of DATE] [--format json|table] [--regime R ...]`

Screens a CSV or XLSX file in the spec template without writing to the database, and prints
the result in the contract of ../shared/domain/SPEC_TEMPLATE.md (built by rules.contract, which
the API's screen endpoint shares). Other tools parse the JSON: keep its shape exactly.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone

from rules.catalogue import CatalogueError
from rules.command_line import ContractCommand, iso_date
from rules.contract import current_rules, screen_table
from rules.rawtables import FileLimits, SpecFileError
from rules.specfiles import read_spec_file


class Command(ContractCommand):
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
            self.fail(f"cannot read {path}: {exc.strerror or exc}")
        try:
            table = read_spec_file(data, limits=FileLimits(**settings.SPEC_FILE_LIMITS))
        except SpecFileError as exc:
            self.fail(f"cannot read {path}: {exc}")
        rules = current_rules()
        if rules.shipped:
            self.stderr.write(
                "note: no published rule set in the database; using the shipped catalogue\n"
            )
        regimes = options["regime"] or settings.SCREENING["DEFAULT_REGIMES"]
        try:
            run = screen_table(
                table.frame,
                as_of=as_of,
                regimes=regimes,
                rules=rules,
                row_numbers=table.row_numbers,
                extra_errors=table.issues,
            )
        except CatalogueError as exc:
            raise CommandError(str(exc)) from exc
        if run.unknown_columns:
            self.stderr.write(
                "warning: unknown columns, not used: " + ", ".join(run.unknown_columns)
            )
        document = run.document
        if options["format"] == "json":
            self.stdout.write(json.dumps(document, ensure_ascii=False))
        else:
            self._table(document)

    def _table(self, document: dict[str, Any]) -> None:
        rule_set = document["rule_set"]
        self.stdout.write(
            f"As of {document['as_of']} · rule set {rule_set['version']} ({rule_set['hash'][:12]})"
        )
        for warning in document["warnings"]:
            self.stdout.write(f"warning: {warning['message']}")
        header = f"{'row':>5}  {'sku':<20} {'rev':<6} {'outcome':<17} detail"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for r in document["results"]:
            if r["errors"]:
                detail = "; ".join(f"{e['column']}: {e['message']}" for e in r["errors"])
            else:
                detail = ", ".join(_entry_text(e) for e in r["entries"])
                if r["missing"]:
                    detail += " · missing: " + ", ".join(r["missing"])
            sku, revision = r["sku"][:20], r["revision"][:6]
            self.stdout.write(f"{r['row']:>5}  {sku:<20} {revision:<6} {r['outcome']:<17} {detail}")
            if len(r["outcomes_by_regime"]) > 1:
                by_regime = ", ".join(f"{k}: {v}" for k, v in r["outcomes_by_regime"].items())
                self.stdout.write(f"{'':>7}by regime: {by_regime}")
            if r["customs_remark"]:
                self.stdout.write(f"{'':>7}customs remark: {r['customs_remark']}")
            for warning in r["warnings"]:
                column = f"{warning['column']}: " if warning["column"] else ""
                self.stdout.write(f"{'':>7}warning: {column}{warning['message']}")


def _entry_text(entry: dict[str, Any]) -> str:
    status = entry["measure_status"]
    if entry["status_needs_confirmation"]:
        status += ", assumed"
    code = entry["code"] if entry["code_confirmed"] else f"{entry['code']} (code unconfirmed)"
    return f"{code} {entry['result']} ({status})"
