"""The dashboard pages: who sees them, page and fragment, links into the case list, escaping of
user text, CSV downloads (neutralised, audited) and bounded query counts."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rules.audit import AuditEvent
from screening.dashboard.views import CSV_SECTIONS
from tests.conftest import PERSONAS
from tests.screening.dashboard.conftest import DATES, HTMX, PAGE, csv_rows, figures

XSS = "<img src=x onerror=alert(1)>"


# --- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_dashboard_page_for_each_persona(request, client, rule_set, persona, htmx):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(PAGE, **(HTMX if htmx else {}))
    if persona == "outsider":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert ("<html" in html) is not htmx
    assert 'id="chart-category"' in html
    assert ("aggregates over <strong>all</strong> cases" in html) is not htmx


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("section", list(CSV_SECTIONS))
def test_dashboard_csv_for_each_persona(request, client, rule_set, section, persona, htmx):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("dashboard_csv", args=[section])
    response = client.post(url, DATES, **(HTMX if htmx else {}))
    if persona == "outsider":
        assert response.status_code == 403
        assert AuditEvent.objects.filter(action="dashboard.export").count() == 0
        return
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="exposure-{section}-')
    assert csv_rows(response)[0]  # a header row
    assert AuditEvent.objects.filter(action="dashboard.export", object_id=section).count() == 1


def test_dashboard_needs_a_login(client, rule_set):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.post(reverse("dashboard_csv", args=["category"]))
    assert response.status_code == 302


def test_csv_is_post_only_and_sections_are_known(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("dashboard_csv", args=["category"])).status_code == 405
    assert client.post(reverse("dashboard_csv", args=["nope"])).status_code == 404


def test_nav_shows_the_dashboard_first_to_those_who_may_see_it(client, reviewer, outsider):
    client.force_login(reviewer)
    html = client.get(reverse("product_list")).content.decode()
    nav = html[html.index('<nav class="mainnav"') :]
    assert nav.index(f'href="{PAGE}"') < nav.index(f'href="{reverse("case_list")}"')
    client.force_login(outsider)
    html = client.get(reverse("catalogue")).content.decode()
    assert f'href="{PAGE}"' not in html


# --- page and fragment -----------------------------------------------------------------------


def test_fragment_is_the_charts_only_and_history_restore_gets_the_page(client, case_in, reviewer):
    case_in("submitted")
    client.force_login(reviewer)
    fragment = client.get(PAGE, {"state": "submitted"}, **HTMX)
    html = fragment.content.decode()
    assert "<html" not in html
    assert "data-dashboard-filters" not in html  # the form stays on the page
    assert [t.name for t in fragment.templates][0] == "screening/_dashboard_charts.html"
    assert "HX-Request" in fragment["Vary"]
    restore = client.get(
        PAGE, {"state": "submitted"}, HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX
    )
    assert "<html" in restore.content.decode()


def test_filters_change_the_numbers_and_bad_filters_are_reported(client, case_in, reviewer):
    case_in("submitted")
    case_in("draft", energy="290")
    client.force_login(reviewer)
    everything = client.get(PAGE, **HTMX).context["report"]
    assert everything.by_category["cases"].sum() == 2
    licensed = client.get(PAGE, {"outcome": "licence_required"}, **HTMX).context["report"]
    assert list(licensed.by_category["outcome"]) == ["licence_required"]
    response = client.get(PAGE, {"destination": "ZZ"}, **HTMX)
    assert response.context["report"].filters.destination == ""
    assert "Not an ISO 3166-1 alpha-2 country code." in response.content.decode()


def test_scenario_dates_default_to_the_day_before_and_the_day_of_the_lapse(
    client, rule_set, reviewer
):
    client.force_login(reviewer)
    response = client.get(PAGE)
    report = response.context["report"]
    assert (report.first.isoformat(), report.second.isoformat()) == ("2026-11-10", "2026-11-11")
    html = response.content.decode()
    assert 'name="compare_to" value="2026-11-11"' in html
    assert 'name="as_of" value="2026-11-10"' in html


def test_bars_link_to_the_matching_case_list_for_those_who_may_open_cases(
    client, case_in, reviewer, rules_admin
):
    case_in("submitted")
    client.force_login(reviewer)
    html = client.get(PAGE, {"destination": "de"}).content.decode()
    category = figures(html)["chart-category-data"]
    links = {link for trace in category["data"] for link in trace["customdata"]}
    assert links == {
        reverse("case_list") + "?destination=DE&category=battery_cell&outcome=licence_required"
    }
    workload = figures(html)["chart-workload-data"]["data"][0]["customdata"]
    assert workload == [reverse("case_list") + "?destination=DE&state=submitted"]
    assert (
        'href="/cases/?destination=DE&amp;category=battery_cell&amp;outcome=licence_required"'
        in html
    )

    client.force_login(rules_admin)  # may see the dashboard, not the cases: no links
    html = client.get(PAGE).content.decode()
    category = figures(html)["chart-category-data"]
    assert {link for trace in category["data"] for link in trace["customdata"]} == {""}


@pytest.mark.parametrize("viewer", ["reviewer", "analyst2", "analyst", "superuser"])
def test_every_bar_lands_on_cases_the_viewer_may_open_or_the_list_says_why(
    request, client, case_in, viewer
):
    """Issue 18, item 1: the case figures count every case, drafts included; a reviewer
    clicking a bar of drafts met a bare "No case matches"."""
    case_in("submitted")
    case_in("in_review")
    case_in("draft", energy="290")  # near threshold: a bar of drafts alone
    case_in("draft", energy="")  # indeterminate: another
    client.force_login(request.getfixturevalue(viewer))
    links = {
        link
        for figure in figures(client.get(PAGE).content.decode()).values()
        for trace in figure["data"]
        for link in trace.get("customdata") or []
        if isinstance(link, str) and link.startswith(reverse("case_list"))
    }
    assert len(links) > 5
    for link in sorted(links):
        response = client.get(link)
        shown = len(response.context["page"].object_list)
        hidden = response.context["hidden"]
        assert shown or hidden["drafts"] + hidden["others"], link
        if not shown:
            assert "No case you may open matches." in response.content.decode()


def test_the_page_says_what_exposure_counts(client, case_in, reviewer):
    case_in("submitted")
    case_in("draft", energy="290")
    client.force_login(reviewer)
    response = client.get(PAGE)
    html = response.content.decode()
    assert "Exposure: products screened" in html
    assert "each product counted once, by its latest screening" in html
    assert "Cases by automated outcome" in html
    assert "drafts count too" in html
    assert "Workflow: cases by state" in html
    charts = response.context["charts"]
    assert [c.key for c in charts.exposure] == ["products"]
    assert [c.key for c in charts.cases] == ["category", "entry", "destination"]
    labels = [k.label for k in charts.headline]
    assert labels[:4] == [
        "Products screened",
        "Licence required (products, latest outcome)",
        "Cases",
        "Expected value of the cases",
    ]
    assert charts.headline[0].value == "2"  # both products, each once
    assert charts.headline[2].note == "every state, drafts included"


def test_every_figure_is_valid_plotly(client, case_in, reviewer):
    """The figures are written as plain dicts; plotly's own validator checks them here."""
    from plotly import graph_objects as go

    case_in("submitted")
    case_in("in_review")
    case_in("draft", energy="290")
    client.force_login(reviewer)
    found = figures(client.get(PAGE, DATES).content.decode())
    assert sorted(found) == sorted(
        f"chart-{key}-data"
        for key in (
            "products",
            "category",
            "entry",
            "destination",
            "state",
            "ageing",
            "workload",
            "activity",
            "threshold-energy_density_wh_per_kg",
            "scenario",
        )
    )
    for element, payload in found.items():
        go.Figure(data=payload["data"], layout=payload["layout"])  # raises on what it rejects
        assert set(payload) == {"data", "layout", "config"}, element
        # The narrow layout, as static/js/dashboard.js draws it on a phone.
        narrow = payload["layout"]["meta"]["narrow"]
        layout = {k: v for k, v in payload["layout"].items() if k != "meta"}
        go.Figure(data=narrow.get("data", payload["data"]), layout={**layout, **narrow["layout"]})


