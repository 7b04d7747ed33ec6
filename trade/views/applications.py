"""Licence application pages: the list, preparing one from approved cases, an application with
its documents (kept with their SHA-256), filing it (four-eyes: not whoever prepared it),
recording a refusal or a withdrawal, and the printable application package. A grant is recorded
with its licence (trade.views.licences.licence_grant). Each view: access check → form → one
domain call → render or redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rules import audit
from rules.access import can, require, signed_in
from rules.responses import page_or_fragment
from screening import products
from screening.evidence import EXTENSIONS, download_name
from screening.models import Case
from trade import applications
from trade.applications import LicensingError
from trade.forms import (
    ApplicationFilter,
    ApplicationForm,
    DocumentForm,
    FileForm,
    ItemFormSet,
    ReasonForm,
    RefusalForm,
    approved_cases,
)
from trade.models import ApplicationDocument, ApplicationState, LicenceApplication, LicenceKind
from trade.permissions import may_file
from trade.views.common import form_error, page_of, party_suggestions

ITEM_FIELDS = ("case", "quantity", "unit", "value", "currency")
KIND_FOR_PATH = {
    "single": "dual_use_single",
    "general": "dual_use_general",
    "technology": "technology_export",
}


def visible_application(request: HttpRequest, pk: int) -> LicenceApplication:
    """Every application is visible to whoever works on the export side (a draft waits for
    someone else to file it); 404 for no such application."""
    return get_object_or_404(
        LicenceApplication.objects.select_related(
            "kind", "applicant", "consignee", "end_user", "prepared_by", "filed_by"
        ),
        pk=pk,
    )


@require_GET
@require("view_trade")
def application_list(request: HttpRequest) -> HttpResponse:
    found = LicenceApplication.objects.select_related("kind", "end_user", "prepared_by").order_by(
        "-last_activity_at", "-pk"
    )
    filters = ApplicationFilter(request.GET, queryset=found)
    context = {"filter": filters, "page": page_of(request, filters.qs), "nav": "applications"}
    return page_or_fragment(
        request, "trade/application_list.html", "trade/_application_rows.html", context
    )


def _initial_from_cases(request: HttpRequest) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What the approved cases chosen (?case=…) already say: the licence path decided, the
    destination, the end use, one item each."""
    ids = [pk for pk in request.GET.getlist("case") if pk.isdigit()]
    cases = list(approved_cases().filter(pk__in=ids).order_by("pk"))
    if not cases:
        return {}, [{"unit": "kg", "currency": "USD"}]
    first = cases[0]
    kind = LicenceKind.objects.filter(code=KIND_FOR_PATH.get(first.licence_path, "")).first()
    initial = {
        "kind": kind.pk if kind else None,
        "destination_country": first.destination_country,
        "end_use": first.end_use,
    }
    items = [{"case": case.pk, "unit": "kg", "currency": "USD"} for case in cases]
    return initial, items


def _item_rows(data: Any, *, add: int = 0) -> list[dict[str, str]]:
    try:
        total = min(int(data.get("items-TOTAL_FORMS", "1")), 20)
    except ValueError:
        total = 1
    rows = [{f: data.get(f"items-{i}-{f}", "") for f in ITEM_FIELDS} for i in range(total)]
    return rows + [{"unit": "kg", "currency": "USD"} for _ in range(add)]


@require_http_methods(["GET", "POST"])
@require("prepare_applications")
def application_new(request: HttpRequest) -> HttpResponse:
    """Prepare an application from one or more approved cases (?case=1&case=2 fills them in)."""
    user = signed_in(request)
    items_error = ""
    if request.method == "POST" and "add_item" in request.POST:
        form = ApplicationForm(initial=request.POST.dict())
        items = ItemFormSet(prefix="items", initial=_item_rows(request.POST, add=1))
    elif request.method == "POST":
        form = ApplicationForm(request.POST)
        items = ItemFormSet(request.POST, prefix="items")
        if form.is_valid() and items.is_valid():
            chosen = [
                applications.ItemInput(
                    case=row["case"],
                    quantity=row["quantity"],
                    unit=row.get("unit") or "kg",
                    value=row["value"],
                    currency=row.get("currency") or "USD",
                )
                for row in items.cleaned_data
                if row.get("case")
            ]
            try:
                application = applications.prepare_application(
                    user=user, items=chosen, **form.cleaned_data
                )
            except LicensingError as exc:
                if exc.field == "items":
                    items_error = str(exc)
                else:
                    form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(ref)s prepared as a draft. Attach its documents; someone else files it.")
                    % {"ref": application.reference},
                )
                return redirect(application)
    else:
        initial, rows = _initial_from_cases(request)
        form = ApplicationForm(initial=initial)
        items = ItemFormSet(prefix="items", initial=rows)
    context = {
        "form": form,
        "items": items,
        "items_error": items_error,
        "parties": party_suggestions(),
        "nav": "applications",
    }
    return render(request, "trade/application_form.html", context)


@require_GET
@require("view_trade")
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_page(request, visible_application(request, pk))


