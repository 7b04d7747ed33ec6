"""The `screen` contract (../shared/domain/SPEC_TEMPLATE.md): one JSON document for a batch of
specs, screened without writing anything. `manage.py screen` prints it for a file; the API's
screen endpoint answers it for specs sent as JSON objects. Other tools parse it: keep its shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db import DatabaseError

from rules.catalogue import Catalogue
from rules.catalogue_data import load_shipped
from rules.cells import CellIssue
from rules.certainty import Confirmation
from rules.evaluation import FrameScreening, screen_frame
from rules.models import RuleSet, StatusConfirmation
from rules.specs import ParsedSpecs, parse_specs


@dataclass(frozen=True)
class CurrentRules:
    """What a screening made now uses: the catalogue of the current published rule set (every
    regime), its content hash and the status confirmations recorded so far."""

    catalogue: Catalogue
    content_hash: str
    confirmations: list[Confirmation]
    # No published rule set in the database: the shipped catalogue, with no confirmations.
    shipped: bool = False


def current_rules() -> CurrentRules:
    try:
        rule_set = RuleSet.objects.current()
        confirmations = StatusConfirmation.objects.as_confirmations()
    except DatabaseError:
        rule_set, confirmations = None, []
    if rule_set is not None:
        return CurrentRules(rule_set.catalogue(), rule_set.content_hash, confirmations)
    shipped = load_shipped()
    return CurrentRules(shipped, shipped.content_hash, [], shipped=True)


def contract_results(parsed: ParsedSpecs, screening: FrameScreening) -> list[dict[str, Any]]:
    """Every row's result in the contract: the evaluation's own result (built for all rows at
    once, `FrameScreening.contracts`) with the row's identity, its spec warnings before the
    evaluation's, and its errors."""
    errors = parsed.errors_by_row()
    spec_warnings = parsed.warnings_by_row()
    specs = parsed.specs
    rows = specs.index.tolist()
    skus = specs["sku"].tolist()
    revisions = specs["revision"].tolist()
    results = []
    for row, sku, revision, result in zip(
        rows, skus, revisions, screening.contracts(), strict=True
    ):
        warnings = [{"column": w.column, "message": w.message} for w in spec_warnings.get(row, [])]
        results.append(
            {
                "row": int(row),
                "sku": sku if isinstance(sku, str) else "",
                "revision": revision or "",
                **result,
                "warnings": warnings + result["warnings"],
                "errors": [{"column": e.column, "message": e.message} for e in errors.get(row, [])],
            }
        )
    return results


@dataclass(frozen=True)
class ScreenRun:
    document: dict[str, Any]  # the contract's JSON object
    unknown_columns: tuple[str, ...]


def screen_table(
    raw: pd.DataFrame,
    *,
    as_of: dt.date,
    regimes: Sequence[str],
    rules: CurrentRules,
    row_numbers: Sequence[int] | None = None,
    extra_errors: Iterable[CellIssue] = (),
) -> ScreenRun:
    """Parse and screen a table of raw cells (columns named by the template) as of a date.

    Raises rules.catalogue.CatalogueError for a regime the catalogue does not have."""
    catalogue = rules.catalogue.for_regimes(regimes)
    parsed = parse_specs(raw, row_numbers=row_numbers, extra_errors=extra_errors)
    screening = screen_frame(
        parsed.specs, catalogue, as_of, invalid=parsed.invalid, confirmations=rules.confirmations
    )
    document = {
        "as_of": as_of.isoformat(),
        # The published rule set's identity, whatever regimes were chosen.
        "rule_set": {"version": rules.catalogue.version, "hash": rules.content_hash},
        "results": contract_results(parsed, screening),
        # Statuses on the as-of date that are assumptions (CONTROL_CATALOGUE.md §5).
        "warnings": screening.run_warnings(),
    }
    return ScreenRun(document, parsed.unknown_columns)
