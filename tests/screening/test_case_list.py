"""The case list: filters in the URL, my queue, sorting, pagination, bounded queries."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from screening import workflow
from screening.evidence import attach
from screening.models import Case
from tests.conftest import TINY_PDF


def refs(response):
    return [c.reference for c in response.context["page"].object_list]


def test_filters_by_state_outcome_entry_destination_and_reviewer(client, case_in, reviewer):
    submitted = case_in("submitted")
    in_review = case_in("in_review")
    near = case_in("draft", energy="290")
    client.force_login(reviewer)
    url = reverse("case_list")
    assert refs(client.get(url, {"state": "submitted"})) == [submitted.reference]
    assert set(refs(client.get(url, {"state": ["submitted", "in_review"]}))) == {
        submitted.reference,
        in_review.reference,
    }
    assert refs(client.get(url, {"assignee": reviewer.username})) == [in_review.reference]
    assert refs(client.get(url, {"entry": "3A001", "state": "in_review"})) == [in_review.reference]
    assert refs(client.get(url, {"destination": "de", "state": "submitted"})) == [
        submitted.reference
    ]
    assert refs(client.get(url, {"outcome": "near_threshold"})) == []  # a draft: not a reviewer's
    client.force_login(near.prepared_by)
    assert refs(client.get(url, {"outcome": "near_threshold"})) == [near.reference]


def test_search_by_reference_and_sku(client, case_in, reviewer):
    case = case_in("submitted")
    case_in("submitted")
    client.force_login(reviewer)
    assert refs(client.get(reverse("case_list"), {"q": case.reference})) == [case.reference]
    assert refs(client.get(reverse("case_list"), {"q": case.product.sku})) == [case.reference]


def test_a_part_number_that_ends_in_digits_is_not_a_case_number(client, case_in, reviewer):
    first = case_in("submitted")  # case 1, product CASE-1
    second = case_in("submitted")  # case 2, product CASE-2
    client.force_login(reviewer)
    url = reverse("case_list")
    # "CASE-2" is the second case's part number; it must not also find case 2 by its number
    # through "-2", nor case 1 through anything.
    assert refs(client.get(url, {"q": "NC-CELL-001"})) == []
    assert refs(client.get(url, {"q": second.product.sku})) == [second.reference]
    assert refs(client.get(url, {"q": f"{first.pk:06d}"})) == [first.reference]
    year = first.created_at.year
    assert refs(client.get(url, {"q": f"{year}-{first.pk:06d}"})) == [first.reference]
    assert refs(client.get(url, {"q": f"ec-{year - 1}-{first.pk:06d}"})) == []


def test_my_queue_shows_what_waits_for_each_role(client, case_in, analyst, reviewer, reviewer2):
    draft, submitted, mine, theirs, returned = (
        case_in("draft"),
        case_in("submitted"),
        case_in("in_review"),
        case_in("in_review"),
        case_in("returned"),
    )
    workflow.request_information(case=theirs, version=theirs.version, user=reviewer, message="?")
    theirs.refresh_from_db()
    theirs = workflow.answer(case=theirs, version=theirs.version, user=analyst, message="!")
    theirs = workflow.start_review(case=theirs, version=theirs.version, user=reviewer2)
    client.force_login(reviewer)
    assert set(refs(client.get(reverse("case_list"), {"queue": "true"}))) == {
        submitted.reference,
        mine.reference,
    }
    client.force_login(analyst)
    assert set(refs(client.get(reverse("case_list"), {"queue": "true"}))) == {
        draft.reference,
        returned.reference,
    }


def test_sorting_by_longest_in_state(client, case_in, reviewer):
    first = case_in("submitted")
    second = case_in("submitted")
    client.force_login(reviewer)
    assert refs(client.get(reverse("case_list"), {"sort": "oldest"})) == [
        first.reference,
        second.reference,
    ]
    assert refs(client.get(reverse("case_list"), {"sort": "updated"})) == [
        second.reference,
        first.reference,
    ]


def test_htmx_gets_only_the_rows(client, case_in, reviewer):
    case_in("submitted")
    client.force_login(reviewer)
    html = client.get(
        reverse("case_list"), {"state": "submitted"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in html
    assert "EC-" in html


@pytest.mark.parametrize("rows", [1, 3])
def test_case_list_query_count_is_bounded(
    client, case_in, reviewer, rows, django_assert_max_num_queries
):
    # Decided and reviewed rows too: every column the rows show is loaded with the page.
    for i in range(rows):
        case_in(("approved", "in_review", "submitted")[i % 3])
    client.force_login(reviewer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("case_list"))
        html = response.content.decode()
    assert len(response.context["page"].object_list) == rows
    assert html.count(f">{reviewer.username}</td>") == min(rows, 2)


@pytest.mark.parametrize("rows", [1, 3])
def test_case_detail_query_count_does_not_grow_with_timeline_or_evidence(
    client, case_in, analyst, reviewer, rows, django_assert_max_num_queries
):
    case = case_in("in_review")
    for i in range(rows):
        workflow.comment(case=case, user=reviewer, message=f"note {i}")
        attach(case=case, user=analyst, upload=SimpleUploadedFile(f"r{i}.pdf", TINY_PDF))
    client.force_login(reviewer)
    # Session, user, roles; the case with its product, spec, screening and people; four-eyes
    # (once for every transition offered); the screening's confirmations and entries; the
    # banner's rule set and confirmations; evidence; timeline.
    with django_assert_max_num_queries(11):
        response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    assert sorted(response.context["actions"]) == ["approve", "request_information"]
    assert len(response.context["events"]) == 3 + 2 * rows  # a comment and an evidence event
    assert len(response.context["evidence"]) == rows


def test_case_detail_reads_nothing_twice(client, case_in, reviewer):
    case = case_in("in_review")
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    statements = [q["sql"] for q in queries.captured_queries]
    assert sorted(statements) == sorted(set(statements))


def test_the_rules_changed_box_narrows_to_flagged_cases_and_unticked_shows_all(
    client, case_in, reviewer
):
    flagged = case_in("submitted")
    plain = case_in("submitted")
    Case.objects.filter(pk=flagged.pk).update(rules_changed=True)
    client.force_login(reviewer)
    url = reverse("case_list")
    assert refs(client.get(url, {"rules_changed": "on"})) == [flagged.reference]
    assert set(refs(client.get(url))) == {flagged.reference, plain.reference}
    assert set(refs(client.get(url, {"state": "submitted"}))) == {
        flagged.reference,
        plain.reference,
    }


def test_a_second_open_case_of_a_product_needs_confirmation(client, case_in, analyst):
    first = case_in("draft")
    screening = first.screening
    client.force_login(analyst)
    url = reverse("case_create", args=[screening.pk])
    page = client.get(url).content.decode()
    assert "This product already has an open case" in page
    assert first.reference in page
    response = client.post(url, {"destination_country": "DE"})
    assert response.status_code == 200
    assert "Tick the box to open another case" in response.content.decode()
    assert Case.objects.filter(product=screening.product).count() == 1
    response = client.post(url, {"destination_country": "DE", "open_another": "on"})
    assert response.status_code == 302
    assert Case.objects.filter(product=screening.product).count() == 2


def test_the_first_case_of_a_product_opens_without_a_warning(client, screened, analyst):
    screening = screened(sku="FIRST-1")
    client.force_login(analyst)
    url = reverse("case_create", args=[screening.pk])
    assert "already has an open case" not in client.get(url).content.decode()
    assert client.post(url, {"destination_country": "DE"}).status_code == 302


def test_filtering_by_state_needs_no_distinct(client, case_in, reviewer):
    """State is the case's own column: DISTINCT over every selected column would only cost (on
    a million cases, the count and the page's id query each sort the whole selection)."""
    case_in("submitted")
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("case_list"), {"state": ["submitted", "in_review"]})
    assert len(response.context["page"].object_list) == 1
    case_queries = [q["sql"] for q in context.captured_queries if "screening_case" in q["sql"]]
    assert case_queries
    assert not [sql for sql in case_queries if "DISTINCT" in sql.upper()]
