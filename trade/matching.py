"""Parties screened against list entries: candidates with a score and the reason in words.
Plain Python (no Django).

Two names are compared word by word (trade.names gives both the same canonical words, in
either script): each word of one name is paired with at most one word of the other, equal or
within a typing slip (one edit in 5-8 letters, two from 9), or the same sound in older
romanisations (Hsu/Xu, never between two words that are certainly pinyin); neighbouring words
may join (Hua Wei ↔ Huawei); a Latin word may be the pinyin of a translated Chinese word (Muye
↔ 钼业 molybdenum); a common word pairs only with itself or a related one (academy,
institute). The score is the weighted share of words paired (a weighted Dice coefficient):
distinctive words weigh 1, common words (technology, trading, places) `generic_weight`. So
word order does not matter, a missing "Co., Ltd." costs nothing, a missing "Beijing" little,
and two different "Beijing … Technology Co., Ltd." share only their light words and score low.
Names of common words only are compared by Jaccard (every word missing counts). A short name
that is the initials of the other (CETC, NORINCO) scores `acronym_score`. Then the country:
the same country adds `country_bonus`, a different one takes `country_penalty` (a missing one
changes nothing).

Screening many parties at once: see "many names" below.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import combinations
from typing import NamedTuple, cast

import numpy as np
from rapidfuzz.distance import OSA, Levenshtein

from trade.names import (
    DIGIT_RE,
    NameForm,
    acronym_initials,
    certainly_pinyin,
    normalise_name,
    pinyin_split,
    sound_key,
    syllable_acronym,
    vocabulary,
)

LISTS = ("control_list", "watch_list", "unreliable_entity_list")
LIST_LABELS = {
    "control_list": "control list (出口管制管控名单)",
    "watch_list": "watch list (关注名单)",
    "unreliable_entity_list": "Unreliable Entity List (不可靠实体清单)",
}
# Parts of one customs territory or close to it: neither a match nor a mismatch of country.
NEUTRAL_COUNTRIES = frozenset({"CN", "HK", "MO"})


@dataclass(frozen=True)
class MatchConfig:
    threshold: float = 0.80
    generic_weight: float = 0.35
    country_bonus: float = 0.05
    country_penalty: float = 0.10
    acronym_score: float = 0.85


@dataclass(frozen=True)
class ListEntry:
    list: str
    entry_ref: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str = ""
    listed_on: dt.date = dt.date(1900, 1, 1)
    delisted_on: dt.date | None = None
    announcement: str = ""
    source: str = ""
    address: str = ""
    level: str = ""
    notes: str = ""
    row: int = 0

    def active_on(self, day: dt.date) -> bool:
        """Listed on `day`: from listed_on (inclusive) until delisted_on (exclusive)."""
        return self.listed_on <= day and (self.delisted_on is None or day < self.delisted_on)

    @property
    def names(self) -> tuple[tuple[str, str], ...]:
        return (("name", self.name), *(("alias", alias) for alias in self.aliases))


@dataclass(frozen=True)
class Party:
    party_ref: str
    name: str
    country: str = ""
    name_zh: str = ""
    aliases: tuple[str, ...] = ()
    address: str = ""
    row: int = 0

    @property
    def names(self) -> tuple[tuple[str, str], ...]:
        found = [("name", self.name)] if self.name.strip() else []
        if self.name_zh.strip():
            found.append(("Chinese name", self.name_zh))
        found += [("alias", alias) for alias in self.aliases if alias.strip()]
        return tuple(found)


@dataclass(frozen=True)
class Comparison:
    score: float  # the names alone, before the country
    how: str  # in words


@dataclass(frozen=True)
class Candidate:
    entry_ref: str
    list: str
    score: float
    reason: str
    name_score: float = 0.0
    entry: ListEntry | None = field(default=None, compare=False)
    same_script: bool = field(default=False, compare=False)

    def to_contract(self) -> dict[str, object]:
        return {
            "entry_ref": self.entry_ref,
            "list": self.list,
            "score": self.score,
            "reason": self.reason,
        }


# --- two names --------------------------------------------------------------------------------


def typo_allowance(length: int) -> int:
    return 0 if length <= 4 else 1 if length <= 8 else 2


@lru_cache(maxsize=1_000_000)
def word_credit(a: str, b: str) -> tuple[float, str]:
    """How far word `a` stands for word `b` (0-1) and how, in words."""
    if a == b:
        return 1.0, "="
    if not (a.isalpha() and b.isalpha()) and DIGIT_RE.search(a + b):
        return 0.0, ""
    vocab = vocabulary()
    if a in vocab.generic or b in vocab.generic:
        # Normalising already read misspelt common words as their word: two different ones
        # (electric, electronic; beijing, nanjing) are different words, and a distinctive word
        # is not a common one; but a few stand for each other (academy, institute).
        if (a, b) in vocab.related:
            return 0.85, "related words"
        return 0.0, ""
    if abs(len(a) - len(b)) > 3:
        return 0.0, ""
    longest = max(len(a), len(b))
    distance = OSA.distance(a, b, score_cutoff=2)
    if (
        sound_key(a) == sound_key(b)
        and (min(len(a), len(b)) >= 3 or pinyin_split(a) is None or pinyin_split(b) is None)
        and not (certainly_pinyin(a) and certainly_pinyin(b))
    ):
        # Hsu/Xu, Chang/Zhang; two short pinyin syllables (ke, ge) are different syllables,
        # and two valid pinyin words of several syllables (zhengtu, chengdu) likely two names.
        split_a, split_b = pinyin_split(a), pinyin_split(b)
        if split_a and split_b and min(len(split_a), len(split_b)) >= 2 and a[0] != b[0]:
            return 0.6, "similar sound"
        return 0.9, "spelling variant"
    if distance <= typo_allowance(longest) and a[0] == b[0]:
        # A slip rarely hits the first letter; Southline and Northline are two names.
        # Two pinyin words one letter apart are usually two different names (Huaxin, Huaxing),
        # not a slip; swapped letters (Huawie) are a slip.
        split_a, split_b = pinyin_split(a), pinyin_split(b)
        swapped = Levenshtein.distance(a, b, score_cutoff=2) > distance
        if (
            not swapped
            and split_a is not None
            and split_b is not None
            and min(len(split_a), len(split_b)) >= 2
        ):
            return 0.3, "different pinyin syllables"
        return round(1 - 0.5 * distance / longest, 3), "typo"
    return 0.0, ""


def compare_names(a: NameForm, b: NameForm, *, acronym_score: float = 0.85) -> Comparison:
    """Word-by-word comparison of two normalised names (symmetric up to the wording)."""
    if not a.words or not b.words:
        return Comparison(0.0, "nothing to compare")
    if a.words == b.words or sorted(a.words) == sorted(b.words):
        how = "same words" if a.words == b.words else "same words in another order"
        return Comparison(1.0, f"{how} '{b.key}'")
    pairs: list[tuple[float, int, int, str]] = []
    # Two names in simplified characters: the same pinyin from other characters is a weaker
    # sign (景弘, 敬鸿 are two names; a slip of a pinyin keyboard changes one character).
    characters = bool(a.hanzi and b.hanzi) and not (a.traditional or b.traditional)
    for i, wa in enumerate(a.words):
        for j, wb in enumerate(b.words):
            credit, kind = word_credit(wa, wb)
            if credit > 0:
                if characters and a.hanzi[i] and b.hanzi[j] and a.hanzi[i] != b.hanzi[j]:
                    credit, kind = _character_credit(a.hanzi[i], b.hanzi[j], credit)
                pairs.append((credit, i, j, kind))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    numerator = 0.0
    notes: list[str] = []
    for credit, i, j, kind in pairs:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        numerator += credit * (a.weights[i] + b.weights[j])
        if kind != "=":
            notes.append(f"{a.words[i]}≈{b.words[j]} ({kind})")
    for x, y, used_x, used_y, flip in ((a, b, used_a, used_b, False), (b, a, used_b, used_a, True)):
        numerator += _joined_words(x, y, used_x, used_y, notes, flip)
        if y.spans:
            numerator += _spelt_spans(x, y, used_x, used_y, notes, flip)
    dice = numerator / (sum(a.weights) + sum(b.weights))
    if _common_only(a) and _common_only(b):
        # Names of common words only (Wuhan University, Wuhan University of Technology): the
        # words are all they have, so each one missing counts as in the share of words the two
        # have in common (Jaccard), not the Dice share.
        dice = dice / (2 - dice)
    missing = [w for k, w in enumerate(a.words) if k not in used_a]
    extra = [w for k, w in enumerate(b.words) if k not in used_b]
    how = f"words {dice:.2f}"
    if notes:
        how += ": " + ", ".join(notes)
    if missing or extra:
        how += "; unpaired: " + ", ".join(missing + extra)
    best = Comparison(round(min(dice, 1.0), 3), how)
    acronym = _acronym(a, b) or _acronym(b, a)
    if acronym and acronym_score > best.score:
        return Comparison(acronym_score, f"initials '{acronym}'")
    return best


def _spelt_spans(
    x: NameForm, y: NameForm, used_x: set[int], used_y: set[int], notes: list[str], flip: bool
) -> float:
    """Pair a Latin word of x with the pinyin of words y translated from Chinese (Muye ↔
    钼业 molybdenum)."""
    gained = 0.0
    for start, size, spelt in y.spans:
        span = range(start, start + size)
        if any(k in used_y for k in span):
            continue
        for i, word in enumerate(x.words):
            if i in used_x or x.weights[i] < 1 or (x.hanzi and x.hanzi[i]):
                continue
            if abs(len(word) - len(spelt)) > 3:
                continue
            credit = word_credit(word, spelt)[0]
            if credit >= 0.85:
                used_x.add(i)
                used_y.update(span)
                gained += credit * (x.weights[i] + sum(y.weights[k] for k in span))
                parts = " ".join(y.words[k] for k in span)
                notes.append(f"{parts}≈{word} (pinyin)" if flip else f"{word}≈{parts} (pinyin)")
                break
    return gained


def _common_only(form: NameForm) -> bool:
    return all(w < 1 for w in form.weights)


def _character_credit(x: str, y: str, credit: float) -> tuple[float, str]:
    if len(x) == len(y):
        differing = sum(1 for c, d in zip(x, y, strict=True) if c != d) / len(x)
    else:
        differing = 1.0
    return round(credit * (1 - 0.5 * differing), 3), f"same sound, other characters {x}/{y}"


def _joined_words(
    x: NameForm, y: NameForm, used_x: set[int], used_y: set[int], notes: list[str], flip: bool
) -> float:
    """Pair 2-4 neighbouring unpaired words of x, joined (hua wei ↔ huawei) or as initials
    (unmanned aerial systems ↔ UAS), with one unpaired word of y."""
    gained = 0.0
    if len(x.words) - len(used_x) < 2 or len(used_y) == len(y.words):
        return gained
    spans = _windows(x.words)
    for j, wy in enumerate(y.words):
        if j in used_y or y.weights[j] < 1:
            continue
        for start, size, joined, initials, sounds in spans:
            if any(k in used_x for k in range(start, start + size)):
                continue
            credit = join_credit(joined, initials, sounds, wy)
            if credit >= 0.85:
                span = range(start, start + size)
                used_x.update(span)
                used_y.add(j)
                gained += credit * (sum(x.weights[k] for k in span) + y.weights[j])
                parts = " ".join(x.words[k] for k in span)
                notes.append(f"{wy}≈{parts} (joined)" if flip else f"{parts}≈{wy} (joined)")
                break
    return gained


MAX_JOINED = 24  # letters: a run of words longer than that is not one word written apart


def join_credit(joined: str, initials: str, sounds: str, word: str) -> float:
    """Neighbouring words joined (hua wei ↔ huawei, or a spelling variant of it: hsin hua ↔
    xinhua, by the words' sound keys one after the other) or as initials (unmanned aerial
    systems ↔ UAS) standing for one distinctive word."""
    if joined == word:
        return 1.0
    if sounds and sounds == sound_key(word):
        credit, kind = word_credit(joined, word)
        if kind == "spelling variant":
            return credit
    return 0.9 if word == initials else 0.0


@lru_cache(maxsize=200_000)
def _windows(words: tuple[str, ...]) -> tuple[tuple[int, int, str, str, str], ...]:
    """(start, size, joined, initials, sound keys joined) of every run of 2-4 neighbouring
    words, runs of two words first. A run longer than MAX_JOINED letters joins no word: its
    joined spelling and sound are ''."""
    n = len(words)
    if n < 2:
        return ()
    sounds = [sound_key(w) for w in words]
    by_size: dict[int, list[tuple[int, int, str, str, str]]] = {2: [], 3: [], 4: []}
    for start in range(n - 1):
        text, letters, sound = words[start], words[start][0], sounds[start]
        for size in (2, 3, 4):
            end = start + size
            if end > n:
                break
            text += words[end - 1]
            letters += words[end - 1][0]
            sound += sounds[end - 1]
            if len(text) > MAX_JOINED:
                by_size[size].append((start, size, "", letters, ""))
            else:
                by_size[size].append((start, size, text, letters, sound))
    return (*by_size[2], *by_size[3], *by_size[4])


def _acronym(short: NameForm, long: NameForm) -> str:
    """The short name's one word when it is the long name's initials, else ''."""
    if len(short.distinctive) != 1 or len(short.words) > 2 or short.cjk:
        return ""
    word = short.distinctive[0]
    if long.could_be_initials(word):
        return word.upper()
    if len(short.words) == 1 and syllable_acronym(word, long.initial_words):
        return word.upper()
    return ""


def country_effect(party: str, entry: str, config: MatchConfig) -> tuple[float, str]:
    if not party or not entry:
        return 0.0, "country not compared"
    if party == entry:
        return config.country_bonus, f"same country {party}"
    if {party, entry} <= NEUTRAL_COUNTRIES:
        return 0.0, f"countries {party} and {entry}"
    return -config.country_penalty, f"different country: {party} vs {entry}"


def describe(
    *,
    party_label: str,
    party_name: str,
    entry_label: str,
    entry_name: str,
    entry_ref: str,
    comparison: Comparison,
    party_form: NameForm,
    entry_form: NameForm,
    country_note: str,
    score: float,
) -> str:
    via = []
    for form in (party_form, entry_form):
        if form.pinyin:
            via.append(f"'{form.text}' read as '{form.key}'")
    detail = comparison.how + (" (" + "; ".join(via) + ")" if via else "")
    return (
        f"{party_label} '{party_name}' matched {entry_label} '{entry_name}' of {entry_ref} "
        f"({detail}; name {comparison.score:.2f}, {country_note}: {score:.2f})"
    )


# --- many names -------------------------------------------------------------------------------
#
# Screening many parties never compares every party with every entry. The entries' names are
# broken into units (distinctive words, runs of 2-4 neighbouring words, glossary words
# translated from Chinese with their pinyin) indexed by their spelling, their one- and
# two-letter deletions (a typo still meets its word) and their sound key; a party's units look
# up the entries' units they could pair with in `compare_names`, once per distinct spelling.
# Names that have only common words are found by pairs of those words; short names by the
# initials they could be. Every pair found gets a bound on its score in bulk (numpy): each word
# counts with the best credit any unit of the other name could give it, the common words
# shared count in full. Only pairs whose bound reaches the threshold are compared word by word;
# the bound never falls below the score, so the result is that of comparing every pair found
# (`ListIndex.check` does that for one party, and the tests compare the two).


def deletions(word: str, radius: int) -> set[str]:
    """Every spelling of `word` with up to `radius` letters left out (radius 1 or 2)."""
    found = {word[:i] + word[i + 1 :] for i in range(len(word))}
    if radius >= 2:
        found |= {d[:i] + d[i + 1 :] for d in list(found) for i in range(len(d))}
    return found


def _radius(word: str) -> int:
    """How many letters a word and a typo of it each lose to meet (typo_allowance of the longer
    word: one edit up to 8 letters, so a 4-letter word meets 5-letter ones; two from 9)."""
    return 0 if len(word) <= 3 else 1 if len(word) <= 8 else 2


def _spelling_keys(word: str) -> set[str]:
    keys = {"-" + word, "~" + sound_key(word)}
    keys |= {"-" + d for d in deletions(word, _radius(word))} if _radius(word) else set()
    return keys


@dataclass
class _Names:
    forms: list[NameForm]
    owner: np.ndarray  # position of the entry or party each name belongs to
    labels: list[str]
    texts: list[str]


def _names(items: Sequence[ListEntry | Party], config: MatchConfig) -> _Names:
    forms, owner, labels, texts = [], [], [], []
    for position, item in enumerate(items):
        for label, text in item.names:
            forms.append(normalise_name(text, generic_weight=config.generic_weight))
            owner.append(position)
            labels.append(label)
            texts.append(text)
    return _Names(forms, np.asarray(owner, dtype=np.int64), labels, texts)


def _short_word(form: NameForm) -> str:
    """The one distinctive word of a short name (CETC, NORINCO, Huawei Tech), else ''."""
    distinctive = form.distinctive
    return distinctive[0] if len(distinctive) == 1 and len(form.words) <= 2 else ""


def _special_keys(
    form: NameForm, *, side: str, shorts: frozenset[str] | None = None
) -> tuple[set[str], set[str]]:
    """(keys of pairs met by initials, keys of pairs met by common words). Entries and parties
    share them but for the direction of initials (`side`). A party's keys for the initials of
    its long name are made only when an entry's short name begins as they do (`shorts`: the
    first letters of entries' short names, "A" + 3 letters or "I" + 1)."""
    initials: set[str] = set()
    short = _short_word(form)
    mine, theirs = ("A:", "a:") if side == "entry" else ("a:", "A:")
    sub_mine, sub_theirs = ("i:", "I:") if side == "entry" else ("I:", "i:")
    if short:
        initials.add(mine + short)
        if len(form.words) == 1:  # a syllable acronym is a name of its own (NORINCO)
            initials |= {sub_mine + x for x in _subsequences(short)}
    heads = form.acronym_heads() if shorts is not None else ()
    look = shorts is None or any("A" + h in shorts for h in heads)
    for x in (*form.acronyms, *form.acronym_stems) if look else ():
        if shorts is None or "A" + x[:3] in shorts:
            if x in form.acronyms and len(x) <= 8:
                initials.add(theirs + x)
            if x in form.acronym_stems:
                initials |= {theirs + x[:k] for k in range(3, min(len(x), 8) + 1)}
    words = form.initial_words
    if 3 <= len(words) <= 10 and (shorts is None or "I" + words[0][:1] in shorts):
        initials |= {sub_theirs + x for x in acronym_initials(words)}
    common: set[str] = set()
    if not form.distinctive or side == "party":
        # Names of common words only ("General Dynamics") are found by two of those words
        # (one when that is all they have): to score near a threshold, a name shares most of
        # them, and a single common word would meet half the list.
        same = _related_word()
        words = tuple(
            sorted(
                {same.get(w, w) for w, wt in zip(form.words, form.weights, strict=True) if wt < 1}
            )
        )
        if len(words) == 1:
            common.add("g:" + words[0])
        common |= {f"g:{a}+{b}" for i, a in enumerate(words) for b in words[i + 1 :]}
    return initials, common


