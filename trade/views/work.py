"""The "my work" page on the export side: what waits for this person, by what their role may do
(trade.work), and the licence alerts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rules.access import signed_in
from trade.views.common import require_any
from trade.work import work_for


@require_GET
@require_any("view_trade", "load_lists")
def my_work(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    work = work_for(user)
    context = {
        "work": work,
        "queues": {queue.key: queue for queue in work.queues},
        "nav": "work",
    }
    return render(request, "trade/my_work.html", context)
