"""Japanese words romanised two ways: long vowels written out or once (Tōyō, Touyou, Tohyoh,
Toyo) and Kunrei-shiki against Hepburn (Sinsyu, Shinshu; Seisakusyo, Seisakusho), the key
under which they meet for the comparison (trade.transliteration.other_romanisation), the index
(trade.blocking) and the foreign words (trade.foreign_spellings). Plain Python (no Django)."""

from __future__ import annotations

import re
from functools import lru_cache

from trade.syllables import pinyin_split

# Japanese long vowels as Hepburn without macrons, wāpuro and passports write them (Tōyō toyo,
# Touyou, Tohyoh; Ōno Ohno, Oono; Shōji Shouji; Yūki Yuuki): ou, oh (not before a vowel), oo,
# uu, uh and aa are one vowel.
_LONG_VOWEL_RE = re.compile(r"o[uo]|oh(?![aeiou])|u[uh](?![aeiou])|aa")


@lru_cache(maxsize=200_000)
def long_vowels_once(word: str) -> str:
    """A word with its long vowels written as one (tohyoh → toyo, shouji → shoji)."""
    return _LONG_VOWEL_RE.sub(lambda m: m.group()[0], word)


# Kunrei-shiki and Nihon-shiki romanisation (the twentieth round: Sinsyu, Shinshu; Seisakusyo,
# Seisakusho): a word writing sy, ty or zy before a vowel is read in Hepburn, its si shi, ti
# chi, tu tsu, zi ji, hu fu too; another word, or one with a letter Kunrei-shiki does not write
# (Tyulpan), is left as written (Tina is not China).
_KUNREI_RE = re.compile(r"[stz]y[aou]")
_NOT_KUNREI = re.compile(r"[^aiueokstnhmyrwgzdbp]")  # letters Kunrei-shiki does not write
_KUNREI = re.compile(r"sy|ty|zy|si|ti|tu|zi|(?<![sc])hu")
_HEPBURN = {"sy": "sh", "ty": "ch", "zy": "j", "si": "shi", "ti": "chi", "tu": "tsu", "zi": "ji"}


@lru_cache(maxsize=200_000)
def hepburn(word: str) -> str:
    """A Japanese word written in Kunrei-shiki in Hepburn (sinsyu → shinshu), else the word."""
    if not _KUNREI_RE.search(word) or _NOT_KUNREI.search(word):
        return word
    return _KUNREI.sub(lambda m: _HEPBURN.get(m.group(), "fu"), word)


def japanese_key(word: str) -> str:
    """long_vowels_once of a word of four letters or more that writes a long vowel or is
    written in Kunrei-shiki, in Hepburn, else ''."""
    if len(word) < 4 or not word.isascii() or not word.isalpha():
        return ""
    key = long_vowels_once(hepburn(word))
    return key if key != word and len(key) >= 3 else ""


def japanese_alike(a: str, b: str) -> bool:
    """One Japanese word with its long vowels written two ways (Tōyō, Tohyoh; Ōno, Ohno)."""
    key_a, key_b = japanese_key(a) or a, japanese_key(b) or b
    pinyin = pinyin_split(a) and pinyin_split(b)
    return key_a == key_b and a != b and len(key_a) >= 3 and not pinyin
