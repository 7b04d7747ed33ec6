"""Bounds on the scores of many pairs at once (numpy), so that bulk screening compares word by
word only the pairs that could reach the threshold. Plain Python (no Django).

Every pair the blocking found (trade.blocking) gets a bound on its name score: each word counts
with the best credit any unit of the other name could give it, the common words shared count in
full. The bound never falls below the score, so screening with it gives what comparing every
pair found gives (`ListIndex.check` does that for one party, and the tests compare the two).
A party's commonest units are not used to find pairs where a pair met by them alone could not
reach the threshold (`leading_units`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from trade.blocking import Unit
from trade.common_slips import may_slip_anchored, may_slip_common
from trade.name_words import related_roots, vocabulary
from trade.names import NameForm
from trade.run_together import extras
from trade.scoring import PARTIAL_UPLIFT


def leading_units(
    form: NameForm, units: list[Unit], floor: float, common_weight: float = 1.0
) -> list[bool] | None:
    """Which of a party name's units find pairs. The commonest units are left out as long as a
    pair met by them alone could not reach `floor`: its score is at most
    (R + C + 2G) / (W + C + G), R the party's words in those units, C the most the entries'
    words in them weigh, G the party's common words (all shared), W the party name's weight.
    None when many entries share a unit but no unit alone could reach `floor` (two surnames,
    each in many names): then only entries that two units meet are pairs."""
    if len(units) == 1:
        return [True]
    weight_total = sum(form.weights)
    generic = sum(w for w in form.weights if w < 1)
    # Words that may pair beyond their units count as shared with the entry's name.
    weight, count = slip_potential(form)
    slipped = weight + count * common_weight
    if sum(len(u.names) for u in units) > 64:
        alone = False
        for unit in units:
            reach = unit.weight
            cap = float(unit.weights.max())
            if (reach + cap + 2 * generic + slipped) / (weight_total + cap + generic) >= floor:
                alone = True
                break
        if not alone:
            return None
    order = sorted(range(len(units)), key=lambda k: -len(units[k].names))
    covered: set[int] = set()
    cap = 0.0
    leading = [True] * len(units)
    for k in order:
        unit = units[k]
        more = covered | set(range(unit.start, unit.start + unit.size))
        reach = sum(form.weights[i] for i in more)
        more_cap = cap + float(unit.weights.max())
        if (reach + more_cap + 2 * generic + slipped) / (
            weight_total + more_cap + generic
        ) >= floor:
            break
        covered, cap = more, more_cap
        leading[k] = False
    return leading


def slip_potential(form: NameForm) -> tuple[float, int]:
    """(weight, number) of a name's words that may pair beyond the units that meet them: slips
    of a common word (scoring.common_word_slip) and words run together that may read as common
    words (trade.run_together), each pairing with one of the entry's common words, and slips of
    a legal form (common_slips.pair_legal_slips), their weight alone."""
    found = [
        w
        for word, w in zip(form.words, form.weights, strict=True)
        if w >= 1 and (may_slip_common(word) or may_slip_anchored(word))
    ]
    beyond = extras(form)
    return sum(found) + beyond.run_weight + beyond.legal_weight, len(found) + beyond.runs


def met_twice(units: list[Unit]) -> list[Unit]:
    """The units' occurrences in entry names that two or more of the units meet."""
    names = np.concatenate([np.unique(u.names) for u in units])
    found, counts = np.unique(names, return_counts=True)
    twice = found[counts >= 2]
    kept = []
    for unit in units:
        mask = np.isin(unit.names, twice)
        if mask.any():
            kept.append(
                unit._replace(
                    names=unit.names[mask], weights=unit.weights[mask], credit=unit.credit[mask]
                )
            )
    return kept


class GenericMasks:
    """Which common words each name has, as bits, to count the ones two names share."""

    def __init__(self, forms: Sequence[NameForm]) -> None:
        vocab = vocabulary()
        ids = _generic_ids()
        blocks = (len(ids) + 63) // 64
        self.normal = np.zeros((len(forms), blocks), dtype=np.uint64)
        self.faint = np.zeros((len(forms), blocks), dtype=np.uint64)
        self.repeated = np.zeros(len(forms), dtype=bool)
        # Distinctive words related to a common word (technical: polytechnicum), by its bit.
        self.related = np.zeros((len(forms), blocks), dtype=np.uint64)
        self.total = np.asarray([sum(w for w in f.weights if w < 1) for f in forms])
        self.weight = 0.0
        faint = _faint_bits()
        related = _related_ids()
        for n, form in enumerate(forms):
            seen: set[int] = set()
            for word, weight in zip(form.words, form.weights, strict=True):
                if weight >= 1:
                    if (bit := related.get(word)) is not None:
                        self.related[n, bit >> 6] |= np.uint64(1 << (bit & 63))
                    continue
                bit = ids.get(word)
                if bit is None or bit in seen:
                    self.repeated[n] = True
                    continue
                seen.add(bit)
                target = self.faint if bit in faint else self.normal
                target[n, bit >> 6] |= np.uint64(1 << (bit & 63))
                if word not in vocab.faint:
                    self.weight = weight
        self.has_related = np.asarray(self.related.any(axis=1), dtype=bool)

    @staticmethod
    def shared(
        party: GenericMasks, p_rows: np.ndarray, entry: GenericMasks, e_rows: np.ndarray
    ) -> np.ndarray:
        """The weight (both names' words) of the common words each pair shares."""
        weight = party.weight or entry.weight
        normal = np.bitwise_count(party.normal[p_rows] & entry.normal[e_rows]).sum(axis=1)
        faint = np.bitwise_count(party.faint[p_rows] & entry.faint[e_rows]).sum(axis=1)
        return 2 * weight * normal + weight * faint

    @staticmethod
    def crossed(
        party: GenericMasks, p_rows: np.ndarray, entry: GenericMasks, e_rows: np.ndarray
    ) -> np.ndarray:
        """The most the pairs of a common word with a distinctive word related to it add (both
        words' weight, a distinctive word's at most 1, each): units never meet them."""
        crossing = np.zeros(len(p_rows))
        # few names have such a word (technical, atomic): only their pairs are counted
        some = entry.has_related[e_rows] | party.has_related[p_rows]
        if some.any():
            p, e = p_rows[some], e_rows[some]
            words = party.normal[p] | party.faint[p]
            found = np.bitwise_count(words & entry.related[e]).sum(axis=1)
            words = entry.normal[e] | entry.faint[e]
            found += np.bitwise_count(party.related[p] & words).sum(axis=1)
            crossing[some] = 2.0 * found
        return crossing


