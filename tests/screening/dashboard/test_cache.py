"""The dashboard's figures cached per section and filter set, served stale and refreshed in the
background; the row-level list kept per set of visible cases."""

from __future__ import annotations

from tests.screening.dashboard.conftest import DATES, HTMX, PAGE


def test_figures_are_cached_served_stale_and_refreshed_in_the_background(
    client, reviewer, case_in, settings, django_assert_max_num_queries
):
    settings.DASHBOARD_FRESH_SECONDS = 60
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from django.core.cache import cache

    cache.clear()
    case_in("submitted")
    client.force_login(reviewer)
    first = client.get(PAGE, DATES, **HTMX)
    assert first.context["report"].computed_at is None  # computed for this request
    case_in("submitted")
    with django_assert_max_num_queries(8):  # session, user, roles, rule set: no chart query
        second = client.get(PAGE, DATES, **HTMX)
    report = second.context["report"]
    assert report.computed_at is not None
    assert int(report.by_category["cases"].sum()) == 1  # the cached figures, not yet the new case
    assert "brought up to date in the background" in second.content.decode()
    settings.DASHBOARD_FRESH_SECONDS = 1
    import time

    time.sleep(1.1)
    client.get(PAGE, DATES, **HTMX)  # stale: served, and recomputed by the (immediate) task
    settings.DASHBOARD_FRESH_SECONDS = 60
    refreshed = client.get(PAGE, DATES, **HTMX).context["report"]
    assert int(refreshed.by_category["cases"].sum()) == 2


def test_warming_fills_exactly_what_the_unfiltered_page_reads(
    client, reviewer, case_in, settings, django_assert_max_num_queries
):
    settings.DASHBOARD_FRESH_SECONDS = 60
    from django.core.cache import cache

    from screening.dashboard import cache as dashboard_cache

    cache.clear()
    case_in("submitted")
    dashboard_cache.warm_default_view()
    client.force_login(reviewer)
    with django_assert_max_num_queries(8):  # session, user, roles, rule set: no chart query
        page = client.get(PAGE, **HTMX)
    assert page.context["report"].computed_at is not None
    assert int(page.context["report"].by_category["cases"].sum()) == 1


def test_the_cached_change_list_is_kept_per_set_of_visible_cases(
    client, analyst, analyst2, reviewer, case_in, settings
):
    """The figures are cached once for everyone; a list of cases only for those who see the
    same cases (issue 19, item 6): a reviewer's cached list never reaches an analyst."""
    settings.DASHBOARD_FRESH_SECONDS = 60
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from django.core.cache import cache

    cache.clear()
    draft, submitted = case_in("draft"), case_in("submitted")

    def listed(user) -> list[str]:
        client.force_login(user)
        return [row[0] for row in client.get(PAGE, DATES, **HTMX).context["charts"].changes.rows]

    assert listed(reviewer) == [submitted.reference]
    assert listed(analyst2) == []
    assert sorted(listed(analyst)) == sorted([draft.reference, submitted.reference])
    assert listed(reviewer) == [submitted.reference]  # from the cache now
    newer = case_in("submitted")
    settings.DASHBOARD_FRESH_SECONDS = 1
    import time

    time.sleep(1.1)
    listed(reviewer)  # stale: served, and recomputed as a reviewer by the (immediate) task
    settings.DASHBOARD_FRESH_SECONDS = 60
    assert sorted(listed(reviewer)) == sorted([submitted.reference, newer.reference])
    assert listed(analyst2) == []


def test_a_second_identical_section_request_does_not_build_its_figures_again(
    client, reviewer, case_in, settings, monkeypatch
):
    """Issue 19, load at saturation: every request rebuilt the plotly figures from the cached
    figures' data. The finished charts are kept beside it, per filter set and language, and
    made anew when the data is recomputed."""
    from django.core.cache import cache
    from django.urls import reverse

    from screening.dashboard import cache as dashboard_cache
    from screening.dashboard import products

    settings.DASHBOARD_FRESH_SECONDS = 60
    cache.clear()
    case_in("submitted")
    built = []
    real = products.products_chart
    monkeypatch.setattr(products, "products_chart", lambda *args: built.append(1) or real(*args))
    client.force_login(reviewer)
    url = reverse("dashboard_section")

    def figure(params):
        html = client.get(url, {"section": "products", **params}).content.decode()
        return html[html.index('<script id="chart-products-data"') :].split("</script>")[0]

    first = figure({})
    assert (figure({}), len(built)) == (first, 1)
    figure({"destination": "DE"})
    assert len(built) == 2  # another filter set
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = figure({})
    assert (len(built), chinese != first) == (3, True)  # another language
    dashboard_cache.warm_default_view()  # recomputed data (after an import, a re-screen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    figure({})
    assert len(built) == 4
