"""China's lists as versioned data: list files loaded as draft versions (refused whole on any
row error), diffed against the published version, published by a second administrator
(maker-checker), confirmed current; the starter lists on a fresh database. And checking
parties against the published lists, all at once per list, recording the candidates so that
decisions stick until either side's data changes.

The matching itself is plain Python (trade.matching, trade.names); this module stores its
answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rules import audit
from rules.access import can
from rules.rawtables import FileLimits
from screening.collector import paused_gc
from trade import notifications
from trade.listfiles import ListFileError, RowError, read_list_file
from trade.match_types import ListEntry, MatchConfig
from trade.match_types import Party as MatchParty
from trade.models import ListEntryRow, ListVersion, Party, PartyMatch
from trade.models.parties import LIST_KINDS, STARTER_NOTE, fingerprint
from trade.permissions import may_publish_list

if TYPE_CHECKING:  # the matcher's tables take a second to load: only where a check runs
    from trade.matching import ListIndex


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
    from trade.matching import ListIndex

    return ListIndex(entries, config)


class PartyError(Exception):
    """The action is not allowed; the message says why. `field` names the form field."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


LIST_LABELS = dict(LIST_KINDS)


class ListLoadError(PartyError):
    """The list file has errors; `errors` lists them by row and column."""

    def __init__(self, message: str, errors: Sequence[RowError] = ()) -> None:
        super().__init__(message)
        self.errors = list(errors)


def entry_fingerprint(entry: ListEntry) -> str:
    return fingerprint(
        entry.name,
        sorted(entry.aliases),
        entry.country,
        entry.address,
        entry.listed_on,
        entry.delisted_on,
    )


@transaction.atomic
def load_list_file(
    *,
    user: User | None,
    data: bytes,
    filename: str,
    note: str = "",
    system: bool = False,
) -> list[ListVersion]:
    """Store an uploaded list file as a draft version of each list it holds, diffed against the
    published version. Refused whole when any row has an error (nothing half-loaded)."""
    if not system and (user is None or not can(user, "load_lists")):
        raise PartyError(_("Only rules administrators load list files."))
    try:
        loaded = read_list_file(data, limits=FileLimits(**settings.SPEC_FILE_LIMITS))
    except ListFileError as exc:
        raise ListLoadError(str(exc)) from None
    if loaded.errors:
        raise ListLoadError(
            _("The list file has %(n)s error(s); nothing was loaded.") % {"n": len(loaded.errors)},
            loaded.errors,
        )
    versions = []
    for kind in dict.fromkeys(e.list for e in loaded.entries):
        entries = [e for e in loaded.entries if e.list == kind]
        number = (ListVersion.objects.filter(kind=kind).aggregate(n=Max("number"))["n"] or 0) + 1
        version = ListVersion(
            kind=kind,
            number=number,
            original_name=filename[:255],
            sha256=loaded.sha256,
            entries_count=len(entries),
            latest_listed_on=max(e.listed_on for e in entries),
            note=note.strip(),
            loaded_by=user,
        )
        version.file.save("list", ContentFile(data), save=False)
        version.save()
        ListEntryRow.objects.bulk_create(
            ListEntryRow(
                version=version,
                entry_ref=e.entry_ref,
                name=e.name,
                aliases=list(e.aliases),
                country=e.country,
                address=e.address,
                listed_on=e.listed_on,
                delisted_on=e.delisted_on,
                announcement=e.announcement,
                source=e.source,
                level=e.level or "V2",
                notes=e.notes,
                match_fingerprint=entry_fingerprint(e),
            )
            for e in entries
        )
        version.diff = diff_against_published(version)
        version.save(update_fields=["diff"])
        audit.record(
            "list.load",
            actor=user,
            obj=version,
            after={"sha256": version.sha256, "entries": len(entries), "diff": version.diff},
        )
        versions.append(version)
        if not system:
            notifications.list_loaded(version)
    return versions


def published(kind: str) -> ListVersion | None:
    return ListVersion.objects.filter(kind=kind, status=ListVersion.Status.PUBLISHED).first()


