"""Who may do what: roles (Django groups) and the capabilities each role has.

Views and domain functions ask `can(user, capability)`; the access tests are generated from
the same table (tests/screening/test_access.py), so what is enforced and what is tested cannot
drift apart. Superusers have every capability, but workflow rules such as four-eyes approval
still bind them (screening.workflow).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _

ANALYST = "compliance_analyst"
REVIEWER = "reviewer"
RULES_ADMIN = "rules_administrator"
ROLES = (ANALYST, REVIEWER, RULES_ADMIN)
ROLE_LABELS = {
    ANALYST: _("Compliance analyst"),
    REVIEWER: _("Reviewer (manager)"),
    RULES_ADMIN: _("Rules administrator"),
}

# Model permissions each role's group holds, for Django admin. Analysts and reviewers work in
# the application, not in admin.
ROLE_ADMIN_PERMISSIONS: dict[str, tuple[str, ...]] = {
    ANALYST: (),
    REVIEWER: (),
    RULES_ADMIN: tuple(
        f"rules.{action}_{model}"
        for model in (
            "ruleset",
            "measure",
            "statuswindow",
            "entry",
            "entryscope",
            "criterion",
            "referenceproduct",
            "referenceexpectation",
        )
        for action in ("add", "change", "delete", "view")
    ),
}

EVERY_ROLE = frozenset(ROLES)
CAPABILITIES: dict[str, frozenset[str]] = {
    # Browse products, screenings and the catalogue.
    "view": EVERY_ROLE,
    # Enter and change product specs, and upload spreadsheets of them.
    "edit_specs": frozenset({ANALYST}),
    # Screen a product as of a date (recorded, but changes no spec).
    "screen": frozenset({ANALYST, REVIEWER}),
    # See cases (which ones: screening.models.Case.objects.visible_to).
    "view_cases": frozenset({ANALYST, REVIEWER}),
    # Open cases from screenings, edit them, submit them, answer requests for information.
    "prepare_cases": frozenset({ANALYST}),
    # Take submitted cases, ask for information, determine and approve (never one's own).
    "review_cases": frozenset({REVIEWER}),
    # Publish a draft rule set that someone else prepared (maker-checker), confirm statuses.
    "publish_rules": frozenset({RULES_ADMIN}),
    # Follow rule-set drafts, impact previews and re-screens.
    "view_rule_changes": frozenset({REVIEWER, RULES_ADMIN}),
    # Read the audit trail of the whole system.
    "view_audit": frozenset({REVIEWER, RULES_ADMIN}),
    # See the exposure dashboard: aggregates over all cases, whoever may open them.
    "view_dashboard": EVERY_ROLE,
    # The export side (trade): licences, applications, shipments, parties and lists.
    "view_trade": frozenset({ANALYST, REVIEWER}),
    # Prepare licence applications from approved cases and attach their documents.
    "prepare_applications": frozenset({ANALYST}),
    # Mark an application filed with MOFCOM (never one's own: four-eyes, trade.licensing).
    "file_applications": frozenset({ANALYST, REVIEWER}),
    # Record licences as granted, amend them, record revocations and refusals.
    "manage_licences": frozenset({ANALYST, REVIEWER}),
    # Enter export orders, confirm exports, cancel orders.
    "enter_shipments": frozenset({ANALYST}),
    # Release a held shipment on a documented decision (never one's own: four-eyes).
    "override_holds": frozenset({REVIEWER}),
    # Enter and change consignees and end users.
    "edit_parties": frozenset({ANALYST, REVIEWER}),
    # Decide candidate matches against China's lists (dismissals need a second reviewer).
    "decide_party_matches": frozenset({REVIEWER}),
    # Load list files and publish versions someone else loaded (maker-checker).
    "load_lists": frozenset({RULES_ADMIN}),
}


def roles_of(user: User | AnonymousUser) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_screening_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True)) & EVERY_ROLE
        # Kept on the user object for the rest of the request.
        user._screening_roles = cached  # type: ignore[attr-defined]
    return cached


def signed_in(request: HttpRequest) -> User:
    """The user of a request that only a signed-in user reaches (a view behind `require`,
    Django admin), typed as such; anyone else is refused as `require` refuses them."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user


def can(user: User | AnonymousUser, capability: str) -> bool:
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(roles_of(user) & CAPABILITIES[capability])


def require(
    capability: str,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """View decorator: 403 unless the user has the capability."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not can(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def ensure_roles() -> None:
    """Create the role groups and give them their admin permissions (idempotent).

    The permissions are looked up in one query (this runs after every `migrate`)."""
    from django.contrib.auth.models import Group, Permission

    named = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.filter(
            codename__in={d.split(".")[1] for ds in ROLE_ADMIN_PERMISSIONS.values() for d in ds}
        ).select_related("content_type")
    }
    for role, permissions in ROLE_ADMIN_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = [named[dotted] for dotted in permissions if dotted in named]
        group.permissions.add(*wanted)


def capabilities(request: HttpRequest) -> dict[str, Any]:
    """Template context processor: `can.<capability>` for the current user."""
    user = getattr(request, "user", None)
    if user is None:
        return {"can": {}}
    return {"can": {name: can(user, name) for name in CAPABILITIES}}
