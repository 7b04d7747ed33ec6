"""A reproducible probe of typing slips (issue 14): the list-side names of the labelled match
pairs written in Latin script (every split but those kept unseen: unseen7 to unseen52), each with
generated slips, screened as parties against their own names as entries.

Kinds of slip: a letter replaced (not the first, or the first), two neighbouring letters
swapped, a letter left out, a letter added, a letter doubled or a double letter written once,
a space left out or added; and two slips in two words of a long name. Recall is counted per
kind, both by the bulk screening (`ListIndex.screen`) and by single checks (`ListIndex.check`),
which must find the same pairs; precision is against the hard non-matches, as written and with
a slip of their own. The same seed gives the same slips.

    .venv/bin/python -m tests.trade.typo_probe
"""

from __future__ import annotations

import datetime as dt
import random
import string
from dataclasses import dataclass

from tests.trade.pairs import Pair, load_pairs
from trade.matching import ListEntry, ListIndex, MatchConfig, Party

SEED = 14
KINDS = (
    "substitution",
    "first letter",
    "transposition",
    "deletion",
    "insertion",
    "doubled",
    "undoubled",
    "missing space",
    "extra space",
    "two slips",
)
_DAY = dt.date(2026, 1, 1)
_ONE_SLIP = ("substitution", "transposition", "deletion", "insertion", "doubled", "undoubled")


