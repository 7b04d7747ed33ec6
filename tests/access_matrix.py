"""The access matrix: role × URL × method × case state → allowed or not.

This is the one machine-readable statement of who may do what (RELIABILITY.md "Access"); the
access tests are generated from it and run with and without the HX-Request header. The views
and domain functions enforce it independently (rules.access, screening.workflow), so the tests
check that the code does what this table says.

Outcomes: "ok" (the page or the action works), "403" (no capability for the route at all),
"404" (the case exists but is not this user's to see), "refused" (seen, but the action is not
open to this user in this state: redirect back with a message, nothing changes).
"""

from __future__ import annotations

import pytest

# Every matrix test runs as a page request and again with HX-Request, as htmx asks: the same
# view answers with the page's fragment (make test-postgres runs the page only: `htmx_twin`).
PAGE_AND_FRAGMENT = [
    pytest.param(False, id="page"),
    pytest.param(True, id="htmx", marks=pytest.mark.htmx_twin),
]

STATES = ("draft", "submitted", "in_review", "returned", "approved", "closed", "withdrawn")
OPEN = ("draft", "submitted", "in_review", "returned")
PERSONAS = ("analyst", "analyst2", "reviewer", "reviewer2", "rules_admin", "outsider", "superuser")

# Who holds a route's capability at all (otherwise 403).
VIEW_CASES = {"analyst", "analyst2", "reviewer", "reviewer2", "superuser"}
PREPARE = {"analyst", "analyst2", "superuser"}
REVIEW = {"reviewer", "reviewer2", "superuser"}


def visible(persona: str, state: str) -> bool:
    """Who sees a case prepared by `analyst`: its preparer, reviewers once it left draft,
    superusers. Other analysts do not (404)."""
    if persona in ("analyst", "superuser"):
        return True
    return persona in ("reviewer", "reviewer2") and state != "draft"


# route name, method, capability holders, {state: personas for whom it is "ok"}
ROUTES: list[tuple[str, str, set[str], dict[str, set[str]]]] = [
    (
        "case_detail",
        "get",
        VIEW_CASES,
        {s: {p for p in VIEW_CASES if visible(p, s)} for s in STATES},
    ),
    (
        "case_edit",
        "get",
        PREPARE,
        {"draft": {"analyst", "superuser"}, "returned": {"analyst", "superuser"}},
    ),
    ("submit", "post", VIEW_CASES, {"draft": {"analyst", "superuser"}}),
    ("start_review", "post", VIEW_CASES, {"submitted": {"reviewer", "reviewer2", "superuser"}}),
    # A case in review is `reviewer`'s: other reviewers take it over explicitly before they
    # return or decide it.
    ("take_over", "post", VIEW_CASES, {"in_review": {"reviewer2", "superuser"}}),
    ("request_information", "post", VIEW_CASES, {"in_review": {"reviewer"}}),
    ("answer", "post", VIEW_CASES, {"returned": {"analyst", "superuser"}}),
    ("case_approve", "post", REVIEW, {"in_review": {"reviewer"}}),
    ("close", "post", VIEW_CASES, {"approved": {"analyst", "reviewer", "reviewer2", "superuser"}}),
    ("withdraw", "post", VIEW_CASES, {s: {"analyst", "superuser"} for s in OPEN}),
    (
        "case_comment",
        "post",
        VIEW_CASES,
        {s: {p for p in VIEW_CASES if visible(p, s)} for s in STATES},
    ),
    (
        "case_evidence",
        "post",
        VIEW_CASES,
        {s: {p for p in VIEW_CASES if visible(p, s)} for s in OPEN},
    ),
    (
        "case_record",
        "get",
        VIEW_CASES,
        {s: {p for p in VIEW_CASES if visible(p, s)} for s in STATES},
    ),
    (
        "case_legal_hold",
        "post",
        VIEW_CASES,
        {s: {p for p in REVIEW if visible(p, s)} for s in STATES},
    ),
]


