"""Blocking: which list entries' names a party's name could match, without comparing it with
every one. Plain Python (no Django).

The entries' names are broken into units (distinctive words, runs of 2-4 neighbouring words,
glossary words translated from Chinese with their pinyin) indexed by their spelling, their one-
and two-letter deletions (a typo still meets its word) and their sound key; a party's units look
up the entries' units they could pair with in `compare_names`, once per distinct spelling, with
the credit the comparison would give. Names that have only common words are found by pairs of
those words; short names by the initials they could be (`EntryKeys.special`). What the units
found is bounded and screened in trade.matching.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations
from typing import NamedTuple, cast

import numpy as np

from trade.acronyms import acronym_initials
from trade.characters import CharacterIndex
from trade.japanese_spellings import japanese_key
from trade.keyboard import ocr_key
from trade.name_words import related_roots
from trade.names import NameForm
from trade.portmanteau import long_keys, short_keys
from trade.run_together import Extras, entry_readings, extras, readings
from trade.scoring import (
    ROMANISED_CREDIT,
    acronym_match,
    join_credit,
    windows,
    word_credit,
)
from trade.syllables import ROMANISED_SYLLABLES, romanised_as, romanised_sounds, sound_key
from trade.transliteration import (
    abjad_keys,
    abjad_like,
    abjad_readings,
    adjective_roots,
    adjective_stem,
    cyrillic_key,
    cyrillic_spelling,
    french_key,
    korean_key,
    korean_u_key,
    latin_consonants,
    spoken_vowel_key,
    transliteration_key,
)


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


def _spelling_keys(word: str, side: str = "") -> set[str]:
    keys = {"-" + word, "~" + sound_key(word)}
    if side:
        # A word without vowels (Arabic) and one with them meet by their consonants
        # (consonants_alike: عبدالله, Abdulah): "&" an entry's Arabic word and a party's Latin
        # one, "&&" the other way round, so two words of one kind never meet so.
        arabic = abjad_like(word)
        prefix = "&" if (side == "entry") == arabic else "&&"
        if arabic:
            keys |= {prefix + reading for reading in abjad_readings(word)}
        elif word.isascii() and len(consonants := latin_consonants(word)) >= 3:
            keys.add(prefix + consonants)
    if romanised := transliteration_key(word):
        keys.add("%" + romanised)
    if french := french_key(word):  # Machrek meets Mashriq (round 27b)
        keys.add("%" + french)
    if korean := korean_key(word):  # Goryeo meets Koryo under Koryo's sound key
        keys.add("~" + korean)
        if korean_u := korean_u_key(word):  # and Joseon Chosun
            keys.add("~" + korean_u)
    if vowels := spoken_vowel_key(word):  # Nour, Noor; Huda, Hoda
        keys.add("^" + vowels)
    keys.update("-" + syllable for syllable in ROMANISED_SYLLABLES.get(word, ()))  # Lee, li
    roots = adjective_roots(word)  # Kazanskiy meets Kazan, Ulyanovskiy Ulianovsk
    keys.update("-" + cyrillic_spelling(root) for root in roots)
    if roots and roots[0].endswith("in"):  # Mytishchinskiy meets Mytishchi
        keys.add("-" + cyrillic_spelling(roots[0][:-1]))
    if (cyrillic := cyrillic_key(word)) and cyrillic != word:  # Khabarovskiy, Habarovsky
        keys.add("-" + cyrillic)
    if stem := adjective_stem(word):  # Kasperskogo meets Kaspersky
        keys.add("-" + stem)
    if len(word) >= 7 and word[0] in "rn" and word[1] in "iy":  # Ryonbong meets Yonbong
        keys.add("-" + word[1:])
    if "shi" in word and len(word) >= 5:  # Shinsung meets Sinseong (its Korean key)
        keys.add("~" + sound_key(word.replace("shi", "si")))
    if japanese := japanese_key(word):  # Tohyoh meets Toyo
        keys.add("-" + japanese)
    keys |= abjad_keys(word)  # محمد mhmd meets Mohammed
    keys.add("o" + ocr_key(word))  # Karnov meets Kamov, M0scow Moscow (keyboard.ocr_slip)
    keys |= {"-" + d for d in deletions(word, _radius(word))} if _radius(word) else set()
    return keys


def _short_word(form: NameForm) -> str:
    """The one distinctive word of a short name (CETC, NORINCO, Huawei Tech), else ''."""
    distinctive = form.distinctive
    return distinctive[0] if len(distinctive) == 1 and len(form.words) <= 2 else ""


def _special_keys(
    form: NameForm,
    *,
    side: str,
    shorts: frozenset[str] | None = None,
    begins: frozenset[str] | None = None,
    more: Extras | None = None,
) -> tuple[set[str], set[str]]:
    """(keys of pairs met by initials, keys of pairs met by common words). Entries and parties
    share them but for the direction of initials (`side`). A party's keys for the initials of
    its long name are made only when an entry's short name begins as they do (`shorts`: the
    first letters of entries' short names, "A" + 3 letters or "I" + 1), and its keys as the
    long name of a short form (trade.portmanteau) only for the entries' short names that begin
    as its words do (`begins`: their first two letters). `more`: the party's
    extras (trade.run_together), when worked out already."""
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
    # PDVSA, Petrobras (trade.portmanteau)
    as_short, as_long = short_keys(form), long_keys(form, begins)
    initials |= {mine[0] + "p" + k for k in as_short} | {theirs[0] + "p" + k for k in as_long}
    words = form.initial_words
    if 3 <= len(words) <= 10 and (shorts is None or "I" + words[0][:1] in shorts):
        initials |= {sub_theirs + x for x in acronym_initials(words)}
    common: set[str] = set()
    if not form.distinctive or side == "party":
        # Names of common words only ("General Dynamics") are found by two of those words
        # (one when that is all they have): to score near a threshold, a name shares most of
        # them, and a single common word would meet half the list.
        same = related_roots()
        common_words = [w for w, wt in zip(form.words, form.weights, strict=True) if wt < 1]
        if side == "party":  # and the common words of words run together (SteelCo) or
            common_words += (more or extras(form)).keys  # slipped (Hubyei: hubei)
        words = tuple(sorted({same.get(w, w) for w in common_words}))
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


# A unit's key: a word (kinds "w", "c" and "s") or a run of joined words, "j".
_Joined = tuple[str, str, str]  # (joined words, their initials, their sound keys)
# The occurrences a party's unit could pair with: (entry name, weight of its words, credit).
_Expansion = tuple[np.ndarray, np.ndarray, np.ndarray]


class Unit(NamedTuple):
    """A party's unit and the entries' units it meets: entry names, the weight of the entry's
    words in each, the credit; the party's first word, number of words and their weight."""

    names: np.ndarray
    weights: np.ndarray
    credit: np.ndarray
    start: int
    size: int
    weight: float


