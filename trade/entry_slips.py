"""A list entry's name with its slips read as meant (the twenty-fourth round). The comparison
reads a slip of a common word or a legal form in the party's name against the entry's name
(trade.common_slips); a slip in the entry's own name (Chengdu Aircraft Industry Grpup, as a list
may have typed it) had nothing to be read against, and the party who wrote the name right
scored nothing. So an entry whose Latin name has a word that is not a word of the lists but
one slip from a legal form or exactly one common word (common_slips.legal_slips, slipped_from:
letters no common word pairs so, not a pinyin word, not a pronounceable word of its own) is
also known by the name with that word as meant. Plain Python (no Django).
"""

from __future__ import annotations

import re
from functools import lru_cache

from trade.common_slips import legal_slips, may_slip_common, slipped_from
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
        return None
    common = slipped_from(word)
    return common[0] if len(set(common)) == 1 else None
