"""The exact conversion table (trade.quantities.EXACT) gives pint's factors, without building
pint's registry on the release gate's path."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from trade.quantities import EXACT, QuantityError, factor, pint_factor

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


@pytest.mark.parametrize(("source", "target"), list(itertools.permutations(EXACT, 2)))
def test_the_table_agrees_with_pint(source, target):
    if EXACT[source][0] != EXACT[target][0]:
        with pytest.raises(QuantityError, match="cannot be converted"):
            factor(source, target)
        with pytest.raises(QuantityError, match="cannot be converted"):
            pint_factor(source, target)
        return
    ours, theirs = factor(source, target), pint_factor(source, target)
    assert abs(ours - theirs) <= abs(theirs) * Decimal("1e-20"), (ours, theirs)