def expected(route: str, persona: str, state: str) -> str:
    for name, _method, capable, allowed in ROUTES:
        if name == route:
            if persona not in capable:
                return "403"
            if not visible(persona, state):
                return "404"
            return "ok" if persona in allowed.get(state, set()) else "refused"
    raise KeyError(route)


# Routes without a case: capability holders get "ok", everyone else 403.
PLAIN_ROUTES: list[tuple[str, str, set[str]]] = [
    ("case_list", "get", VIEW_CASES),
    ("product_list", "get", VIEW_CASES | {"rules_admin"}),
    ("product_new", "get", PREPARE),
    ("catalogue", "get", VIEW_CASES | {"rules_admin"}),
]


# --- every other URL of config/urls.py -------------------------------------------------------
#
# Outcomes: a status code (what the route answers when it works, or 403/404), "login" (sent to a
# login page: nobody is let in without logging in, except on the public allow-list), or
# "refused" (may use the route, but not on this object: redirect back, nothing changes).

ANONYMOUS = "anonymous"
EVERY_PERSONA = (*PERSONAS, ANONYMOUS)
LOGGED_IN = set(PERSONAS)
EVERY_ROLE = {"analyst", "analyst2", "reviewer", "reviewer2", "rules_admin", "superuser"}
SCREEN = VIEW_CASES  # analysts and reviewers screen products
VIEW_RULE_CHANGES = {"reviewer", "reviewer2", "rules_admin", "superuser"}
PUBLISH_RULES = {"rules_admin", "superuser"}
STAFF = {"rules_admin", "superuser"}  # Django admin: see ADMIN_MODELS for what each sees there
# Who sees a case that `analyst` prepared and submitted (analyst2 gets 404, see visible()).
SEES_SUBMITTED = {p for p in VIEW_CASES if visible(p, "submitted")}


# --- the API (/api/v1/): endpoint × token scope × token role ----------------------------------
#
# A token carries one role (rules.access; never superuser, never none) and some scopes. An
# endpoint needs its scope, then the same capability as the pages (the holder sets above);
# then, like a person's, the token sees the objects its role may see. Its service account is a
# user of its own, so for cases prepared by `analyst` an analyst's token is another analyst
# (analyst2). Outcomes: "ok"; 403 (scope missing, or the role lacks the capability); "hidden"
# (the object is there but not this token's to see: a case is 404, a product's determination
# is none, a changed case is not listed).

API_SCOPES = ("screen", "read", "write_specs", "write_shipments")
API_ROLES = ("analyst", "reviewer", "rules_admin")
API_SCOPE_SETS = [(scope,) for scope in API_SCOPES] + [API_SCOPES]
AS_PERSONA = {"analyst": "analyst2", "reviewer": "reviewer", "rules_admin": "rules_admin"}


def token_roles(holders: set[str]) -> set[str]:
    """The token roles among a page route's capability holders."""
    return {persona for persona in holders if persona in API_ROLES}


# endpoint, method, scope, token roles whose capability allows it (the pages' holder sets),
# the object it is tried on ("decided_case": prepared by `analyst`, approved by `reviewer`).
API_ROUTES: list[tuple[str, str, str, set[str], str]] = [
    ("api:screen", "post", "screen", token_roles(SCREEN), ""),
    ("api:specs", "post", "write_specs", token_roles(PREPARE), ""),
    ("api:determination", "get", "read", token_roles(VIEW_CASES), "decided_case"),
    ("api:case_record", "get", "read", token_roles(VIEW_CASES), "decided_case"),
    ("api:case_changes", "get", "read", token_roles(VIEW_CASES), "decided_case"),
]

