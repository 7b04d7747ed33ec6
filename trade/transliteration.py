"""A coarse key under which romanisations of one non-Chinese name meet (Russian, Arabic,
Korean: Tekhnopromeksport/Technopromexport, Mohammed/Muhammad, Rashid/Rasheed, Kontsern/Concern,
Hyundai/Hyeondae, Iljushin/Ilyushin): the first letter, then the consonants after spellings of
one sound are made one (kh, ch → k; ts, tz, c before e or i → s; c, q, ck → k; x → ks; ph → f;
w → v; j → y) and vowels dropped but for a last one, doubled letters once. Used by the word
comparison (trade.scoring.word_credit) and the index keys (trade.blocking), so bulk screening
and single checks agree. Plain Python (no Django).
"""

from __future__ import annotations

import re
from functools import lru_cache

from trade.syllables import pinyin_split

_RULES = (
    ("kh", "k"),
    ("ch", "k"),
    ("ck", "k"),
    ("ph", "f"),
    ("ts", "s"),
    ("tz", "s"),
    ("x", "ks"),
    ("q", "k"),
    ("w", "v"),
    ("j", "y"),
)
_SOFT_C = re.compile(r"c(?=[eiy])")
_VOWELS = re.compile(r"[aeiouy]")
_DOUBLE = re.compile(r"(.)\1+")

# Keys of fewer consonants meet too many other words (Said, Sadi, Soda): after the first
# letter, two in words of six letters or more, three in words of five.
MIN_CONSONANTS = 2


@lru_cache(maxsize=200_000)
def transliteration_key(word: str) -> str:
    """The word's key, or '' when it is too short to say (fewer than five letters, or fewer
    consonants after the first letter than MIN_CONSONANTS, one more in five letters) or not
    letters a-z."""
    size = len(word)
    if size < 5 or not word.isascii() or not word.isalpha():
        return ""
    for old, new in _RULES:
        word = word.replace(old, new)
    word = _SOFT_C.sub("s", word).replace("c", "k")
    word = _DOUBLE.sub(r"\1", word)
    key = word[0] + _VOWELS.sub("", word[1:])
    key = _DOUBLE.sub(r"\1", key)
    if len(key) - 1 < MIN_CONSONANTS + (size < 6):
        return ""
    return key + "_" if word[-1] in "aeiouy" else key  # Shield is not ShieldAI


def romanised_alike(a: str, b: str) -> bool:
    """Whether two words (not pinyin, at most a letter apart in length) are two romanisations
    of one word: the same key."""
    key = transliteration_key(a)
    return bool(
        key
        and key == transliteration_key(b)
        and abs(len(a) - len(b)) <= 1
        and pinyin_split(a) is None is pinyin_split(b)
    )
