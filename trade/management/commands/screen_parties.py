"""`manage.py screen_parties PARTIES --list LIST [--as-of YYYY-MM-DD] [--format json|table]`

Screens a CSV/XLSX (or JSON) file of parties against a list file (docs/party-lists.md) without
touching the database, and prints every candidate at or above PARTY_MATCH_THRESHOLD. Other
tools parse the JSON: keep its shape exactly. It is issue 14's `{"as_of", "results": [{"row",
"party_ref", "candidates": [{"entry_ref", "list", "score", "reason"}]}]}` plus three documented
additions a reader of those keys never meets: top-level "list" (file, sha256, entries,
listed_on_as_of) and "threshold", and each result's "errors" (the party row's cell errors).
Exit 0 when both files were read, 2 with a one-line message when either cannot be used.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from rules.command_line import ContractCommand, iso_date
from rules.rawtables import FileLimits
from trade.listfiles import ListFile, ListFileError, PartyFile, read_list_file, read_party_file
from trade.lists import match_config
from trade.matching import ListIndex


class Command(ContractCommand):
    help = "Screen a file of parties against a list file (no database writes)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "parties", type=Path, help="CSV, XLSX or JSON: party_ref, name, country"
        )
        parser.add_argument("--list", type=Path, required=True, dest="list_file")
        parser.add_argument(
            "--as-of", type=iso_date, default=None, help="YYYY-MM-DD (default: today)"
        )
        parser.add_argument("--format", choices=("json", "table"), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"] or timezone.localdate()
        limits = FileLimits(**settings.SPEC_FILE_LIMITS)
        list_path: Path = options["list_file"]
        party_path: Path = options["parties"]
        try:
            listed = read_list_file(self._read(list_path), limits=limits)
        except ListFileError as exc:
            self.fail(f"cannot read list {list_path}: {exc}")
        if listed.errors:
            self.fail(f"cannot use list {list_path}: {listed.summary()}")
        try:
            parties = read_party_file(self._read(party_path), limits=limits)
        except ListFileError as exc:
            self.fail(f"cannot read parties {party_path}: {exc}")
        for warning in listed.warnings:
            self.stderr.write(f"warning: {list_path}: {warning}")
        index = ListIndex(listed.entries, match_config())
        found = index.screen(parties.parties, as_of)
        errors = parties.errors_by_row()
        results = [
            {
                "row": party.row,
                "party_ref": party.party_ref,
                "candidates": [c.to_contract() for c in candidates],
                "errors": [
                    {"column": e.column, "value": e.value, "message": e.message}
                    for e in errors.get(party.row, [])
                ],
            }
            for party, candidates in zip(parties.parties, found, strict=True)
        ]
        active = int(index.active(as_of).sum())
        if options["format"] == "json":
            document = {
                "as_of": as_of.isoformat(),
                "list": {
                    "file": list_path.name,
                    "sha256": listed.sha256,
                    "entries": len(listed.entries),
                    "listed_on_as_of": active,
                },
                "threshold": index.config.threshold,
                "results": results,
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False))
        else:
            self._table(results, as_of.isoformat(), list_path, listed, parties, active)

    def _read(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as exc:
            self.fail(f"cannot read {path}: {exc.strerror or exc}")

    def _table(
        self,
        results: list[dict[str, Any]],
        as_of: str,
        list_path: Path,
        listed: ListFile,
        parties: PartyFile,
        active: int,
    ) -> None:
        version = (
            f"{list_path.name} (sha256 {listed.sha256[:12]}, {active} entries listed on {as_of})"
        )
        self.stdout.write(f"As of {as_of} · list {version}")
        header = f"{'row':>5}  {'party_ref':<16} candidates"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for r in results:
            lines = [
                f"{c['entry_ref']} {c['list']} {c['score']:.2f}: {c['reason']}"
                for c in r["candidates"]
            ] or [f"no match in {version}"]
            lines += [f"error: {e['column']}: {e['message']}" for e in r["errors"]]
            self.stdout.write(f"{r['row']:>5}  {r['party_ref'][:16]:<16} {lines[0]}")
            for line in lines[1:]:
                self.stdout.write(f"{'':>5}  {'':<16} {line}")