# The export side's endpoints (trade/api.py). Whoever holds each capability (rules.access):
# enter_shipments (analysts), view_trade (analysts, reviewers), edit_parties (analysts,
# reviewers). Targets: "order" (a new order for a licensed product), "shipment" (a released
# order), "party_data" (a new party), "party" (a party on record).
ENTER_SHIPMENTS = {"analyst", "analyst2", "superuser"}
VIEW_TRADE = {"analyst", "analyst2", "reviewer", "reviewer2", "superuser"}
EDIT_PARTIES = VIEW_TRADE
TRADE_API_ROUTES: list[tuple[str, str, str, set[str], str]] = [
    ("api:shipments", "post", "write_shipments", token_roles(ENTER_SHIPMENTS), "order"),
    ("api:shipments_batch", "post", "write_shipments", token_roles(ENTER_SHIPMENTS), "order"),
    ("api:shipment", "get", "read", token_roles(VIEW_TRADE), "shipment"),
    ("api:shipment_confirm", "post", "write_shipments", token_roles(ENTER_SHIPMENTS), "shipment"),
    ("api:shipment_cancel", "post", "write_shipments", token_roles(ENTER_SHIPMENTS), "shipment"),
    ("api:parties", "post", "write_shipments", token_roles(EDIT_PARTIES), "party_data"),
    ("api:party", "get", "read", token_roles(VIEW_TRADE), "party"),
]
API_ROUTES += TRADE_API_ROUTES

# The addresses that name an object (a session gets 401 before it is looked up).
API_URL_TARGETS = {
    "api:case_record": "decided_case",
    **{
        name: "api_ref"
        for name, _m, _s, _h, target in TRADE_API_ROUTES
        if target in ("shipment", "party")
    },
}


def api_expected(route: str, role: str, scopes: tuple[str, ...]) -> int | str:
    for name, _method, scope, holders, target in API_ROUTES:
        if name == route:
            if scope not in scopes or role not in holders:
                return 403
            if target and not visible(AS_PERSONA[role], "approved"):
                return "hidden"
            return "ok"
    raise KeyError(route)


def outcomes(
    ok: set[str],
    *,
    status: int = 200,
    public: bool = False,
    refused: set[str] | frozenset[str] = frozenset(),
    hidden: set[str] | frozenset[str] = frozenset(),
) -> dict[str, int | str]:
    """What each persona (and an anonymous visitor) gets from a route."""
    result: dict[str, int | str] = {}
    for persona in EVERY_PERSONA:
        if persona == ANONYMOUS:
            result[persona] = status if public else "login"
        elif persona in hidden:
            result[persona] = 404
        elif persona in refused:
            result[persona] = "refused"
        elif persona in ok:
            result[persona] = status
        else:
            result[persona] = 403
    return result


