"""A list entry's name with its slips read as meant (the twenty-fourth round). The comparison
reads a slip of a common word or a legal form in the party's name against the entry's name
(trade.common_slips); a slip in the entry's own name (Chengdu Aircraft Industry Grpup, as a list
may have typed it) had nothing to be read against, and the party who wrote the name right
scored nothing. So an entry whose Latin name has a word that is not a word of the lists but
one slip from a legal form or exactly one common word (common_slips.legal_slips, slipped_from:
letters no common word pairs so, not a pinyin word, not a pronounceable word of its own), or a
typing slip of a spelling normalising translates (round 29: a neighbouring key, Kogyp; a letter
left out, Bankng; a doubled letter typed once, Nipon), is also known by the name with that word
as meant.
Plain Python (no Django).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from trade.common_slips import legal_slips, may_slip_common, slipped_from
from trade.keyboard import inner_swap, neighbour_slip, typed_once
from trade.known_names import a_place, known_organisation, known_words
from trade.name_words import vocabulary
from trade.syllables import pinyin_split

WORD_RE = re.compile(r"[A-Za-z]+")


def meant_names(names: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The names that have slips, each with its slips read as meant (none for most names)."""
    found = []
    for label, text in names:
        meant = WORD_RE.sub(_meant_word, text) if text.isascii() else text
        if meant != text:
            found.append((label, meant))
    return found


def _meant_word(match: re.Match[str]) -> str:
    return meant_word(match.group(0).lower()) or match.group(0)


@lru_cache(maxsize=100_000)
def meant_word(word: str) -> str | None:
    """The one legal form or common word a word of an entry's name is a slip of, else None."""
    vocab = vocabulary()
    if len(word) < 4 or word in vocab.word_class or word in vocab.stopwords:
        return None
    if word in vocab.synonyms or pinyin_split(word) is not None:
        return None
    legal = legal_slips(word)
    if legal:  # a legal form goes, whichever it is (Grpup: Group or Grupp)
        return legal[0]
    if not may_slip_common(word):
        return _spelling_slipped(word)
    common = slipped_from(word)
    return common[0] if len(set(common)) == 1 else _spelling_slipped(word)


def _spelling_slipped(word: str) -> str | None:
    """The one spelling that normalising reads as common words (Kogyo, industrial; Nippon,
    Japan; Banking) a word of five letters or more is a typing slip of, its first letter kept,
    else None (round 29: Tokyo Ohka Kogyp, Nipon Steel, Korea Kwangson Bankng: the party who
    wrote the word right scored nothing). Only slips as a hand makes them: a neighbouring key
    (Kogyp), two letters after the first swapped, a letter left out of six or more (Bankng), a
    doubled letter typed once (Nipon); not Koryo (kogyo), Denel (devel) or Canon (canton). Not
    a known organisation's word or a place's."""
    if len(word) < 5 or not word.isalpha() or word in known_words() or a_place(word):
        return None
    if known_organisation(word):
        return None
    vocab = vocabulary()
    found = {
        spelling
        for spelling in _spellings_by_start().get(word[0], ())
        if _typing_slip(word, spelling) or _doubled_once(word, spelling)
    }
    readings = {vocab.synonyms[spelling] for spelling in found}
    return min(found) if len(readings) == 1 else None


def _typing_slip(word: str, spelling: str) -> bool:
    """A neighbouring key (not a vowel for a vowel: Seiko is not seiki), two letters swapped
    or a letter left out of a word of six or more."""
    return (
        (neighbour_slip(word, spelling) and not _vowel_for_vowel(word, spelling))
        or inner_swap(word, spelling)
        or (len(word) >= 6 and len(spelling) == len(word) + 1 and _left_out(word, spelling))
    )


def _vowel_for_vowel(word: str, spelling: str) -> bool:
    return any(x != y and x in VOWELS and y in VOWELS for x, y in zip(word, spelling, strict=True))


VOWELS = frozenset("aeiou")


def _doubled_once(word: str, spelling: str) -> bool:
    """`spelling` is `word` with one of its letters typed twice (Nipon, Nippon)."""
    return len(spelling) == len(word) + 1 and word in typed_once(spelling)


def _left_out(word: str, spelling: str) -> bool:
    return any(spelling[:i] + spelling[i + 1 :] == word for i in range(1, len(spelling)))


@cache
def _spellings_by_start() -> dict[str, tuple[str, ...]]:
    """The Latin spellings of five letters or more that normalising reads as common words only,
    by first letter."""
    vocab = vocabulary()
    found: dict[str, list[str]] = {}
    for spelling, words in sorted(vocab.synonyms.items()):
        if len(spelling) >= 5 and spelling.isalpha() and all(w in vocab.generic for w in words):
            found.setdefault(spelling[0], []).append(spelling)
    return {k: tuple(v) for k, v in found.items()}
