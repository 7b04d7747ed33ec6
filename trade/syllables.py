"""Pinyin syllables and the sounds of older romanisations. Plain Python (no Django).

Which words are pinyin (`pinyin_split`: the fewest syllables, from every syllable pypinyin
knows), which are certainly pinyin and not Wade-Giles or postal spelling (`certainly_pinyin`),
and a coarse sound key under which the spellings of one syllable meet (`sound_key`: Hsu/Xu,
Chang/Zhang, Tsinghua/Qinghua).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from pypinyin import Style, lazy_pinyin


@cache
def pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows, from the common CJK block."""
    chars = "".join(chr(c) for c in range(0x4E00, 0x9FA6))
    found = {s for s in lazy_pinyin(chars, style=Style.NORMAL) if s.isalpha()}
    # Interjections without a vowel (嗯 n, 呒 m) would make almost any word pinyin.
    found -= {"n", "m", "ng", "hm", "hng"}
    return frozenset(found | {s.replace("v", "u") for s in found})


@cache
def syllable_sounds() -> frozenset[str]:
    """The sound keys of pinyin syllables: a Wade-Giles or postal syllable has one of them."""
    return frozenset(sound_key(s) for s in pinyin_syllables())


@lru_cache(maxsize=100_000)
def is_syllable(part: str) -> bool:
    """One syllable in pinyin, Wade-Giles or postal spelling (chiang, hsin, chih, tzu)."""
    if not part.isalpha() or len(part) > 7:
        return False
    if part in pinyin_syllables():
        return True
    sounds = syllable_sounds()
    return sound_key(part) in sounds or (part.endswith("h") and sound_key(part[:-1]) in sounds)


@lru_cache(maxsize=100_000)
def certainly_pinyin(word: str) -> bool:
    """Pinyin that no older romanisation would write: it has letters Wade-Giles and postal
    spellings do not use (b, d, g, q, x, z, c, r as initials). Two such words that differ are
    two names (Ruijun, Ruichun), not two spellings of one."""
    if pinyin_split(word) is None:
        return False
    rest = word
    for cluster in ("ng", "ch", "sh", "ts", "tz", "er"):
        rest = rest.replace(cluster, "-")
    return any(c in rest for c in "bdgqxzcr")


@lru_cache(maxsize=100_000)
def pinyin_split(word: str) -> tuple[str, ...] | None:
    """The word as pinyin syllables (fewest syllables), or None when it is not pinyin."""
    syllables = pinyin_syllables()
    best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
    best[0] = ()
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            if head is not None and word[start:end] in syllables:
                candidate = (*head, word[start:end])
                known = best[end]
                if known is None or len(candidate) < len(known):
                    best[end] = candidate
    return best[len(word)]


SOUND_RULES = (
    ("tsz", "j"),
    ("zh", "j"),
    ("ch", "j"),
    ("ts", "j"),
    ("tz", "j"),
    ("hs", "s"),
    ("kw", "gu"),
    ("hw", "hu"),
    ("ung", "ong"),
    ("ieh", "ie"),
    ("ow", "ou"),
)
SOUND_LETTERS = str.maketrans(
    {"q": "j", "z": "j", "c": "j", "x": "s", "k": "g", "p": "b", "t": "d", "v": "u", "r": "j"}
)


@lru_cache(maxsize=100_000)
def sound_key(word: str) -> str:
    """A coarse key under which Wade-Giles and pinyin spellings of a syllable meet
    (Chang/Zhang → jang, Hsu/Xu → su, Tsinghua/Qinghua → jinghua)."""
    for old, new in SOUND_RULES:
        word = word.replace(old, new)
    word = word.translate(SOUND_LETTERS)
    return re.sub(r"(.)\1+", r"\1", word)
