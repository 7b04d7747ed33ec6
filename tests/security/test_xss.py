"""Stored and reflected XSS (RELIABILITY.md "Exports": user text HTML-escaped, chart JSON through
json_script; OWASP XSS cheat sheet).

A corpus of payloads goes through every field a user can type (spec name, manufacturer, source
document, SKU; a case's end user and end use, comments, requests and answers, rationale,
departure and withdrawal reasons; evidence descriptions and file names; upload file names; the
source of a status confirmation) by the paths users take, and every page that shows them is
parsed: the text must be shown as text, with no script, event handler or javascript: URL that
is not ours. Chart JSON may carry only the few markup tags the charts themselves write.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from screening import products, workflow
from screening.dashboard.theme import escape as charts_escape
from screening.evidence import attach
from screening.imports import checking, committing, receiving
from screening.models import Case, Upload
from tests.conftest import IN_FORCE_DAY, TINY_PDF

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{7*7}}",
    "</script><script>alert(1)</script>",
    "'><svg onload=alert(1)>",
]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
CHART_TAGS = {"b", "br", "extra"}  # what screening.dashboard writes into plotly labels


class Page(HTMLParser):
    """What a browser would run from a page, and the text it would show."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.json_scripts: list[str] = []
        self._in_json = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            if attributes.get("type") == "application/json" and "src" not in attributes:
                self._in_json = True
            elif not re.match(r"^/(static|admin)/[\w./-]*$", attributes.get("src") or ""):
                self.problems.append(f"script {attributes}")  # only our own script files
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            self.text.append(value or "")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json = False

    def handle_data(self, data):
        if self._in_json:
            self.json_scripts.append(data)
        else:
            self.text.append(data)


def chart_problems(raw: str) -> list[str]:
    problems = []
    if "<" in raw:
        problems.append("raw '<' inside a json_script block")

    def walk(value):
        if isinstance(value, str):
            for tag in re.findall(r"<\s*/?\s*([A-Za-z][\w:-]*)", value):
                if tag.lower() not in CHART_TAGS:
                    problems.append(f"<{tag}> in chart text {value[:80]!r}")
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(raw))
    return problems


def spec_csv(payload: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "sku",
            "name",
            "manufacturer",
            "source_document",
            "category",
            "subtype",
            "energy_density_wh_per_kg",
            "destination_country",
        ]
    )
    writer.writerow([payload, payload, payload, payload, "battery_cell", "li_ion", "310", "DE"])
    return out.getvalue().encode()


@pytest.fixture
def world(request, client, analyst, reviewer, rules_admin, settings, tmp_path):
    """Every user text field holding the payload, entered as users enter it."""
    settings.MEDIA_ROOT = tmp_path
    payload = request.param
    upload = receiving.receive(
        data=spec_csv(payload), filename=f"{payload}.csv", user=analyst, as_of=IN_FORCE_DAY
    )
    checking.dry_run(upload)
    upload = committing.commit(
        committing.mark_importing(upload, user=analyst, policy="all_or_nothing")
    )
    assert upload.status == "imported"
    case = Case.objects.get(product__sku=payload)
    case = workflow.update_shipment(
        case=case,
        version=case.version,
        user=analyst,
        changes={"end_user": payload, "end_use": payload},
    )
    workflow.comment(case=case, user=analyst, message=payload)
    attach(
        case=case,
        user=analyst,
        upload=SimpleUploadedFile(f"{payload}.pdf", TINY_PDF),
        description=payload,
    )
    case.refresh_from_db()
    case = workflow.submit(case=case, version=case.version, user=analyst, message=payload)
    case = workflow.start_review(case=case, version=case.version, user=reviewer)
    case = workflow.request_information(
        case=case, version=case.version, user=reviewer, message=payload
    )
    case = workflow.answer(case=case, version=case.version, user=analyst, message=payload)
    case = workflow.start_review(case=case, version=case.version, user=reviewer)
    case = workflow.approve(
        case=case,
        version=case.version,
        user=reviewer,
        determination="not_controlled",
        rationale=payload,
        departure_reason=payload,
    )
    withdrawn = workflow.create_case(
        screening=products.screen_spec(spec=case.spec, as_of=IN_FORCE_DAY, user=analyst),
        user=analyst,
        shipment={"end_user": payload},
    )
    withdrawn = workflow.withdraw(
        case=withdrawn, version=withdrawn.version, user=analyst, reason=payload
    )
    client.force_login(rules_admin)
    client.post(
        reverse("confirm_status"),
        {"measure_key": "CN-2025-58", "status": "in_force", "source": payload, "note": payload},
    )
    return {
        "payload": payload,
        "case": case,
        "withdrawn": withdrawn,
        "upload": Upload.objects.get(pk=upload.pk),
        "evidence_name": case.evidence.get().original_name,
    }


