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
    (
        "request_information",
        "post",
        VIEW_CASES,
        {"in_review": {"reviewer", "reviewer2", "superuser"}},
    ),
    ("answer", "post", VIEW_CASES, {"returned": {"analyst", "superuser"}}),
    ("case_approve", "post", REVIEW, {"in_review": {"reviewer", "reviewer2", "superuser"}}),
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
        "post",
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
