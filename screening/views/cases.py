"""Case pages. Each view: access check → form → one domain call → render or redirect."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rules import audit
from rules.access import can, require, signed_in
from rules.responses import JSON, download, page_or_fragment
from screening import products, retention, workflow
from screening.evidence import EXTENSIONS, EvidenceError, attach, download_name
from screening.forms.cases import (
    ApproveForm,
    CaseFilter,
    CommentForm,
    EvidenceForm,
    LegalHoldForm,
    MessageForm,
    ShipmentForm,
)
from screening.models import Case, CaseEvent, Screening
from screening.models.cases import OPEN_STATES, State
from screening.paging import CappedPaginator
from screening.permissions import (
    is_preparer,
    may_attach_evidence,
    may_edit_shipment,
    may_set_legal_hold,
    preparers_remembered,
)
from screening.records import export_record

PAGE_SIZE = 25

# action name → (domain function, whether the message is required, its label)
ACTIONS: dict[str, tuple[Any, bool]] = {
    "submit": (workflow.submit, False),
    "start_review": (workflow.start_review, False),
    "take_over": (workflow.take_over, False),
    "request_information": (workflow.request_information, True),
    "answer": (workflow.answer, True),
    "close": (workflow.close, False),
    "withdraw": (workflow.withdraw, True),
}


def visible_case(request: HttpRequest, pk: int) -> Case:
    """The case, if this user may see it; 404 otherwise (never reveal that it exists)."""
    user = signed_in(request)
    case = get_object_or_404(
        Case.objects.visible_to(user).select_related(
            "product",
            "spec",
            "screening__rule_set",
            "prepared_by",
            "submitted_by",
            "reviewer",
            "approved_by",
        ),
        pk=pk,
    )
    # One instance per row: the screening's spec and product are usually the case's own, and
    # the page reads them through both (each would otherwise be loaded again).
    screening = case.screening
    if screening.spec_id == case.spec_id:
        screening.spec = case.spec
    if screening.product_id == case.product_id:
        screening.product = case.product
    if case.spec.product_id == case.product_id:
        case.spec.product = case.product
    return case


@require_GET
@require("view_cases")
def case_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    cases = Case.objects.visible_to(user).for_list()
    data = request.GET.copy()
    data.setdefault("sort", "updated")
    filters = CaseFilter(data, queryset=cases, user=user)
    page = CappedPaginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": filters, "page": page, "nav": "cases"}
    return page_or_fragment(
        request, "screening/case_list.html", "screening/_case_rows.html", context
    )


@require_http_methods(["GET", "POST"])
@require("prepare_cases")
def case_create(request: HttpRequest, screening_pk: int) -> HttpResponse:
    user = signed_in(request)
    screening = get_object_or_404(
        Screening.objects.select_related("spec", "product"), pk=screening_pk
    )
    form = ShipmentForm(
        request.POST or None,
        initial={
            "destination_country": screening.spec.destination_country,
            "expected_value_usd": screening.spec.annual_export_value_usd,
        },
    )
    # Another open case of the same product splits the work: say so, and ask before opening.
    already_open = Case.objects.visible_to(user).filter(
        product=screening.product, state__in=OPEN_STATES
    )
    confirmed = not already_open.exists() or request.POST.get("open_another") == "on"
    if request.method == "POST" and form.is_valid() and confirmed:
        case = workflow.create_case(screening=screening, user=user, shipment=form.cleaned_data)
        messages.success(request, _("Case %(ref)s opened as a draft.") % {"ref": case.reference})
        return redirect(case)
    context = {
        "form": form,
        "screening": screening,
        "already_open": already_open,
        "confirm_missing": request.method == "POST" and not confirmed,
    }
    return render(request, "screening/case_form.html", context)


@require_GET
@require("view_cases")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, visible_case(request, pk))


def _case_page(request: HttpRequest, case: Case, **bound: Any) -> HttpResponse:
    """The case page; `bound` replaces a form by the user's (approve_form, comment_form) when
    it has errors, so the input stays and each error shows beside its field."""
    user = signed_in(request)
    with preparers_remembered():
        return _render_case_page(request, case, user, bound)


def _render_case_page(
    request: HttpRequest, case: Case, user: User, bound: dict[str, Any]
) -> HttpResponse:
    context = {
        "case": case,
        "open_request": open_request(case),
        # A reviewer who prepared the case is told why they may not review it.
        "four_eyes": case.state in (State.SUBMITTED, State.IN_REVIEW)
        and can(user, "review_cases")
        and is_preparer(case, user),
        "result": products.explain(case.screening),
        "catalogue": case.screening.rule_set.catalogue(),
        "spec": case.spec,
        "actions": workflow.available_actions(case, user),
        "action_form": MessageForm(initial={"version": case.version}),
        "approve_form": ApproveForm(initial={"version": case.version}, case=case),
        "comment_form": CommentForm(),
        "evidence_form": EvidenceForm(case=case),
        "hold_form": LegalHoldForm(initial={"hold": not case.legal_hold}),
        "events": case.events.select_related("actor"),
        "evidence": case.evidence.select_related("uploaded_by"),
        "can_edit": may_edit_shipment(case, user),
        "can_attach": may_attach_evidence(case, user),
        "can_hold": may_set_legal_hold(user),
        **bound,
    }
    return render(request, "screening/case_detail.html", context)


def open_request(case: Case) -> CaseEvent | None:
    """The reviewer's request for information the case waits on (the latest), if it does."""
    if case.state != State.RETURNED:
        return None
    requests = case.events.filter(kind=CaseEvent.Kind.INFO_REQUESTED).select_related("actor")
    return requests.order_by("-at", "-pk").first()


