"""API access generated from tests/access_matrix.py (API_ROUTES): every endpoint with a token
of every role and every scope (one at a time, and all together). A refused call changes
nothing but the audit trail, which records it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rules.models import AuditEvent
from screening.models import Case, Product, SpecVersion, Upload
from tests.access_matrix import (
    API_ROLES,
    API_ROUTES,
    API_SCOPE_SETS,
    TRADE_API_ROUTES,
    api_expected,
)

ROLE_GROUPS = {
    "analyst": "compliance_analyst",
    "reviewer": "reviewer",
    "rules_admin": "rules_administrator",
}
SPEC = {
    "sku": "API-NEW",
    "name": "Cell",
    "category": "battery_cell",
    "subtype": "li_ion",
    "energy_density_wh_per_kg": "310",
}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def footprint():
    return (
        AuditEvent.objects.exclude(action="api.call").count(),
        Product.objects.count(),
        SpecVersion.objects.count(),
        Upload.objects.count(),
        list(Case.objects.order_by("pk").values_list("state", "version")),
    )


def call(client, route, method, secret, case):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    if method == "post":  # screen and specs take the same body
        return client.post(
            reverse(route),
            {"as_of": "2026-12-01", "specs": [SPEC]},
            content_type="application/json",
            **headers,
        )
    if route == "api:determination":
        return client.get(reverse(route), {"sku": case.product.sku}, **headers)
    if route == "api:case_record":
        return client.get(reverse(route, args=[case.pk]), **headers)
    return client.get(reverse(route), {"since": "2026-01-01T00:00:00Z"}, **headers)


def sees(route, response, case) -> bool:
    """Whether the answer shows the case (for the endpoints that read one)."""
    if route == "api:determination":
        found = response.json()["determination"]
        return found is not None and found["case"]["id"] == case.pk
    if route == "api:case_record":
        return response.status_code == 200 and response.json()["record"]["case"]["id"] == case.pk
    return case.pk in [c["id"] for c in response.json()["cases"]]


@pytest.mark.parametrize("scopes", API_SCOPE_SETS, ids="+".join)
@pytest.mark.parametrize("role", API_ROLES)
# The export side's endpoints: tests/trade/test_api_access.py.
@pytest.mark.parametrize(
    ("route", "method"), [(r[0], r[1]) for r in API_ROUTES if r not in TRADE_API_ROUTES]
)
def test_every_endpoint_follows_the_matrix(client, case_in, api_token, route, method, role, scopes):
    case = case_in("approved")
    _token, secret = api_token(ROLE_GROUPS[role], scopes)
    before = footprint()
    response = call(client, route, method, secret, case)
    outcome = api_expected(route, role, scopes)
    calls = AuditEvent.objects.filter(action="api.call")
    assert calls.count() == 1  # refused or not, the call is audited
    if outcome == 403:
        assert response.status_code == 403
        assert response.json()["type"] in (
            "/api/v1/problems/scope-missing",
            "/api/v1/problems/not-allowed",
        )
        assert footprint() == before
        return
    if route == "api:specs":
        assert response.status_code == 201
        assert Product.objects.filter(sku="API-NEW").count() == 1
        return
    if method == "get":
        assert footprint() == before, "a GET changed the database"
    if route == "api:screen":
        assert response.status_code == 200
        assert response.json()["results"][0]["outcome"] == "licence_required"
    elif route == "api:case_record" and outcome == "hidden":
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert sees(route, response, case) is (outcome == "ok")


def test_a_missing_scope_is_said_before_the_role(client, case_in, api_token):
    _token, secret = api_token("rules_administrator", ["read"])
    response = client.get(
        reverse("api:case_record", args=[case_in("approved").pk]),
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.json()["detail"] == "The token's role (Rules administrator) may not do this."
    _token, secret = api_token("reviewer", ["screen"])
    response = client.get(
        reverse("api:case_record", args=[case_in("approved").pk]),
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.json()["detail"] == "The token lacks the scope 'read'."


def test_the_matrix_covers_every_api_endpoint():
    from django.urls import get_resolver

    from tests.screening.test_access import url_names

    endpoints = {
        name
        for name, namespace in url_names(get_resolver().url_patterns)
        if namespace == "api:" and name not in ("api:openapi-json", "api:openapi-view")
    }
    assert endpoints - {"api:api-root"} == {route for route, *_ in API_ROUTES}
