"""Rule-set pages: drafts, their changes and reference checks, impact previews, publishing."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from rules import audit
from rules.access import require, signed_in
from rules.labels import message_text
from rules.models import RuleSet
from rules.publishing import (
    PublishError,
    check_draft,
    create_draft,
    proposed_version,
)
from rules.responses import HtmxHttpRequest, csv_download
from screening import products, rescreening, rule_changes
from screening.exports import csv_text
from screening.forms.rulesets import DateForm, PublishForm
from screening.models import Rescreen

PAGE_SIZE = 50
CHANGE_LISTS = ("products", "cases", "decided")


@require_GET
@require("view_rule_changes")
def ruleset_list(request: HttpRequest) -> HttpResponse:
    context = {
        "current": RuleSet.objects.current(),
        "drafts": RuleSet.objects.filter(status=RuleSet.Status.DRAFT).select_related("created_by"),
        "published": RuleSet.objects.published()
        .select_related("published_by")
        .order_by("-published_at")[:20],
        "rescreens": Rescreen.objects.select_related("candidate", "baseline", "created_by")[:20],
        "date_form": DateForm(initial={"as_of": timezone.localdate() + dt.timedelta(days=30)}),
        "nav": "rules",
    }
    return render(request, "screening/ruleset_list.html", context)


@require_GET
@require("view_rule_changes")
def ruleset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    rule_set = get_object_or_404(
        RuleSet.objects.select_related("created_by", "published_by"), pk=pk
    )
    current = RuleSet.objects.current()
    context = {
        "rule_set": rule_set,
        "current": current,
        "nav": "rules",
        "date_form": DateForm(initial={"as_of": timezone.localdate()}),
    }
    if not rule_set.is_published:
        review = rule_changes.review(rule_set, current=current, user=user)
        context.update(
            vars(review),
            publish_form=PublishForm(
                rule_set=rule_set,
                initial={
                    "version": proposed_version(timezone.localdate()),
                    "preview": review.preview.pk if review.preview else None,
                },
            ),
        )
    context["rescreens"] = Rescreen.objects.filter(candidate=rule_set)
    return render(request, "screening/ruleset_detail.html", context)


@require_POST
@require("publish_rules")
def ruleset_draft(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    draft = create_draft(products.current_rule_set(), user=user)
    messages.success(
        request,
        _(
            "Draft %(version)s created. Edit its measures and entries in administration; "
            "another rules administrator publishes it."
        )
        % {"version": draft.version},
    )
    return redirect("ruleset_detail", pk=draft.pk)


@require_POST
@require("publish_rules")
def ruleset_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Impact of a draft (or of the current rules on another date) on the whole portfolio."""
    user = signed_in(request)
    candidate = get_object_or_404(RuleSet, pk=pk)
    form = DateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid date."))
        return redirect("ruleset_detail", pk=pk)
    as_of = form.cleaned_data["as_of"]
    if not candidate.is_published:
        _catalogue, invalid, _failures = check_draft(candidate)
        if invalid:
            messages.error(
                request, _("The draft is not consistent: %(e)s") % {"e": message_text(invalid)}
            )
            return redirect("ruleset_detail", pk=pk)
    rescreen = rescreening.start(
        kind=Rescreen.Kind.PREVIEW,
        candidate=candidate,
        candidate_as_of=as_of,
        user=user,
        baseline_as_of=as_of if not candidate.is_published else timezone.localdate(),
    )
    return redirect(rescreen)


@require_POST
@require("publish_rules")
def ruleset_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    rule_set = get_object_or_404(RuleSet, pk=pk)
    form = PublishForm(request.POST, rule_set=rule_set)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(
                request, _("Not published: %(e)s") % {"e": f"{label}: {' '.join(map(str, errors))}"}
            )
        return redirect("ruleset_detail", pk=pk)
    data = form.cleaned_data
    try:
        rescreen = rule_changes.publish_and_rescreen(
            rule_set=rule_set,
            user=user,
            version=data["version"],
            rationale=data["rationale"],
            source=data["source"],
            preview=data["preview"],
        )
    except PublishError as exc:
        messages.error(request, _("Not published: %(e)s") % {"e": exc})
        return redirect("ruleset_detail", pk=pk)
    messages.success(
        request,
        _("%(version)s published; the portfolio is being re-screened.")
        % {"version": rescreen.candidate.version},
    )
    return redirect(rescreen)


@require_GET
@require("view_rule_changes")
def rescreen_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    rescreen = get_object_or_404(
        Rescreen.objects.select_related("candidate", "baseline", "created_by"), pk=pk
    )
    if request.htmx and request.GET.get("progress"):
        if not rescreen.busy:
            return HttpResponseClientRefresh()
        return render(request, "screening/_rescreen_progress.html", {"rescreen": rescreen})
    shown = request.GET.get("list", "")
    if shown not in CHANGE_LISTS:
        shown = "decided" if request.GET.get("decided") == "1" else "products"
    changes = rule_changes.change_list(rescreen, shown).select_related(
        "product__current_spec", "case"
    )
    page = Paginator(changes, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"rescreen": rescreen, "page": page, "list": shown, "nav": "rules"}
    return render(request, "screening/rescreen_detail.html", context)


@require_POST
@require("view_rule_changes")
def rescreen_csv(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    rescreen = get_object_or_404(Rescreen.objects.select_related("baseline", "candidate"), pk=pk)
    text = csv_text(rule_changes.REPORT_COLUMNS, rule_changes.report(rescreen))
    audit.record(
        "rules.rescreen_export",
        actor=user,
        obj=rescreen,
        after={"rows": rescreen.changes.count()},
    )
    return csv_download(text, filename=f"rescreen-{rescreen.pk}.csv")
