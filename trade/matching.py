"""Parties screened against list entries: candidates with a score and the reason in words.
Plain Python (no Django).

Two names are compared word by word (trade.names gives both the same canonical words, in
either script): each word of one name is paired with at most one word of the other, equal or
within a typing slip (one edit in 5-8 letters, two from 9), or the same sound in older
romanisations (Hsu/Xu); neighbouring words may join (Hua Wei ↔ Huawei). The score is the
weighted share of words paired (a weighted Dice coefficient): distinctive words weigh 1,
common words (technology, trading, places) `generic_weight`. So word order does not matter,
a missing "Co., Ltd." costs nothing, a missing "Beijing" little, and two different
"Beijing … Technology Co., Ltd." share only their light words and score low. A short name that
is the initials of the other (CETC) scores `acronym_score`. Then the country: the same country
adds `country_bonus`, a different one takes `country_penalty` (a missing one changes nothing).

Screening many parties at once never compares every party with every entry: names are indexed
by their distinctive words, each word's one-letter deletions (so a typo still meets its word),
joined neighbours, sound keys and initials; only parties and entries that share a key are
compared, first coarsely in bulk (rapidfuzz.process.cpdist), then word by word.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein

from trade.names import (
    DIGIT_RE,
    NameForm,
    normalise_name,
    pinyin_split,
    sound_key,
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
    # Pairs whose bulk estimate is this far below the threshold are not compared word by word:
    # most of the pairs the index proposes (they share one word, or a letter-slip of one).
    coarse_margin: float = 0.05


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
    if abs(len(a) - len(b)) > 3:
        return 0.0, ""
    generic = vocabulary().generic
    if a in generic and b in generic:
        # Normalising already read misspelt common words as their word: two different ones
        # (electric, electronic; beijing, nanjing) are different words.
        return 0.0, ""
    longest = max(len(a), len(b))
    distance = OSA.distance(a, b, score_cutoff=2)
    if sound_key(a) == sound_key(b) and (
        min(len(a), len(b)) >= 3 or pinyin_split(a) is None or pinyin_split(b) is None
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
            return 0.45, "different pinyin syllables"
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
    for i, wa in enumerate(a.words):
        for j, wb in enumerate(b.words):
            credit, kind = word_credit(wa, wb)
            if credit > 0:
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
    dice = numerator / (sum(a.weights) + sum(b.weights))
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
        if j in used_y:
            continue
        for start, size, joined, initials in spans:
            if any(k in used_x for k in range(start, start + size)):
                continue
            if abs(len(joined) - len(wy)) <= 3:
                credit = word_credit(joined, wy)[0]
            elif wy == initials:
                credit = 0.9
            else:
                continue
            if credit >= 0.85:
                span = range(start, start + size)
                used_x.update(span)
                used_y.add(j)
                gained += credit * (sum(x.weights[k] for k in span) + y.weights[j])
                parts = " ".join(x.words[k] for k in span)
                notes.append(f"{wy}≈{parts} (joined)" if flip else f"{parts}≈{wy} (joined)")
                break
    return gained


@lru_cache(maxsize=200_000)
def _windows(words: tuple[str, ...]) -> tuple[tuple[int, int, str, str], ...]:
    """(start, size, joined, initials) of every run of 2-4 neighbouring words."""
    return tuple(
        (
            start,
            size,
            "".join(words[start : start + size]),
            "".join(w[0] for w in words[start : start + size]),
        )
        for size in (2, 3, 4)
        for start in range(len(words) - size + 1)
    )


def _acronym(short: NameForm, long: NameForm) -> str:
    """The short name's one word when it is the long name's initials, else ''."""
    if len(short.distinctive) != 1 or len(short.words) > 2 or short.cjk:
        return ""
    word = short.distinctive[0]
    return word.upper() if 2 <= len(word) <= 8 and word in long.acronyms else ""


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


def deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def block_keys(form: NameForm, *, side: str) -> set[str]:
    """Index keys of a name. Entries and parties share them but for initials (`side`)."""
    keys: set[str] = set()
    distinctive = form.distinctive
    words = list(distinctive)
    for size in (2, 3, 4):
        words += ["".join(distinctive[i : i + size]) for i in range(len(distinctive) - size + 1)]
        # Neighbours joined across a common word too (micro electronics ↔ microelectronic).
        words += [
            "".join(form.words[i : i + size])
            for i in range(len(form.words) - size + 1)
            if any(w >= 1 for w in form.weights[i : i + size])
        ]
    if side == "party":
        # A party's common word may be an entry's distinctive words joined.
        words += [w for w, weight in zip(form.words, form.weights, strict=True) if weight < 1]
    for word in words:
        keys.add(word)
        if len(word) >= 5:
            keys |= deletions(word)
        if len(word) >= 3:
            keys.add("s:" + sound_key(word))
    if not distinctive or side == "party":
        # Names of common words only ("General Dynamics") are found by two of those words
        # (one when that is all they have): to score near a threshold, a name shares most of
        # them, and a single common word would meet half the list.
        common = sorted(
            {w for w, weight in zip(form.words, form.weights, strict=True) if weight < 1}
        )
        if len(common) == 1:
            keys.add("g:" + common[0])
        keys |= {f"g:{a}+{b}" for i, a in enumerate(common) for b in common[i + 1 :]}
    short = distinctive[0] if len(distinctive) == 1 and len(form.words) <= 2 else ""
    if side == "entry":
        if short:
            keys.add("A:" + short)
        keys |= {"a:" + x for x in form.acronyms}
    else:
        if short:
            keys.add("a:" + short)
        keys |= {"A:" + x for x in form.acronyms}
    return keys


@dataclass
class _Names:
    forms: list[NameForm]
    owner: np.ndarray  # position of the entry or party each name belongs to
    labels: list[str]
    texts: list[str]


def _names(items: Sequence[ListEntry] | Sequence[Party], config: MatchConfig) -> _Names:
    forms, owner, labels, texts = [], [], [], []
    for position, item in enumerate(items):
        for label, text in item.names:
            forms.append(normalise_name(text, generic_weight=config.generic_weight))
            owner.append(position)
            labels.append(label)
            texts.append(text)
    return _Names(forms, np.asarray(owner, dtype=np.int64), labels, texts)


def _distinctive_text(form: NameForm) -> str:
    return " ".join(sorted(form.distinctive)) or form.key


def _common_text(form: NameForm) -> str:
    return " ".join(
        sorted(w for w, weight in zip(form.words, form.weights, strict=True) if weight < 1)
    )


def _weights(forms: list[NameForm]) -> np.ndarray:
    """(distinctive weight, common weight) of each name."""
    found = np.zeros((len(forms), 2))
    for i, form in enumerate(forms):
        for weight in form.weights:
            found[i, 0 if weight >= 1 else 1] += weight
    return found


def _short(form: NameForm) -> bool:
    """One distinctive word of 2-8 letters, perhaps with one common word: initials maybe."""
    return (
        len(form.distinctive) == 1 and len(form.words) <= 2 and 2 <= len(form.distinctive[0]) <= 8
    )


def _sound_text(form: NameForm) -> str:
    return " ".join(sorted(sound_key(w) for w in form.distinctive)) or form.key


class ListIndex:
    """The entries of one or more lists, indexed for screening parties against them."""

    def __init__(self, entries: Iterable[ListEntry], config: MatchConfig | None = None) -> None:
        self.config = config or MatchConfig()
        self.entries = list(entries)
        self.names = _names(self.entries, self.config)
        self._blocking = np.asarray([_distinctive_text(f) for f in self.names.forms], dtype=object)
        self._sounds = np.asarray([_sound_text(f) for f in self.names.forms], dtype=object)
        self._weights = _weights(self.names.forms)
        self._commons = np.asarray([_common_text(f) for f in self.names.forms], dtype=object)
        self.listed_on = np.asarray([e.listed_on for e in self.entries], dtype="datetime64[D]")
        self.delisted_on = np.asarray(
            [e.delisted_on or dt.date(9999, 12, 31) for e in self.entries], dtype="datetime64[D]"
        )
        key_ids: dict[str, int] = {}
        key_column, name_column = [], []
        for position, form in enumerate(self.names.forms):
            for key in block_keys(form, side="entry"):
                key_column.append(key_ids.setdefault(key, len(key_ids)))
                name_column.append(position)
        self._key_ids = key_ids
        keys = np.asarray(key_column, dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        self._posting = np.asarray(name_column, dtype=np.int64)[order]
        self._starts = np.searchsorted(keys[order], np.arange(len(key_ids) + 1))

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

    def _screen(self, parties: Sequence[Party], as_of: dt.date) -> list[list[Candidate]]:
        config = self.config
        party_names = _names(parties, config)
        party_rows, entry_name_rows, special = self._pairs(party_names, as_of)
        results: list[dict[int, Candidate]] = [{} for _ in parties]
        if len(party_rows) == 0:
            return [[] for _ in parties]
        # Coarse pass in bulk: the distinctive words of both names compared as sorted text (as
        # spelt, and by sound: Chung Hwa, Zhong Hua) stand for the share of distinctive weight
        # that pairs; common words are assumed to pair as far as their numbers allow. Pairs
        # whose estimate falls well short of the threshold are not compared word by word.
        coarse = np.zeros(len(party_rows))
        for party_text, entry_text in (
            (_distinctive_text, self._blocking),
            (_sound_text, self._sounds),
        ):
            texts = np.asarray([party_text(f) for f in party_names.forms], dtype=object)
            coarse = np.maximum(
                coarse,
                process.cpdist(
                    texts[party_rows].tolist(),
                    entry_text[entry_name_rows].tolist(),
                    scorer=fuzz.token_sort_ratio,
                    workers=-1,
                )
                / 100,
            )
        common_texts = np.asarray([_common_text(f) for f in party_names.forms], dtype=object)
        common = (
            process.cpdist(
                common_texts[party_rows].tolist(),
                self._commons[entry_name_rows].tolist(),
                scorer=fuzz.token_sort_ratio,
                workers=-1,
            )
            / 100
        )
        party_weights = _weights(party_names.forms)
        nd_p, ng_p = party_weights[party_rows, 0], party_weights[party_rows, 1]
        nd_e, ng_e = self._weights[entry_name_rows, 0], self._weights[entry_name_rows, 1]
        total = nd_p + nd_e + ng_p + ng_e
        estimate = (coarse * (nd_p + nd_e) + common * (ng_p + ng_e)) / total
        keep = estimate + config.country_bonus >= config.threshold - config.coarse_margin
        # Pairs met by initials are always compared.
        keep |= special
        for p, e in zip(party_rows[keep].tolist(), entry_name_rows[keep].tolist(), strict=True):
            self._consider(party_names, p, e, parties, results, config)
        return [sorted(found.values(), key=lambda c: (-c.score, c.entry_ref)) for found in results]

    def check(self, party: Party, as_of: dt.date) -> list[Candidate]:
        """One party (as a request checks it): the same path as `screen`."""
        return self.screen([party], as_of)[0]

    def _pairs(
        self, party_names: _Names, as_of: dt.date
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(party name row, entry name row, met by initials) of every pair sharing an index
        key, once each."""
        key_column, name_column, special = [], [], []
        key_ids = self._key_ids
        for position, form in enumerate(party_names.forms):
            for key in block_keys(form, side="party"):
                key_id = key_ids.get(key)
                if key_id is not None:
                    key_column.append(key_id)
                    name_column.append(position)
                    special.append(key[:2] in ("a:", "A:"))
        if not key_column:
            empty = np.empty(0, np.int64)
            return empty, empty, np.empty(0, bool)
        keys = np.asarray(key_column, dtype=np.int64)
        starts, ends = self._starts[keys], self._starts[keys + 1]
        counts = ends - starts
        party_rows = np.repeat(np.asarray(name_column, dtype=np.int64), counts)
        special_rows = np.repeat(np.asarray(special, dtype=bool), counts)
        # For each key, the run of its postings: start + 0 … count-1.
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        entry_name_rows = self._posting[np.repeat(starts, counts) + offsets]
        active = self.active(as_of)[self.names.owner[entry_name_rows]]
        width = max(len(self.names.forms), 1)
        codes = party_rows[active] * width + entry_name_rows[active]
        unique = np.unique(codes)
        # A pair is special when any key that met it was special.
        met_special = np.isin(unique, codes[special_rows[active]])
        return unique // width, unique % width, met_special

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