@lru_cache(maxsize=100_000)
def _subsequences(word: str) -> frozenset[str]:
    """The letters of a short word a syllable acronym's initials could be: 3-6 of them, in
    order, from the first (NORINCO → nic among others)."""
    if not 4 <= len(word) <= 8 or not word.isalpha():
        return frozenset()
    rest = range(1, len(word))
    return frozenset(
        word[0] + "".join(word[i] for i in chosen)
        for size in range(2, 6)
        for chosen in combinations(rest, size)
    )


class _Units:
    """The entries' units, flat: target t has occurrences occ[start[t]:start[t+1]] (entry name,
    the weight of the unit's words there, whether the word is written in Latin letters)."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, object], int] = {}
        self.kinds: list[str] = []
        self.strings: list[object] = []
        self.occurrences: list[list[tuple[int, float, bool]]] = []

    def add(self, kind: str, key: object, occurrence: tuple[int, float, bool]) -> int:
        target = self.ids.get((kind, key))
        if target is None:
            target = self.ids[(kind, key)] = len(self.kinds)
            self.kinds.append(kind)
            self.strings.append(key)
            self.occurrences.append([])
        self.occurrences[target].append(occurrence)
        return target

    def freeze(self) -> None:
        counts = np.asarray([len(o) for o in self.occurrences], dtype=np.int64)
        self.start = np.concatenate(([0], np.cumsum(counts)))
        flat = [o for found in self.occurrences for o in found]
        self.name = np.fromiter((o[0] for o in flat), dtype=np.int64, count=len(flat))
        self.weight = np.fromiter((o[1] for o in flat), dtype=np.float64, count=len(flat))
        self.latin = np.fromiter((o[2] for o in flat), dtype=bool, count=len(flat))
        del self.occurrences


EMPTY = np.empty(0, dtype=np.int64)


# A unit's key: a word (kinds "w", "c" and "s") or a run of joined words, "j".
_Joined = tuple[str, str, str]  # (joined words, their initials, their sound keys)
# The occurrences a party's unit could pair with: (entry name, weight of its words, credit).
_Expansion = tuple[np.ndarray, np.ndarray, np.ndarray]


class _Unit(NamedTuple):
    """A party's unit and the entries' units it meets: entry names, the weight of the entry's
    words in each, the credit; the party's first word, number of words and their weight."""

    names: np.ndarray
    weights: np.ndarray
    credit: np.ndarray
    start: int
    size: int
    weight: float


