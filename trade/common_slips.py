"""Slips in common words that normalising a name alone leaves (Chinr, Cfina, Stvel): read as
the common word only against a name that has it, and only when the word has letters no common
word has side by side (Chint may be a brand and stays one). Used by the comparison
(trade.scoring) and its bounds (trade.score_bounds), so bulk screening and single checks agree.
Plain Python (no Django).
"""

from __future__ import annotations

from functools import cache, lru_cache

from rapidfuzz.distance import OSA

from trade.keyboard import inner_swap
from trade.latin_words import plausible as _plausible
from trade.latin_words import wordlike
from trade.name_words import vocabulary
from trade.names import NameForm
from trade.syllables import is_syllable, pinyin_split


@lru_cache(maxsize=200_000)
def common_word_slip(word: str, common: str) -> float:
    """The credit of a party's word that is not a common word for a common word of the list
    entry's name when it is a slip of it that normalising (the name alone) left, Chinr, Stvel
    (not a word whose letters pair as common words' do: Chint may be a brand): one letter
    replaced, left out or added, the first letter kept, five letters or more, not pinyin; or
    the first letter replaced, the rest as written (Ghina, Bangzhou: against a name that has
    the common word, a word of its own one first letter away is rarer than the slip); else 0."""
    if len(common) < 5:
        return 0.0
    if word[0] != common[0]:
        first = word[1:] == common[1:] and _first_letter_slip(word)
        return round(1 - 0.5 / len(word), 3) if first and common in vocabulary().generic else 0.0
    if not _may_slip_letters(word):
        return 0.0
    if common not in vocabulary().generic or OSA.distance(word, common, score_cutoff=1) > 1:
        return 0.0
    if len(word) != len(common) + 1 and (_plausible(word) or pinyin_split(word) is not None):
        return 0.0  # a pronounceable word of the same length may be a brand (Chint)
    return round(1 - 0.5 / max(len(word), len(common)), 3)


@lru_cache(maxsize=200_000)
def may_slip_common(word: str) -> bool:
    """Whether a word that is not a common word could be a slip of one (common_word_slip)."""
    return _may_slip_letters(word) or _first_letter_slip(word)


@lru_cache(maxsize=200_000)
def _first_letter_slip(word: str) -> bool:
    """Whether a word that is not a common word is one with its first letter replaced (Ghina,
    Teijing, Bangzhou), five letters or more, and not a short word of its own (Tower is not
    Power, latin_words.wordlike)."""
    return _distinctive(word, 5) and word[1:] in _common_by_tail() and not wordlike(word)


@lru_cache(maxsize=200_000)
def _may_slip_letters(word: str) -> bool:
    """Whether a word that is not a common word could be a slip of one in its other letters."""
    if not _distinctive(word, 4):
        return False
    # A word whose letters pair as common words' do may be a name of its own (Chint), and a
    # pinyin word another name, unless it is a common word with a letter added (Chinaw, Cheina,
    # Chinaa, Chinai: six letters or more). Four letters: only a five-letter common word with
    # a letter left out, in letters no common word pairs so (Chna).
    plausible = _plausible(word) or pinyin_split(word) is not None
    if plausible and len(word) < 6:
        return False
    if len(word) == 4:
        sizes: tuple[int, ...] = (5,)
    else:
        sizes = (len(word) - 1,) if plausible else (len(word) - 1, len(word), len(word) + 1)
    return bool(_one_slip_same_first(word, sizes))


@lru_cache(maxsize=100_000)
def slipped_from(word: str) -> tuple[str, ...]:
    """The common words a word that may slip one (may_slip_common) may stand for, for the
    index keys of names of common words."""
    if not may_slip_common(word):
        return ()
    same_first = _one_slip_same_first(word) if _may_slip_letters(word) else ()
    return same_first + _common_by_tail().get(word[1:], ())


def _one_slip_same_first(word: str, sizes: tuple[int, ...] = ()) -> tuple[str, ...]:
    """The common words of these lengths (default: the word's, one less, one more) with the
    word's first letter and one slip from it."""
    n = len(word)
    return tuple(
        w
        for size in sizes or (n - 1, n, n + 1)
        for w in _common_by_start().get((word[0], size), ())
        if OSA.distance(word, w, score_cutoff=1) <= 1
    )


def _distinctive(word: str, shortest: int) -> bool:
    """A word of letters only, `shortest` letters or more, neither common word nor stop word."""
    vocab = vocabulary()
    return (
        len(word) >= shortest
        and word.isalpha()
        and word not in vocab.generic
        and word not in vocab.stopwords
    )


@cache
def _common_by_tail() -> dict[str, tuple[str, ...]]:
    """Common words of five letters or more by all but their first letter."""
    found: dict[str, list[str]] = {}
    for w in sorted(vocabulary().generic):
        if len(w) >= 5 and w.isalpha():
            found.setdefault(w[1:], []).append(w)
    return {k: tuple(v) for k, v in found.items()}


@cache
def _common_by_start() -> dict[tuple[str, int], tuple[str, ...]]:
    found: dict[tuple[str, int], list[str]] = {}
    for w in sorted(vocabulary().generic):
        if len(w) >= 5:
            found.setdefault((w[0], len(w)), []).append(w)
    return {k: tuple(v) for k, v in found.items()}


