"""Access tests generated from tests/access_matrix.py, with and without HX-Request."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from rules.models import AuditEvent, Criterion, RuleSet, StatusConfirmation
from rules.publishing import create_draft
from screening import products, rescreening
from screening.dashboard.views import CSV_SECTIONS
from screening.evidence import attach
from screening.imports import checking, committing, receiving, stalls
from screening.models import Case, CaseEvent, Evidence, Product, Rescreen, Upload
from tests.access_matrix import (
    ANONYMOUS,
    CASE_URL_NAMES,
    DASHBOARD_DOWNLOADS,
    EVERY_PERSONA,
    EVERY_ROLE,
    NOT_IN_MATRIX,
    PAGE_AND_FRAGMENT,
    PERSONAS,
    PLAIN_ROUTES,
    ROUTES,
    STATES,
    TRADE_URL_NAMES,
    URL_ROUTES,
    expected,
    visible,
)
from tests.conftest import (
    IN_FORCE_DAY,
    PUBLISHING,
    SUSPENDED_DAY,
    TINY_PDF,
    case_of_cell,
    screen_cell,
)

TRANSITIONS = {
    "submit",
    "start_review",
    "take_over",
    "request_information",
    "answer",
    "close",
    "withdraw",
}


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
        "case_record": None,
        "case_legal_hold": {"hold": "on", "reason": "Litigation."},
    }[route]
    if route == "case_record":  # a page (GET): the export is audited once per user a day
        return client.get(url, {"format": "json"}, **headers)
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


@pytest.fixture(scope="class")
def case_by_state(class_transaction, class_personas):
    """A case in each state, prepared by `analyst` and reviewed by `reviewer`, made once for
    the class: each test's changes to it are rolled back after it."""
    analyst, reviewer = class_personas["analyst"], class_personas["reviewer"]
    with class_transaction.making():
        return {
            state: case_of_cell(state, analyst, reviewer, sku=f"CASE-{state}") for state in STATES
        }


class TestCaseRoutes:
    """Every case route for every persona in every state (1,372 tests on 7 cases made once)."""

    @pytest.mark.parametrize("htmx", PAGE_AND_FRAGMENT)
    @pytest.mark.parametrize("state", STATES)
    @pytest.mark.parametrize("persona", PERSONAS)
    @pytest.mark.parametrize("route", [r[0] for r in ROUTES])
    def test_follow_the_matrix(
        self, db, client, class_sign_in, case_by_state, route, persona, state, htmx
    ):
        case = Case.objects.get(pk=case_by_state[state].pk)
        class_sign_in(client, persona)
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


@pytest.mark.parametrize("htmx", PAGE_AND_FRAGMENT)
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


# --- every URL of config/urls.py ------------------------------------------------------------


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    """One media folder for the module: files of rows made once for a class (uploads,
    evidence) are where its tests' requests look for them."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, media_root):
    settings.MEDIA_ROOT = media_root


SPEC_FORM = {
    "sku": "ACCESS-NEW",
    "revision": "",
    "name": "LFP powder",
    "category": "cathode_material",
    "subtype": "lfp",
    "compaction_density_g_per_cm3": "2.6 g/cc",
    "specific_capacity_mah_per_g": "158",
    "destination_country": "DE",
    "as_of": "2026-12-01",
}
UPLOAD_CSV = (
    b"sku,name,category,subtype,energy_density_wh_per_kg,destination_country\n"
    b"ACCESS-U1,Cell,battery_cell,li_ion,310,DE\n"
)


def checked_upload(analyst) -> Upload:
    upload = receiving.receive(
        data=UPLOAD_CSV, filename="specs.csv", user=analyst, as_of=IN_FORCE_DAY
    )
    return checking.dry_run(upload)


def make_target(target: str, people: dict) -> tuple[list, dict]:
    """The URL arguments for a route's target, and the data its POST sends; `people` are the
    personas' users (`analyst` prepares, `reviewer` reviews, `rules_admin2` drafts)."""
    analyst = people["analyst"]

    def case_in(state: str) -> Case:
        return case_of_cell(state, analyst, people["reviewer"], sku="CASE-1")

    if target in ("product", "spec", "screening"):
        screening = screen_cell(analyst, sku="ACCESS-1")
        pk = {"product": screening.product_id, "spec": screening.spec_id}.get(target, screening.pk)
        return [pk], {}
    if target == "upload":
        return [checked_upload(analyst).pk], {}
    if target == "stalled_upload":
        upload = committing.mark_importing(
            checked_upload(analyst), user=analyst, policy="all_or_nothing"
        )
        # An import run in a web request whose process was killed: no task, no heartbeat since.
        Upload.objects.filter(pk=upload.pk).update(
            heartbeat_at=timezone.now() - stalls.stalled_after() - dt.timedelta(seconds=1)
        )
        return [upload.pk], {}
    if target == "draft":
        author = people["rules_admin2"]
        draft = create_draft(RuleSet.objects.current(), user=author)
        # A change that moves no outcome: a draft with the current rules is nothing to publish.
        criterion = Criterion.objects.get(entry__measure__rule_set=draft, entry__code="3A001")
        criterion.note = "Checked again."
        criterion._history_user = author
        criterion.save()
        return [draft.pk], {}
    if target == "rescreen":
        rescreen = rescreening.start(
            kind=Rescreen.Kind.PREVIEW,
            candidate=RuleSet.objects.current(),
            candidate_as_of=IN_FORCE_DAY,
            user=analyst,
        )
        return [rescreen.pk], {}
    if target == "section":
        return ["category"], {}
    if target == "evidence":
        case = case_in("submitted")
        evidence = attach(case=case, user=analyst, upload=SimpleUploadedFile("r.pdf", TINY_PDF))
        return [case.pk, evidence.pk], {}
    if target == "decided_case":
        return [case_in("approved").pk], {}
    if target == "api_path":
        return ["no/such/endpoint"], {}
    if target == "api_ref":  # an order number or party reference (401 comes first)
        return ["NO-SUCH-REF"], {}
    if target == "flagged_case":
        case = case_in("submitted")
        newer = products.screen_spec(spec=case.spec, as_of=IN_FORCE_DAY, user=analyst)
        Case.objects.filter(pk=case.pk).update(rules_changed=True, rescreening=newer)
        return [case.pk], {"version": case.version}
    assert target == "", target
    return [], {}


