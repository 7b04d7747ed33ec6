"""Two names in Chinese characters compared as characters. Plain Python (no Django).

Besides word by word (trade.scoring), two such names meet when one is written whole within the
other (景嘉微 in 长沙景嘉微电子, `contained_characters`), or when they are the same name but for
one character written as another of the same sound (宁德时代新能原 for 新能源, 物里 for 物理:
a pinyin keyboard offers every character of a syllable, and a slip picks the wrong one,
`homophone_slip`). The word-by-word comparison cannot see the second: the slipped character
breaks the glossary word it belonged to (新能源 new energy), so the two names read as other
words, and by design it gives the same sound in other characters little credit (景弘, 敬鸿 are
two names). Here the rest of the name must be written alike, character for character.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from trade.names import NameForm, normalise_name, reading_of
from trade.two_parties import common_only

CONTAINED_SCORE = 0.85
CITY_SUFFIXES = "州市"
# A homophone slip counts in names of this many characters or more (legal forms gone): in a
# shorter name one character is a good part of the name (华为, 华维).
HOMOPHONE_LENGTH = 5
# Numbers tell apart institutes and plants of one group (第二研究院, 第三研究院): never a slip.
NUMERALS = frozenset("〇零一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟")


def contained_characters(short: NameForm, long: NameForm) -> float:
    """CONTAINED_SCORE when a name in Chinese characters, not of common words only, is written
    whole within the other and what the longer has more is common words, places, or a city
    before it (景嘉微 in 长沙景嘉微电子, 片仔癀 in 漳州片仔癀药业; legal forms gone), else 0."""
    if len(short.cjk) < 2 or len(long.cjk) <= len(short.cjk) or common_only(short):
        return 0.0
    at = long.cjk.find(short.cjk)
    if at < 0:
        return 0.0
    before, after = long.cjk[:at], long.cjk[at + len(short.cjk) :]
    if before and not (_only_common(before) or _city(before)):
        return 0.0
    if after and not _only_common(after):
        return 0.0
    return CONTAINED_SCORE


@lru_cache(maxsize=100_000)
def _only_common(characters: str) -> bool:
    form = normalise_name(characters)
    return bool(form.words) and common_only(form)


def _city(characters: str) -> bool:
    """A city's name before a company's (漳州, 泸州市): 2-3 characters, the last 州 or 市, or
    a known place and such a city."""
    if 2 <= len(characters) <= 3 and characters[-1] in CITY_SUFFIXES:
        return True
    return 3 <= len(characters) <= 6 and any(
        _only_common(characters[:k]) and _city(characters[k:]) for k in (2, 3)
    )


def homophone_key(form: NameForm) -> str:
    """What two names a homophone slip apart share: the reading of their characters, for a
    name long enough to be compared so ('' otherwise)."""
    if len(form.cjk) < HOMOPHONE_LENGTH:
        return ""
    return reading_of(form.cjk)


def homophone_slip(a: NameForm, b: NameForm) -> tuple[float, str]:
    """(score, the characters) when two names in characters are written alike but for one
    character, which reads as the other does and is not a number (物里, 物理): the score of a
    typing slip in a word that long (1 - 0.5 / characters). Not when the character is in a
    name of two characters in both (华为, 华维: two brands, not a slip). Else (0, '')."""
    x, y = a.cjk, b.cjk
    if len(x) != len(y) or len(x) < HOMOPHONE_LENGTH or x == y:
        return 0.0, ""
    differ = [k for k, (c, d) in enumerate(zip(x, y, strict=True)) if c != d]
    if len(differ) != 1:
        return 0.0, ""
    at = differ[0]
    c, d = x[at], y[at]
    if c in NUMERALS or d in NUMERALS or reading_of(c) != reading_of(d):
        return 0.0, ""
    if at in _in_short_names(a) and at in _in_short_names(b):
        return 0.0, ""
    return round(1 - 0.5 / len(x), 3), f"{c}/{d}"


def _in_short_names(form: NameForm) -> set[int]:
    """The places in `form.cjk` of its distinctive words of one or two characters (华为)."""
    places: set[int] = set()
    cursor = 0
    for characters, weight in zip(form.hanzi, form.weights, strict=True):
        if not characters:
            continue
        at = form.cjk.find(characters, cursor)
        if at < 0:
            continue
        cursor = at + len(characters)
        if weight >= 1 and len(characters) <= 2:
            places.update(range(at, cursor))
    return places


class CharacterIndex:
    """List entries' names in characters, to find the ones a party's name meets as characters:
    by the whole name (a party's longer name holds it), by each pair of neighbouring characters
    (a party's shorter name is held), and by the reading of the whole name (a homophone slip)."""

    def __init__(self, forms: Sequence[NameForm]) -> None:
        self.forms = forms
        self._whole: dict[str, list[int]] = {}
        self._pairs: dict[str, list[int]] = {}
        self._readings: dict[str, list[int]] = {}
        for n, form in enumerate(forms):
            if key := homophone_key(form):
                self._readings.setdefault(key, []).append(n)
            if len(form.cjk) >= 2:
                self._whole.setdefault(form.cjk, []).append(n)
                for bigram in {form.cjk[k : k + 2] for k in range(len(form.cjk) - 1)}:
                    self._pairs.setdefault(bigram, []).append(n)

    def met(self, form: NameForm) -> list[int]:
        """The entries' names a party's name is written whole within, that are written whole
        within it (contained_characters), or that are a homophone slip from it."""
        text = form.cjk
        if len(text) < 2:
            return []
        forms = self.forms
        met: set[int] = set()
        for size in range(2, len(text)):
            for start in range(len(text) - size + 1):
                for e in self._whole.get(text[start : start + size], ()):
                    if contained_characters(forms[e], form):
                        met.add(e)
        bigrams = [text[k : k + 2] for k in range(len(text) - 1)]
        rarest = min((self._pairs.get(b, ()) for b in bigrams), key=len)
        met.update(e for e in rarest if contained_characters(form, forms[e]))
        alike = self._readings.get(homophone_key(form), ())
        met.update(e for e in alike if homophone_slip(form, forms[e])[0])
        return sorted(met)
