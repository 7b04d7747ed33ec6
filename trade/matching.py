"""Parties screened against list entries: candidates with a score and the reason in words.
Plain Python (no Django).

Screening many parties never compares every party with every entry: trade.blocking finds the
entries' names a party's name could match, trade.score_bounds bounds the scores of all those
pairs at once, and only pairs whose bound reaches the threshold are compared word by word
(trade.scoring, which also gives the reason in words). A single check (`ListIndex.check`, as a
request makes it) compares every pair the blocking found; bulk screening must agree with it.
The records screening takes and gives are in trade.match_types; this module is the matcher's
front and names them too, so that its callers import from one place.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing as mp
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from screening.collector import paused_gc
from trade.blocking import EntryKeys, Unit
from trade.country_signal import country_effect, country_effects
from trade.entry_slips import meant_names
from trade.known_names import (
    CJK,
    country_of,
    organisation_of,
    other_names,
    related_to,
    told_apart,
)
from trade.match_types import KNOWN_NAME, LISTS, Candidate, ListEntry, MatchConfig, Party
from trade.name_variants import TRIMMED, WRITTEN, compared, looked_up_as, name_variants
from trade.name_words import vocabulary
from trade.names import NameForm, normalise_name
from trade.score_bounds import NameWeights, bound_scores, leading_units, met_twice
from trade.scoring import (
    PARTIAL_UPLIFT,
    Comparison,
    compare_names,
    comparison_detail,
    describe,
)

__all__ = [
    "LISTS",
    "Candidate",
    "Comparison",
    "ListEntry",
    "ListIndex",
    "MatchConfig",
    "Party",
    "compare_names",
    "country_effect",
    "score_pair",
]

EMPTY = np.empty(0, dtype=np.int64)


@dataclass
class _Names:
    forms: list[NameForm]
    owner: np.ndarray  # position of the entry or party each name belongs to
    labels: list[str]
    texts: list[str]
    qualified: np.ndarray  # how the name stands to a qualifier (trade.name_variants)
    written: list[str]  # the name as written that each comes from (itself, or the name it holds)


# Countries a party in one of which is often entered as in another (Taiwan and Hong Kong as CN):
# no sign that a school the known names tell apart is the listed one (round 30)
GREATER_CHINA = frozenset({"CN", "TW", "HK", "MO"})
LATIN_LETTER = re.compile(r"[A-Za-z\uff21-\uff3a\uff41-\uff5a]")  # (full width too)


def _short_chinese(name: str) -> bool:
    """Two characters or fewer, all Chinese (中兴, 华为): as a name of its own it would be found
    whole inside longer names of other firms (中興電工機械, Chung-Hsin Electric, is not ZTE);
    the longer known names of the organisation stay."""
    return len(name) <= 2 and all(CJK.fullmatch(char) for char in name)


def _names(
    items: Sequence[ListEntry | Party], config: MatchConfig, *, known: bool = False
) -> _Names:
    """Every name of the items, normalised. With `known` (list entries), each is followed by the
    organisation's known other names (trade.known_names: iFlytek for 科大讯飞, Lockheed Martin
    for 洛克希德·马丁), which no reading of the letters gives. Only the entries' side: a party
    named either way then meets the entry named either way, and 10,000 entries are looked up
    once, not 100,000 parties every time."""
    forms, owner, labels, texts, qualifiers, written_as = [], [], [], [], [], []
    for position, item in enumerate(items):
        # each name and the names it holds (trade.name_variants: its acronym beside it, a
        # qualifier after it)
        names, lookups = name_variants(list(item.names))
        if known:  # an entry's name with its slips read as meant too (round 24)
            # the known names of each name as written and of a name beside its acronym or
            # qualifier (French Aerospace Lab (ONERA) is known as Office national d'études …),
            # those of a name without its qualifier as qualified as it is
            looked_up = [(text, qualified) for _label, text, qualified, _ in names] + lookups
            looked_up += [(rest, WRITTEN) for _, text in item.names if (rest := looked_up_as(text))]
            written = [(label, text) for label, text, qualified, _ in names if qualified == WRITTEN]
            names += [(label, text, WRITTEN, text) for label, text in meant_names(written)]
            have = {text.casefold() for _label, text, _qualified, _ in names}
            for text, qualified in looked_up:
                for other in other_names(text):
                    if other.casefold() not in have and not _short_chinese(other):
                        have.add(other.casefold())
                        names.append(
                            (KNOWN_NAME, other, TRIMMED if qualified == TRIMMED else WRITTEN, other)
                        )
        for label, text, qualified, source in names:
            forms.append(normalise_name(text, generic_weight=config.generic_weight))
            owner.append(position)
            labels.append(label)
            texts.append(text)
            qualifiers.append(qualified)
            written_as.append(source)
    return _Names(
        forms,
        np.asarray(owner, dtype=np.int64),
        labels,
        texts,
        np.asarray(qualifiers, np.int8),
        written_as,
    )


class ListIndex:
    """The entries of one or more lists, indexed for screening parties against them."""

    def __init__(self, entries: Iterable[ListEntry], config: MatchConfig | None = None) -> None:
        with paused_gc():  # its millions of objects all live on
            self._build(entries, config)

    def _build(self, entries: Iterable[ListEntry], config: MatchConfig | None) -> None:
        self.config = config or MatchConfig()
        self.entries = list(entries)
        self.names = _names(self.entries, self.config, known=True)
        self.listed_on = np.asarray([e.listed_on for e in self.entries], dtype="datetime64[D]")
        self.delisted_on = np.asarray(
            [e.delisted_on or dt.date(9999, 12, 31) for e in self.entries], dtype="datetime64[D]"
        )
        forms = self.names.forms
        self._countries = np.asarray([e.country for e in self.entries], dtype=object)[
            self.names.owner
        ]
        # the known organisations each entry's own names are of (their keys are cached from
        # the known names looked up in _names)
        self._organisations = [
            frozenset(r for _, text in entry.names if (r := organisation_of(text)) is not None)
            for entry in self.entries
        ]
        self._named_in_characters = np.zeros(len(self.entries), dtype=bool)
        self._a_school = np.zeros(len(self.entries), dtype=bool)  # by a name of it (NWPU's)
        schools = vocabulary().schools
        for form, owner in zip(forms, self.names.owner.tolist(), strict=True):
            if CJK.search(form.cjk):  # Chinese characters, not kana alone (キオクシア)
                self._named_in_characters[owner] = True
            if not schools.isdisjoint(form.words):
                self._a_school[owner] = True
        self._weights = NameWeights(forms)
        self._keys = EntryKeys(forms)

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
            # Several chunks a worker, handed out as workers finish: names differ in cost, and
            # two halves would leave one worker idle while the other ends its half.
            size = -(-len(parties) // (processes * CHUNKS_PER_PROCESS))
            chunks = [
                (start, min(start + size, len(parties))) for start in range(0, len(parties), size)
            ]
            try:
                with mp.get_context("fork").Pool(min(processes, len(chunks))) as pool:
                    parts = pool.map(_screen_chunk, chunks, chunksize=1)
            finally:
                # the parties are not kept alive after the screen, nor on a failed one
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
            effect = country_effects(countries[party_rows], self._countries[entry_rows], config)
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
        # A partial name scores up to PARTIAL_UPLIFT above its share of words, which is what
        # the units below reach; pairs met by common words alone are of names of common words
        # only, which are never partial names.
        common_floor = self.config.threshold - self.config.country_bonus - 0.0011
        floor = common_floor - PARTIAL_UPLIFT
        parts: list[Unit] = []
        owners: list[int] = []
        leads: list[bool] = []
        special_rows: list[int] = []
        special_entries: list[list[int]] = []
        special_initials: list[bool] = []
        for p, form in enumerate(forms):
            units = self._keys.units(form)
            if units:
                leading = leading_units(form, units, floor, self.config.generic_weight)
                if leading is None:
                    units = met_twice(units)
                    leading = [True] * len(units)
                parts += units
                owners += [p] * len(units)
                leads += leading
            for entries, by_initials in self._keys.special(form, common_floor):
                special_rows.append(p)
                special_entries.append(entries)
                special_initials.append(by_initials)
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
        bound = bound_scores(pairs, width, (codes, gain, live), forms, self._weights, floor)
        return pairs, bound, always

    def _translation_only(self, party_form: NameForm, e: int) -> bool:
        """Whether entry name `e` is an English name the organisation is known by (trade.
        known_names) while the party is named in characters only and the organisation has a name
        in characters too: then the characters are compared, not the party's characters read
        word for word against a translation (中国船舶工业集团, CSSC's old name, reads as China
        Shipbuilding Industry Corporation, the English name of CSIC, 中国船舶重工集团)."""
        if not (
            party_form.cjk
            and not LATIN_LETTER.search(party_form.text)
            and self.names.labels[e] == KNOWN_NAME
            and not self.names.forms[e].cjk
            and self._named_in_characters[self.names.owner[e]]
        ):
            return False
        # a group and its member named alike are compared every way (中国北方工业公司, NORINCO
        # Group), as told_apart has them
        rows = self._organisations[self.names.owner[e]]
        return not related_to(party_form.text, rows)

    def _two_known(self, party_form: NameForm, party: Party, party_text: str, e: int) -> bool:
        """Whether the party's name is a known name (trade.known_names) of one school and the
        entry's own names are of another the file tells apart (國立清華大學 is not 清华大学, MIPT
        not MEPhI), however alike their words; unless one name is the other's words and more
        than faint ones with a school's kind among them (a school and its institute; National
        Tsing Hua University is still not Tsinghua University, nor the University of Tehran
        its University of Medical Sciences). Only schools (universities, institutes, academies,
        colleges), which have no listed arms to hide: a firm's arm has a row of its own in the
        file (CNNC International, China National Nuclear Corporation), and a short name may be
        another organisation's too (CEA), so firms are compared as any names are."""
        mine, theirs = set(party_form.words), set(self.names.forms[e].words)
        schools = vocabulary().schools
        # the entry a school by any name of it: its initials are one (NWPU; round 29)
        if schools.isdisjoint(mine) or not self._a_school[self.names.owner[e]]:
            return False
        if not told_apart(party_text, self._organisations[self.names.owner[e]]):
            return False
        # a party in the entry's country that the file's other school is not in is written as
        # the other is but may be the listed one (Northwestern Polytechnic University, China:
        # NWPU, not the school in Fremont; round 30)
        country = self.entries[self.names.owner[e]].country
        if party.country and party.country == country:
            row = organisation_of(party_text)
            other = country_of(row) if row is not None else country
            if other != country and not {other, country} <= GREATER_CHINA:
                return False
        more = (theirs - mine) if mine <= theirs else (mine - theirs) if theirs <= mine else None
        # the words one has more name a part only with a school's kind (Tsinghua University's
        # Institute of Nuclear Energy); a field or a kind alone is the other school's name
        # (University of Isfahan and Isfahan University of Technology, round 29)
        return more is None or more <= vocabulary().faint or schools.isdisjoint(more)

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
        if not compared(int(party_names.qualified[p]), int(self.names.qualified[e])):
            return  # a name without its qualifier meets only names without any (name_variants)
        party_position = int(party_names.owner[p])
        party = parties[party_position]
        # schools the known names tell apart, by the name as written (Beijing Institute of
        # Technology, Zhuhai is not BIT) or as trimmed (Beijing University of Technology,
        # Beijing is not BIT either)
        if self._translation_only(party_form, e) or any(
            self._two_known(party_form, party, text, e)
            for text in {party_names.written[p], party_names.texts[p]}
        ):
            return
        comparison = compare_names(party_form, entry_form, acronym_score=config.acronym_score)
        if comparison.score + config.country_bonus < config.threshold:
            return
        entry_position = int(self.names.owner[e])
        entry = self.entries[entry_position]
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
        detail = comparison_detail(comparison, party_form, entry_form)
        reason = describe(
            party_label=party_names.labels[p],
            party_name=party_names.texts[p],
            entry_label=self.names.labels[e],
            entry_name=self.names.texts[e],
            entry_ref=entry.entry_ref,
            comparison=comparison,
            detail=detail,
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
            evidence={
                "party_name_kind": party_names.labels[p],
                "party_name": party_names.texts[p],
                "entry_name_kind": self.names.labels[e],
                "entry_name": self.names.texts[e],
                "detail": detail,
                "name_score": round(comparison.score, 3),
                "party_country": party.country,
                "entry_country": entry.country,
            },
        )


PARALLEL_FROM = 20_000
CHUNKS_PER_PROCESS = 8
_FORKED: tuple[ListIndex, list[Party], dt.date] | None = None


def _screen_chunk(bounds: tuple[int, int]) -> list[list[Candidate]]:
    """A forked worker's share: the index and parties come with the fork, not by pickling."""
    assert _FORKED is not None
    # The index came with the fork: no collection in this worker need walk it (nor touch its
    # pages, which stay shared with the parent while unwritten).
    gc.freeze()
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