POST_DATA = {
    "set_language": {"language": "en", "next": "/products/"},
    "confirm_status": {
        "measure_key": "CN-2025-58",
        "status": "in_force",
        "source": "MOFCOM announcement, read on 2026-11-20",
    },
    "product_new": SPEC_FORM,
    "product_edit": SPEC_FORM,
    "product_screen": {"as_of": "2026-12-01", "regimes": ["CN"]},
    "upload_commit": {"policy": "all_or_nothing"},
    "ruleset_preview": {"as_of": "2026-12-01"},
    "ruleset_publish": {**PUBLISHING, "version": "2026.12.01"},
    "case_create": {"destination_country": "DE", "end_user": "Acme GmbH", "end_use": "EV packs"},
}
GET_DATA = {
    "api:determination": {"sku": "ACCESS-1"},
    "api:case_changes": {"since": "2026-01-01T00:00:00Z"},
    "spec_fields": {"category": "battery_cell"},
    "dashboard_section": {"section": "category"},
}


def database_footprint() -> tuple:
    """What a refused request must leave exactly as it was (the audit of an API call aside:
    every call is audited, refused ones too)."""
    return (
        AuditEvent.objects.exclude(action="api.call").count(),
        Product.objects.count(),
        StatusConfirmation.objects.count(),
        Rescreen.objects.count(),
        list(RuleSet.objects.order_by("pk").values_list("status", flat=True)),
        list(Upload.objects.order_by("pk").values_list("status", "task_id")),
        list(Case.objects.order_by("pk").values_list("state", "version", "rules_changed")),
        CaseEvent.objects.count(),
        Evidence.objects.count(),
    )


def sent_to_login(response) -> bool:
    return response.status_code == 302 and urlparse(response["Location"]).path in (
        reverse("login"),
        reverse("admin:login"),
    )


def error_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == messages.ERROR]


@pytest.fixture(scope="class")
def target(request, class_transaction, class_personas, class_sign_in, media_root):
    """(URL arguments, POST data) of the target named by the parameter, made once for the
    tests that share it and rolled back after them (the personas' sessions are made before
    it, outside its transaction)."""
    with class_transaction.transaction():
        with class_transaction.making(MEDIA_ROOT=media_root):
            made = make_target(request.param, class_personas)
        yield made


class TestEveryUrl:
    """Every URL for every persona (960 tests): each route's target is made once for the
    class, the tests grouped by it (a class-scoped parameter), and each test's changes to it
    are rolled back after it."""

    @pytest.mark.parametrize("htmx", PAGE_AND_FRAGMENT)
    @pytest.mark.parametrize("persona", EVERY_PERSONA)
    @pytest.mark.parametrize(
        ("route", "method", "target", "outcome"),
        URL_ROUTES,
        ids=[f"{r[0]}-{r[1]}" for r in URL_ROUTES],
        indirect=["target"],
        scope="class",
    )
    def test_follows_the_matrix(
        self, db, client, class_sign_in, route, method, target, outcome, persona, htmx
    ):
        args, data = target
        if persona != ANONYMOUS:
            class_sign_in(client, persona)
        if route == "upload_new" and method == "post":
            data = {"file": SimpleUploadedFile("new.csv", UPLOAD_CSV), "as_of": "2026-12-01"}
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        before = database_footprint()
        if method == "get":
            response = client.get(reverse(route, args=args), GET_DATA.get(route, {}), **headers)
        else:
            response = client.post(
                reverse(route, args=args), data or POST_DATA.get(route, {}), **headers
            )
        expect = outcome[persona]
        if expect == "login":
            assert sent_to_login(response), (response.status_code, response.get("Location"))
            assert database_footprint() == before
        elif expect == "refused":
            assert response.status_code == 302
            assert error_messages(response) != []
            assert database_footprint() == before
        elif expect in (403, 404):
            assert response.status_code == expect
            assert database_footprint() == before
        else:
            assert response.status_code == expect
            assert error_messages(response) == []
            if method == "get":
                assert database_footprint() == before, "a GET changed the database"
        if response.streaming:  # read to the end, which closes the file
            b"".join(response.streaming_content)


