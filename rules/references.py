"""Reference products: checking a catalogue against specs whose outcomes are known."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from rules.catalogue import Catalogue, CatalogueError
from rules.catalogue_data import DATA_DIR
from rules.cells import normalise_header
from rules.evaluation import screen_frame
from rules.specs import ParsedSpecs, parse_specs
from rules.vocabulary import REQUIRED_COLUMNS


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
    """Every expectation that the catalogue does not meet, with what it gives instead.

    The specs are parsed together and screened once per (regimes, date): publishing a draft
    checks dozens of expectations, and a frame per expectation cost a second per dozen. Each
    row is its own product (rows never look at each other but for a repeated sku and revision,
    which is why each gets its own sku; one that names its own sku is parsed alone).
    """
    expectations = list(expectations)
    found: dict[int, Failure] = {}
    for positions, parsed in _parsed(expectations):
        by_screening: dict[tuple[tuple[str, ...], dt.date], list[int]] = {}
        for at, position in enumerate(positions):
            expectation = expectations[position]
            by_screening.setdefault((expectation.regimes or ("CN",), expectation.as_of), []).append(
                at
            )
        errors = parsed.errors_by_row()
        for (regimes, as_of), ats in by_screening.items():
            try:
                chosen = catalogue.for_regimes(regimes)
            except CatalogueError as exc:
                for at in ats:
                    found[positions[at]] = Failure(expectations[positions[at]], "invalid", str(exc))
                continue
            result = screen_frame(
                parsed.specs.iloc[ats], chosen, as_of, invalid=parsed.invalid[ats]
            )
            for k, at in enumerate(ats):
                expectation = expectations[positions[at]]
                explained = result.explain(k)
                if explained.outcome == expectation.outcome:
                    continue
                row_errors = errors.get(int(parsed.specs.index[at]), [])
                detail = "; ".join(
                    [f"{e.column}: {e.message}" for e in row_errors]
                    + [f"{e.entry.key} {e.result} ({e.measure_status})" for e in explained.entries]
                )
                found[positions[at]] = Failure(expectation, explained.outcome, detail)
    return [found[position] for position in sorted(found)]


def _parsed(expectations: list[Expectation]) -> Iterator[tuple[list[int], ParsedSpecs]]:
    """(positions in `expectations`, their parsed specs in that order), in as few frames as
    give the same: a blank cell reads as a missing column does, except for the required
    columns, so specs in template columns share a frame with those that have the same required
    ones. Others (headers to normalise, or a sku of their own) keep their columns as written."""
    groups: dict[object, list[int]] = {}
    for position, expectation in enumerate(expectations):
        columns = [normalise_header(column) for column in expectation.cells]
        if "sku" in columns:
            key: object = ("alone", position)
        elif columns == list(expectation.cells):
            key = tuple(c for c in REQUIRED_COLUMNS if c in columns)
        else:
            key = ("as written", *expectation.cells)
        groups.setdefault(key, []).append(position)
    for positions in groups.values():
        rows = [
            {"sku": f"REF-{position}", "name": expectations[position].name}
            | dict(expectations[position].cells)
            for position in positions
        ]
        yield positions, parse_specs(pd.DataFrame(rows, dtype=object))
