"""Licence and shipment quantities: exact conversion where units convert, refusal where not."""

from __future__ import annotations

from decimal import Decimal

import pytest

from trade.quantities import QuantityError, canonical_unit, convert, quantity, text

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


@pytest.mark.parametrize(
    ("amount", "source", "target", "expected"),
    [
        ("2.5", "t", "kg", "2500"),
        ("500", "g", "kg", "0.5"),
        ("3", "lb", "kg", "1.36077711"),
        ("1", "L", "m³", "0.001"),
        ("1.5", "MWh", "kWh", "1500"),
        ("7", "piece", "piece", "7"),
    ],
)
def test_units_that_convert_convert_exactly(amount, source, target, expected):
    assert text(convert(Decimal(amount), source, target)) == expected


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("kg", "piece", "kg cannot be counted as piece"),
        ("piece", "set", "piece cannot be counted as set"),
        ("kg", "m³", "kg cannot be converted to m³"),
    ],
)
def test_units_that_do_not_convert_are_refused(source, target, message):
    with pytest.raises(QuantityError, match=message):
        convert(Decimal(1), source, target)


def test_many_small_draws_add_up_exactly():
    balance = Decimal("1")  # t
    for _ in range(1000):
        balance -= convert(Decimal("0.5"), "kg", "t")
    assert balance == Decimal("0.5")


@pytest.mark.parametrize(
    ("written", "unit"),
    [("PCS", "piece"), ("吨", "t"), ("m3", "m³"), (" Kg ", "kg"), ("台", "set")],
)
def test_common_spellings_of_units(written, unit):
    assert canonical_unit(written) == unit


@pytest.mark.parametrize("written", ["0", "-3", "abc", "NaN", "Infinity"])
def test_a_quantity_is_a_positive_finite_number(written):
    with pytest.raises(QuantityError):
        quantity(written)


def test_thousands_separators_are_read():
    assert quantity("1,250.5") == Decimal("1250.5")
