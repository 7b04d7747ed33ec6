"""Party screening as the project configures it: the match settings, and a list file's index
kept per content so that one party's check in a request does not rebuild it."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from trade.matching import ListEntry, ListIndex, MatchConfig


def match_config() -> MatchConfig:
    """The thresholds and weights from Django settings (PARTY_MATCH_*)."""
    return MatchConfig(
        threshold=settings.PARTY_MATCH_THRESHOLD,
        generic_weight=settings.PARTY_MATCH_GENERIC_WEIGHT,
        country_bonus=settings.PARTY_MATCH_COUNTRY_BONUS,
        country_penalty=settings.PARTY_MATCH_COUNTRY_PENALTY,
        acronym_score=settings.PARTY_MATCH_ACRONYM_SCORE,
    )


def list_index(*, sha256: str, entries: tuple[ListEntry, ...]) -> ListIndex:
    """The index of a list version, built once per content hash and settings."""
    return _cached_index(sha256, entries, match_config())


@lru_cache(maxsize=8)
def _cached_index(sha256: str, entries: tuple[ListEntry, ...], config: MatchConfig) -> ListIndex:
    return ListIndex(entries, config)
