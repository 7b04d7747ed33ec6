"""Recording and explaining screenings (screening/products.py)."""

from __future__ import annotations

from screening import products


def test_explain_keeps_each_result_by_its_inputs_and_verification_recomputes(screened):
    controlled = screened(sku="KEEP-1", energy="310")
    plain = screened(sku="KEEP-2", energy="200")
    kept = products.explain(controlled)
    assert products.explain(controlled) is kept
    assert products.explain(plain).outcome != kept.outcome
    recomputed = products.explain(controlled, memo=False)
    assert recomputed is not kept
    assert recomputed.to_contract() == kept.to_contract() == controlled.result
