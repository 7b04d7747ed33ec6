"""A word of Arabic script read with its long vowels (round 28). Arabic writes a long vowel
with the letter of a consonant (ي y for ī, و w for ū), so عزيز reads azyz and سعود swd, and
their consonants alone (az, sd) are too short to compare (transliteration.abjad_readings
keeps three letters or more). Read with those letters as the vowels they stand for, the word is
spelt as a Latin name spells it (aziz, saud): only that whole spelling meets. Plain Python.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product

# the ways a Latin name spells the long vowel each letter stands for, the letter itself first
_LONG = {"y": ("y", "i", "ee", "ei", "ai"), "w": ("w", "u", "oo", "ou", "au", "o")}
_MOST = 3  # letters read both ways: 6 ** 3 spellings at most


@lru_cache(maxsize=50_000)
def long_vowel_spellings(word: str) -> frozenset[str]:
    """The Latin spellings of a word written without short vowels (an Arabic word romanised
    letter by letter) that read its y and w after the first letter as long vowels; a first a
    (ا, ع) any vowel. Empty for a word of fewer than three letters or more than _MOST such
    letters."""
    medial = [i for i, letter in enumerate(word) if i and letter in _LONG]
    if len(word) < 3 or not medial or len(medial) > _MOST:
        return frozenset()
    choices = [_LONG[letter] if i in medial else (letter,) for i, letter in enumerate(word)]
    if word[0] == "a":
        choices[0] = ("a", "e", "i", "o", "u")
    return frozenset("".join(parts) for parts in product(*choices)) - {word}
