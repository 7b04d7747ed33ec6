"""Long lists are paged without counting every row: past the cap they say "more than N"."""

from __future__ import annotations

from django.urls import reverse

from screening.models import Case
from screening.paging import CappedPaginator
from screening.views import cases as case_views


def refs(response):
    return [c.reference for c in response.context["page"].object_list]


def test_past_the_cap_the_list_says_more_than_the_cap(client, case_in, reviewer, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    monkeypatch.setattr(case_views, "PAGE_SIZE", 1)
    for _ in range(3):
        case_in("submitted")
    client.force_login(reviewer)
    response = client.get(reverse("case_list"), {"page": 3})
    assert response.context["page"].paginator.capped
    assert "Page 3 of more than 2 cases: narrow the list with the filters." in response.text
    assert len(refs(response)) == 1


def test_under_the_cap_the_list_gives_the_exact_count(client, case_in, reviewer, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 5)
    monkeypatch.setattr(case_views, "PAGE_SIZE", 2)
    for _ in range(3):
        case_in("submitted")
    client.force_login(reviewer)
    response = client.get(reverse("case_list"))
    assert not response.context["page"].paginator.capped
    assert "Page 1 of 2 (3 cases)" in response.text


def test_pages_hold_the_rows_of_the_sorted_list_in_order(case_in):
    for state in ("submitted", "draft", "in_review", "submitted", "draft"):
        case_in(state)
    ordered = Case.objects.select_related("screening").order_by("state", "-pk")
    paginator = CappedPaginator(ordered, 2)
    paged = [c.reference for n in paginator.page_range for c in paginator.page(n).object_list]
    assert paged == [c.reference for c in ordered]
