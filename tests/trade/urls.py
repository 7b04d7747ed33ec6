"""The site's URLs, plus a stand-in for each page of the export side that this branch's
urlconf does not have yet (trade.urls comes with the pages): links to a shipment, a licence or
a party must resolve for the domain's e-mails and the API's `url` fields. Where the real page
exists, nothing is added."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import NoReverseMatch, path, reverse

from config.urls import urlpatterns as site_patterns

PAGES = {
    "shipment_detail": True,
    "licence_detail": True,
    "application_detail": True,
    "application_list": False,
    "party_detail": True,
    "list_version_detail": True,
    "list_standing": False,
    "trade_upload_detail": True,
}


def _stand_in(request, pk: int = 0) -> HttpResponse:
    return HttpResponse(f"stand-in page {pk}")


def _exists(name: str, takes_id: bool) -> bool:
    try:
        reverse(name, urlconf="config.urls", args=[1] if takes_id else [])
    except NoReverseMatch:
        return False
    return True


urlpatterns = list(site_patterns) + [
    path(f"stand-in/{name}/<int:pk>/" if takes_id else f"stand-in/{name}/", _stand_in, name=name)
    for name, takes_id in PAGES.items()
    if not _exists(name, takes_id)
]
