"""China's lists: how current each published list is, loading a list file (errors by row and
column; nothing half-loaded), a version with its changes against the published one, publishing
it (maker-checker: not whoever loaded it) and confirming a published list is current. Each view:
access check → form → one domain call → render or redirect."""

from __future__ import annotations

from typing import Any, TypedDict

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rules.access import can, require, signed_in
from trade import lists, rechecks
from trade.forms import ConfirmCurrentForm, ListUploadForm
from trade.lists import ListLoadError, PartyError
from trade.models import ListEntryRow, ListVersion
from trade.permissions import list_versions_visible_to, may_publish_list
from trade.views.common import form_error, page_of, require_any, visible_list_version
from trade.views.licences import recheck_message

SEE_LISTS = ("view_trade", "load_lists")


class ListDiff(TypedDict):
    """A list version's entries against the version before it (the page's "changes")."""

    added: list[ListEntryRow]
    changed: list[tuple[ListEntryRow, ListEntryRow | None]]  # as now, as before
    removed: list[ListEntryRow | str]  # as before, or the reference where it is not found
    before: ListVersion | None


@require_GET
@require_any(*SEE_LISTS)
def list_standing(request: HttpRequest) -> HttpResponse:
    return _standing_page(request)


def _standing_page(request: HttpRequest, **bound: Any) -> HttpResponse:
    user = signed_in(request)
    standings = lists.standings()
    forms = {
        s.kind: bound["confirm_form"]
        if bound.get("confirm_kind") == s.kind
        else ConfirmCurrentForm()
        for s in standings
    }
    versions = list_versions_visible_to(ListVersion.objects.all(), user).select_related(
        "loaded_by", "published_by"
    )
    context = {
        "standings": [(s, forms[s.kind]) for s in standings],
        "versions": page_of(request, versions.order_by("-loaded_at", "-pk")),
        "can_load": can(user, "load_lists"),
        "nav": "lists",
    }
    return render(request, "trade/list_standing.html", context)


@require_http_methods(["GET", "POST"])
@require("load_lists")
def list_upload(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = ListUploadForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            versions = lists.load_list_file(
                user=user,
                data=upload.read(),
                filename=upload.name or "",
                note=form.cleaned_data["note"],
            )
        except ListLoadError as exc:
            form.add_error("file", str(exc))
            errors = exc.errors
        except PartyError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("Loaded as draft: %(versions)s. Another administrator checks and publishes it.")
                % {"versions": ", ".join(str(v) for v in versions)},
            )
            return redirect(versions[0])
    context = {"form": form, "errors": errors, "nav": "lists"}
    return render(request, "trade/list_upload.html", context)


def _diff_rows(version: ListVersion) -> ListDiff:
    """The entries added, changed and removed, with their names: added and changed ones as in
    this version, removed ones as in the version before it."""
    diff = version.diff or {}
    here = {
        row.entry_ref: row
        for row in version.entries.filter(
            entry_ref__in=[*diff.get("added", []), *diff.get("changed", [])]
        )
    }
    before = (
        ListVersion.objects.filter(kind=version.kind, number__lt=version.number)
        .filter(Q(status=ListVersion.Status.PUBLISHED) | Q(status=ListVersion.Status.SUPERSEDED))
        .order_by("-number")
        .first()
    )
    gone = (
        {r.entry_ref: r for r in before.entries.filter(entry_ref__in=diff.get("removed", []))}
        if before
        else {}
    )
    old = (
        {r.entry_ref: r for r in before.entries.filter(entry_ref__in=diff.get("changed", []))}
        if before
        else {}
    )
    return {
        "added": [here[ref] for ref in diff.get("added", []) if ref in here],
        "changed": [(here[ref], old.get(ref)) for ref in diff.get("changed", []) if ref in here],
        "removed": [gone.get(ref) or ref for ref in diff.get("removed", [])],
        "before": before,
    }


@require_GET
@require_any(*SEE_LISTS)
def list_version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    version = visible_list_version(request, pk)
    entries = version.entries.all()
    query = (request.GET.get("q") or "").strip()
    if query:
        entries = entries.filter(Q(name__icontains=query) | Q(entry_ref__icontains=query))
    context = {
        "version": version,
        "diff": _diff_rows(version),
        "entries": page_of(request, entries.order_by("entry_ref")),
        "q": query,
        "can_publish": version.status == ListVersion.Status.DRAFT
        and may_publish_list(version, user),
        "maker_blocks": version.status == ListVersion.Status.DRAFT
        and can(user, "load_lists")
        and not may_publish_list(version, user),
        "nav": "lists",
    }
    return render(request, "trade/list_version_detail.html", context)


@require_POST
@require("load_lists")
def list_version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish (maker-checker): every party is screened against it and the shipments not yet
    exported are checked again."""
    user = signed_in(request)
    version = visible_list_version(request, pk)
    try:
        version, held = rechecks.publish_list(version=version, user=user)
    except PartyError as exc:
        messages.error(request, str(exc))
        return redirect(version)
    messages.success(request, _("%(version)s published.") % {"version": version})
    recheck_message(request, rechecks.Rechecked(held=held))
    return redirect(version)


@require_POST
@require("load_lists")
def list_version_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm a published list is current (checked against MOFCOM's pages)."""
    user = signed_in(request)
    version = visible_list_version(request, pk)
    form = ConfirmCurrentForm(request.POST)
    if version.status != ListVersion.Status.PUBLISHED:
        messages.error(request, _("Only the published version of a list is confirmed current."))
        return redirect("list_standing")
    if form.is_valid():
        try:
            version, result = rechecks.confirm_list_current(
                version=version, user=user, source=form.cleaned_data["source"]
            )
        except PartyError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("%(version)s confirmed current on %(date)s.")
                % {"version": version, "date": version.confirmed_current_on},
            )
            recheck_message(request, result)
            return redirect("list_standing")
    return _standing_page(request, confirm_form=form, confirm_kind=version.kind)