def diff_against_published(version: ListVersion) -> dict[str, list[str]]:
    """Entry references added, removed and changed (names, aliases, country, address, dates)
    against the published version of the same list."""
    current = published(version.kind)
    old = dict(current.entries.values_list("entry_ref", "match_fingerprint")) if current else {}
    new = dict(version.entries.values_list("entry_ref", "match_fingerprint"))
    return {
        "added": sorted(set(new) - set(old)),
        "removed": sorted(set(old) - set(new)),
        "changed": sorted(ref for ref in set(new) & set(old) if new[ref] != old[ref]),
    }


@transaction.atomic
def publish_list_version(
    *, version: ListVersion, user: User | None, system: bool = False
) -> ListVersion:
    version = ListVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != ListVersion.Status.DRAFT:
        raise PartyError(_("Only a draft list version can be published."))
    if not system and (user is None or not may_publish_list(version, user)):
        raise PartyError(
            _("Maker-checker: you loaded this list version, so another administrator publishes it.")
        )
    ListVersion.objects.filter(kind=version.kind, status=ListVersion.Status.PUBLISHED).update(
        status=ListVersion.Status.SUPERSEDED
    )
    version.status = ListVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = user
    version.confirmed_current_on = timezone.localdate()
    version.save()
    audit.record(
        "list.publish",
        actor=user,
        obj=version,
        after={"sha256": version.sha256, "diff": version.diff},
    )
    screen_parties(None)
    return version


@transaction.atomic
def confirm_current(*, version: ListVersion, user: User, source: str) -> ListVersion:
    """Record that the published list was checked against MOFCOM's pages and is current."""
    if not can(user, "load_lists"):
        raise PartyError(_("Only rules administrators confirm lists."))
    if not source.strip():
        raise PartyError(_("Say where you checked it."), field="source")
    ListVersion.objects.filter(pk=version.pk).update(confirmed_current_on=timezone.localdate())
    version.refresh_from_db()
    audit.record(
        "list.confirm_current",
        actor=user,
        obj=version,
        reason=source.strip(),
        after={"confirmed_current_on": version.confirmed_current_on},
    )
    return version


def list_versions_in_use() -> dict[str, dict[str, Any]]:
    """What a check used: each published list's version, hash, and how current it is."""
    return {
        v.kind: {
            "version": v.number,
            "sha256": v.sha256,
            "published_at": v.published_at.isoformat() if v.published_at else None,
            "latest_listed_on": v.latest_listed_on.isoformat() if v.latest_listed_on else None,
            "confirmed_current_on": v.confirmed_current_on.isoformat()
            if v.confirmed_current_on
            else None,
        }
        for v in ListVersion.objects.filter(status=ListVersion.Status.PUBLISHED)
    }


def _entries(version: ListVersion) -> tuple[ListEntry, ...]:
    return tuple(
        ListEntry(
            list=version.kind,
            entry_ref=row.entry_ref,
            name=row.name,
            aliases=tuple(row.aliases),
            country=row.country,
            listed_on=row.listed_on,
            delisted_on=row.delisted_on,
            announcement=row.announcement,
            address=row.address,
            level=row.level,
        )
        for row in version.entries.all()
    )


def _match_party(party: Party) -> MatchParty:
    return MatchParty(
        party_ref=party.reference,
        name=party.name or party.name_zh,
        country=party.country,
        name_zh=party.name_zh if party.name else "",
        aliases=tuple(party.aliases),
        address=party.address,
    )


