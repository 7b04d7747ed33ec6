"""What the export side's views share: objects a user may see (404 otherwise), the reasons of
a check turned into words with links to what clears them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from rules.access import can, signed_in
from rules.labels import country_name
from screening.paging import CappedPaginator
from trade.country_signal import country_relation
from trade.match_types import KNOWN_NAME
from trade.models import ListVersion, Party
from trade.models.parties import LIST_KINDS
from trade.permissions import list_versions_visible_to
from trade.reasons import clear_label, clear_url

PAGE_SIZE = 25
# Party references offered as suggestions in the forms that name a party (a datalist).
PARTY_SUGGESTIONS = 500


def require_any(
    *capabilities: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: 403 unless the user has one of the capabilities (rules.access.require
    for pages that more than one kind of work leads to, such as the lists' standing)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not any(can(request.user, capability) for capability in capabilities):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.capability = capabilities  # type: ignore[attr-defined]
        return wrapped

    return decorator


def page_of(request: HttpRequest, queryset: Any) -> Any:
    return CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def party_suggestions() -> list[tuple[str, str]]:
    """(reference, name) of parties for the forms' datalist, most recently changed first."""
    return list(
        Party.objects.order_by("-updated_at").values_list("reference", "name")[:PARTY_SUGGESTIONS]
    )


def versioned_action(
    request: HttpRequest,
    obj: Any,
    form: Any,
    act: Callable[[dict[str, Any]], Any],
    *,
    done: Callable[[Any], str],
    conflict: type[Exception],
    refused: type[Exception],
    page: Callable[[], HttpResponse],
) -> HttpResponse:
    """One POST action on a versioned object: the form, one domain call (`act` with the cleaned
    data), then back to the object. A page opened before someone else changed the object says
    so above it; any other refusal stays beside its field on the re-rendered page (`page`)."""
    if form.is_valid():
        try:
            outcome = act(form.cleaned_data)
        except conflict as exc:
            messages.error(request, str(exc))
            return redirect(obj)
        except refused as exc:
            form_error(form, exc)
        else:
            messages.success(request, done(outcome))
            return redirect(obj)
    return page()


def form_error(form: Any, exc: Exception) -> None:
    """A domain refusal beside the field it names, or above the form when it names none (a
    four-eyes rule, a prohibition, a stale page)."""
    form.add_error(
        getattr(exc, "field", None) if getattr(exc, "field", None) in form.fields else None,
        str(exc),
    )


def visible_list_version(request: HttpRequest, pk: int) -> ListVersion:
    user = signed_in(request)
    return get_object_or_404(
        list_versions_visible_to(ListVersion.objects.all(), user).select_related(
            "loaded_by", "published_by"
        ),
        pk=pk,
    )


def reason_messages() -> dict[str, str]:
    """Each hold reason in words, translated, by its code (params fill the placeholders)."""
    return {
        "no_determination": _("%(sku)s: no approved determination yet."),
        "determination_outdated": _(
            "%(sku)s: the rules changed since case %(case)s was decided; it needs a new "
            "determination."
        ),
        "no_licence": _("%(sku)s: a licence is required (%(codes)s) and no licence covers it."),
        "unit_mismatch": _(
            "%(sku)s: licence %(licence)s counts in %(unit)s; the line is in %(line_unit)s."
        ),
        "insufficient_balance": _(
            "%(sku)s: licence %(licence)s has %(left)s %(unit)s left; the line needs "
            "%(needed)s %(unit)s."
        ),
        "licence_revoked": _("%(sku)s: licence %(licence)s is revoked."),
        "licence_suspended": _("%(sku)s: licence %(licence)s is suspended."),
        "licence_not_valid_on_date": _(
            "%(sku)s: licence %(licence)s is valid %(from)s to %(until)s; the ship date is "
            "%(date)s."
        ),
        "licence_other_destination": _(
            "%(sku)s: licence %(licence)s covers exports to %(covered)s, not %(destination)s."
        ),
        "licence_other_parties": _(
            "%(sku)s: licence %(licence)s names another consignee or end user."
        ),
        "party_listed": _("%(party)s (%(roles)s) is %(entry)s: a confirmed match."),
        "party_candidate": _(
            "%(party)s (%(roles)s) may be %(entries)s: decide the candidate matches."
        ),
        "list_not_current": _(
            "%(lists)s: too old to clear %(party)s (%(roles)s); confirm the list is current."
        ),
        "military_end_user": _(
            "The end user %(party)s (%(country)s) is a military end user or states a military "
            "end use: dual-use exports are prohibited (MOFCOM 2024 No. 46 para. 1)."
        ),
        "military_unknown": _(
            "The end user %(party)s (%(country)s): whether it is a military end user is not "
            "known; an end-use statement is needed."
        ),
    }


