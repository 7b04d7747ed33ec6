"""Party pages: the list, a party with its candidate matches against China's lists (score and
reason in words) and the decisions on them (confirm; propose a dismissal, which a second
reviewer accepts), entering and changing a party. Each view: access check → form → one domain
call → render or redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rules.access import can, require, signed_in
from rules.responses import page_or_fragment
from trade import lists, parties, rechecks
from trade.filters import PartyFilter
from trade.forms import DecisionForm, PartyForm
from trade.lists import PartyError
from trade.models import OPEN_SHIPMENT_STATES, Party, PartyMatch, Shipment
from trade.permissions import may_accept_dismissal
from trade.views.common import evidence_in_words, form_error, page_of
from trade.views.licences import recheck_message

OPEN_MATCH_STATES = (PartyMatch.State.OPEN, PartyMatch.State.DISMISS_PROPOSED)
# action → the trade.parties decision (rechecks.decide_match runs it, then re-checks).
DECISIONS: dict[str, Callable[..., PartyMatch]] = {
    "confirm": parties.confirm_match,
    "dismiss": parties.propose_dismissal,
    "accept": parties.accept_dismissal,
}


def visible_party(request: HttpRequest, pk: int) -> Party:
    """Every party is visible to whoever works on the export side; 404 for no such party."""
    return get_object_or_404(Party.objects.select_related("created_by"), pk=pk)


@require_GET
@require("view_trade")
def party_list(request: HttpRequest) -> HttpResponse:
    found = Party.objects.annotate(
        open_matches=Count("matches", filter=Q(matches__state__in=OPEN_MATCH_STATES)),
        confirmed_matches=Count("matches", filter=Q(matches__state=PartyMatch.State.CONFIRMED)),
    ).order_by("name", "name_zh", "pk")
    filters = PartyFilter(request.GET, queryset=found)
    context = {"filter": filters, "page": page_of(request, filters.qs), "nav": "parties"}
    return page_or_fragment(request, "trade/party_list.html", "trade/_party_rows.html", context)


def no_match_lines(party: Party, matches: list[PartyMatch]) -> list[dict[str, Any]]:
    """Each published list on which the party has no open or confirmed candidate: what was
    checked, never "cleared" (a list is only as complete as what was loaded)."""
    flagged = {m.list_kind for m in matches if m.state != PartyMatch.State.DISMISSED}
    return [
        {"standing": standing, "dismissed": any(m.list_kind == standing.kind for m in matches)}
        for standing in lists.standings()
        if standing.kind not in flagged
    ]


@require_GET
@require("view_trade")
def party_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _party_page(request, visible_party(request, pk))


def _party_page(request: HttpRequest, party: Party, **bound: Any) -> HttpResponse:
    user = signed_in(request)
    matches = list(
        party.matches.select_related("entry__version", "proposed_by", "decided_by").order_by(
            "-score", "pk"
        )
    )
    decide = can(user, "decide_party_matches")
    rows = [
        {
            "match": m,
            "evidence": evidence_in_words(m.evidence, m.score),
            "can_confirm": decide and m.state in OPEN_MATCH_STATES,
            "can_propose": decide and m.state == PartyMatch.State.OPEN,
            "can_accept": m.state == PartyMatch.State.DISMISS_PROPOSED
            and may_accept_dismissal(m, user),
            "four_eyes_blocks": decide
            and m.state == PartyMatch.State.DISMISS_PROPOSED
            and not may_accept_dismissal(m, user),
            "form": bound["decision_form"]
            if bound.get("decision_match") == m.pk
            else DecisionForm(initial={"version": m.version}),
            "action": bound.get("decision_action") if bound.get("decision_match") == m.pk else "",
        }
        for m in matches
    ]
    shipments = (
        Shipment.objects.filter(Q(consignee=party) | Q(end_user=party))
        .filter(state__in=OPEN_SHIPMENT_STATES)
        .order_by("planned_ship_date", "pk")[:50]
    )
    context = {
        "party": party,
        "matches": rows,
        "no_match": no_match_lines(party, matches),
        "shipments": shipments,
        "can_edit": can(user, "edit_parties"),
        "nav": "parties",
    }
    return render(request, "trade/party_detail.html", context)


def _party_form_page(request: HttpRequest, form: PartyForm, party: Party | None) -> HttpResponse:
    return render(
        request, "trade/party_form.html", {"form": form, "party": party, "nav": "parties"}
    )


def _save(request: HttpRequest, form: PartyForm, party: Party | None) -> HttpResponse | None:
    """Save a valid form through the domain; the redirect, or None with the errors on the form."""
    user = signed_in(request)
    data = dict(form.cleaned_data)
    if party is not None:
        data["reference"] = party.reference
    elif Party.objects.filter(reference=data["reference"].strip()).exists():
        form.add_error("reference", _("A party has this reference already: change that one."))
        return None
    try:
        saved, changed = parties.save_party(user=user, **data)
    except PartyError as exc:
        form_error(form, exc)
        return None
    if changed:
        messages.success(
            request,
            _("%(party)s saved and checked against the published lists.") % {"party": saved},
        )
    else:
        messages.info(request, _("Nothing changed."))
    return redirect(saved)


@require_http_methods(["GET", "POST"])
@require("edit_parties")
def party_new(request: HttpRequest) -> HttpResponse:
    form = PartyForm(request.POST or None, initial={"military_end_user": "unknown"})
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, None)
        if done is not None:
            return done
    return _party_form_page(request, form, None)


@require_http_methods(["GET", "POST"])
@require("edit_parties")
def party_edit(request: HttpRequest, pk: int) -> HttpResponse:
    party = visible_party(request, pk)
    initial = {
        "reference": party.reference,
        "name": party.name,
        "name_zh": party.name_zh,
        "aliases": "\n".join(party.aliases),
        "country": party.country,
        "address": party.address,
        "roles": party.roles,
        "end_use": party.end_use,
        "military_end_user": party.military_end_user,
    }
    form = PartyForm(request.POST or None, initial=initial)
    form.fields["reference"].disabled = True
    if request.method == "POST" and form.is_valid():
        done = _save(request, form, party)
        if done is not None:
            return done
    return _party_form_page(request, form, party)


@require_POST
@require("decide_party_matches")
def party_match_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Confirm a candidate, propose that it is not the same party, or accept a proposal
    (a second reviewer); then the shipments are checked again."""
    user = signed_in(request)
    if action not in DECISIONS:
        raise Http404
    match = get_object_or_404(PartyMatch.objects.select_related("party"), pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        arguments: dict[str, Any] = {"match": match, "version": form.cleaned_data["version"]}
        if action != "accept":
            arguments["rationale"] = form.cleaned_data["rationale"]
        try:
            match, result = rechecks.decide_match(DECISIONS[action], user=user, **arguments)
        except PartyError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("%(entry)s: %(state)s.")
                % {"entry": match.entry_ref, "state": match.get_state_display()},
            )
            recheck_message(request, result)
            return redirect(f"{match.party.get_absolute_url()}#match-{match.pk}")
    return _party_page(
        request,
        match.party,
        decision_form=form,
        decision_match=match.pk,
        decision_action=action,
    )
