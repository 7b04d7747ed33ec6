"""Access tests generated from tests/access_matrix.py, with and without HX-Request."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from screening.models import Case, CaseEvent, Evidence
from tests.access_matrix import PERSONAS, PLAIN_ROUTES, ROUTES, STATES, expected
from tests.conftest import TINY_PDF

TRANSITIONS = {"submit", "start_review", "request_information", "answer", "close", "withdraw"}


def request_route(client, route, case, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    if route in TRANSITIONS:
        url = reverse("case_transition", args=[case.pk, route])
        return client.post(url, {"version": case.version, "message": "Because."}, **headers)
    url = reverse(route, args=[case.pk])
    data = {
        "case_detail": None,
        "case_edit": None,
        "case_approve": {
            "version": case.version,
            "determination": "licence_required",
            "licence_path": "single",
            "rationale": "3A001 matches.",
        },
        "case_comment": {"message": "A note."},
        "case_evidence": {
            "file": SimpleUploadedFile("report.pdf", TINY_PDF),
            "description": "Test report",
        },
        "case_record": {"format": "json"},
        "case_legal_hold": {"hold": "on", "reason": "Litigation."},
    }[route]
    if data is None:
        return client.get(url, **headers)
    return client.post(url, data, **headers)


def footprint(case):
    case = Case.objects.get(pk=case.pk)
    return (
        case.state,
        case.version,
        case.legal_hold,
        case.events.count(),
        Evidence.objects.filter(case=case).count(),
    )


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", [r[0] for r in ROUTES])
def test_case_routes_follow_the_matrix(request, client, case_in, route, persona, state, htmx):
    case = case_in(state)
    client.force_login(request.getfixturevalue(persona))
    before = footprint(case)
    response = request_route(client, route, case, htmx)
    outcome = expected(route, persona, state)
    if outcome in ("403", "404"):
        assert response.status_code == int(outcome)
        assert footprint(case) == before
    elif outcome == "refused":
        assert response.status_code == 302
        assert response["Location"].split("#")[0] == case.get_absolute_url()
        assert footprint(case) == before
    elif route in ("case_detail", "case_edit", "case_record"):
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert footprint(case) != before


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("route", "method", "allowed"), PLAIN_ROUTES)
def test_plain_routes_follow_the_matrix(
    request, client, rule_set, route, method, allowed, persona, htmx
):
    client.force_login(request.getfixturevalue(persona))
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = getattr(client, method)(reverse(route), **headers)
    assert response.status_code == (200 if persona in allowed else 403)


def test_get_never_changes_a_case(client, case_in, reviewer):
    case = case_in("submitted")
    client.force_login(reviewer)
    before = footprint(case)
    for action in TRANSITIONS:
        response = client.get(reverse("case_transition", args=[case.pk, action]))
        assert response.status_code == 405
    assert client.get(reverse("case_approve", args=[case.pk])).status_code == 405
    assert footprint(case) == before
    assert not CaseEvent.objects.filter(case=case, kind="review_started").exists()