# Legal forms a slip leaves as a distinctive word of the party's name (Gropp, Corpx, Gmbd):
# read as the legal form the list entry's name was written with, which counts for neither.
LEGAL_SLIP_CREDIT = 0.95


@cache
def _legal_words() -> dict[str, tuple[str, ...]]:
    """One-word legal forms of four letters or more, by first letter."""
    found: dict[str, list[str]] = {}
    for w in sorted(vocabulary().legal_joined):
        if len(w) >= 4 and w.isalpha():
            found.setdefault(w[0], []).append(w)
    return {k: tuple(v) for k, v in found.items()}


@lru_cache(maxsize=200_000)
def legal_slips(word: str) -> tuple[str, ...]:
    """The legal forms a word of a name is a slip of: one letter replaced, left out, added or
    two swapped (two edits from nine letters), the first letter kept; three letters or more,
    not a common word, not pinyin."""
    if len(word) < 3 or not word.isalpha() or word in vocabulary().word_class:
        return ()
    if pinyin_split(word) is not None:
        return ()  # another pinyin word (Gefen, Gufen) is another name
    allowed = 1 if len(word) <= 8 else 2
    return tuple(
        w
        for w in _legal_words().get(word[0], ())
        if abs(len(w) - len(word)) <= allowed
        and w != word
        and OSA.distance(word, w, score_cutoff=allowed) <= allowed
    )


def pair_legal_slips(party: NameForm, entry: NameForm, used: set[int], notes: list[str]) -> float:
    """Each unpaired distinctive Latin word of the party's name that is a slip of a legal form
    the entry's name was written with (before legal forms went), once per such word of the
    entry: LEGAL_SLIP_CREDIT of its weight (the entry's legal form weighs nothing)."""
    gained = 0.0
    left = list(entry.initial_words)
    for i, word in enumerate(party.words):
        if i in used or party.weights[i] < 1 or (party.hanzi and party.hanzi[i]):
            continue
        for legal in legal_slips(word):
            if legal in left:
                left.remove(legal)
                used.add(i)
                gained += LEGAL_SLIP_CREDIT * party.weights[i]
                notes.append(f"{word}≈{legal} (typo in a legal form)")
                break
    return gained


@lru_cache(maxsize=200_000)
def anchored_slip(word: str, common: str) -> float:
    """The credit of a party's word for a common word of the list entry's name one slip away
    (one letter replaced, left out or added, two swapped, or the first letter replaced) that
    common_word_slip leaves because the word may be a name of its own (Chin, Suzou, Sporn):
    taken only when the two names pair a distinctive word as well (scoring.compare_names),
    so Tower Semiconductor stays another company than Power Semiconductor; else 0."""
    vocab = vocabulary()
    if not may_slip_anchored(word) or common not in vocab.generic:
        return 0.0
    if len(common) < 5:  # a short word only with two letters after its first swapped (Ari, Air)
        return round(1 - 0.5 / len(common), 3) if common in _short_swaps().get(word, ()) else 0.0
    if abs(len(word) - len(common)) > 1:
        return 0.0
    if word[0] != common[0]:
        slip = len(word) == len(common) and word[1:] == common[1:]
    else:
        slip = OSA.distance(word, common, score_cutoff=1) <= 1
    return round(1 - 0.5 / max(len(word), len(common)), 3) if slip else 0.0


@lru_cache(maxsize=200_000)
def may_slip_anchored(word: str) -> bool:
    """Whether a word that is not a common word is one slip from a common word of five letters
    or more, or two letters after the first swapped in a shorter one (anchored_slip), for the
    bounds of bulk screening."""
    if len(word) < 5 and _distinctive(word, 3) and word in _short_swaps():
        return True
    return _distinctive(word, 4) and (
        word[1:] in _common_by_tail() or bool(_one_slip_same_first(word))
    )


@cache
def _short_swaps() -> dict[str, tuple[str, ...]]:
    """The common words of three or four letters (air, bank) by each spelling with two letters
    after the first swapped (ari, bnak, bakn), not two vowels, that is no common word or
    Chinese syllable itself (round 29: Mahan Ari; not Rial, Cola, Mien)."""
    vocab = vocabulary()
    found: dict[str, list[str]] = {}
    for w in sorted(vocab.generic):
        if 3 <= len(w) <= 4 and w.isalpha():
            for i in range(1, len(w) - 1):
                swapped = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
                if (
                    inner_swap(swapped, w)  # not two vowels: Rial, Asai, Cola are words
                    and swapped not in vocab.generic
                    and swapped not in vocab.stopwords
                    and not is_syllable(swapped)  # Mien is a syllable (Wade-Giles mian)
                ):
                    found.setdefault(swapped, []).append(w)
    return {k: tuple(v) for k, v in found.items()}


# A pinyin word with the h of zh, ch or sh left out (Jiuzou, Jiuzhou; the fifteenth round): a
# slip as often as another name, so a credit that holds only beside the rest of the name (a
# letter more or less elsewhere, Huaxin and Huaxing, stays two names).
RETROFLEX_CREDIT = 0.7


def retroflex_slip(a: str, b: str) -> bool:
    """Whether one word is the other with the h of a zh, ch or sh left out."""
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(long) != len(short) + 1:
        return False
    at = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return long[at] == "h" and at > 0 and long[at - 1] in "zcs"