class ListIndex:
    """The entries of one or more lists, indexed for screening parties against them."""

    def __init__(self, entries: Iterable[ListEntry], config: MatchConfig | None = None) -> None:
        self.config = config or MatchConfig()
        self.entries = list(entries)
        self.names = _names(self.entries, self.config)
        self.listed_on = np.asarray([e.listed_on for e in self.entries], dtype="datetime64[D]")
        self.delisted_on = np.asarray(
            [e.delisted_on or dt.date(9999, 12, 31) for e in self.entries], dtype="datetime64[D]"
        )
        forms = self.names.forms
        self._countries = np.asarray([e.country for e in self.entries], dtype=object)[
            self.names.owner
        ]
        self._word_weights, self._word_start = _flat_weights(forms)
        self._total = np.asarray([sum(f.weights) for f in forms])
        self._generic = _GenericMasks(forms)
        units = _Units()
        spelling: dict[str, list[int]] = {}  # spelling key → word and span targets
        joined: dict[str, list[int]] = {}  # window joined, its sounds, its initials → windows
        words_exact: dict[str, list[int]] = {}  # for windows: a word, its sound → word targets
        for n, form in enumerate(forms):
            latin = [not (form.hanzi and form.hanzi[i]) for i in range(len(form.words))]
            for i, (word, weight) in enumerate(zip(form.words, form.weights, strict=True)):
                if weight >= 1:
                    units.add("w", word, (n, weight, latin[i]))
            for start, size, text, initials, sounds in _windows(form.words):
                span = sum(form.weights[start : start + size])
                units.add("j", (text, initials, sounds), (n, span, False))
            for start, size, spelt in form.spans:
                span = sum(form.weights[start : start + size])
                units.add("s", spelt, (n, span, False))
        for target, (kind, key) in enumerate(zip(units.kinds, units.strings, strict=True)):
            if kind in ("w", "s"):
                for k in _spelling_keys(cast(str, key)):
                    spelling.setdefault(k, []).append(target)
            if kind == "w":
                words_exact.setdefault("=" + cast(str, key), []).append(target)
                words_exact.setdefault("~" + sound_key(cast(str, key)), []).append(target)
            if kind == "j":
                text, initials, sounds = cast(_Joined, key)
                for k in ("=" + text, "~" + sounds, "i" + initials):
                    joined.setdefault(k, []).append(target)
        units.freeze()
        self._exact_words = {k[1:] for k in words_exact if k[0] == "="}
        self._longest = max((len(w) for w in self._exact_words), default=0)
        self._sound_words = {k[1:] for k in words_exact if k[0] == "~"}
        self._units = units
        self._spelling = spelling
        self._joined = joined
        self._words_exact = words_exact
        special: dict[str, list[int]] = {}
        shorts: set[str] = set()
        for n, form in enumerate(forms):
            by_initials, common = _special_keys(form, side="entry")
            for key in by_initials | common:
                special.setdefault(key, []).append(n)
            short = _short_word(form)
            if short:
                shorts.add("A" + short[:3])
                if len(form.words) == 1:
                    shorts.add("I" + short[:1])
        self._special = special
        self._shorts = frozenset(shorts)
        self._expansions: dict[tuple[str, object], _Expansion | None] = {}

    def active(self, as_of: dt.date) -> np.ndarray:
        day = np.datetime64(as_of, "D")
        return (self.listed_on <= day) & (day < self.delisted_on)

    def screen(
        self, parties: Sequence[Party], as_of: dt.date, *, processes: int | None = None
    ) -> list[list[Candidate]]:
        """Candidates at or above the threshold for each party, best first.

        Large batches are split over `processes` forked workers (default: one per core from
        PARALLEL_FROM parties up); each screens its share against this same index."""
        processes = processes or (os.cpu_count() or 1)
        if processes > 1 and len(parties) >= PARALLEL_FROM and "fork" in mp.get_all_start_methods():
            global _FORKED
            _FORKED = (self, list(parties), as_of)
            size = -(-len(parties) // processes)
            chunks = [
                (start, min(start + size, len(parties))) for start in range(0, len(parties), size)
            ]
            with mp.get_context("fork").Pool(len(chunks)) as pool:
                parts = pool.map(_screen_chunk, chunks)
            _FORKED = None
            return [found for part in parts for found in part]
        return self._screen(parties, as_of)

    def check(self, party: Party, as_of: dt.date) -> list[Candidate]:
        """One party, as a request checks it: every pair the index finds is compared word by
        word (no bound), which `screen` must agree with."""
        return self._screen([party], as_of, prune=False)[0]

    def _screen(
        self, parties: Sequence[Party], as_of: dt.date, *, prune: bool = True
    ) -> list[list[Candidate]]:
        config = self.config
        party_names = _names(parties, config)
        results: list[dict[int, Candidate]] = [{} for _ in parties]
        pairs, bound, always = self._pairs(party_names, as_of)
        if len(pairs) == 0:
            return [[] for _ in parties]
        width = len(self.names.forms)
        party_rows, entry_rows = pairs // width, pairs % width
        if prune:
            countries = np.asarray([p.country for p in parties], dtype=object)[party_names.owner]
            effect = _country_effects(countries[party_rows], self._countries[entry_rows], config)
            # Scores are rounded to 0.001 (twice): the bound is compared a little lower.
            keep = always | (bound + effect >= config.threshold - 0.0011)
            party_rows, entry_rows = party_rows[keep], entry_rows[keep]
        for p, e in zip(party_rows.tolist(), entry_rows.tolist(), strict=True):
            self._consider(party_names, p, e, parties, results, config)
        return [
            sorted(found.values(), key=lambda c: (-c.score, c.entry_ref))
            if len(found) > 1
            else list(found.values())
            for found in results
        ]

    # -- finding pairs and bounding their scores ------------------------------------------------

    def _pairs(
        self, party_names: _Names, as_of: dt.date
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(pair codes party row × names + entry row, bound on each pair's name score, pairs
        met by initials), once each, for entries listed on `as_of`."""
        width = len(self.names.forms)
        forms = party_names.forms
        floor = self.config.threshold - self.config.country_bonus - 0.0011
        parts: list[_Unit] = []
        owners: list[int] = []
        leads: list[bool] = []
        special_rows: list[int] = []
        special_entries: list[list[int]] = []
        special_initials: list[bool] = []
        entry_forms = self.names.forms
        for p, form in enumerate(forms):
            units = self._party_units(form)
            if units:
                leading = _leading_units(form, units, floor)
                if leading is None:
                    units = _met_twice(units)
                    leading = [True] * len(units)
                parts += units
                owners += [p] * len(units)
                leads += leading
            initials, common = _special_keys(form, side="party", shorts=self._shorts)
            met: set[int] = set()
            for key in initials:
                met.update(self._special.get(key, ()))
            # Met by initials: kept when one name is the other's initials indeed.
            verified = [
                e for e in met if _acronym(form, entry_forms[e]) or _acronym(entry_forms[e], form)
            ]
            if verified:
                special_rows.append(p)
                special_entries.append(verified)
                special_initials.append(True)
            # A pair met by common words alone scores at most 2G / (D + 2G): G the party's
            # common words, D its distinctive ones.
            generic = sum(w for w in form.weights if w < 1)
            if common and 2 * generic < floor * (sum(form.weights) - generic + 2 * generic):
                common = set()
            for key in common:
                found = self._special.get(key)
                if found:
                    special_rows.append(p)
                    special_entries.append(found)
                    special_initials.append(False)
        active = self.active(as_of)[self.names.owner]
        # Records: (pair, credit × the weight of both names' words in the units that met).
        if parts:
            counts = np.asarray([len(x.names) for x in parts], dtype=np.int64)
            e_name = np.concatenate([x.names for x in parts])
            credit = np.concatenate([x.credit for x in parts])
            gain = credit * (
                np.concatenate([x.weights for x in parts])
                + np.repeat(np.asarray([x.weight for x in parts]), counts)
            )
            p_row = np.repeat(np.asarray(owners, dtype=np.int64), counts)
            lead = np.repeat(np.asarray(leads, dtype=bool), counts)
            codes = p_row * width + e_name
            live = active[e_name]
        else:
            codes = gain = EMPTY
            lead = live = np.empty(0, dtype=bool)
        special_codes = EMPTY
        special_flags = np.empty(0, dtype=bool)
        if special_rows:
            lengths = np.asarray([len(x) for x in special_entries], dtype=np.int64)
            entry_ids = np.asarray([n for x in special_entries for n in x], dtype=np.int64)
            rows = np.repeat(np.asarray(special_rows, dtype=np.int64), lengths)
            flags = np.repeat(np.asarray(special_initials, dtype=bool), lengths)
            alive = active[entry_ids]
            special_codes = rows[alive] * width + entry_ids[alive]
            special_flags = flags[alive]
        # Pairs are found by a party's leading units (the rarer ones: a pair met only by its
        # commoner units could not reach the threshold) and by initials and common words.
        pairs = np.unique(np.concatenate((codes[lead & live], special_codes)))
        if len(pairs) == 0:
            return pairs, np.empty(0), np.empty(0, dtype=bool)
        always = np.zeros(len(pairs), dtype=bool)
        always[np.searchsorted(pairs, special_codes[special_flags])] = True
        p_rows, e_rows = pairs // width, pairs % width
        # Each unit that met adds its credit times its words' weight, on both sides (a word in
        # two units counts twice: the bound is a little higher, never lower).
        numerator = np.zeros(len(pairs))
        if len(codes):
            where = np.searchsorted(pairs, codes)
            where[where == len(pairs)] = 0
            mine = live & (pairs[where] == codes)
            numerator += np.bincount(where[mine], weights=gain[mine], minlength=len(pairs))
        party_generic = _GenericMasks(forms)
        party_total = np.asarray([sum(f.weights) for f in forms])
        total = party_total[p_rows] + self._total[e_rows]
        # The common words shared, counted where they could matter (at most the fewer's).
        most = 2 * np.minimum(party_generic.total[p_rows], self._generic.total[e_rows])
        near = (numerator + most) / total >= floor
        numerator[near] += _GenericMasks.shared(
            party_generic, p_rows[near], self._generic, e_rows[near]
        )
        numerator[~near] += most[~near]
        bound = numerator / total
        # Names with a common word twice: no bound.
        loose = party_generic.repeated[p_rows] | self._generic.repeated[e_rows]
        bound[loose] = 1.0
        return pairs, np.minimum(bound, 1.0), always

    def _party_units(self, form: NameForm) -> list[_Unit]:
        """The units of a party name that meet units of entries."""
        found = []
        weights = form.weights
        latin = [not (form.hanzi and form.hanzi[i]) for i in range(len(form.words))]
        for i, (word, weight) in enumerate(zip(form.words, weights, strict=True)):
            if weight >= 1:
                expansion = self._expansion("w" if latin[i] else "c", word)
                if expansion is not None:
                    found.append(_Unit(*expansion, i, 1, weight))
        exact, sounds_of = self._exact_words, self._sound_words
        for start, size, text, initials, sounds in _windows(form.words):
            if len(text) > self._longest + 3 and initials not in exact:
                continue
            if text in exact or sounds in sounds_of or initials in exact:
                expansion = self._expansion("j", (text, initials, sounds))
                if expansion is not None:
                    found.append(_Unit(*expansion, start, size, sum(weights[start : start + size])))
        for start, size, spelt in form.spans:
            expansion = self._expansion("s", spelt)
            if expansion is not None:
                found.append(_Unit(*expansion, start, size, sum(weights[start : start + size])))
        return found

    def _expansion(self, kind: str, key: object) -> _Expansion | None:
        """The occurrences of entries' units that a party's unit (a word written in Latin
        letters "w" or romanised from Chinese "c", a window "j", a translated span "s") could
        pair with, and the credit: (entry name, weight of its words there, credit)."""
        cached = self._expansions.get((kind, key))
        if cached is not None or (kind, key) in self._expansions:
            return cached
        units = self._units
        targets: list[tuple[int, float]] = []
        if kind in ("w", "c"):
            word = cast(str, key)
            seen: set[int] = set()
            for k in _spelling_keys(word):
                for t in self._spelling.get(k, ()):
                    if t in seen:
                        continue
                    seen.add(t)
                    other = units.strings[t]
                    if units.kinds[t] == "w":
                        credit = word_credit(word, cast(str, other))[0]
                        if credit > 0:
                            targets.append((t, credit))
                    elif kind == "w":  # a translated span: its pinyin written in Latin letters
                        credit = word_credit(word, cast(str, other))[0]
                        if credit >= 0.85:
                            targets.append((t, credit))
            for k in ("=" + word, "~" + sound_key(word), "i" + word):
                for t in self._joined.get(k, ()):
                    if t not in seen:
                        seen.add(t)
                        text, initials, sounds = cast(_Joined, units.strings[t])
                        credit = join_credit(text, initials, sounds, word)
                        if credit >= 0.85:
                            targets.append((t, credit))
        elif kind == "j":
            text, initials, sounds = cast(_Joined, key)
            seen = set()
            for k in ("=" + text, "~" + sounds, "=" + initials):
                for t in self._words_exact.get(k, ()):
                    if t not in seen:
                        seen.add(t)
                        other = cast(str, units.strings[t])
                        credit = join_credit(text, initials, sounds, other)
                        if credit >= 0.85:
                            targets.append((t, credit))
        else:  # "s": a party's translated span against entries' words in Latin letters
            seen = set()
            for k in _spelling_keys(cast(str, key)):
                for t in self._spelling.get(k, ()):
                    if t not in seen and units.kinds[t] == "w":
                        seen.add(t)
                        credit = word_credit(cast(str, units.strings[t]), cast(str, key))[0]
                        if credit >= 0.85:
                            targets.append((t, -credit))  # negative: Latin occurrences only
        if not targets:
            self._expansions[(kind, key)] = None
            return None
        pieces = []
        for t, credit in targets:
            rows = slice(units.start[t], units.start[t + 1])
            if credit < 0:
                mask = units.latin[rows]
                pieces.append((units.name[rows][mask], units.weight[rows][mask], -credit))
            else:
                pieces.append((units.name[rows], units.weight[rows], credit))
        expansion = (
            np.concatenate([x[0] for x in pieces]),
            np.concatenate([x[1] for x in pieces]),
            np.concatenate([np.full(len(x[0]), x[2]) for x in pieces]),
        )
        if len(self._expansions) > 500_000:
            self._expansions.clear()
        self._expansions[(kind, key)] = expansion
        return expansion

    def _consider(
        self,
        party_names: _Names,
        p: int,
        e: int,
        parties: Sequence[Party],
        results: list[dict[int, Candidate]],
        config: MatchConfig,
    ) -> None:
        party_form, entry_form = party_names.forms[p], self.names.forms[e]
        comparison = compare_names(party_form, entry_form, acronym_score=config.acronym_score)
        if comparison.score + config.country_bonus < config.threshold:
            return
        party_position = int(party_names.owner[p])
        entry_position = int(self.names.owner[e])
        party, entry = parties[party_position], self.entries[entry_position]
        effect, country_note = country_effect(party.country, entry.country, config)
        score = round(max(0.0, min(1.0, comparison.score + effect)), 3)
        if score < config.threshold:
            return
        found = results[party_position]
        # On a tie the pair in one script is the plainer evidence.
        same_script = bool(party_form.cjk) == bool(entry_form.cjk)
        if entry_position in found:
            kept = found[entry_position]
            if (kept.score, kept.same_script) >= (score, same_script):
                return
        reason = describe(
            party_label=party_names.labels[p],
            party_name=party_names.texts[p],
            entry_label=self.names.labels[e],
            entry_name=self.names.texts[e],
            entry_ref=entry.entry_ref,
            comparison=comparison,
            party_form=party_form,
            entry_form=entry_form,
            country_note=country_note,
            score=score,
        )
        found[entry_position] = Candidate(
            entry_ref=entry.entry_ref,
            list=entry.list,
            score=score,
            reason=reason,
            name_score=comparison.score,
            entry=entry,
            same_script=same_script,
        )


def _leading_units(form: NameForm, units: list[_Unit], floor: float) -> list[bool] | None:
    """Which of a party name's units find pairs. The commonest units are left out as long as a
    pair met by them alone could not reach `floor`: its score is at most
    (R + C + 2G) / (W + C + G), R the party's words in those units, C the most the entries'
    words in them weigh, G the party's common words (all shared), W the party name's weight.
    None when many entries share a unit but no unit alone could reach `floor` (two surnames,
    each in many names): then only entries that two units meet are pairs."""
    if len(units) == 1:
        return [True]
    weight_total = sum(form.weights)
    generic = sum(w for w in form.weights if w < 1)
    if sum(len(u.names) for u in units) > 64:
        alone = False
        for unit in units:
            reach = unit.weight
            cap = float(unit.weights.max())
            if (reach + cap + 2 * generic) / (weight_total + cap + generic) >= floor:
                alone = True
                break
        if not alone:
            return None
    order = sorted(range(len(units)), key=lambda k: -len(units[k].names))
    covered: set[int] = set()
    cap = 0.0
    leading = [True] * len(units)
    for k in order:
        unit = units[k]
        more = covered | set(range(unit.start, unit.start + unit.size))
        reach = sum(form.weights[i] for i in more)
        more_cap = cap + float(unit.weights.max())
        if (reach + more_cap + 2 * generic) / (weight_total + more_cap + generic) >= floor:
            break
        covered, cap = more, more_cap
        leading[k] = False
    return leading


def _met_twice(units: list[_Unit]) -> list[_Unit]:
    """The units' occurrences in entry names that two or more of the units meet."""
    names = np.concatenate([np.unique(u.names) for u in units])
    found, counts = np.unique(names, return_counts=True)
    twice = found[counts >= 2]
    kept = []
    for unit in units:
        mask = np.isin(unit.names, twice)
        if mask.any():
            kept.append(
                unit._replace(
                    names=unit.names[mask], weights=unit.weights[mask], credit=unit.credit[mask]
                )
            )
    return kept


def _flat_weights(forms: Sequence[NameForm]) -> tuple[np.ndarray, np.ndarray]:
    """Every name's word weights one after the other, and where each name's start."""
    lengths = np.fromiter((len(f.weights) for f in forms), dtype=np.int64, count=len(forms))
    start = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(forms) else EMPTY
    flat = np.fromiter(
        (w for f in forms for w in f.weights), dtype=np.float64, count=int(lengths.sum())
    )
    return flat, start


class _GenericMasks:
    """Which common words each name has, as bits, to count the ones two names share."""

    def __init__(self, forms: Sequence[NameForm]) -> None:
        vocab = vocabulary()
        ids = _generic_ids()
        blocks = (len(ids) + 63) // 64
        self.normal = np.zeros((len(forms), blocks), dtype=np.uint64)
        self.faint = np.zeros((len(forms), blocks), dtype=np.uint64)
        self.repeated = np.zeros(len(forms), dtype=bool)
        self.total = np.asarray([sum(w for w in f.weights if w < 1) for f in forms])
        self.weight = 0.0
        faint = _faint_bits()
        for n, form in enumerate(forms):
            seen: set[int] = set()
            for word, weight in zip(form.words, form.weights, strict=True):
                if weight >= 1:
                    continue
                bit = ids.get(word)
                if bit is None or bit in seen:
                    self.repeated[n] = True
                    continue
                seen.add(bit)
                target = self.faint if bit in faint else self.normal
                target[n, bit >> 6] |= np.uint64(1 << (bit & 63))
                if word not in vocab.faint:
                    self.weight = weight

    @staticmethod
    def shared(
        party: _GenericMasks, p_rows: np.ndarray, entry: _GenericMasks, e_rows: np.ndarray
    ) -> np.ndarray:
        """The weight (both names' words) of the common words each pair shares."""
        weight = party.weight or entry.weight
        normal = np.bitwise_count(party.normal[p_rows] & entry.normal[e_rows]).sum(axis=1)
        faint = np.bitwise_count(party.faint[p_rows] & entry.faint[e_rows]).sum(axis=1)
        return 2 * weight * normal + weight * faint


@cache
def _generic_ids() -> dict[str, int]:
    """A bit for each common word; related words (academy, institute) share theirs."""
    vocab = vocabulary()
    ids = {w: i for i, w in enumerate(sorted(vocab.generic))}
    for a, b in sorted(vocab.related):
        if a in ids and b in ids:
            ids[a] = ids[b] = min(ids[a], ids[b])
    return ids


@cache
def _related_word() -> dict[str, str]:
    """Related common words (academy, institute) read as one of them for index keys."""
    return {a: min(a, b) for a, b in vocabulary().related}


@cache
def _faint_bits() -> frozenset[int]:
    """Bits whose words are all faint (a bit shared by a faint and a plain word is plain)."""
    vocab = vocabulary()
    ids = _generic_ids()
    plain = {bit for word, bit in ids.items() if word not in vocab.faint}
    return frozenset(set(ids.values()) - plain)


def _country_effects(party: np.ndarray, entry: np.ndarray, config: MatchConfig) -> np.ndarray:
    """country_effect for many pairs at once (the effect alone)."""
    effect = np.zeros(len(party))
    known = (party != "") & (entry != "")
    same = known & (party == entry)
    neutral = np.isin(party, list(NEUTRAL_COUNTRIES)) & np.isin(entry, list(NEUTRAL_COUNTRIES))
    effect[same] = config.country_bonus
    effect[known & ~same & ~neutral] = -config.country_penalty
    return effect


PARALLEL_FROM = 20_000
_FORKED: tuple[ListIndex, list[Party], dt.date] | None = None


def _screen_chunk(bounds: tuple[int, int]) -> list[list[Candidate]]:
    """A forked worker's share: the index and parties come with the fork, not by pickling."""
    assert _FORKED is not None
    index, parties, as_of = _FORKED
    return index._screen(parties[bounds[0] : bounds[1]], as_of)


def score_pair(
    party_name: str,
    entry_name: str,
    *,
    party_country: str = "",
    entry_country: str = "",
    config: MatchConfig | None = None,
) -> float:
    """The score of one party name against one entry name, through the same index and checks
    as screening (a pair the index would never propose scores 0)."""
    config = config or MatchConfig()
    entry = ListEntry(list="control_list", entry_ref="X", name=entry_name, country=entry_country)
    party = Party(party_ref="P", name=party_name, country=party_country)
    index = ListIndex([entry], MatchConfig(**{**config.__dict__, "threshold": 0.0}))
    found = index.check(party, dt.date(2000, 1, 1))
    return found[0].score if found else 0.0