URL_ROUTES_BY_NAME = {name: outcome for name, _method, _target, outcome in URL_ROUTES}


@pytest.mark.parametrize("route", [r[0] for r in ROUTES])
def test_case_routes_send_anonymous_visitors_to_log_in(client, case_in, route):
    case = case_in("submitted")
    before = footprint(case)
    response = request_route(client, route, case, htmx=False)
    assert sent_to_login(response)
    assert footprint(case) == before


def url_names(patterns, namespace: str = ""):
    """(name, namespace) of every URL pattern, walking includes."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        else:
            assert isinstance(pattern, URLPattern)
            yield (
                (f"{namespace}{pattern.name}" if pattern.name else str(pattern.pattern)),
                namespace,
            )


def test_every_url_in_the_urlconf_is_in_the_matrix():
    in_matrix = {name for name, *_ in URL_ROUTES} | CASE_URL_NAMES | TRADE_URL_NAMES
    missing = set()
    for name, namespace in url_names(get_resolver().url_patterns):
        if namespace.rstrip(":") in NOT_IN_MATRIX and name not in in_matrix:
            continue
        if name not in in_matrix:
            missing.add(name)
    assert missing == set(), "URLs the access matrix does not mention"


def test_every_route_of_the_matrix_exists():
    in_urlconf = {name for name, _ns in url_names(get_resolver().url_patterns)}
    matrix = {name for name, *_ in URL_ROUTES} | CASE_URL_NAMES | TRADE_URL_NAMES
    assert matrix - in_urlconf == set()


def test_the_matrix_covers_every_persona_on_every_route():
    for route, method, _target, outcome in URL_ROUTES:
        assert set(outcome) == set(EVERY_PERSONA), (route, method)


# --- the dashboard: figures of every case, rows only of the cases one may open -----------------

SCENARIO_DATES = {"as_of": SUSPENDED_DAY.isoformat(), "compare_to": IN_FORCE_DAY.isoformat()}


@pytest.fixture
def changing_cases(case_in):
    """Cases prepared by `analyst` whose outcome changes between the two dates (No. 58 in force
    again), by state: what each persona may see of them is the matrix's visible()."""
    return {state: case_in(state) for state in ("draft", "submitted", "approved")}


def test_every_dashboard_download_is_in_the_matrix():
    assert set(DASHBOARD_DOWNLOADS) == set(CSV_SECTIONS)


@pytest.mark.parametrize("persona", EVERY_PERSONA)
@pytest.mark.parametrize("section", sorted(DASHBOARD_DOWNLOADS))
def test_dashboard_downloads_follow_the_matrix(request, client, changing_cases, persona, section):
    """Issue 19, item 6: the change list showed other people's cases (reference, SKU, product,
    destination, value) to analysts and rules administrators who cannot open them."""
    if persona != ANONYMOUS:
        client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("dashboard_csv", args=[section]), SCENARIO_DATES)
    expect = URL_ROUTES_BY_NAME["dashboard_csv"][persona]
    if expect == "login":
        assert sent_to_login(response)
        return
    assert response.status_code == expect
    if expect != 200:
        return
    text = response.content.decode("utf-8-sig")
    shown = {state for state, case in changing_cases.items() if case.reference in text}
    if DASHBOARD_DOWNLOADS[section] == "rows":
        assert shown == {s for s in changing_cases if visible(persona, s)}
    else:
        assert shown == set()  # figures name no case


@pytest.mark.parametrize("persona", sorted(EVERY_ROLE))
@pytest.mark.parametrize("htmx", PAGE_AND_FRAGMENT)
def test_the_dashboard_page_names_only_cases_one_may_open(
    request, client, changing_cases, persona, htmx
):
    client.force_login(request.getfixturevalue(persona))
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.get(reverse("dashboard"), SCENARIO_DATES, **headers)
    html = response.content.decode()
    listed = {row[0] for row in response.context["charts"].changes.rows}
    may_see = {s for s in changing_cases if visible(persona, s)}
    assert listed == {changing_cases[s].reference for s in may_see}
    for state, case in changing_cases.items():
        # Not in the table, the chart's hover text, nor anywhere else on the page.
        assert (case.reference in html, case.product.sku in html) == (state in may_see,) * 2
    # The figures still count every case.
    assert response.context["report"].scenario.changed == 3
