"""Parties (consignees, end users, intermediaries) as the company records them, the decisions
reviewers take on their candidate matches against China's lists (a dismissal needs a second
reviewer), and what the release gate needs to know of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rules import audit
from rules.access import can
from trade import gate, notifications
from trade.lists import PartyError, published, screen_parties
from trade.models import Party, PartyMatch
from trade.models.parties import LIST_KINDS
from trade.permissions import may_accept_dismissal

# Lists whose confirmed parties may not receive dual-use items at all (the control list), as
# opposed to those that call for closer checks (the watch list) or other measures.
PROHIBITING_LISTS = ("control_list", "unreliable_entity_list")


# --- parties ----------------------------------------------------------------------------------


@transaction.atomic
def save_party(
    *,
    user: User | None,
    reference: str,
    name: str = "",
    name_zh: str = "",
    aliases: Sequence[str] = (),
    country: str,
    address: str = "",
    roles: Sequence[str] = (),
    end_use: str = "",
    military_end_user: str = Party.Military.UNKNOWN,
) -> tuple[Party, bool]:
    """Create or change a party by its reference; (party, whether anything changed). A change
    of what matching reads re-checks the party against the published lists at once."""
    if user is not None and not can(user, "edit_parties"):
        raise PartyError(_("You cannot enter or change parties."))
    if not (name.strip() or name_zh.strip()):
        raise PartyError(_("A party needs a name (Latin or Chinese)."), field="name")
    values: dict[str, Any] = {
        "name": name.strip(),
        "name_zh": name_zh.strip(),
        "aliases": [a.strip() for a in aliases if a.strip()],
        "country": country.strip().upper(),
        "address": address.strip(),
        "roles": list(dict.fromkeys(roles)),
        "end_use": end_use.strip(),
        "military_end_user": military_end_user,
    }
    party = Party.objects.select_for_update().filter(reference=reference.strip()).first()
    if party is None:
        party = Party.objects.create(reference=reference.strip(), created_by=user, **values)
        audit.record("party.create", actor=user, obj=party, after=_party_snapshot(party))
        screen_parties([party.pk])
        return party, True
    before = _party_snapshot(party)
    if all(getattr(party, k) == v for k, v in values.items()):
        return party, False
    for key, value in values.items():
        setattr(party, key, value)
    party.version += 1
    party.save()
    audit.record("party.change", actor=user, obj=party, before=before, after=_party_snapshot(party))
    screen_parties([party.pk])
    return party, True


def _party_snapshot(party: Party) -> dict[str, Any]:
    return {
        "reference": party.reference,
        "name": party.name,
        "name_zh": party.name_zh,
        "aliases": party.aliases,
        "country": party.country,
        "address": party.address,
        "roles": party.roles,
        "end_use": party.end_use,
        "military_end_user": party.military_end_user,
        "fingerprint": party.match_fingerprint,
    }


# --- list versions ----------------------------------------------------------------------------


# --- screening parties ------------------------------------------------------------------------


# --- decisions --------------------------------------------------------------------------------


def _decide(match: PartyMatch, version: int, user: User, **fields: Any) -> PartyMatch:
    before = {"state": match.state}
    updated = PartyMatch.objects.filter(pk=match.pk, version=version).update(
        version=version + 1, **fields
    )
    if updated != 1:
        raise PartyError(_("This candidate changed since you opened it. Reload it and try again."))
    match.refresh_from_db()
    audit.record(
        f"party.match.{match.state}",
        actor=user,
        obj=match,
        before=before,
        after={"state": match.state, "party": match.party_id, "entry": match.entry_ref},
        reason=match.rationale,
    )
    return match


@transaction.atomic
def confirm_match(*, match: PartyMatch, version: int, user: User, rationale: str) -> PartyMatch:
    """It is the same party: every shipment to it holds (a prohibiting list: it may not go)."""
    if not can(user, "decide_party_matches"):
        raise PartyError(_("Only reviewers decide candidate matches."))
    return _decide(
        match,
        version,
        user,
        state=PartyMatch.State.CONFIRMED,
        decided_by=user,
        decided_at=timezone.now(),
        rationale=rationale.strip(),
    )


@transaction.atomic
def propose_dismissal(*, match: PartyMatch, version: int, user: User, rationale: str) -> PartyMatch:
    """Not the same party, says one reviewer; a second one accepts it (four-eyes)."""
    if not can(user, "decide_party_matches"):
        raise PartyError(_("Only reviewers decide candidate matches."))
    if not rationale.strip():
        raise PartyError(_("Say why it is not the same party."), field="rationale")
    if match.state != PartyMatch.State.OPEN:
        raise PartyError(_("Only an open candidate can be dismissed."))
    match = _decide(
        match,
        version,
        user,
        state=PartyMatch.State.DISMISS_PROPOSED,
        proposed_by=user,
        rationale=rationale.strip(),
    )
    notifications.dismissal_proposed(match)
    return match


@transaction.atomic
def accept_dismissal(*, match: PartyMatch, version: int, user: User) -> PartyMatch:
    if not may_accept_dismissal(match, user):
        raise PartyError(
            _("Four-eyes rule: you proposed this dismissal, so another reviewer accepts it.")
        )
    if match.state != PartyMatch.State.DISMISS_PROPOSED:
        raise PartyError(_("Only a proposed dismissal can be accepted."))
    return _decide(
        match,
        version,
        user,
        state=PartyMatch.State.DISMISSED,
        decided_by=user,
        decided_at=timezone.now(),
    )


# --- the gate's view of parties ---------------------------------------------------------------


def status_for_gate(party_ids: Iterable[int]) -> dict[int, gate.PartyStatus]:
    """Each party's standing for the release gate: confirmed and open matches, and the lists
    too old to clear a party nobody checked against a current list. Three queries."""
    ids = set(party_ids)
    matches: dict[int, list[PartyMatch]] = {}
    for match in PartyMatch.objects.filter(party_id__in=ids).exclude(
        state=PartyMatch.State.DISMISSED
    ):
        matches.setdefault(match.party_id, []).append(match)
    limit = timezone.localdate() - dt.timedelta(days=settings.PARTY_LIST_MAX_AGE_DAYS)
    stale = []
    for kind, _label in LIST_KINDS:  # kinds, not names: the page names them in its language
        version = published(kind)
        current_on = version.confirmed_current_on if version else None
        if current_on is None or current_on < limit:
            stale.append((kind, current_on))
    found = {}
    for party in Party.objects.filter(pk__in=ids):
        own = matches.get(party.pk, [])
        confirmed = [m for m in own if m.state == PartyMatch.State.CONFIRMED]
        found[party.pk] = gate.PartyStatus(
            party_id=party.pk,
            name=party.display_name,
            country=party.country,
            military_end_user=party.military_end_user,
            end_use=party.end_use,
            confirmed=tuple(f"{m.list_kind}:{m.entry_ref}" for m in confirmed),
            open_candidates=tuple(
                f"{m.list_kind}:{m.entry_ref}" for m in own if m.state != "confirmed"
            ),
            # A party checked since the list was last known current is not new to it.
            stale_lists=tuple(
                kind
                for kind, current_on in stale
                if current_on is None or timezone.localdate(party.created_at) > current_on
            ),
            prohibiting_lists=PROHIBITING_LISTS,
        )
    return found