def test_charts_are_configured_for_png_download(client, case_in, reviewer):
    case_in("submitted")
    client.force_login(reviewer)
    response = client.get(PAGE)
    config = figures(response.content.decode())["chart-category-data"]["config"]
    today = response.context["report"].today.isoformat()
    assert config["toImageButtonOptions"] == {
        "format": "png",
        "filename": f"exposure-category-{today}",
        "scale": 2,
    }
    assert config["modeBarButtons"] == [["toImage"]]


def test_page_has_no_inline_script_or_style(client, case_in, reviewer):
    case_in("submitted")
    client.force_login(reviewer)
    html = client.get(PAGE, DATES).content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts  # htmx, app.js, plotly, dashboard.js and the json_script data
    for tag in scripts:
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    assert 'src="/static/plotly/plotly.min.js"' in html
    assert " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)


# --- escaping and CSV ------------------------------------------------------------------------


def test_user_text_never_reaches_a_response_unescaped(client, case_of, reviewer):
    case = case_of(XSS)
    client.force_login(reviewer)
    responses = {
        "page": client.get(PAGE, DATES),
        "fragment": client.get(PAGE, DATES, **HTMX),
        "csv": client.post(reverse("dashboard_csv", args=["changes"]), DATES),
    }
    for name, response in responses.items():
        assert response.status_code == 200, name
    for name in ("page", "fragment"):
        assert XSS not in responses[name].content.decode(), name
    page = responses["page"].content.decode()
    # The change list shows it, escaped by the template.
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert case.reference in page
    # The scenario chart names it in its hover, escaped for plotly, inside json_script.
    scenario = figures(page)["chart-scenario-data"]
    hover = " ".join(text for trace in scenario["data"] for text in trace["hovertext"])
    assert "&lt;img src=x onerror=alert(1)&gt;" in hover
    assert XSS not in hover
    # The CSV carries the name as typed, as a download that no browser renders.
    csv_response = responses["csv"]
    assert XSS in csv_response.content.decode()
    assert csv_response["Content-Disposition"].startswith("attachment;")
    assert csv_response["X-Content-Type-Options"] == "nosniff"


