"""The hold reasons' vocabulary (trade.reasons.HoldReason) names every code the gate gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trade import gate, reasons
from trade.models import Licence

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it

GATE = Path(gate.__file__).read_text(encoding="utf-8")


def gate_codes() -> set[str]:
    """The codes trade/gate.py writes: each Reason's first argument, and licence_<status> for
    every status but active."""
    literal = set(re.findall(r'Reason\(\s*"([a-z_]+)"', GATE))
    assert 'f"licence_{terms.status}"' in GATE
    by_status = {f"licence_{s}" for s in Licence.Status.values if s != Licence.Status.ACTIVE}
    return literal | by_status


def test_every_code_the_gate_gives_has_a_name():
    assert len(gate_codes()) >= 15
    assert gate_codes() == set(reasons.HoldReason.values)


def test_a_reason_in_words_has_its_label_and_no_link_where_there_is_no_page():
    stored = gate.Reason("no_licence", "X: no licence.", {"sku": "X"}, clear="nowhere").as_dict()
    assert reasons.in_words(stored) == {
        "code": "no_licence",
        "label": "No licence",
        "message": "X: no licence.",
        "params": {"sku": "X"},
        "prohibited": False,
        "clear_url": None,
    }
    assert reasons.label("something_new") == "something_new"