@paused_gc()
def screen_parties(party_ids: Iterable[int] | None, *, as_of: dt.date | None = None) -> int:
    """Check parties (None: all) against every published list, all at once per list, and
    record the candidates: new ones open, decided ones kept while both sides are unchanged,
    decided ones whose party or entry changed open again. Returns the open candidates found."""
    as_of = as_of or timezone.localdate()
    parties = list(
        Party.objects.all() if party_ids is None else Party.objects.filter(pk__in=party_ids)
    )
    if not parties:
        return 0
    opened = 0
    with transaction.atomic():
        for version in ListVersion.objects.filter(status=ListVersion.Status.PUBLISHED):
            rows = {row.entry_ref: row for row in version.entries.all()}
            index = list_index(sha256=f"{version.sha256}:{version.kind}", entries=_entries(version))
            found = index.screen([_match_party(p) for p in parties], as_of)
            existing = {
                (m.party_id, m.entry_ref): m
                for m in PartyMatch.objects.filter(party__in=parties, list_kind=version.kind)
            }
            seen: set[tuple[int, str]] = set()
            for party, candidates in zip(parties, found, strict=True):
                for candidate in candidates:
                    row = rows[candidate.entry_ref]
                    key = (party.pk, candidate.entry_ref)
                    seen.add(key)
                    opened += _record_candidate(
                        existing.get(key),
                        party,
                        version.kind,
                        row,
                        candidate.score,
                        candidate.reason,
                        candidate.evidence,
                    )
            # Candidates no longer found (a renamed party, a delisting): an open one goes; a
            # decided one stays, as the record of the decision.
            PartyMatch.objects.filter(
                pk__in=[
                    m.pk
                    for key, m in existing.items()
                    if key not in seen and m.state == PartyMatch.State.OPEN
                ]
            ).delete()
    return opened


def _record_candidate(
    match: PartyMatch | None,
    party: Party,
    kind: str,
    row: ListEntryRow,
    score: float,
    reason: str,
    evidence: dict[str, Any],
) -> int:
    if match is None:
        PartyMatch.objects.create(
            party=party,
            list_kind=kind,
            entry_ref=row.entry_ref,
            entry=row,
            score=round(score, 4),
            reason=reason,
            evidence=evidence,
            party_fingerprint=party.match_fingerprint,
            entry_fingerprint=row.match_fingerprint,
        )
        return 1
    unchanged = (
        match.party_fingerprint == party.match_fingerprint
        and match.entry_fingerprint == row.match_fingerprint
    )
    fields: dict[str, Any] = {
        "entry": row,
        "score": round(score, 4),
        "reason": reason,
        "evidence": evidence,
    }
    if not unchanged and match.state != PartyMatch.State.OPEN:
        # The decision was about other data: it fires again.
        fields.update(
            state=PartyMatch.State.OPEN,
            proposed_by=None,
            decided_by=None,
            decided_at=None,
            rationale="",
            party_fingerprint=party.match_fingerprint,
            entry_fingerprint=row.match_fingerprint,
            version=match.version + 1,
        )
        audit.record(
            "party.match.refire",
            actor=None,
            obj=match,
            before={"state": match.state, "rationale": match.rationale},
            after={"state": PartyMatch.State.OPEN},
            reason="the party's or the list entry's data changed since the decision",
        )
    PartyMatch.objects.filter(pk=match.pk).update(**fields)
    return int(fields.get("state") == PartyMatch.State.OPEN or match.state == "open")


@dataclass(frozen=True)
class ListStanding:
    kind: str
    label: str
    version: ListVersion | None
    age_days: int | None
    too_old: bool


def standings() -> list[ListStanding]:
    """How current each list is (for the pages): its published version and its age."""
    today = timezone.localdate()
    found = []
    for kind, label in LIST_KINDS:
        version = published(kind)
        current_on = version.confirmed_current_on if version else None
        age = (today - current_on).days if current_on else None
        found.append(
            ListStanding(
                kind,
                str(label),
                version,
                age,
                age is None or age > settings.PARTY_LIST_MAX_AGE_DAYS,
            )
        )
    return found


STARTER_FILE = settings.BASE_DIR / "trade" / "data" / "starter_lists.csv"


def ensure_starter_lists() -> list[ListVersion]:
    """On a database with no list version at all, load and publish the shipped starter lists
    (the system publishes, as with the shipped catalogue on a fresh database)."""
    if ListVersion.objects.exists():
        return []
    data = STARTER_FILE.read_bytes()
    with transaction.atomic():
        versions = load_list_file(
            user=None,
            data=data,
            filename=STARTER_FILE.name,
            system=True,
            note=STARTER_NOTE,
        )
        for version in versions:
            publish_list_version(version=version, user=None, system=True)
    return versions
