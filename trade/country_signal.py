"""The country signal of a candidate match: the same country adds `country_bonus`, a different
one takes `country_penalty`, a missing one changes nothing; the mainland, Hong Kong and Macau
are neither (one customs territory or close to it). One pair (`country_effect`, with its words)
or many at once (`country_effects`, numpy), which agree. Plain Python (no Django).
"""

from __future__ import annotations

import numpy as np

from trade.match_types import MatchConfig

# Parts of one customs territory or close to it: neither a match nor a mismatch of country.
NEUTRAL_COUNTRIES = frozenset({"CN", "HK", "MO"})


def country_relation(party: str, entry: str) -> str:
    """How the two countries stand: "none" (one is missing), "same", "neutral" (the mainland,
    Hong Kong, Macau) or "different"."""
    if not party or not entry:
        return "none"
    if party == entry:
        return "same"
    return "neutral" if {party, entry} <= NEUTRAL_COUNTRIES else "different"


def country_effect(party: str, entry: str, config: MatchConfig) -> tuple[float, str]:
    relation = country_relation(party, entry)
    if relation == "none":
        return 0.0, "country not compared"
    if relation == "same":
        return config.country_bonus, f"same country {party}"
    if relation == "neutral":
        return 0.0, f"countries {party} and {entry}"
    return -config.country_penalty, f"different country: {party} vs {entry}"


def country_effects(party: np.ndarray, entry: np.ndarray, config: MatchConfig) -> np.ndarray:
    """country_effect for many pairs at once (the effect alone)."""
    effect = np.zeros(len(party))
    known = (party != "") & (entry != "")
    same = known & (party == entry)
    neutral = np.isin(party, list(NEUTRAL_COUNTRIES)) & np.isin(entry, list(NEUTRAL_COUNTRIES))
    effect[same] = config.country_bonus
    effect[known & ~same & ~neutral] = -config.country_penalty
    return effect
