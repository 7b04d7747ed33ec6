"""Stored specs as evaluator frames: the one place that builds them (re-screens, the dashboard)."""

from __future__ import annotations

import math

from screening import portfolio
from screening.models import Case


def test_case_frame_holds_each_cases_frozen_spec_and_expected_value(case_in):
    high, near = case_in("submitted"), case_in("draft", energy="290")
    frame = portfolio.case_frame(Case.objects.order_by("pk"))
    assert list(frame.columns) == ["case", "value_usd", *portfolio.SPEC_COLUMNS]
    assert list(frame["case"]) == [high.pk, near.pk]
    assert list(frame["value_usd"]) == [250_000.0, 250_000.0]
    assert list(frame["energy_density_wh_per_kg"]) == [310.0, 290.0]
    assert list(frame["category"]) == ["battery_cell", "battery_cell"]
    assert math.isnan(frame["purity_pct"].iloc[0])  # not given: NaN, a float column
    assert frame["purity_pct"].dtype == float


def test_case_chunks_keep_the_cases_in_the_states_asked_for_in_key_order(case_in, monkeypatch):
    monkeypatch.setattr(portfolio, "CHUNK", 2)  # chunks emptied by the filter are not yielded
    cases = [case_in(state) for state in ("draft", "approved", "draft", "submitted", "approved")]
    frames = list(portfolio.case_chunks(("draft", "submitted")))
    assert [list(f["case_id"]) for f in frames] == [
        [cases[0].pk],
        [cases[2].pk, cases[3].pk],
    ]
    assert [list(f["state"]) for f in frames] == [["draft"], ["draft", "submitted"]]
    assert [list(f.index) for f in frames] == [[0], [0, 1]]
    decided = list(portfolio.case_chunks(("approved",)))
    assert [list(f["case_id"]) for f in decided] == [[cases[1].pk], [cases[4].pk]]
