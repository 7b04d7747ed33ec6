"""Upload pages of shipments and parties (CSV or XLSX): upload, dry run with every row's action
and errors by row and column, import (all or nothing, or the valid rows by an explicit choice),
the error report. The same discipline as spec uploads (screening.views.uploads)."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rules import audit
from rules.access import can, require, signed_in
from rules.responses import csv_download, page_or_fragment
from screening.evidence import download_name
from trade import uploads
from trade.forms import ImportForm, UploadForm
from trade.models import Party, Shipment, TradeUpload

PAGE_SIZE = 50
ROW_FILTERS = ("all", "invalid", "new", "changed", "unchanged")
# The example row of each template (one shipment line; one party).
EXAMPLES = {
    TradeUpload.Kind.SHIPMENTS: {
        "order_number": "SO-2026-0001",
        "destination_country": "DE",
        "consignee_ref": "P-ACME",
        "end_user_ref": "P-ACME",
        "planned_ship_date": "2026-12-15",
        "sku": "CELL-1",
        "quantity": "40",
        "unit": "kg",
        "revision": "",
        "value": "12000",
        "currency": "USD",
    },
    TradeUpload.Kind.PARTIES: {
        "party_ref": "P-ACME",
        "name": "Acme Batteries GmbH",
        "country": "DE",
        "name_zh": "",
        "aliases": "Acme Batteries; Acme GmbH",
        "address": "Industriestr. 1, Stuttgart",
        "roles": "consignee; end_user",
        "end_use": "EV battery packs",
        "military_end_user": "no",
    },
}
COLUMNS = {
    TradeUpload.Kind.SHIPMENTS: (uploads.SHIPMENT_REQUIRED, uploads.SHIPMENT_OPTIONAL),
    TradeUpload.Kind.PARTIES: (uploads.PARTY_REQUIRED, uploads.PARTY_OPTIONAL),
}


def _kind(kind: str) -> str:
    if kind not in TradeUpload.Kind.values:
        raise Http404
    return kind


def _nav(kind: str) -> str:
    return "shipments" if kind == TradeUpload.Kind.SHIPMENTS else "parties"


@require_http_methods(["GET", "POST"])
@require("view_trade")
def trade_upload_new(request: HttpRequest, kind: str) -> HttpResponse:
    user = signed_in(request)
    kind = _kind(kind)
    if not can(user, uploads.CAPABILITY[TradeUpload.Kind(kind)]):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        limit = settings.SPEC_FILE_LIMITS["max_bytes"]
        data = upload_file.read(limit + 1)
        try:
            upload = uploads.receive(
                kind=kind, data=data, filename=upload_file.name or "", user=user
            )
        except uploads.UploadRefused as exc:
            form.add_error("file", str(exc))
        else:
            return redirect(upload)
    required, optional = COLUMNS[TradeUpload.Kind(kind)]
    context = {
        "form": form,
        "kind": kind,
        "kind_label": TradeUpload.Kind(kind).label,
        "required": required,
        "optional": optional,
        "limits": settings.SPEC_FILE_LIMITS,
        "recent": TradeUpload.objects.filter(kind=kind).select_related("uploaded_by")[:10],
        "nav": _nav(kind),
    }
    return render(request, "trade/upload_new.html", context)


@require_GET
@require("view_trade")
def trade_upload_template(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    required, optional = COLUMNS[TradeUpload.Kind(kind)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*required, *optional])
    writer.writerow(
        [EXAMPLES[TradeUpload.Kind(kind)].get(column, "") for column in (*required, *optional)]
    )
    return csv_download(out.getvalue(), filename=f"{kind}-template.csv")


def _links(upload: TradeUpload, refs: list[str]) -> dict[str, str]:
    """The page of each shipment or party a row names, where it exists."""
    model = Shipment if upload.kind == TradeUpload.Kind.SHIPMENTS else Party
    return {
        obj.reference: obj.get_absolute_url() for obj in model.objects.filter(reference__in=refs)
    }


@require_GET
@require("view_trade")
def trade_upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    upload = get_object_or_404(TradeUpload.objects.select_related("uploaded_by"), pk=pk)
    shown = request.GET.get("rows", "all")
    if shown not in ROW_FILTERS:
        shown = "all"
    rows = [r for r in upload.rows if shown == "all" or r["action"] == shown]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = dict.fromkeys(ROW_FILTERS[1:], 0)
    for row in upload.rows:
        counts[row["action"]] = counts.get(row["action"], 0) + 1
    links = _links(upload, [r["ref"] for r in page.object_list])
    context = {
        "upload": upload,
        "page": page,
        "rows": [{**r, "url": links.get(r["ref"], "")} for r in page.object_list],
        "shown": shown,
        "counts": counts,
        "to_import": counts["new"] + counts["changed"],
        "import_form": ImportForm(),
        "can_import": uploads.may_import(upload, user)
        and can(user, uploads.CAPABILITY[TradeUpload.Kind(upload.kind)]),
        "nav": _nav(upload.kind),
    }
    return page_or_fragment(request, "trade/upload_detail.html", "trade/_upload_rows.html", context)


@require_POST
@require("view_trade")
def trade_upload_commit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    upload = get_object_or_404(TradeUpload, pk=pk)
    if not can(user, uploads.CAPABILITY[TradeUpload.Kind(upload.kind)]):
        raise PermissionDenied
    form = ImportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how to import."))
        return redirect(upload)
    try:
        upload = uploads.commit(upload=upload, user=user, policy=form.cleaned_data["policy"])
    except uploads.UploadRefused as exc:
        messages.error(request, str(exc))
    else:
        done = len(upload.created.get("shipments", upload.created.get("parties", [])))
        messages.success(request, _("Imported: %(n)s record(s).") % {"n": done})
    return redirect(upload)


@require_POST
@require("view_trade")
def trade_upload_errors(request: HttpRequest, pk: int) -> HttpResponse:
    """Every error of the dry run by row, reference, column and value. A POST: audited."""
    user = signed_in(request)
    upload = get_object_or_404(TradeUpload, pk=pk)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["row", "reference", "column", "value", "error"])
    writer.writerows(uploads.error_rows(upload))
    audit.record(
        "trade.upload.error_report", actor=user, obj=upload, after={"rows": upload.invalid}
    )
    return csv_download(
        out.getvalue(), filename=download_name(upload.original_name, "csv", suffix="-errors")
    )
