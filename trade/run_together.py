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
from typing import NamedTuple

from trade.common_slips import legal_slips, may_slip_anchored, may_slip_common, slipped_from
from trade.latin_words import latin_words
from trade.name_words import vocabulary
from trade.names import NameForm
from trade.syllables import is_syllable, pinyin_split, pinyin_syllables

SPLIT_CREDIT = 0.95  # a word run together paired with the words it is cut into
MAX_JOINED = 24  # as trade.scoring: the letters of a run of words the blocking joins


@cache
def _sides() -> tuple[frozenset[str], frozenset[str]]:
    """What one side of a cut may be: (common words, their plurals and words read as common
    words only; one-word legal forms and stop words)."""
    vocab = vocabulary()
    common = {w for w in vocab.generic if w.isalpha()}
    common |= {w + "s" for w in common} | {w + "es" for w in common}
    common |= {w[:-1] + "ies" for w in vocab.generic if w.endswith("y")}
    common |= {k for k, v in vocab.synonyms.items() if all(w in vocab.generic for w in v)}
    empty = {w for w in vocab.stopwords | vocab.legal_joined if w.isalpha() and len(w) >= 2}
    return frozenset(w for w in common if len(w) >= 3), frozenset(empty)


def _side_allows(
    side: str, side_words: tuple[str, ...], other: str, other_words: tuple[str, ...]
) -> bool:
    """Whether `side` (a common word, legal form or stop word) may be cut off a word, leaving
    `other`: a name as written (petro is not read as metro) of three letters or more, four
    when the side leaves nothing and is short (Cisco is not CIS Co); a side that is a pinyin
    syllable (an, da, sa) not off pinyin (Changan is not Chang); an abbreviation of three
    letters (ind, tel) is no side."""
    common, empty = _sides()
    if side_words and side not in vocabulary().generic and len(side) < 4:
        return False
    if other in common or other in empty:
        return True
    if other_words != (other,) or len(other) < 3:
        return False
    if side_words:
        return True
    if side in pinyin_syllables():
        return len(other) >= 4 and pinyin_split(other) is None and not is_syllable(other)
    return len(other) >= 4 or len(side) >= 4


@lru_cache(maxsize=200_000)
def readings(word: str) -> tuple[tuple[str, ...], ...]:
    """The canonical words a distinctive word reads as when cut in two (1-4 words; with a
    distinctive word, their letters joined no more than MAX_JOINED), or () for a word no cut
    reads."""
    if len(word) < 6 or not word.isalpha():
        return ()
    vocab = vocabulary()
    if word in vocab.word_class or word in vocab.synonyms or word in vocab.stopwords:
        return ()
    common, empty = _sides()
    found: list[tuple[str, ...]] = []
    for k in range(2, len(word) - 1):
        head, tail = word[:k], word[k:]
        head_side = head in common or head in empty
        tail_side = tail in common or tail in empty
        if not (head_side or tail_side):
            continue
        head_words, tail_words = _read(head), _read(tail)
        if head_side and not _side_allows(head, head_words, tail, tail_words):
            continue
        if tail_side and not _side_allows(tail, tail_words, head, head_words):
            continue
        reading = (*head_words, *tail_words)
        if not 1 <= len(reading) <= 4 or reading == (word,) or reading in found:
            continue
        if _distinctive(reading) and len("".join(reading)) > MAX_JOINED:
            continue
        found.append(reading)
    return tuple(found)


@lru_cache(maxsize=100_000)
def _read(piece: str) -> tuple[str, ...]:
    return tuple(latin_words(piece)[0])


def _distinctive(reading: tuple[str, ...]) -> bool:
    classes = vocabulary().word_class
    return any(w not in classes for w in reading)


@lru_cache(maxsize=200_000)
def entry_readings(word: str) -> tuple[tuple[str, ...], ...]:
    """The readings of a list entry's word: only those with a distinctive word, which the
    blocking meets (a party's word may read as common words only: its bound counts them)."""
    return tuple(r for r in readings(word) if _distinctive(r))


@lru_cache(maxsize=200_000)
def common_reading(word: str) -> int:
    """The most words of a reading of common words only that no unit meets: one word
    (SteelCo: steel), or words joined longer than a window of the entry's (0 when none)."""
    return max(
        (
            len(r)
            for r in readings(word)
            if not _distinctive(r) and (len(r) == 1 or len("".join(r)) > MAX_JOINED)
        ),
        default=0,
    )


class Extras(NamedTuple):
    """What a party name's distinctive Latin words may pair with beyond the units that meet
    them: for bounds (weights; `runs` words the entry's common words pair with) and for the
    index keys of names of common words (`keys`)."""

    run_weight: float  # words run together that read as common words no unit meets
    runs: int
    legal_weight: float  # slips of a legal form (common_slips.pair_legal_slips)
    slip_weight: float  # slips of a common word (common_slips.common_word_slip)
    keys: tuple[str, ...]  # common words they read as or may stand for


def extras(form: NameForm) -> Extras:
    if form.hanzi:
        words: tuple[str, ...] = tuple(
            w
            for w, h, x in zip(form.words, form.hanzi, form.weights, strict=True)
            if x >= 1 and not h
        )
    else:
        words = form.distinctive
    found = [e for e in map(_word_extras, words) if e is not None]
    if not found:
        return _NONE
    if len(found) == 1:
        return found[0]
    return Extras(
        run_weight=sum(e.run_weight for e in found),
        runs=sum(e.runs for e in found),
        legal_weight=sum(e.legal_weight for e in found),
        slip_weight=sum(e.slip_weight for e in found),
        keys=tuple(k for e in found for k in e.keys),
    )


@lru_cache(maxsize=200_000)
def _word_extras(word: str) -> Extras | None:
    """Extras of one distinctive Latin word (it weighs 1), None for most words."""
    runs = common_reading(word)
    legal = bool(legal_slips(word))
    slip = may_slip_common(word) or may_slip_anchored(word)
    classes = vocabulary().word_class
    keys = tuple(p for r in readings(word) for p in r if p in classes) + slipped_from(word)
    if not (runs or legal or slip or keys):
        return None
    return Extras(float(runs > 0), runs, float(legal), float(slip), keys)


_NONE = Extras(0.0, 0, 0.0, 0.0, ())


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