def _roles(roles: list[str]) -> str:
    labels = {"consignee": _("consignee"), "end_user": _("end user")}
    named = [str(labels.get(role, role)) for role in roles]
    if len(named) == 2:
        return _("%(first)s and %(second)s") % {"first": named[0], "second": named[1]}
    return ", ".join(named)


def _entries(value: str) -> str:
    """The entries a reason names (control_list:CL01, watch_list:W2) as the lists' names and
    the entries' references."""
    labels = dict(LIST_KINDS)
    named = []
    for item in value.split(", "):
        kind, _sep, ref = item.partition(":")
        named.append(f"{labels[kind]} {ref}" if kind in labels and ref else item)
    return list_separator().join(named)


def _lists(value: str) -> str:
    """The lists a reason names (watch_list, control_list) by their names. Checks stored before
    the kinds were kept hold the names in English: those are translated as they are."""
    labels = dict(LIST_KINDS)
    return list_separator().join(
        str(labels[item]) if item in labels else _(item) for item in value.split(", ")
    )


def list_separator() -> str:
    """What goes between the items of a list in a sentence: "; " in English, 、 in Chinese."""
    return pgettext("between the items of a list in a sentence", "; ")


def in_words(reason: dict[str, Any], roles: list[str] | None = None) -> dict[str, Any]:
    """A stored reason as the page shows it: the sentence (translated), the link that clears it.
    `roles`: the roles of the party a reason concerns (one party may be consignee and end
    user; merge_party_reasons says it once)."""
    template = reason_messages().get(reason["code"])
    params = dict(reason.get("params") or {})
    params["roles"] = _roles(roles or [params.get("role", "")])
    for key in ("entry", "entries"):
        if key in params:
            params[key] = _entries(params[key])
    if "lists" in params:
        params["lists"] = _lists(params["lists"])
    try:
        text = template % params if template else reason["message"]
    except (KeyError, TypeError, ValueError):
        text = reason["message"]
    return {
        **reason,
        "text": text,
        "clear_url": clear_url(reason) or "",
        "clear_label": clear_label(reason),
    }


def merge_party_reasons(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A shipment's own reasons in words, each once: a party that is both consignee and end
    user is held once, for both roles."""
    grouped: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for reason in reasons:
        params = {k: v for k, v in (reason.get("params") or {}).items() if k != "role"}
        key = repr((reason["code"], reason.get("clear_id"), sorted(params.items())))
        role = (reason.get("params") or {}).get("role")
        if key in grouped:
            if role:
                grouped[key][1].append(role)
        else:
            grouped[key] = (reason, [role] if role else [])
    return [in_words(reason, roles or None) for reason, roles in grouped.values()]


def evidence_in_words(evidence: dict[str, Any], score: float) -> str:
    """A candidate match's reason (PartyMatch.evidence, and its score) as a sentence in the
    reader's language: which name of the party met which name of the entry, the name score, how
    the countries stand and the score. '' for a match found before the parts were kept (its
    English reason stands)."""
    if not evidence:
        return ""
    kinds = {
        "name": _("name"),
        "Chinese name": _("Chinese name"),
        "alias": _("alias"),
        KNOWN_NAME: _("known other name"),
    }
    party, entry = evidence.get("party_country", ""), evidence.get("entry_country", "")
    countries = {
        "same": _("same country (%(party)s)"),
        "neutral": _("%(party)s and %(entry)s, counted as neither the same nor another country"),
        "different": _("different countries (%(party)s, %(entry)s)"),
    }.get(country_relation(party, entry), _("countries not compared"))
    return _(
        "The party's %(party_kind)s “%(party_name)s” meets the entry's %(entry_kind)s "
        "“%(entry_name)s”: name score %(name_score).2f; %(countries)s; score %(score).2f."
    ) % {
        "party_kind": kinds.get(evidence["party_name_kind"], evidence["party_name_kind"]),
        "party_name": evidence["party_name"],
        "entry_kind": kinds.get(evidence["entry_name_kind"], evidence["entry_name_kind"]),
        "entry_name": evidence["entry_name"],
        "name_score": evidence["name_score"],
        "countries": countries % {"party": country_name(party), "entry": country_name(entry)},
        "score": score,
    }
