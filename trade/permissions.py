"""Who may do what with which licence application, shipment, candidate match or list version:
each rule named once, as a predicate (screening/permissions.py's counterpart).

Role capabilities (what a role may do at all) are rules.access; these add what depends on the
object: four-eyes on filing, overrides and dismissals, maker-checker on lists, and which list
versions a role sees. The domain functions guard with them, the views decide what to offer with
them, and the access matrix (tests/access_matrix.py) is the proof that both follow them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from rules.access import can

# The objects are passed in, never imported: the models and the domain use these predicates.
Application = Any
Shipment = Any
PartyMatch = Any
ListVersion = Any
User = Any


def may_file(application: Application, user: User) -> bool:
    """Four-eyes: whoever prepared an application does not mark it filed (superusers too)."""
    return can(user, "file_applications") and user.pk != application.prepared_by_id


def may_override(shipment: Shipment, user: User) -> bool:
    """Four-eyes: a reviewer releases a hold, never on a shipment they entered."""
    return can(user, "override_holds") and user.pk != shipment.entered_by_id


def may_accept_dismissal(match: PartyMatch, user: User) -> bool:
    """Four-eyes: a second reviewer accepts a dismissal another one proposed."""
    return can(user, "decide_party_matches") and user.pk != match.proposed_by_id


def may_publish_list(version: ListVersion, user: User) -> bool:
    """Maker-checker: a rules administrator who did not load the version publishes it."""
    return can(user, "load_lists") and user.pk != version.loaded_by_id


def may_see_lists(user: User) -> bool:
    """The lists' standing: whoever works with parties, and the administrators who load them."""
    return can(user, "view_trade") or can(user, "load_lists")


def list_versions_visible_to(versions: QuerySet[Any], user: User) -> QuerySet[Any]:
    """Drafts and rejected versions are the administrators' work: others see what was published
    (and what it superseded); a draft asked for by anyone else is 404."""
    if can(user, "load_lists"):
        return versions
    if not can(user, "view_trade"):
        return versions.none()
    return versions.filter(Q(status="published") | Q(status="superseded"))