def test_csv_cells_are_neutralised_and_the_export_audited(client, case_of, reviewer):
    for sku in ("=SUM(A1)", "@cmd", "-1+2", "+x"):
        case_of(sku)
    client.force_login(reviewer)
    response = client.post(reverse("dashboard_csv", args=["changes"]), DATES)
    rows = csv_rows(response)
    sku = rows[0].index("SKU")
    assert sorted(row[sku] for row in rows[1:]) == ["'+x", "'-1+2", "'=SUM(A1)", "'@cmd"]
    name = rows[0].index("Product")
    assert sorted(row[name] for row in rows[1:]) == [
        "Cell +x",
        "Cell -1+2",
        "Cell =SUM(A1)",
        "Cell @cmd",
    ]
    event = AuditEvent.objects.get(action="dashboard.export")
    assert event.actor == reviewer
    assert event.after["section"] == "changes"
    assert event.after["rows"] == 4
    assert event.after["as_of"] == "2026-11-01"


def test_category_csv_has_the_chart_data(client, case_in, reviewer):
    case_in("submitted")
    case_in("draft", energy="290")
    client.force_login(reviewer)
    rows = csv_rows(client.post(reverse("dashboard_csv", args=["category"]), DATES))
    assert rows == [
        ["Automated outcome", "Category", "Cases", "Expected value (USD)"],
        ["Licence required", "Battery cell", "1", "250000.0"],
        ["Not controlled, near a threshold", "Battery cell", "1", "250000.0"],
    ]


def test_change_list_csv_is_not_capped(client, case_of, reviewer, monkeypatch):
    monkeypatch.setattr("screening.dashboard.scenario.CHANGE_LIST_LIMIT", 2)
    for i in range(3):
        case_of(f"CELL-{i}")
    client.force_login(reviewer)
    page = client.get(PAGE, DATES)
    assert len(page.context["charts"].changes.rows) == 2
    rows = csv_rows(client.post(reverse("dashboard_csv", args=["changes"]), DATES))
    assert len(rows) == 1 + 3


# --- query counts ----------------------------------------------------------------------------


def queries(client, method, url, data, **headers) -> int:
    with CaptureQueriesContext(connection) as context:
        response = getattr(client, method)(url, data, **headers)
    assert response.status_code == 200
    return len(context)


# Page: 3 for the session, user and roles, 1 for the rule set, 12 for the charts (exact counts
# per chart: test_report.py), 2 for the reviewer's own list of changes (the cases they may
# open), and a little headroom for what base.html's context needs.
# A CSV: the same 4, its section's queries (at most 2; the changes 2 more for the reviewer's own
# list) and 4 to append the audit event.
@pytest.mark.parametrize(
    ("method", "url", "headers", "bound"),
    [
        ("get", PAGE, {}, 22),
        ("get", PAGE, HTMX, 22),
        *(
            ("post", reverse("dashboard_csv", args=[s]), {}, 14 if s == "changes" else 12)
            for s in ("category", "thresholds", "changes")
        ),
    ],
)
def test_query_count_is_bounded_and_does_not_grow_with_cases(
    client, case_in, reviewer, method, url, headers, bound
):
    case_in("in_review")
    client.force_login(reviewer)
    queries(client, method, url, DATES, **headers)  # warm the per-process catalogue cache
    one = queries(client, method, url, DATES, **headers)
    case_in("submitted")
    case_in("approved")
    three = queries(client, method, url, DATES, **headers)
    assert one == three
    assert three <= bound