def pages(world, analyst, reviewer, superuser):
    """(name, who looks, how, the texts it must show)."""
    p, case, upload = world["payload"], world["case"], world["upload"]
    product, spec, screening = case.product, case.spec, case.screening
    htmx = {"HTTP_HX_REQUEST": "true"}
    return [
        (
            "case detail",
            analyst,
            lambda c: c.get(case.get_absolute_url()),
            [p, world["evidence_name"]],
        ),
        ("withdrawn case", analyst, lambda c: c.get(world["withdrawn"].get_absolute_url()), [p]),
        ("case list", reviewer, lambda c: c.get(reverse("case_list")), [p]),
        ("case list, searched", reviewer, lambda c: c.get(reverse("case_list"), {"q": p}), [p]),
        ("case rows (htmx)", reviewer, lambda c: c.get(reverse("case_list"), **htmx), [p]),
        ("product list", reviewer, lambda c: c.get(reverse("product_list")), [p]),
        (
            "product list, searched",
            reviewer,
            lambda c: c.get(reverse("product_list"), {"q": p}),
            [p],
        ),
        ("product rows (htmx)", reviewer, lambda c: c.get(reverse("product_list"), **htmx), [p]),
        ("product detail", reviewer, lambda c: c.get(product.get_absolute_url()), [p]),
        ("spec detail", reviewer, lambda c: c.get(reverse("spec_detail", args=[spec.pk])), [p]),
        ("screening", reviewer, lambda c: c.get(screening.get_absolute_url()), [p]),
        ("upload list", analyst, lambda c: c.get(reverse("upload_list")), [upload.original_name]),
        (
            "upload detail",
            analyst,
            lambda c: c.get(upload.get_absolute_url()),
            [upload.original_name, p],
        ),
        ("upload rows (htmx)", analyst, lambda c: c.get(upload.get_absolute_url(), **htmx), [p]),
        ("dashboard", reviewer, lambda c: c.get(reverse("dashboard")), []),
        ("dashboard, filtered", reviewer, lambda c: c.get(reverse("dashboard"), {"entry": p}), [p]),
        (
            "decision record",
            reviewer,
            lambda c: c.get(reverse("case_record", args=[case.pk])),
            [p],
        ),
        ("catalogue", reviewer, lambda c: c.get(reverse("catalogue")), []),
        (
            "status confirmations (admin)",
            superuser,
            lambda c: c.get(reverse("admin:rules_statusconfirmation_changelist")),
            [p],
        ),
        (
            "cases (admin)",
            superuser,
            lambda c: c.get(reverse("admin:screening_case_changelist")),
            [p],
        ),
        (
            "case (admin)",
            superuser,
            lambda c: c.get(reverse("admin:screening_case_change", args=[case.pk])),
            [p],
        ),
    ]


@pytest.mark.parametrize("world", PAYLOADS, indirect=True, ids=range(len(PAYLOADS)))
def test_user_text_renders_inert_on_every_page_that_shows_it(
    client, world, analyst, reviewer, superuser
):
    problems: dict[str, list[str]] = {}
    for name, user, get, shown in pages(world, analyst, reviewer, superuser):
        client.force_login(user)
        response = get(client)
        assert response.status_code == 200, name
        page = Page(response.content.decode())
        found = list(page.problems)
        text = "\n".join(page.text)
        found += [f"not shown as text: {s!r}" for s in shown if s not in text]
        for raw in page.json_scripts:
            found += chart_problems(raw)
        if found:
            problems[name] = found
    assert problems == {}


@pytest.mark.parametrize("world", PAYLOADS[:2], indirect=True, ids=range(2))
def test_the_dashboard_charts_carry_user_text_escaped(client, world, reviewer):
    client.force_login(reviewer)
    page = Page(client.get(reverse("dashboard")).content.decode())
    charts = [json.loads(raw) for raw in page.json_scripts]
    assert charts != []
    dumped = json.dumps(charts, ensure_ascii=False)
    assert world["payload"] not in dumped
    assert charts_escape(world["payload"]) in dumped  # it is there, escaped


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_page_check_finds_the_payloads_when_they_are_not_escaped(payload):
    """The checks above would fail if a template let a payload through unescaped."""
    page = Page(f'<p title="{payload}">{payload}</p><a href="{payload}">x</a>')
    if payload == "{{7*7}}":
        assert page.problems == []  # inert anywhere; shown literally, never evaluated
    else:
        assert page.problems != []
    as_json_script = json.dumps({"label": payload}).replace("<", "\\u003c")
    assert (chart_problems(as_json_script) != []) == ("<" in payload)


@pytest.mark.parametrize("world", PAYLOADS[:1], indirect=True, ids=["script"])
def test_the_decision_record_json_is_a_download_never_a_page(client, world, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("case_record", args=[world["case"].pk]), {"format": "json"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    record = json.loads(response.content)["record"]
    assert world["payload"] in json.dumps(record, ensure_ascii=False)