@cache
def _generic_ids() -> dict[str, int]:
    """A bit for each common word; related words (academy, institute) share theirs."""
    vocab = vocabulary()
    ids = {w: i for i, w in enumerate(sorted(vocab.generic))}
    roots = related_roots()  # a chain of related words shares one bit, its least
    least: dict[str, int] = {}
    for w, i in ids.items():
        least[roots.get(w, w)] = min(least.get(roots.get(w, w), i), i)
    return {w: least[roots.get(w, w)] for w in ids}


@cache
def _related_ids() -> dict[str, int]:
    """The words related to a common word that are not common words themselves (technical,
    related to polytechnicum), each with the bit of its chain of related words."""
    ids = _generic_ids()
    roots = related_roots()
    bits = {roots.get(w, w): bit for w, bit in ids.items()}
    return {w: bits[root] for w, root in roots.items() if w not in ids and root in bits}


@cache
def _faint_bits() -> frozenset[int]:
    """Bits whose words are all faint (a bit shared by a faint and a plain word is plain)."""
    vocab = vocabulary()
    ids = _generic_ids()
    plain = {bit for word, bit in ids.items() if word not in vocab.faint}
    return frozenset(set(ids.values()) - plain)


class NameWeights:
    """Each name's weight (all its words) and its common words, for bounds."""

    def __init__(self, forms: Sequence[NameForm]) -> None:
        self.total = np.asarray([sum(f.weights) for f in forms])
        self.generic = GenericMasks(forms)
        # A party's words that may pair beyond their units (slip_potential): their weight, how
        # many, and each name's heaviest common word (what such a word pairs with).
        potential = [slip_potential(f) for f in forms]
        self.slip_weight = np.asarray([p[0] for p in potential])
        self.slips = np.asarray([p[1] for p in potential])
        self.common_most = np.asarray(
            [max((w for w in f.weights if w < 1), default=0.0) for f in forms]
        )
        # The most a partial name's longer name can leave out of the share (scoring's
        # _partial_name): its places, and half its words of kind.
        vocab = vocabulary()
        self.discount = np.asarray(
            [
                sum(
                    w if word in vocab.places else w / 2
                    for word, w in zip(f.words, f.weights, strict=True)
                    if w < 1 and (word in vocab.places or word in vocab.partial)
                )
                for f in forms
            ]
        )


def bound_scores(
    pairs: np.ndarray,
    width: int,
    met: tuple[np.ndarray, np.ndarray, np.ndarray],
    party_forms: Sequence[NameForm],
    entries: NameWeights,
    floor: float,
) -> np.ndarray:
    """A bound on the name score of each pair (code party row × width + entry row), from what
    the units met (`met`: the pair code of each meeting, its gain, whether the entry is live)."""
    codes, gain, live = met
    p_rows, e_rows = pairs // width, pairs % width
    # Each unit that met adds its credit times its words' weight, on both sides (a word in
    # two units counts twice: the bound is a little higher, never lower).
    numerator = np.zeros(len(pairs))
    if len(codes):
        where = np.searchsorted(pairs, codes)
        where[where == len(pairs)] = 0
        mine = live & (pairs[where] == codes)
        numerator += np.bincount(where[mine], weights=gain[mine], minlength=len(pairs))
    party = NameWeights(party_forms)
    total = party.total[p_rows] + entries.total[e_rows]
    numerator += party.slip_weight[p_rows] + party.slips[p_rows] * entries.common_most[e_rows]
    numerator += GenericMasks.crossed(party.generic, p_rows, entries.generic, e_rows)
    # The common words shared, counted where they could matter (at most the fewer's).
    most = 2 * np.minimum(party.generic.total[p_rows], entries.generic.total[e_rows])
    near = (numerator + most) / total >= floor
    numerator[near] += GenericMasks.shared(
        party.generic, p_rows[near], entries.generic, e_rows[near]
    )
    numerator[~near] += most[~near]
    bound = numerator / total
    # A partial name scores at most PARTIAL_UPLIFT more, and no more than its share with the
    # longer name's places and words of kind left out.
    discount = np.maximum(party.discount[p_rows], entries.discount[e_rows])
    partial = numerator / np.maximum(total - discount, 1e-9)
    bound = np.maximum(bound, np.minimum(bound + PARTIAL_UPLIFT, partial))
    # Names with a common word twice: no bound.
    loose = party.generic.repeated[p_rows] | entries.generic.repeated[e_rows]
    bound[loose] = 1.0
    return np.minimum(bound, 1.0)