def _application_page(
    request: HttpRequest, application: LicenceApplication, **bound: Any
) -> HttpResponse:
    user = signed_in(request)
    draft = application.state == ApplicationState.DRAFT
    filed = application.state == ApplicationState.FILED
    labels = dict(ApplicationDocument.Kind.choices)
    missing = applications.missing_documents(application)
    needed = application.kind.documents or list(applications.DOCUMENT_KINDS_NEEDED)
    context = {
        "application": application,
        "items": application.items.select_related("product", "case"),
        "documents": application.documents.select_related("uploaded_by"),
        "checklist": [(labels.get(k, k), k not in missing) for k in needed],
        "missing": missing,
        "licences": application.licences.select_related("current"),
        "can_attach": draft and can(user, "prepare_applications"),
        "can_file": draft and can(user, "file_applications"),
        "four_eyes_blocks": draft
        and can(user, "file_applications")
        and not may_file(application, user),
        "can_decide": filed and can(user, "manage_licences"),
        "can_withdraw": (draft or filed)
        and (can(user, "prepare_applications") or can(user, "file_applications")),
        "document_form": DocumentForm(),
        "file_form": FileForm(initial={"version": application.version}),
        "refusal_form": RefusalForm(initial={"version": application.version}),
        "withdraw_form": ReasonForm(initial={"version": application.version}),
        "nav": "applications",
        **bound,
    }
    return render(request, "trade/application_detail.html", context)


@require_POST
@require("prepare_applications")
def application_document(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    application = visible_application(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = applications.attach_document(
                application=application,
                user=user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except LicensingError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s attached (SHA-256 %(hash)s…).")
                % {"name": document.original_name, "hash": document.sha256[:12]},
            )
            return redirect(f"{application.get_absolute_url()}#documents")
    return _application_page(request, application, document_form=form, show_documents=True)


@require_POST
@require("view_trade")
def application_document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """A document as attached. A POST, because every download is written to the audit trail."""
    user = signed_in(request)
    application = visible_application(request, pk)
    document = get_object_or_404(application.documents, pk=document_pk)
    audit.record(
        "licence.application.document_download",
        actor=user,
        obj=application,
        after={"document": document.pk, "name": document.original_name, "sha256": document.sha256},
    )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=download_name(
            document.original_name, EXTENSIONS.get(document.content_type, "bin")
        ),
        content_type=document.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@require("file_applications")
def application_file(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    application = visible_application(request, pk)
    form = FileForm(request.POST)
    if form.is_valid():
        try:
            application = applications.file_application(
                application=application,
                version=form.cleaned_data["version"],
                user=user,
                filed_on=form.cleaned_data["filed_on"],
                authority_reference=form.cleaned_data["authority_reference"],
            )
        except applications.Conflict as exc:
            messages.error(request, str(exc))
            return redirect(application)
        except LicensingError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("Filed on %(filed)s; the decision is due by %(due)s.")
                % {"filed": application.filed_on, "due": application.decision_due},
            )
            return redirect(application)
    return _application_page(request, application, file_form=form, show_file=True)


@require_POST
@require("manage_licences")
def application_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    application = visible_application(request, pk)
    form = RefusalForm(request.POST)
    if form.is_valid():
        try:
            applications.record_refusal(
                application=application,
                version=form.cleaned_data["version"],
                user=user,
                decided_on=form.cleaned_data["decided_on"],
                note=form.cleaned_data["note"],
            )
        except applications.Conflict as exc:
            messages.error(request, str(exc))
            return redirect(application)
        except LicensingError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The refusal is recorded."))
            return redirect(application)
    return _application_page(request, application, refusal_form=form, show_refusal=True)


@require_POST
@require("view_trade")
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    application = visible_application(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            applications.withdraw_application(
                application=application,
                version=form.cleaned_data["version"],
                user=user,
                reason=form.cleaned_data["reason"],
            )
        except applications.Conflict as exc:
            messages.error(request, str(exc))
            return redirect(application)
        except LicensingError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The application is withdrawn."))
            return redirect(application)
    return _application_page(request, application, withdraw_form=form, show_withdraw=True)


@require_GET
@require("view_trade")
def application_package(request: HttpRequest, pk: int) -> HttpResponse:
    """The application as the team files it: the applicant, each item with its control code,
    the technical description and the clause-by-clause classification from its case's frozen
    screening, the parties' statements and the documents with their hashes. Printable (the
    site's print stylesheet, as the decision record)."""
    application = visible_application(request, pk)
    labels = dict(ApplicationDocument.Kind.choices)
    items = []
    for item in application.items.select_related(
        "product", "case__spec", "case__screening__rule_set"
    ):
        case: Case = item.case
        items.append(
            {
                "item": item,
                "case": case,
                "spec": case.spec,
                "result": products.explain(case.screening),
                "catalogue": case.screening.rule_set.catalogue(),
            }
        )
    context = {
        "application": application,
        "items": items,
        "documents": application.documents.select_related("uploaded_by"),
        "missing": [labels.get(kind, kind) for kind in applications.missing_documents(application)],
        "nav": "applications",
    }
    return render(request, "trade/application_package.html", context)
