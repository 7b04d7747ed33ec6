"""How pages and downloads answer, the same way everywhere (both apps use it).

- A page that htmx also updates answers with its fragment to an htmx request and with the whole
  page otherwise, including htmx's history-restore request: pressing Back after filtering, when
  htmx's history cache has no snapshot, asks the server again, and a bare fragment would then
  replace the whole page. `Vary: HX-Request` keeps caches from mixing the two answers
  (django-htmx's documented pattern).
- A download names its file with Django's content_disposition_header (never a hand-built
  header), and a CSV starts with a byte-order mark so spreadsheet programs read UTF-8 (Chinese)
  text right.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django_htmx.middleware import HtmxDetails

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON = "application/json; charset=utf-8"


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it, for views that read `request.htmx`
    (django-htmx's documented typing pattern)."""

    htmx: HtmxDetails


def page_or_fragment(
    request: HttpRequest, page: str, fragment: str, context: dict[str, Any]
) -> HttpResponse:
    htmx = getattr(request, "htmx", None)
    partial = htmx is not None and bool(htmx) and not htmx.history_restore_request
    response = render(request, fragment if partial else page, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def download(content: str | bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    return response


def csv_download(text: str, *, filename: str) -> HttpResponse:
    return download("\ufeff" + text, filename=filename, content_type=CSV)
