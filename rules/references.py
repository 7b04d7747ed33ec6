"""Reference products: checking a catalogue against specs whose outcomes are known."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from rules.catalogue import Catalogue, CatalogueError
from rules.catalogue_data import DATA_DIR
from rules.evaluation import screen_frame
from rules.specs import parse_specs


@dataclass(frozen=True)
class Expectation:
    name: str
    cells: Mapping[str, str]
    as_of: dt.date
    regimes: tuple[str, ...]
    outcome: str


@dataclass(frozen=True)
class Failure:
    expectation: Expectation
    actual: str
    detail: str


def shipped_references(path: Path = DATA_DIR / "reference_products.toml") -> list[dict[str, Any]]:
    with path.open("rb") as fh:
        return tomllib.load(fh)["products"]


def check(catalogue: Catalogue, expectations: Iterable[Expectation]) -> list[Failure]:
    """Every expectation that the catalogue does not meet, with what it gives instead."""
    failures = []
    for expectation in expectations:
        row = {"sku": "REF", "name": expectation.name, **expectation.cells}
        parsed = parse_specs(pd.DataFrame([row], dtype=object))
        try:
            chosen = catalogue.for_regimes(expectation.regimes or ("CN",))
        except CatalogueError as exc:
            failures.append(Failure(expectation, "invalid", str(exc)))
            continue
        result = screen_frame(parsed.specs, chosen, expectation.as_of, invalid=parsed.invalid)
        explained = result.explain(0)
        if explained.outcome != expectation.outcome:
            detail = "; ".join(
                [f"{e.column}: {e.message}" for e in parsed.errors]
                + [f"{e.entry.key} {e.result} ({e.measure_status})" for e in explained.entries]
            )
            failures.append(Failure(expectation, explained.outcome, detail))
    return failures
