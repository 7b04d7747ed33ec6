"""What keeps a list publication's re-screen inside its time (party_rescreen_100k) without
losing a pair: portmanteau blocking keyed on the first piece whole (trade.portmanteau), the
collector paused while an index is built, and forked workers that take chunks as they finish
(trade.matching)."""

from __future__ import annotations

import datetime as dt
import gc

import pytest

from trade import matching, synthetic
from trade.matching import ListEntry, ListIndex, Party
from trade.names import normalise_name
from trade.portmanteau import built_from, long_keys, short_keys

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it

DAY = dt.date(2026, 1, 1)

# Portmanteaus no known name holds (trade.known_names), so only the mechanism finds them.
INVENTED = [
    ("Petróleo Química Venezolana", "Petroquiven"),
    ("Minerales Andinos Bolivianos", "Minandbol"),
    ("Petroleos Andinos Nacionales", "Petroandina"),
    # the first piece from the fourth content word of seven (two may be left out)
    ("Institutul Național de Cercetare-Dezvoltare Aerospațială Elie Carafoli", "Dezaeelcaraf"),
]


def test_keys_hold_the_first_piece_whole():
    # a short name's keys: each way to cut its first piece, with the next two letters
    assert short_keys(normalise_name("Petroandina")) >= {"=petroandina", "petro|an", "pe|tr"}
    long = long_keys(normalise_name("Petroleos Andinos Nacionales Co., Ltd."))
    assert "petro|an" in long
    # the legal form is never a piece of the first two (Co, Ltd)
    assert not any(key.split("|")[-1] in {"co", "lt"} for key in long)
    # a party's keys as a long name only for the short names the entries begin with
    assert long_keys(normalise_name("Petroleos Andinos Nacionales"), {"an"}) == frozenset(
        key for key in long if key.startswith("an")
    )


def test_the_first_two_pieces_are_not_cut_from_a_legal_form():
    # as the blocking keys have it; a later piece may be (Petamco)
    assert not built_from("petcoama", "Petróleo Companhia Amazonas")
    assert built_from("petamco", "Petróleo Amazonas Companhia")


@pytest.mark.parametrize(("long", "short"), INVENTED)
def test_the_index_finds_an_invented_portmanteau_both_ways(long, short):
    assert built_from(short.casefold(), long)
    index = ListIndex(
        [
            ListEntry(list="control_list", entry_ref="LONG", name=long),
            ListEntry(list="control_list", entry_ref="SHORT", name=short),
        ]
    )
    by_short = index.check(Party(party_ref="P1", name=short), DAY)
    by_long = index.check(Party(party_ref="P2", name=long), DAY)
    assert "LONG" in {c.entry_ref for c in by_short}
    assert "SHORT" in {c.entry_ref for c in by_long}
    bulk = index.screen(
        [Party(party_ref="P1", name=short), Party(party_ref="P2", name=long)], DAY, processes=1
    )
    assert bulk == [by_short, by_long]


def test_an_index_is_built_with_the_collector_paused_and_left_as_it_was(monkeypatch):
    seen = []
    weights = matching.NameWeights

    def probe(forms):
        seen.append(gc.isenabled())
        return weights(forms)

    monkeypatch.setattr(matching, "NameWeights", probe)
    entries = synthetic.entries(50)
    assert gc.isenabled()
    ListIndex(entries)
    assert seen == [False]
    assert gc.isenabled()
    gc.disable()
    try:
        ListIndex(entries)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_forked_workers_agree_with_one_process(monkeypatch):
    entries = synthetic.entries(300)
    parties, planted = synthetic.parties(400, entries)
    index = ListIndex(entries)
    alone = index.screen(parties, DAY, processes=1)
    monkeypatch.setattr(matching, "PARALLEL_FROM", 1)
    forked = index.screen(parties, DAY, processes=2)
    assert forked == alone
    assert sum(1 for found in alone if found) >= len(planted) // 2
