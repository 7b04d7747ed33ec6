"""Two words run together, a space left out (BAESystems, SteelCo, Sinochem, ofForestry): a word
that normalising left as one distinctive word is read, against the other name only, as the
words it is cut into where one side is a common word, a legal form or a stop word. Plain
Python (no Django).

A cut is not made in normalising (Fiberhome, Goldwind and Petrochina are names of their own,
and a misspelt word would be cut too): it pairs the word with a run of the other name's words
equal to what it reads as, so a run-together brand near another brand finds nothing
(Sinochem is not Sino Steel). Used by trade.scoring (the comparison), trade.blocking (the
units that find such pairs) and trade.score_bounds (their bounds), so bulk screening and
single checks agree.

A cut's other side is a name of three letters or more (BAE Systems), four when the common side
is a legal form or stop word that leaves nothing (Eneos Corp; Cisco is not CIS Co). A legal form
or stop word that is also a pinyin syllable (an, da, de, as) is no side: Changan is not Chang.
"""

from __future__ import annotations

from functools import cache, lru_cache

from trade.latin_words import latin_words
from trade.name_words import vocabulary
from trade.names import NameForm
from trade.syllables import pinyin_syllables

SPLIT_CREDIT = 0.95  # a word run together paired with the words it is cut into
MAX_JOINED = 24  # as trade.scoring: the letters of a run of words the blocking joins


@cache
def _sides() -> frozenset[str]:
    """What one side of a cut may be: a common word (or its plural, or a word read as common
    words only), a one-word legal form or a stop word, not a pinyin syllable that leaves
    nothing."""
    vocab = vocabulary()
    common = {w for w in vocab.generic if w.isalpha()}
    common |= {w + "s" for w in common} | {w + "es" for w in common}
    common |= {w[:-1] + "ies" for w in vocab.generic if w.endswith("y")}
    common |= {k for k, v in vocab.synonyms.items() if all(w in vocab.generic for w in v)}
    empty = {w for w in vocab.stopwords | vocab.legal_joined if w.isalpha()}
    empty -= pinyin_syllables()
    return frozenset(w for w in common | empty if len(w) >= 2)


@lru_cache(maxsize=200_000)
def readings(word: str) -> tuple[tuple[str, ...], ...]:
    """The canonical words a distinctive word reads as when cut in two (1-4 words, their
    letters joined no more than MAX_JOINED), or () for a word no cut reads."""
    if len(word) < 6 or not word.isalpha():
        return ()
    vocab = vocabulary()
    if word in vocab.word_class or word in vocab.synonyms or word in vocab.stopwords:
        return ()
    sides = _sides()
    found: list[tuple[str, ...]] = []
    for k in range(2, len(word) - 1):
        head, tail = word[:k], word[k:]
        if head not in sides and tail not in sides:
            continue
        head_words, tail_words = latin_words(head)[0], latin_words(tail)[0]
        for side, other, other_words, side_words in (
            (head, tail, tail_words, head_words),
            (tail, head, head_words, tail_words),
        ):
            if side not in sides:
                continue
            if side_words and len(side) < 4:
                break  # a short abbreviation (ind, tel) is no side
            if other in sides:
                continue
            if len(other) < (3 if side_words else 4) or other_words != [other]:
                break  # the name as written (petro is not read as metro)
        else:
            reading = (*head_words, *tail_words)
            fits = 1 <= len(reading) <= 4 and len("".join(reading)) <= MAX_JOINED
            if fits and reading != (word,) and reading not in found:
                found.append(reading)
    return tuple(found)


def _distinctive(reading: tuple[str, ...]) -> bool:
    classes = vocabulary().word_class
    return any(w not in classes for w in reading)


@lru_cache(maxsize=200_000)
def entry_readings(word: str) -> tuple[tuple[str, ...], ...]:
    """The readings of a list entry's word: only those with a distinctive word, which the
    blocking meets (a party's word may read as common words only: its bound counts them)."""
    return tuple(r for r in readings(word) if _distinctive(r))


def common_reading(word: str) -> bool:
    """Whether a word reads as one common word (SteelCo: steel), which no unit meets."""
    return any(len(r) == 1 and not _distinctive(r) for r in readings(word))


def split_potential(form: NameForm) -> tuple[float, int]:
    """(weight, number) of a party name's words that may read as one common word of the
    entry's name: what bounds must add, as no unit meets them (a reading of several words
    meets the entry's run of them, a distinctive one its word)."""
    found = [
        w
        for i, (word, w) in enumerate(zip(form.words, form.weights, strict=True))
        if w >= 1 and not (form.hanzi and form.hanzi[i]) and common_reading(word)
    ]
    return sum(found), len(found)


def common_pieces(form: NameForm) -> list[str]:
    """The common words a party name's words run together read as (for the index keys of
    names of common words)."""
    classes = vocabulary().word_class
    return [
        piece
        for i, (word, w) in enumerate(zip(form.words, form.weights, strict=True))
        if w >= 1 and not (form.hanzi and form.hanzi[i])
        for reading in readings(word)
        for piece in reading
        if piece in classes
    ]


def pair_run_together(
    x: NameForm,
    y: NameForm,
    used_x: set[int],
    used_y: set[int],
    notes: list[str],
    *,
    party: bool,
) -> float:
    """Pair each unpaired distinctive Latin word of x that reads, cut in two, as a run of
    unpaired words of y (x the party's name when `party`; else only readings with a
    distinctive word count)."""
    gained = 0.0
    if len(used_y) == len(y.words):
        return gained
    for i, word in enumerate(x.words):
        if i in used_x or x.weights[i] < 1 or (x.hanzi and x.hanzi[i]):
            continue
        for reading in readings(word) if party else entry_readings(word):
            size = len(reading)
            for j in range(len(y.words) - size + 1):
                if y.words[j : j + size] != reading:
                    continue
                span = range(j, j + size)
                if any(k in used_y for k in span):
                    continue
                used_x.add(i)
                used_y.update(span)
                gained += SPLIT_CREDIT * (x.weights[i] + sum(y.weights[k] for k in span))
                notes.append(f"{word}≈{' '.join(reading)} (run together)")
                break
            if i in used_x:
                break
    return gained
