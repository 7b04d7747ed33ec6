"""The synthetic portfolio behind `seed_demo --products N` and the benchmarks: every value it
draws is one the spec parser accepts, whatever the seed and the size."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.specs import parse_specs
from rules.vocabulary import PARAMETERS
from screening.synthetic import portfolio

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), n=st.integers(1, 3000))
def test_synthetic_values_stay_inside_the_parsers_plausible_ranges(seed, n):
    rows = portfolio(n, seed=seed)
    parsed = parse_specs(rows)
    assert [(e.row, e.column, e.value, e.message) for e in parsed.errors] == []
    assert len(parsed.specs) == n
    for name, parameter in PARAMETERS.items():
        values = pd.to_numeric(rows[name].replace("", None), errors="coerce").to_numpy(float)
        given_values = values[~np.isnan(values)]
        assert (given_values >= parameter.minimum).all(), name
        assert (given_values <= parameter.maximum).all(), name
        if parameter.strictly_positive:
            assert (given_values > 0).all(), name


def test_the_readmes_twenty_thousand_products_parse_without_an_error():
    parsed = parse_specs(portfolio(20_000, seed=7))
    assert parsed.errors == []
    purity = parsed.specs["purity_pct"].dropna()
    assert (len(purity) > 0, float(purity.max()) <= 100.0) == (True, True)
