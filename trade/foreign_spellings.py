"""The words of [foreign_words] (name_words.toml) and the places of the word lists written
otherwise than the lists write them: in another romanisation (Tsentralnyi, Centralnyi; Shouji,
Shoji; Bjuro, Byuro; Toukyou, Tokyo) or with a slip of the fingers (Kogoy for Kogyo, Tiacret
for Ticaret). trade.latin_words reads a word with them when the lists do not have it as written.
Plain Python (no Django)."""

from __future__ import annotations

import re
from functools import cache

from trade.japanese_spellings import japanese_key, long_vowels_once
from trade.keyboard import typed_once
from trade.known_names import a_place
from trade.name_words import vocabulary
from trade.russian_words import russian_word
from trade.syllables import is_syllable, pinyin_split
from trade.transliteration import cyrillic_key

CYRILLIC_LOOKUP = 7  # letters a word needs to be looked up by its Cyrillic key
# ю, я, ё, е after a consonant as German, Czech and ISO spellings write them (Bjuro, Byuro): a
# shorter word with one is looked up by its Cyrillic key too
CYRILLIC_J_RE = re.compile(r"[bcdfgklmnprstvz]j[aeiou]")
FOREIGN_SLIP = 5  # letters a foreign word needs for a slip of it to be read as it


@cache
def _foreign_by_key() -> dict[str, tuple[str, ...]]:
    """[foreign_words] under the keys of their romanisations (trade.transliteration: Russian
    letters spelt one way, Japanese long vowels written once)."""
    found: dict[str, tuple[str, ...]] = {}
    for spelt, words in (vocabulary().foreign or {}).items():
        cyrillic = cyrillic_key(spelt) if len(spelt) >= CYRILLIC_LOOKUP else ""
        for key in (cyrillic, long_vowels_once(spelt)):
            if key:
                found.setdefault(key, words)
    return found


def foreign_spelling(token: str) -> tuple[str, ...]:
    """The words of a foreign word in another romanisation than [foreign_words] gives
    (Tsentralnyi, Centralnyi: central; Shouji: trading) or with a slip (Kogoy: industrial), or
    a place with its Japanese long vowels written (Toukyou: tokyo), else ()."""
    if len(token) < 5 or not token.isalpha():
        return ()
    by_key = _foreign_by_key()
    # a short word's Cyrillic key meets too many others (Skhoi, Shoji: shoi)
    long = len(token) >= CYRILLIC_LOOKUP or CYRILLIC_J_RE.search(token)
    key = cyrillic_key(token) if long else ""
    found = by_key.get(key, ()) if key else ()
    return (
        found
        or by_key.get(long_vowels_once(token), ())
        or _slipped(token)
        or _place(token)
        or compound(token)
        or _uzbek(token)
    )


def in_foreign_context(tokens: list[str]) -> list[str]:
    """The words as a name in another language reads them (round 31): a word of
    [foreign_words_pinyin] (Huta, Minera, Madini: pinyin too) as its English words when another
    word of the name is foreign or is no pinyin, English, legal or place word (Huta Stalowa
    Wola), and without the joining words of [stopwords] joining (Swahili ya and na, Malay dan)
    between two words of no pinyin or English, one of them foreign (Wizara ya Viwanda na
    Biashara). Elsewhere they stay: they are often a Chinese or Korean name's syllables (Nan Ya
    Technology; Huta Trading Co., Ltd.; the round's review)."""
    vocab = vocabulary()
    foreign = vocab.foreign or {}

    def foreign_word(token: str) -> bool:  # of [foreign_words], not a place's (Korean)
        return token in foreign and not set(foreign[token]) <= vocab.places

    def plain(token: str) -> bool:  # an English, legal, place or pinyin word
        return not foreign_word(token) and (
            token in vocab.synonyms
            or token in vocab.generic
            or token in vocab.stopwords
            or token in vocab.legal_by_first
            or token in vocab.legal_joined
            or a_place(token)
            or is_syllable(token)
            or pinyin_split(token) is not None
        )

    def other_language(token: str) -> bool:
        return foreign_word(token) or (
            len(token) >= 3
            and token.isalpha()
            and token not in vocab.foreign_pinyin
            and not plain(token)
        )

    def joins(i: int) -> bool:
        if not 0 < i < len(tokens) - 1:
            return False
        before, after = tokens[i - 1], tokens[i + 1]
        return not (plain(before) or plain(after)) and (foreign_word(before) or foreign_word(after))

    read = any(other_language(token) for token in tokens)
    out: list[str] = []
    for i, token in enumerate(tokens):
        if read and token in vocab.foreign_pinyin:
            out += vocab.foreign_pinyin[token]
        elif token not in vocab.joining or not joins(i):
            out.append(token)
    return out


def _uzbek(token: str) -> tuple[str, ...]:
    """The words of a foreign word written in Uzbek Latin letters, whose x is the Russian kh
    (Mexanika, Mekhanika: mechanics; Texnika, Tekhnika), else ()."""
    if "x" not in token:
        return ()
    spelt = token.replace("x", "kh")
    return (vocabulary().foreign or {}).get(spelt, ()) or russian_word(spelt)


COMPOUND_HEAD = 3  # letters a compound's first part needs (Lasertechnik, not Ostechnik)
COMPOUND_TAIL = 11  # letters of the longest last word read (Technologie)


def compound(token: str) -> tuple[str, ...]:
    """A German, Dutch or Nordic compound ending in a word of [foreign_compounds] as its first
    part and that word's English (Lasertechnik, Laserteknik: laser technology; Forschungszentrum:
    research center, the first part's English where the word lists have it), else ()."""
    tails = vocabulary().compound_tails or {}
    for size in range(min(len(token) - COMPOUND_HEAD, COMPOUND_TAIL), 3, -1):
        if words := tails.get(token[-size:]):
            head = token[:-size]
            return (*vocabulary().synonyms.get(head, (head,)), *words)
    return ()


def _slipped(token: str) -> tuple[str, ...]:
    """The words of a foreign word of FOREIGN_SLIP letters or more that `token`, not pinyin, is
    with two neighbouring letters after the first swapped or a letter typed twice (Kogoy,
    Kogyo; Tiacret, Ticaret; Systemmy), else ()."""
    if pinyin_split(token) is not None:
        return ()
    foreign = vocabulary().foreign or {}
    for k in range(1, len(token) - 1):
        if token[k] != token[k + 1]:
            swapped = token[:k] + token[k + 1] + token[k] + token[k + 2 :]
            if swapped in foreign:
                return foreign[swapped]
    for single in typed_once(token):
        if len(single) >= FOREIGN_SLIP and single in foreign:
            return foreign[single]
    return ()


def _place(token: str) -> tuple[str, ...]:
    """A place of the word lists with its Japanese long vowels written (Toukyou, Kyouto,
    Oosaka), `token` not pinyin, else ()."""
    key = japanese_key(token)
    if not key or pinyin_split(token) is not None:
        return ()
    vocab = vocabulary()
    place = vocab.synonyms.get(key, (key,))
    return place if place[0] in vocab.places else ()