@require_http_methods(["GET", "POST"])
@require("prepare_cases")
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    case = visible_case(request, pk)
    if not may_edit_shipment(case, user):
        messages.error(
            request, _("Shipment details can be changed only in a draft or returned case.")
        )
        return redirect(case)
    form = ShipmentForm(request.POST or None, instance=case)
    version = request.POST.get("version", case.version)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.update_shipment(
                case=case, version=int(version), user=user, changes=form.cleaned_data
            )
        except workflow.WorkflowError as exc:
            messages.error(request, str(exc))
        return redirect(case)
    return render(request, "screening/case_form.html", {"form": form, "case": case})


@require_POST
@require("view_cases")
def case_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = signed_in(request)
    if action not in ACTIONS:
        raise Http404
    case = visible_case(request, pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("The form was incomplete. Reload the case."))
    function, needs_message = ACTIONS[action]
    kwargs: dict[str, Any] = {
        "case": case,
        "version": form.cleaned_data["version"],
        "user": user,
    }
    if action == "withdraw":
        kwargs["reason"] = form.cleaned_data["message"]
    elif needs_message or action in ("submit", "close"):
        kwargs["message"] = form.cleaned_data["message"]
    try:
        function(**kwargs)
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    return redirect(case)


@require_POST
@require("review_cases")
def case_approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    case = visible_case(request, pk)
    form = ApproveForm(request.POST, case=case)
    if not form.is_valid():
        return _case_page(request, case, approve_form=form)
    data = form.cleaned_data
    try:
        workflow.approve(
            case=case,
            version=data["version"],
            user=user,
            determination=data["determination"],
            rationale=data["rationale"],
            entries=data["entries"],
            licence_path=data["licence_path"],
            departure_reason=data["departure_reason"],
        )
    except workflow.Conflict as exc:
        messages.error(request, str(exc))
    except workflow.WorkflowError as exc:
        if exc.field is None:
            messages.error(request, str(exc))
            return redirect(case)
        form.add_error(exc.field, str(exc))
        return _case_page(request, case, approve_form=form)
    else:
        messages.success(request, _("Determination recorded."))
    return redirect(case)


@require_POST
@require("view_cases")
def case_comment(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    case = visible_case(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, comment_form=form)
    workflow.comment(case=case, user=user, message=form.cleaned_data["message"])
    return redirect(f"{case.get_absolute_url()}#timeline")


@require_POST
@require("view_cases")
def case_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    case = visible_case(request, pk)
    form = EvidenceForm(request.POST, request.FILES, case=case)
    if not form.is_valid():
        messages.error(request, _("Choose a file to attach."))
        return redirect(case)
    try:
        attach(
            case=case,
            user=user,
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
            parameters=form.cleaned_data["parameters"],
        )
    except EvidenceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Evidence attached."))
    return redirect(f"{case.get_absolute_url()}#evidence")


@require_POST
@require("view_cases")
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    """An evidence file. A POST, because every download is written to the audit trail."""
    user = signed_in(request)
    case = visible_case(request, pk)
    evidence = get_object_or_404(case.evidence, pk=evidence_pk)
    audit.record(
        "case.evidence_download",
        actor=user,
        obj=case,
        after={"evidence": evidence.pk, "name": evidence.original_name, "sha256": evidence.sha256},
    )
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=download_name(
            evidence.original_name, EXTENSIONS.get(evidence.content_type, "bin")
        ),
        content_type=evidence.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
@require("view_cases")
def case_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision record, as a printable page or (?format=json) as JSON to download. A GET,
    so it reloads and bookmarks; the export is audited once per user and format a day."""
    user = signed_in(request)
    case = visible_case(request, pk)
    fmt = "json" if request.GET.get("format") == "json" else "html"
    record, digest = export_record(case=case, user=user, fmt=fmt)
    if fmt == "json":
        return download(
            json.dumps({"record": record, "record_sha256": digest}, ensure_ascii=False, indent=2),
            filename=f"{case.reference}-record.json",
            content_type=JSON,
        )
    context = {
        "case": case,
        "record": record,
        "digest": digest,
        "result": products.explain(case.screening),
        "catalogue": case.screening.rule_set.catalogue(),
        "spec": case.spec,
    }
    return render(request, "screening/case_record.html", context)


@require_POST
@require("view_cases")
def case_legal_hold(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    case = visible_case(request, pk)
    form = LegalHoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the legal hold decision."))
        return redirect(case)
    try:
        retention.set_legal_hold(
            case=case,
            user=user,
            hold=form.cleaned_data["hold"],
            reason=form.cleaned_data["reason"],
        )
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    return redirect(case)


@require_POST
@require("view_cases")
def case_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """Base a flagged case on its re-screening under the new rules."""
    user = signed_in(request)
    case = visible_case(request, pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("The form was incomplete. Reload the case."))
    try:
        workflow.adopt_rescreening(case=case, version=form.cleaned_data["version"], user=user)
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    return redirect(case)