# route name, method, what the URL's arguments point at ("" for none), outcome per persona.
# Targets: the tests make one of each, by `analyst` unless said otherwise: a product (its spec,
# its screening); an upload checked and ready to import; a stalled upload (its import died); a
# draft rule set made by `rules_admin2`; a re-screen; a dashboard section; evidence on a
# submitted case; a submitted case flagged "rules changed".
URL_ROUTES: list[tuple[str, str, str, dict[str, int | str]]] = [
    ("home", "get", "", outcomes(LOGGED_IN, status=302)),
    ("healthz", "get", "", outcomes(LOGGED_IN, public=True)),
    ("login", "get", "", {**outcomes(LOGGED_IN, status=302), ANONYMOUS: 200}),
    ("logout", "post", "", outcomes(LOGGED_IN, status=302, public=True)),
    # Public so that the login page's language switch works; it only sets a cookie.
    ("set_language", "post", "", outcomes(LOGGED_IN, status=302, public=True)),
    ("catalogue", "get", "", outcomes(EVERY_ROLE)),
    ("confirm_status", "post", "", outcomes(PUBLISH_RULES, status=302)),
    ("product_list", "get", "", outcomes(EVERY_ROLE)),
    ("product_new", "get", "", outcomes(PREPARE)),
    ("product_new", "post", "", outcomes(PREPARE, status=302)),
    ("spec_fields", "get", "", outcomes(PREPARE)),
    ("product_detail", "get", "product", outcomes(EVERY_ROLE)),
    ("product_edit", "get", "product", outcomes(PREPARE)),
    ("product_edit", "post", "product", outcomes(PREPARE, status=302)),
    ("product_screen", "post", "product", outcomes(SCREEN, status=302)),
    ("spec_detail", "get", "spec", outcomes(EVERY_ROLE)),
    ("screening_detail", "get", "screening", outcomes(EVERY_ROLE)),
    ("upload_list", "get", "", outcomes(VIEW_CASES)),
    ("upload_new", "get", "", outcomes(PREPARE)),
    ("upload_new", "post", "", outcomes(PREPARE, status=302)),
    ("template_csv", "get", "", outcomes(LOGGED_IN)),
    ("template_xlsx", "get", "", outcomes(LOGGED_IN)),
    ("upload_detail", "get", "upload", outcomes(VIEW_CASES)),
    (
        "upload_commit",
        "post",
        "upload",
        outcomes({"analyst", "superuser"}, status=302, refused={"analyst2"}),
    ),
    (
        "upload_requeue",
        "post",
        "stalled_upload",
        outcomes({"analyst", "superuser"}, status=302, refused={"analyst2"}),
    ),
    ("upload_errors", "post", "upload", outcomes(VIEW_CASES)),
    ("upload_original", "post", "upload", outcomes(VIEW_CASES)),
    ("dashboard", "get", "", outcomes(EVERY_ROLE)),
    ("dashboard_section", "get", "", outcomes(EVERY_ROLE)),
    ("dashboard_csv", "post", "section", outcomes(EVERY_ROLE)),
    ("ruleset_list", "get", "", outcomes(VIEW_RULE_CHANGES)),
    ("ruleset_draft", "post", "", outcomes(PUBLISH_RULES, status=302)),
    ("ruleset_detail", "get", "draft", outcomes(VIEW_RULE_CHANGES)),
    ("ruleset_preview", "post", "draft", outcomes(PUBLISH_RULES, status=302)),
    ("ruleset_publish", "post", "draft", outcomes(PUBLISH_RULES, status=302)),
    ("rescreen_detail", "get", "rescreen", outcomes(VIEW_RULE_CHANGES)),
    ("rescreen_csv", "post", "rescreen", outcomes(VIEW_RULE_CHANGES)),
    ("case_list", "get", "", outcomes(VIEW_CASES)),
    ("case_create", "get", "screening", outcomes(PREPARE)),
    ("case_create", "post", "screening", outcomes(PREPARE, status=302)),
    (
        "evidence_download",
        "post",
        "evidence",
        outcomes(SEES_SUBMITTED, hidden=VIEW_CASES - SEES_SUBMITTED),
    ),
    (
        "case_adopt",
        "post",
        "flagged_case",
        outcomes(SEES_SUBMITTED, status=302, hidden=VIEW_CASES - SEES_SUBMITTED),
    ),
    # Django admin: staff only (others are sent to its login page); ADMIN_MODELS says what each
    # member of staff sees inside.
    # The export side's dashboard (trade/dashboard_views.py): who works on the export side.
    ("trade_dashboard", "get", "", outcomes(VIEW_TRADE)),
    ("admin:index", "get", "", {**outcomes(STAFF), **dict.fromkeys(LOGGED_IN - STAFF, "login")}),
    # The API takes tokens, never a session: 401 for every persona (API_ROUTES below says what
    # each token gets). Its docs and schema are for anyone logged in.
    # (Of the API's addresses, only the record's names its case.)
    *[
        (name, method, API_URL_TARGETS.get(name, ""), dict.fromkeys(EVERY_PERSONA, 401))
        for name, method, *_ in API_ROUTES
    ],
    ("api:openapi-view", "get", "", outcomes(LOGGED_IN)),
    ("api:openapi-json", "get", "", outcomes(LOGGED_IN)),
    # Addresses under /api/v1/ that are no endpoint: a problem document, for anyone.
    ("api:api-root", "get", "", dict.fromkeys(EVERY_PERSONA, 404)),
    ("api_not_found", "get", "api_path", dict.fromkeys(EVERY_PERSONA, 404)),
]

