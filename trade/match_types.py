"""What party screening takes and gives: list entries, parties, the settings, candidates.
Plain Python (no Django); trade.matching screens with them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# How a name an entry is known by (trade.known_names) is called in a candidate's reason.
KNOWN_NAME = "known other name"

# The lists screened (their labels, translated, are trade.models.parties.LIST_KINDS).
LISTS = ("control_list", "watch_list", "unreliable_entity_list")


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
class Candidate:
    entry_ref: str
    list: str
    score: float
    reason: str
    name_score: float = 0.0
    entry: ListEntry | None = field(default=None, compare=False)
    same_script: bool = field(default=False, compare=False)
    # The reason's parts, for pages that say it in their reader's language: which name of
    # each side ("name", "Chinese name", "alias", "known other name") and its text, the
    # matcher's technical detail (English), the name score and the two countries (the score
    # is the candidate's own).
    evidence: dict[str, object] = field(default_factory=dict, compare=False)

    def to_contract(self) -> dict[str, object]:
        return {
            "entry_ref": self.entry_ref,
            "list": self.list,
            "score": self.score,
            "reason": self.reason,
        }
