"""The short forms a party name could have: initials of its words (CETC), letters by pinyin
syllable (比亚迪 biyadi → BYD, 大疆创新 → DJI) and syllable acronyms of the first letters of
its words (NORINCO: NORth INdustries COrporation). Plain Python (no Django).
"""

from __future__ import annotations

from functools import cache, lru_cache

from trade.name_words import vocabulary
from trade.syllables import pinyin_split

COMPASS = {"northwest": "nw", "northeast": "ne", "southwest": "sw", "southeast": "se"}


@lru_cache(maxsize=100_000)
def name_acronym_heads(raw: tuple[str, ...], words: tuple[str, ...]) -> frozenset[str]:
    """The first three letters of every acronym and stem of `name_acronyms`, cheaply (a
    superset)."""
    heads = set()
    latin = [w for w in raw if w[:1].isalpha()]
    alpha = [w for w in words if w[:1].isalpha()]
    for sequence in (latin, [w for w in latin if w != "group"], alpha):
        heads.add("".join([COMPASS.get(w) or w[0] for w in sequence[:3]])[:3])
    generic = vocabulary().generic
    first = next((i for i, w in enumerate(words) if w not in generic), 0)
    for place in (False, True):
        for start in {0, first}:
            parts = [_syllable_initials(w, place=place) for w in words[start : start + 3]]
            heads.add("".join(parts)[:3])
    return frozenset(h for h in heads if len(h) == 3)


@lru_cache(maxsize=200_000)
def name_acronyms(
    raw: tuple[str, ...], words: tuple[str, ...]
) -> tuple[frozenset[str], tuple[str, ...]]:
    """(Initials this name could be shortened to: of every word, without legal forms; letters
    by pinyin syllable any 3 or more first of which it could be: 比亚迪 biyadi → BYD; 大疆创新
    dajiang innovation → DJI; 南京理工大学 nanjing university technology → NJUST; southwest →
    SW)."""
    found = set()
    stems: set[str] = set()
    initial = [COMPASS.get(w) or w[0] for w in raw if w[:1].isalpha()]
    if len(initial) >= 3:
        found.add("".join(initial))
    if "group" in raw:
        without = "".join(COMPASS.get(w) or w[0] for w in raw if w[:1].isalpha() and w != "group")
        if len(without) >= 3:
            found.add(without)
    letters = "".join([COMPASS.get(w) or w[0] for w in words if w[:1].isalpha()])
    if len(letters) >= 3:
        found.add(letters)
    vocab = vocabulary()
    has_places = False
    parts: list[str] = []
    first_distinctive = -1
    for word in words:
        if first_distinctive < 0 and word not in vocab.generic:
            first_distinctive = len(parts)
        parts.append(_syllable_initials(word))
        has_places = has_places or word in vocab.places
    variants = [parts]
    if has_places:
        variants.append([_syllable_initials(w, place=True) for w in words])
    for variant in variants:
        starts = {0, sum(len(x) for x in variant[: max(first_distinctive, 0)])}
        syllabic = "".join(variant)
        if syllabic not in found:
            for start in starts:
                if len(syllabic) - start >= 3:
                    stems.add(syllabic[start:])
    return frozenset(found), tuple(sorted(stems))


@lru_cache(maxsize=100_000)
def _syllable_initials(word: str, *, place: bool = False) -> str:
    """A word's letters in a syllable acronym: a pinyin word's syllables' (biyadi → byd; a
    place's too when `place`), a compass word's two (southwest → sw), else its first."""
    if word in COMPASS:
        return COMPASS[word]
    vocab = vocabulary()
    if word not in vocab.generic or (place and word in vocab.places):
        split = pinyin_split(word)
        if split and len(split) >= 2:
            return "".join(s[0] for s in split)
    return word[:1]


# Words an acronym built from syllables may leave out (NORINCO: China North Industries Corp.).
ACRONYM_OPTIONAL = frozenset(
    {"china", "chinese", "group", "company", "corporation", "co", "corp", "limited", "ltd", "inc",
     "of", "the", "and", "national"}
)  # fmt: skip


def syllable_acronym(short: str, words: tuple[str, ...]) -> bool:
    """Whether `short` (4-8 letters) is made of the first 1-3 letters of each of at least three
    of the words, in order, leaving out only words such as China, Group, Corporation: NORINCO
    (NORth INdustries COrporation), COMAC (COMmercial Aircraft Corporation of China), AVIC."""
    if not 4 <= len(short) <= 8 or len(words) < 3 or len(words) > 10:
        return False

    @cache
    def ways(pos: int, k: int) -> int:
        # The most words used to spell short[pos:] from words[k:] (-1: impossible).
        if pos == len(short):
            return 0 if all(w in ACRONYM_OPTIONAL for w in words[k:]) else -1
        if k == len(words):
            return -1
        best = ways(pos, k + 1) if words[k] in ACRONYM_OPTIONAL else -1
        word = words[k]
        for size in range(1, min(3, len(word), len(short) - pos) + 1):
            if short[pos : pos + size] != word[:size]:
                break
            rest = ways(pos + size, k + 1)
            if rest >= 0:
                best = max(best, rest + 1)
        return best

    return ways(0, 0) >= 3


def acronym_initials(words: tuple[str, ...]) -> set[str]:
    """The initials of every word, leaving out optional words in any combination (index keys
    for syllable acronyms; at most 2^4 of them)."""
    optional = [i for i, w in enumerate(words) if w in ACRONYM_OPTIONAL][:4]
    found = set()
    for mask in range(1 << len(optional)):
        skip = {optional[b] for b in range(len(optional)) if mask >> b & 1}
        letters = "".join(w[0] for i, w in enumerate(words) if i not in skip and w)
        if len(letters) >= 3:
            found.add(letters)
    return found
