"""The common words of Russian, Ukrainian and Belarusian organisation names in any case or
adjective ending ([foreign_words] under their stems: Tyazhelogo, Tyazhelyy, Tyazhelaya → heavy;
Zavoda, Zavodov → plant), found after the spellings trade.latin_words looks up first."""

from __future__ import annotations

import re
from functools import cache

from trade.name_words import vocabulary
from trade.transliteration import russian_stem

# Ukrainian zh before a place's last vowel is z in its adjective (Zaporizhzhia, Zaporizkyi)
_UKRAINIAN_ZH_RE = re.compile(r"(?<=[aeiouy])(?:zh)+(?:ia|ya|ye|e|a)$")
RUSSIAN_LOOKUP = 6  # letters a word needs to be looked up by its stem (Sviazi; Skhoi is not)


@cache
def _foreign_by_stem() -> dict[str, tuple[str, ...]]:
    """[foreign_words] under their Russian stems (Tyazhelogo, Tyazhelyy: tiaiel); a stem two
    of them with other English words share is left out."""
    found: dict[str, tuple[str, ...]] = {}
    for spelt, words in (vocabulary().foreign or {}).items():
        if (stem := russian_stem(spelt)) and found.setdefault(stem, words) != words:
            found[stem] = ()
    return {k: v for k, v in found.items() if v}


@cache
def _places_by_stem() -> dict[str, tuple[str, ...]]:
    """[places_other_names] under the stems of their Russian adjectives (Kharkovskiy,
    Kharkivskyi, Zaporozhskogo: kharkiv; Karagandinskiy: karaganda), and of the adjectives they
    list (Nizhegorodskiy)."""
    found: dict[str, tuple[str, ...]] = {}
    for spelt, first in (vocabulary().other_places or {}).items():
        adjectives = {spelt, spelt + "skiy"} | (
            {spelt[:-1] + "skiy"} if spelt[-1] in "aeiouy" else set()
        )
        if spelt[-1] == "a":  # Karaganda, Karagandinskiy
            adjectives.add(spelt[:-1] + "inskiy")
        if spelt[-1] == "o":  # the twentieth round: Grodno, Grodnenskiy
            adjectives.add(spelt[:-1] + "enskiy")
        if _UKRAINIAN_ZH_RE.search(spelt):  # Zaporizhzhia, Zaporizkyi
            adjectives.add(_UKRAINIAN_ZH_RE.sub("zkyi", spelt))
        for adjective in adjectives:
            if stem := russian_stem(adjective):
                found.setdefault(stem, (first,))
    return found


def russian_word(token: str) -> tuple[str, ...]:
    """The English words of a Russian word of [foreign_words] in another case or ending
    (Kolesnykh: wheel; Tyagachei: tractor; Sviazi: communication), else ()."""
    if len(token) < RUSSIAN_LOOKUP or not token.isalpha():
        return ()
    stem = russian_stem(token)
    if not stem:
        return ()
    return _foreign_by_stem().get(stem, ()) or _places_by_stem().get(stem, ())
