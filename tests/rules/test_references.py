"""Reference products: a catalogue is checked against all of them at once, and each failure is
what checking that expectation alone says."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from rules.references import Expectation, check, shipped_references

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it

DAY = dt.date(2026, 12, 1)


def shipped_expectations() -> list[Expectation]:
    return [
        Expectation(
            name=product["name"],
            cells=product["cells"],
            as_of=expected["as_of"],
            regimes=tuple(expected.get("regimes", ())),
            outcome=expected["outcome"],
        )
        for product in shipped_references()
        for expected in product["expect"]
    ]


def cell(energy: str = "310", **cells: str) -> dict[str, str]:
    return {"category": "battery_cell", "subtype": "li_ion", "energy_density_wh_per_kg": energy} | (
        cells
    )


def awkward() -> list[Expectation]:
    """Expectations that fail, each in its own way, among ones that hold."""
    wrong = [dataclasses.replace(e, outcome="no_such_outcome") for e in shipped_expectations()[::4]]
    return wrong + [
        Expectation("no category column", {"subtype": "li_ion"}, DAY, (), "licence_required"),
        Expectation("blank category", cell(category=""), DAY, (), "licence_required"),
        # Two specs naming the same sku: alone each is fine, so together they must be too.
        Expectation("own sku", cell(sku="X"), DAY, (), "not_controlled"),
        Expectation("own sku again", cell(sku="X"), DAY, (), "not_controlled"),
        Expectation("header to normalise", {"Category ": "battery_cell"}, DAY, (), "invalid"),
        Expectation("unknown regime", cell(), DAY, ("XX",), "licence_required"),
        Expectation("not a number", cell("abc"), DAY, (), "licence_required"),
        Expectation("blank energy", cell(""), DAY, (), "licence_required"),
        Expectation("holds", cell(), DAY, (), "licence_required"),
    ]


def test_the_shipped_catalogue_meets_every_shipped_expectation(shipped):
    assert check(shipped, shipped_expectations()) == []


def test_checking_all_at_once_says_what_checking_each_alone_says(shipped):
    expectations = shipped_expectations() + awkward()
    alone = [failure for e in expectations for failure in check(shipped, [e])]
    together = check(shipped, expectations)
    assert together == alone
    assert {f.expectation.name for f in together} >= {
        "no category column",
        "blank category",
        "own sku",
        "own sku again",
        "unknown regime",
        "not a number",
        "blank energy",
    }
    failed = {f.expectation.name: f for f in together}
    assert "holds" not in failed
    assert failed["no category column"].actual == "invalid"
    assert "category" in failed["no category column"].detail
    assert failed["not a number"].actual == "invalid"
    assert "energy_density_wh_per_kg" in failed["not a number"].detail