class EntryKeys:
    """The entries' names (`forms`, one per name, in order) under their index keys."""

    def __init__(self, forms: Sequence[NameForm]) -> None:
        self.forms = forms
        units = _Units()
        spelling: dict[str, list[int]] = {}  # spelling key → word and span targets
        joined: dict[str, list[int]] = {}  # window joined, its sounds, its initials → windows
        words_exact: dict[str, list[int]] = {}  # for windows: a word, its sound → word targets
        # the sound of a pinyin word a window in Cantonese or Taiwanese spelling could write
        romanised: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for n, form in enumerate(forms):
            latin = [not (form.hanzi and form.hanzi[i]) for i in range(len(form.words))]
            for i, (word, weight) in enumerate(zip(form.words, form.weights, strict=True)):
                if weight >= 1:
                    units.add("w", word, (n, weight, latin[i]))
            for start, size, text, initials, sounds in windows(form.words):
                span = sum(form.weights[start : start + size])
                window = units.add("j", (text, initials, sounds), (n, span, False))
                run = form.words[start : start + size]
                for sound in romanised_sounds(run) if initials else ():
                    romanised.setdefault(sound, []).append((window, run))
            for start, size, spelt in form.spans:
                span = sum(form.weights[start : start + size])
                units.add("s", spelt, (n, span, False))
        for target, (kind, key) in enumerate(zip(units.kinds, units.strings, strict=True)):
            if kind in ("w", "s"):
                for k in _spelling_keys(cast(str, key), "entry" if kind == "w" else ""):
                    spelling.setdefault(k, []).append(target)
            if kind == "w":
                words_exact.setdefault("=" + cast(str, key), []).append(target)
                words_exact.setdefault("~" + sound_key(cast(str, key)), []).append(target)
            if kind == "j":
                text, initials, sounds = cast(_Joined, key)
                for k in ("=" + text, "~" + sounds, "i" + initials):
                    joined.setdefault(k, []).append(target)
        # An entry's word run together (BAESystems) meets the party's words it reads as.
        for target, (kind, key) in enumerate(zip(units.kinds, units.strings, strict=True)):
            for reading in entry_readings(cast(str, key)) if kind == "w" else ():
                if len(reading) == 1:
                    spelling.setdefault("-" + reading[0], []).append(target)
                else:
                    words_exact.setdefault("=" + "".join(reading), []).append(target)
        self._split_words = frozenset(
            key
            for kind, key in zip(units.kinds, units.strings, strict=True)
            if kind == "w" and entry_readings(cast(str, key))
        )
        units.freeze()
        self._exact_words = {k[1:] for k in words_exact if k[0] == "="}
        self._longest = max((len(w) for w in self._exact_words), default=0)
        self._sound_words = {k[1:] for k in words_exact if k[0] == "~"}
        self._units = units
        self._spelling = spelling
        self._joined = joined
        self._romanised = romanised
        self._words_exact = words_exact
        special: dict[str, list[int]] = {}
        shorts: set[str] = set()
        begins: set[str] = set()  # the first two letters of entries' short names (PEtrobras)
        for n, form in enumerate(forms):
            by_initials, common = _special_keys(form, side="entry")
            for key in by_initials | common:
                special.setdefault(key, []).append(n)
            short = _short_word(form)
            if short:
                shorts.add("A" + short[:3])
                if len(form.words) == 1:
                    shorts.add("I" + short[:1])
            if short_keys(form):
                begins.add(form.distinctive[0][:2])
        self._special = special
        self._shorts = frozenset(shorts)
        self._begins = frozenset(begins)
        self._characters = CharacterIndex(forms)  # names in characters (trade.characters)
        self._expansions: dict[tuple[str, object], _Expansion | None] = {}

    def special(self, form: NameForm, floor: float) -> list[tuple[list[int], bool]]:
        """The entries' names a party's name meets by initials (True: one name is the other's
        initials indeed), in characters (True: one whole in the other, or a homophone slip
        apart) and by common words (False: only where such a pair could reach `floor`)."""
        found: list[tuple[list[int], bool]] = []
        more = extras(form)
        initials, common = _special_keys(
            form, side="party", shorts=self._shorts, begins=self._begins, more=more
        )
        met: set[int] = set()
        for key in initials:
            met.update(self._special.get(key, ()))
        forms = self.forms
        verified = [
            e for e in met if acronym_match(form, forms[e]) or acronym_match(forms[e], form)
        ]
        if verified:
            found.append((verified, True))
        # A pair met by common words alone scores at most 2G / (D + 2G): G the party's
        # common words, D its distinctive ones.
        # Words run together or slipped that may pair with common words count as common.
        generic = sum(w for w in form.weights if w < 1)
        generic += more.slip_weight + more.run_weight + more.legal_weight
        if common and 2 * generic < floor * (sum(form.weights) - generic + 2 * generic):
            common = set()
        for key in common:
            entries = self._special.get(key)
            if entries:
                found.append((entries, False))
        met_in_characters = self._characters.met(form)
        if met_in_characters:
            found.append((met_in_characters, True))
        return found

    def units(self, form: NameForm) -> list[Unit]:
        """The units of a party name that meet units of entries."""
        found = []
        weights = form.weights
        latin = [not (form.hanzi and form.hanzi[i]) for i in range(len(form.words))]
        for i, (word, weight) in enumerate(zip(form.words, weights, strict=True)):
            if weight >= 1:
                expansion = self._expansion("w" if latin[i] else "c", word)
                if expansion is not None:
                    found.append(Unit(*expansion, i, 1, weight))
            if weight >= 1 and latin[i]:
                # A word run together (BAESystems): the entry's word or run of words it reads as.
                for reading in readings(word):
                    expansion = self._expansion("x", reading)
                    if expansion is not None:
                        found.append(Unit(*expansion, i, 1, weight))
        exact, sounds_of = self._exact_words, self._sound_words
        romanised = any(w in ROMANISED_SYLLABLES for w in form.words)
        for start, size, text, initials, sounds in windows(form.words):
            if len(text) > self._longest + 3 and initials not in exact:
                continue
            if text in exact or sounds in sounds_of or initials in exact:
                expansion = self._expansion("j", (text, initials, sounds))
                if expansion is not None:
                    found.append(Unit(*expansion, start, size, sum(weights[start : start + size])))
            if not (romanised and initials):
                continue
            run = form.words[start : start + size]
            if any(k in sounds_of for k in romanised_sounds(run)):
                expansion = self._expansion("r", run)
                if expansion is not None:
                    found.append(Unit(*expansion, start, size, sum(weights[start : start + size])))
        for start, size, spelt in form.spans:
            expansion = self._expansion("s", spelt)
            if expansion is not None:
                found.append(Unit(*expansion, start, size, sum(weights[start : start + size])))
        return found

    def _expansion(self, kind: str, key: object) -> _Expansion | None:
        """The occurrences of entries' units that a party's unit (a word written in Latin
        letters "w" or romanised from Chinese "c", a window "j", a translated span "s") could
        pair with, and the credit: (entry name, weight of its words there, credit)."""
        cached = self._expansions.get((kind, key))
        if cached is not None or (kind, key) in self._expansions:
            return cached
        units = self._units
        split = self._split_words  # entries' words run together (BAESystems)
        targets: list[tuple[int, float]] = []
        if kind in ("w", "c"):
            word = cast(str, key)
            seen: set[int] = set()
            for k in _spelling_keys(word, "party"):
                for t in self._spelling.get(k, ()):
                    if t in seen:
                        continue
                    seen.add(t)
                    other = units.strings[t]
                    if units.kinds[t] == "w":
                        credit = word_credit(word, cast(str, other))[0]
                        if other in split and (word,) in entry_readings(cast(str, other)):
                            credit = 1.0
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
            for t, run in self._romanised.get(sound_key(word), ()):
                if t not in seen and romanised_as(run, word):
                    seen.add(t)
                    targets.append((t, ROMANISED_CREDIT))
        elif kind == "r":  # a party's window in Cantonese or Taiwanese spelling
            run = cast(tuple[str, ...], key)
            seen = set()
            for sound in romanised_sounds(run):
                for t in self._words_exact.get("~" + sound, ()):
                    if t not in seen and romanised_as(run, cast(str, units.strings[t])):
                        seen.add(t)
                        targets.append((t, ROMANISED_CREDIT))
        elif kind == "j":
            text, initials, sounds = cast(_Joined, key)
            seen = set()
            for k in ("=" + text, "~" + sounds, "=" + initials):
                for t in self._words_exact.get(k, ()):
                    if t not in seen:
                        seen.add(t)
                        other = cast(str, units.strings[t])
                        credit = join_credit(text, initials, sounds, other)
                        if other in split and any(
                            "".join(r) == text for r in entry_readings(other)
                        ):
                            credit = 1.0
                        if credit >= 0.85:
                            targets.append((t, credit))
        elif kind == "x":  # a party's word run together: the words it reads as
            reading = cast(tuple[str, ...], key)
            if len(reading) == 1:
                found_targets = self._words_exact.get("=" + reading[0], ())
            else:
                found_targets = self._joined.get("=" + "".join(reading), ())
            targets = [(t, 1.0) for t in found_targets]
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