# --- the export side's pages (trade/urls.py) --------------------------------------------------
#
# Same outcomes as URL_ROUTES; "refused" here also covers a form shown again with the refusal
# beside it (a four-eyes rule on an override, a filing or a dismissal): nothing changes either
# way. Targets (tests/trade/test_views_access.py makes one of each, fresh): shipments entered
# by `analyst`, held (no licence) or released; a shipments upload by `analyst`; a licence; an
# application prepared by `analyst` (draft with its documents, or filed); a party with an open
# candidate match, or one whose dismissal `reviewer` proposed; list versions loaded by
# `rules_admin` (a draft, or published by the system).
VIEW_TRADE = {"analyst", "analyst2", "reviewer", "reviewer2", "superuser"}
ENTER_SHIPMENTS = PREPARE
OVERRIDE_HOLDS = REVIEW
DECIDE_MATCHES = REVIEW
LOAD_LISTS = PUBLISH_RULES
MANAGE_LICENCES = VIEW_TRADE  # analysts and reviewers record, amend and grant licences
SEE_LISTS = VIEW_TRADE | LOAD_LISTS

TRADE_ROUTES: list[tuple[str, str, str, dict[str, int | str]]] = [
    ("shipment_list", "get", "", outcomes(VIEW_TRADE)),
    ("shipment_new", "get", "", outcomes(ENTER_SHIPMENTS)),
    ("shipment_new", "post", "", outcomes(ENTER_SHIPMENTS, status=302)),
    ("shipment_detail", "get", "held_shipment", outcomes(VIEW_TRADE)),
    ("shipment_recheck", "post", "held_shipment", outcomes(VIEW_TRADE, status=302)),
    ("shipment_override", "post", "held_shipment", outcomes(OVERRIDE_HOLDS, status=302)),
    ("shipment_export", "post", "released_shipment", outcomes(ENTER_SHIPMENTS, status=302)),
    ("shipment_cancel", "post", "held_shipment", outcomes(ENTER_SHIPMENTS, status=302)),
    ("trade_upload_new", "get", "shipments", outcomes(ENTER_SHIPMENTS)),
    ("trade_upload_new", "post", "shipments", outcomes(ENTER_SHIPMENTS, status=302)),
    ("trade_upload_template", "get", "shipments", outcomes(VIEW_TRADE)),
    ("trade_upload_detail", "get", "shipment_upload", outcomes(VIEW_TRADE)),
    (
        "trade_upload_commit",
        "post",
        "shipment_upload",
        outcomes({"analyst", "superuser"}, status=302, refused={"analyst2"}),
    ),
    ("trade_upload_errors", "post", "shipment_upload", outcomes(VIEW_TRADE)),
    ("trade_work", "get", "", outcomes(SEE_LISTS)),
    ("licence_list", "get", "", outcomes(VIEW_TRADE)),
    # A licence granted outside an application: whoever records grants (manage_licences).
    ("licence_record", "get", "", outcomes(MANAGE_LICENCES)),
    ("licence_record", "post", "", outcomes(MANAGE_LICENCES, status=302)),
    ("licence_detail", "get", "licence", outcomes(VIEW_TRADE)),
    ("licence_amend", "get", "licence", outcomes(VIEW_TRADE)),
    ("licence_amend", "post", "licence", outcomes(VIEW_TRADE, status=302)),
    ("licence_status", "post", "licence", outcomes(VIEW_TRADE, status=302)),
    ("licence_grant", "get", "filed_application", outcomes(VIEW_TRADE)),
    ("licence_grant", "post", "filed_application", outcomes(VIEW_TRADE, status=302)),
    ("application_list", "get", "", outcomes(VIEW_TRADE)),
    ("application_new", "get", "", outcomes(PREPARE)),
    ("application_new", "post", "", outcomes(PREPARE, status=302)),
    ("application_detail", "get", "draft_application", outcomes(VIEW_TRADE)),
    ("application_package", "get", "draft_application", outcomes(VIEW_TRADE)),
    ("application_document", "post", "draft_application", outcomes(PREPARE, status=302)),
    ("application_document_download", "post", "document", outcomes(VIEW_TRADE)),
    # Four-eyes: `analyst` prepared it, so `analyst` does not file it.
    (
        "application_file",
        "post",
        "draft_application",
        outcomes(VIEW_TRADE, status=302, refused={"analyst"}),
    ),
    ("application_refuse", "post", "filed_application", outcomes(VIEW_TRADE, status=302)),
    ("application_withdraw", "post", "draft_application", outcomes(VIEW_TRADE, status=302)),
    ("party_list", "get", "", outcomes(VIEW_TRADE)),
    ("party_new", "get", "", outcomes(VIEW_TRADE)),
    ("party_new", "post", "", outcomes(VIEW_TRADE, status=302)),
    ("party_detail", "get", "party", outcomes(VIEW_TRADE)),
    ("party_edit", "get", "party", outcomes(VIEW_TRADE)),
    ("party_edit", "post", "party", outcomes(VIEW_TRADE, status=302)),
    ("party_match_decide", "post", "open_match:confirm", outcomes(DECIDE_MATCHES, status=302)),
    ("party_match_decide", "post", "open_match:dismiss", outcomes(DECIDE_MATCHES, status=302)),
    # Four-eyes: `reviewer` proposed the dismissal, so another reviewer accepts it.
    (
        "party_match_decide",
        "post",
        "proposed_match:accept",
        outcomes(DECIDE_MATCHES, status=302, refused={"reviewer"}),
    ),
    ("list_standing", "get", "", outcomes(SEE_LISTS)),
    ("list_upload", "get", "", outcomes(LOAD_LISTS)),
    ("list_upload", "post", "", outcomes(LOAD_LISTS, status=302)),
    # A draft is the administrators' work: others who see the lists get 404.
    (
        "list_version_detail",
        "get",
        "draft_list",
        outcomes(LOAD_LISTS, hidden=VIEW_TRADE - LOAD_LISTS),
    ),
    ("list_version_detail", "get", "published_list", outcomes(SEE_LISTS)),
    # Maker-checker: `rules_admin` loaded it, so another administrator publishes it.
    (
        "list_version_publish",
        "post",
        "draft_list",
        outcomes(LOAD_LISTS, status=302, refused={"rules_admin"}),
    ),
    ("list_version_confirm", "post", "published_list", outcomes(LOAD_LISTS, status=302)),
]
TRADE_URL_NAMES = {name for name, *_ in TRADE_ROUTES}