def _latin(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(ord(c) < 0x250 for c in letters)


def _slip(word: str, kind: str, rng: random.Random) -> str | None:
    """`word` with one slip of `kind` (None when the word cannot have it)."""
    n = len(word)
    lower = string.ascii_lowercase
    if kind == "first letter":
        other = rng.choice([c for c in lower if c != word[0].lower()])
        return (other.upper() if word[0].isupper() else other) + word[1:]
    if kind == "substitution":
        i = rng.randrange(1, n)
        return word[:i] + rng.choice([c for c in lower if c != word[i].lower()]) + word[i + 1 :]
    if kind == "transposition":
        spots = [i for i in range(1, n - 1) if word[i] != word[i + 1]]
        if not spots:
            return None
        i = rng.choice(spots)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "deletion":
        i = rng.randrange(1, n)
        return word[:i] + word[i + 1 :]
    if kind == "insertion":
        i = rng.randrange(1, n + 1)
        return word[:i] + rng.choice(lower) + word[i:]
    if kind == "doubled":
        spots = [i for i in range(1, n) if word[i] != word[i - 1] and word[i].isalpha()]
        if not spots:
            return None
        i = rng.choice(spots)
        return word[: i + 1] + word[i] + word[i + 1 :]
    if kind == "undoubled":
        spots = [i for i in range(1, n) if word[i] == word[i - 1]]
        if not spots:
            return None
        i = rng.choice(spots)
        return word[:i] + word[i + 1 :]
    raise ValueError(kind)


def variant(name: str, kind: str, rng: random.Random) -> str | None:
    """`name` with a slip of `kind` in one of its words of four letters or more (two words for
    "two slips"), or None when it cannot have one."""
    words = name.split(" ")
    spots = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if kind == "missing space":
        if len(words) < 2:
            return None
        i = rng.randrange(len(words) - 1)
        return " ".join([*words[:i], words[i] + words[i + 1], *words[i + 2 :]])
    if kind == "extra space":
        if not spots:
            return None
        i = rng.choice(spots)
        j = rng.randrange(2, len(words[i]) - 1)
        words[i] = words[i][:j] + " " + words[i][j:]
        return " ".join(words)
    if kind == "two slips":
        if len(spots) < 2:
            return None
        for i in rng.sample(spots, 2):
            slipped = _slip(words[i], rng.choice(_ONE_SLIP[:5]), rng)
            if slipped is None:
                return None
            words[i] = slipped
        return " ".join(words)
    rng.shuffle(spots)
    for i in spots:
        slipped = _slip(words[i], kind, rng)
        if slipped is not None and slipped != words[i]:
            words[i] = slipped
            return " ".join(words)
    return None


def _rng(name: str, kind: str) -> random.Random:
    return random.Random(f"{SEED}:{kind}:{name}")


# Splits written to measure the matcher on names nobody tuned for; the probe leaves them out.
KEPT_UNSEEN = frozenset(f"unseen{n}" for n in range(7, 55))  # unseen7 to unseen54


def probe_pairs() -> list[Pair]:
    """Slipped match pairs (kind = the slip) and the hard non-matches as written (kind
    "non-match") and with a slip in their party name (kind "non-match slipped")."""
    seen = [p for p in load_pairs() if p.split not in KEPT_UNSEEN]
    out: list[Pair] = []
    names = sorted({p.right for p in seen if p.match and _latin(p.right)})
    for name in names:
        for kind in KINDS:
            slipped = variant(name, kind, _rng(name, kind))
            if slipped and slipped != name:
                out.append(Pair("probe", kind, slipped, name, True))
    for p in seen:
        if p.match:
            continue
        out.append(Pair(p.split, "non-match", p.left, p.right, False))
        if _latin(p.left):
            kind = KINDS[sum(map(ord, p.left)) % 7]
            slipped = variant(p.left, kind, _rng(p.left, kind))
            if slipped and slipped != p.left:
                out.append(Pair(p.split, "non-match slipped", slipped, p.right, False))
    return out


@dataclass(frozen=True)
class Probe:
    found: dict[str, tuple[int, int]]  # kind → (found, of)
    false_matches: list[Pair]
    differ: list[Pair]  # found by bulk screening but not by single checks, or the other way
    missed: list[Pair]

    def recall(self, *kinds: str) -> float:
        hit = sum(self.found[k][0] for k in kinds)
        return hit / sum(self.found[k][1] for k in kinds)

    @property
    def precision(self) -> float:
        hit = sum(f for f, _ in self.found.values())
        return hit / (hit + len(self.false_matches))


def run(pairs: list[Pair] | None = None, config: MatchConfig | None = None) -> Probe:
    pairs = probe_pairs() if pairs is None else pairs
    config = config or MatchConfig()
    entries = [
        ListEntry(list="control_list", entry_ref=f"E{i}", name=p.right) for i, p in enumerate(pairs)
    ]
    parties = [Party(party_ref=f"P{i}", name=p.left) for i, p in enumerate(pairs)]
    index = ListIndex(entries, config)
    bulk = index.screen(parties, _DAY)
    found: dict[str, tuple[int, int]] = dict.fromkeys(KINDS, (0, 0))
    false_matches, differ, missed = [], [], []
    for i, (pair, party, candidates) in enumerate(zip(pairs, parties, bulk, strict=True)):
        hit = any(c.entry_ref == f"E{i}" for c in candidates)
        single = any(c.entry_ref == f"E{i}" for c in index.check(party, _DAY))
        if hit != single:
            differ.append(pair)
        if not pair.match:
            if hit:
                false_matches.append(pair)
            continue
        got, of = found[pair.kind]
        found[pair.kind] = (got + hit, of + 1)
        if not hit:
            missed.append(pair)
    return Probe(found, false_matches, differ, missed)


if __name__ == "__main__":
    import sys

    result = run()
    for kind, (got, of) in result.found.items():
        print(f"{kind:15} {got:4}/{of:<4} {got / of:.3f}")
    print(f"one slip        {result.recall(*KINDS[:-1]):.3f}")
    print(f"precision       {result.precision:.3f}  false matches {len(result.false_matches)}")
    print(f"bulk and single differ on {len(result.differ)}")
    for pair in result.false_matches:
        print(f"  false [{pair.split} {pair.kind}] {pair.left} | {pair.right}")
    if "--missed" in sys.argv:
        for pair in result.missed:
            print(f"  missed [{pair.kind}] {pair.left} | {pair.right}")
