"""Upload pages: template, upload, dry-run preview with progress, import, history."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from rules import audit
from rules.access import require, signed_in
from rules.labels import message_text
from rules.messages import message_of
from rules.responses import XLSX, HtmxHttpRequest, csv_download, download, page_or_fragment
from screening import spec_template
from screening.evidence import download_name
from screening.forms.uploads import CommitForm, UploadForm
from screening.imports import checking, committing, receiving, stalls
from screening.models import SpecVersion, Upload, UploadRow
from screening.permissions import may_import_upload

PAGE_SIZE = 50


ROW_FILTERS = {
    "errors": {"action": UploadRow.Action.INVALID},
    "new": {"action": UploadRow.Action.NEW},
    "changed": {"action": UploadRow.Action.CHANGED},
    "unchanged": {"action": UploadRow.Action.UNCHANGED},
}


@require_GET
@require("view_cases")
def upload_list(request: HttpRequest) -> HttpResponse:
    uploads = Upload.objects.select_related("uploaded_by", "committed_by")
    page = Paginator(uploads, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "screening/upload_list.html", {"page": page, "nav": "uploads"})


@require_http_methods(["GET", "POST"])
@require("edit_specs")
def upload_new(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        limit = settings.SPEC_FILE_LIMITS["max_bytes"]
        data = upload_file.read(limit + 1)
        try:
            upload = receiving.receive(
                data=data,
                filename=upload_file.name,
                user=user,
                as_of=form.cleaned_data["as_of"],
                size=upload_file.size,
            )
        except receiving.UploadRejected as exc:
            form.add_error("file", message_text(message_of(exc)))
        else:
            return redirect(checking.start_check(upload))
    context = {"form": form, "limits": settings.SPEC_FILE_LIMITS, "nav": "uploads"}
    return render(request, "screening/upload_new.html", context)


@require_GET
@require("view_cases")
def upload_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    upload = get_object_or_404(Upload.objects.select_related("uploaded_by"), pk=pk)
    stalled = stalls.is_stalled(upload)
    if request.htmx and request.GET.get("progress"):
        if not upload.busy or stalled:  # the page shows the result, or the way to retry
            return HttpResponseClientRefresh()
        return render(request, "screening/_upload_progress.html", {"upload": upload})
    shown = request.GET.get("rows", "all")
    # Each row's spec version is the one its import created from it (upload and row).
    created = SpecVersion.objects.filter(upload=upload, upload_row=OuterRef("row"))
    rows = upload.rows.filter(**ROW_FILTERS.get(shown, {})).annotate(
        spec_version_id=Subquery(created.values("pk")[:1])
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "upload": upload,
        "page": page,
        "shown": shown,
        "commit_form": CommitForm(),
        "earlier": receiving.previously_imported(upload),
        "can_import": may_import_upload(upload, user),
        "stalled": stalled,
        "assumptions": checking.assumed_statuses(upload),
        "nav": "uploads",
    }
    return page_or_fragment(
        request, "screening/upload_detail.html", "screening/_upload_rows.html", context
    )


@require_POST
@require("edit_specs")
def upload_commit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    upload = get_object_or_404(Upload, pk=pk)
    form = CommitForm(request.POST)
    if not may_import_upload(upload, user):
        messages.error(request, _("Only the person who uploaded a file imports it."))
        return redirect(upload)
    if not form.is_valid():
        messages.error(request, _("Choose how to import."))
        return redirect(upload)
    try:
        upload = committing.start_import(upload, user=user, policy=form.cleaned_data["policy"])
    except committing.CommitRefused as exc:
        messages.error(request, str(exc))
        return redirect(upload)
    if upload.status == Upload.Status.IMPORTED and not upload.message:
        # Imported at once (else the page says what happened, e.g. already imported, or shows
        # the background import's progress).
        messages.success(request, _("Imported."))
    return redirect(upload)


@require_POST
@require("edit_specs")
def upload_requeue(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a check or import again whose background work died (see stalls.is_stalled)."""
    user = signed_in(request)
    upload = get_object_or_404(Upload, pk=pk)
    if not may_import_upload(upload, user):
        messages.error(request, _("Only the person who uploaded a file imports it."))
        return redirect(upload)
    try:
        stalls.requeue_stalled(upload, user=user)
    except committing.CommitRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Queued again. Nothing had been imported."))
    return redirect(upload)


@require_POST
@require("view_cases")
def upload_error_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    upload = get_object_or_404(Upload, pk=pk)
    report = receiving.error_report(upload)
    audit.record("upload.error_report", actor=user, obj=upload, after={"rows": upload.invalid_rows})
    return csv_download(
        report, filename=download_name(upload.original_name, "csv", suffix="-errors")
    )


@require_POST
@require("view_cases")
def upload_original(request: HttpRequest, pk: int) -> FileResponse:
    """The file as uploaded. A POST, because every download is written to the audit trail."""
    user = signed_in(request)
    upload = get_object_or_404(Upload, pk=pk)
    audit.record("upload.download", actor=user, obj=upload, after={"sha256": upload.sha256})
    content_type = {"csv": "text/csv", "json": "application/json"}.get(
        upload.kind, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )  # json: specs stored through the API (screening.api)
    response = FileResponse(
        upload.file.open("rb"),
        as_attachment=True,
        filename=download_name(upload.original_name, upload.kind),
        content_type=content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
def template_csv(request: HttpRequest) -> HttpResponse:
    return csv_download(spec_template.csv_template(), filename="spec-template.csv")


@require_GET
def template_xlsx(request: HttpRequest) -> HttpResponse:
    return download(spec_template.xlsx_template(), filename="spec-template.xlsx", content_type=XLSX)