# Every dashboard download (dashboard_csv, by section): who may download it is the route's
# outcome above (every role). The figures count every case, whoever may open it; the one
# row-level download, the scenario's list of changes, holds only the cases the persona sees
# (visible()). Sections are checked against screening.dashboard.views.CSV_SECTIONS.
DASHBOARD_DOWNLOADS: dict[str, str] = {
    "products": "figures",  # products by latest outcome: counts, no case
    "category": "figures",
    "entry": "figures",
    "destination": "figures",
    "workflow": "figures",
    "workload": "figures",
    "activity": "figures",
    "thresholds": "figures",
    "scenario": "figures",
    "changes": "rows",
}

# The case routes above (ROUTES) by URL name; the transitions (submit, close, ...) share one.
CASE_URL_NAMES = {name for name, *_ in ROUTES if name.startswith("case_")} | {"case_transition"}

# URL patterns deliberately not in this matrix, with the reason.
NOT_IN_MATRIX = {
    "admin": "Django admin's own pages (change lists, change forms, history, login, password "
    "change, autocomplete, jsi18n): ADMIN_MODELS below states, model by model, who may reach "
    "them, and tests/security/test_admin.py tests it. Static files are served by WhiteNoise "
    "outside the URLconf; uploaded files are never served by URL.",
}

# Django admin, model by model: which personas may open a model's change list. Everyone else
# who is staff gets 403; non-staff are sent to the login page. Superusers see every model.
RULES_MODELS = {"rules.ruleset", "rules.measure", "rules.entry", "rules.referenceproduct"}
ADMIN_MODELS: dict[str, set[str]] = {"rules_admin": RULES_MODELS}