def test_exported_images_carry_the_day_rule_set_and_filters(client, case_in, reviewer):
    """Issue 18, item 16: a chart's PNG said neither when, under which rules nor for which
    cases. static/js/dashboard.js writes these lines under the image."""
    case_in("submitted")
    client.force_login(reviewer)
    response = client.get(PAGE, {"category": "battery_cell", "state": ["submitted", "draft"]})
    report = response.context["report"]
    version = report.catalogue.version
    today = report.today.isoformat()
    for element, payload in figures(response.content.decode()).items():
        assert payload["layout"]["meta"]["export"] == {
            "caption": [
                f"Exposure dashboard, {today}; rule set {version}.",
                "Filters: Category: Battery cell; State: Submitted, Draft.",
            ],
            "button": "Download plot as a PNG",
        }, element
    unfiltered = figures(client.get(PAGE).content.decode())["chart-category-data"]
    assert unfiltered["layout"]["meta"]["export"]["caption"][1] == "Filters: none (every case)."


def test_summaries_count_in_the_singular_and_the_plural(client, case_in, reviewer):
    """Issue 18, item 16: "1 determinations over 1 weeks", "1 reviewer has 1 cases"."""
    case_in("approved")  # one screening, one determination, this week
    client.force_login(reviewer)
    charts = client.get(PAGE).context["charts"]
    summaries = {chart.key: chart.summary for place in charts.places.values() for chart in place}
    assert summaries["activity"] == "1 screening and 1 determination in 1 week."
    assert summaries["category"].startswith("1 case worth US$")
    assert (
        "; 1 of them (US$250,000) needs a licence by its automated outcome."
        in (summaries["category"])
    )
    assert summaries["products"].startswith("1 screened product worth US$250,000 a year; 1 of")
    assert summaries["state"].startswith("0 of 1 case is open")
    assert summaries["ageing"] == "0 open cases have been in their state for more than 14 days."
    assert summaries["workload"] == (
        "0 reviewers have 0 cases in review; 0 submitted cases wait to be taken."
    )
    assert summaries["threshold-energy_density_wh_per_kg"].startswith("1 case has a value.")

    case_in("in_review")
    case_in("submitted")
    charts = client.get(PAGE).context["charts"]
    summaries = {chart.key: chart.summary for place in charts.places.values() for chart in place}
    assert summaries["workload"] == (
        "1 reviewer has 1 case in review; 1 submitted case waits to be taken."
    )
    assert summaries["activity"] == "3 screenings and 1 determination in 1 week."


@pytest.mark.parametrize(
    "filters",
    [{}, {"destination": "US"}, {"entry": "3A001"}, {"destination": "DE", "entry": "3A001"}],
    ids=["none", "destination", "entry", "both"],
)
def test_a_product_bar_opens_exactly_the_products_it_counts(client, screened, reviewer, filters):
    """Issue 18, item 1: the product list a bar opens has as many rows as the bar counts, under
    the dashboard's filters (the link kept only outcome and category, so a destination or an
    entry filter was lost and the list showed more)."""
    for sku, energy, destination in [
        ("DE-310", "310", "DE"),
        ("DE-290", "290", "DE"),
        ("US-310", "310", "US"),
        ("US-310-B", "310", "US"),
        ("US-200", "200", "US"),
        ("JP-350", "350", "JP"),
    ]:
        screened(sku=sku, energy=energy, destination=destination)
    client.force_login(reviewer)
    html = client.get(PAGE, filters).content.decode()
    traces = figures(html)["chart-products-data"]["data"]
    bars = [
        (link, count)
        for trace in traces
        if trace.get("xaxis", "x") == "x"
        for link, count in zip(trace["customdata"], trace["y"], strict=True)
        if count
    ]
    assert bars
    for link, counted in bars:
        listed = client.get(link).context["page"].paginator.count
        assert (link, listed) == (link, counted)
