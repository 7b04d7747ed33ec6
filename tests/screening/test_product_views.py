"""Product pages: who may use them, and what they do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from screening.models import Product, Screening
from tests.conftest import client_for

LFP_FORM = {
    "sku": "LFP-9",
    "revision": "",
    "name": "LFP powder",
    "category": "cathode_material",
    "subtype": "lfp",
    "compaction_density_g_per_cm3": "2.6 g/cc",
    "specific_capacity_mah_per_g": "158",
    "destination_country": "de",
    "annual_export_value_usd": "1,000,000",
    "as_of": "2026-12-01",
}


@pytest.fixture
def product(analyst, client):
    client_for(client, analyst).post(reverse("product_new"), LFP_FORM)
    client.logout()
    return Product.objects.get(sku="LFP-9")


# (url name, needs product, method) → personas allowed
MATRIX = [
    ("product_list", False, "get", {"analyst", "reviewer", "rules_admin", "superuser"}),
    ("product_new", False, "get", {"analyst", "superuser"}),
    ("product_detail", True, "get", {"analyst", "reviewer", "rules_admin", "superuser"}),
    ("product_edit", True, "get", {"analyst", "superuser"}),
    ("product_screen", True, "post", {"analyst", "reviewer", "superuser"}),
    ("catalogue", False, "get", {"analyst", "reviewer", "rules_admin", "superuser"}),
]


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("persona", ["analyst", "reviewer", "rules_admin", "outsider", "superuser"])
@pytest.mark.parametrize(("name", "needs_product", "method", "allowed"), MATRIX)
def test_access(request, client, product, persona, name, needs_product, method, allowed, htmx):
    user = request.getfixturevalue(persona)
    client_for(client, user)
    url = reverse(name, args=[product.pk] if needs_product else [])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    data = {"as_of": "2026-12-01"} if method == "post" else {}
    response = getattr(client, method)(url, data, **headers)
    if persona in allowed:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("name", ["product_list", "product_new", "catalogue"])
def test_anonymous_users_are_sent_to_log_in(client, rule_set, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_health_check_is_public(client, db):
    response = client.get(reverse("healthz"))
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_entering_a_spec_saves_it_screens_it_and_shows_the_sheet(client, analyst):
    response = client_for(client, analyst).post(reverse("product_new"), LFP_FORM, follow=True)
    product = Product.objects.get(sku="LFP-9")
    screening = Screening.objects.get(product=product)
    assert response.redirect_chain == [(screening.get_absolute_url(), 302)]
    assert (screening.outcome, screening.as_of.isoformat()) == ("licence_required", "2026-12-01")
    spec = product.current_spec
    assert (spec.compaction_density_g_per_cm3, spec.provenance["raw"]) == (
        2.6,
        {"compaction_density_g_per_cm3": "2.6 g/cc"},
    )
    assert (spec.destination_country, spec.annual_export_value_usd) == ("DE", 1_000_000.0)
    page = response.content.decode()
    assert "Licence required" in page
    assert "3C901.a.1" in page
    assert "磷酸铁锂正极材料" in page
    assert "LFP (lithium iron phosphate) cathode material" in page
    assert "属于两用物项，管制编码：3C901.a.1" in page
    assert "entered as “2.6 g/cc”, converted" in page
    assert "Status assumed, not confirmed" in page
    assert (
        "MOFCOM + GAC Announcement 2025 No. 58 has never applied in practice: its suspension by "
        "MOFCOM + GAC Announcement 2025 No. 70 ended on 2026-11-10; what followed is not "
        "recorded. This result assumes it is in force." in page
    )
    assert "The remark rests on the assumed status above." in page
    assert screening.rule_set_version in page


def test_a_missing_value_is_named_on_the_sheet(client, analyst):
    data = {**LFP_FORM, "specific_capacity_mah_per_g": "", "compaction_density_g_per_cm3": "2.55"}
    response = client_for(client, analyst).post(reverse("product_new"), data, follow=True)
    page = response.content.decode()
    assert "Indeterminate: data missing" in page
    assert "Missing data" in page
    assert "specific_capacity_mah_per_g" in page


def test_bad_values_are_shown_on_their_fields_and_nothing_is_saved(client, analyst):
    data = {**LFP_FORM, "compaction_density_g_per_cm3": "2.6 furlongs", "destination_country": "XX"}
    response = client_for(client, analyst).post(reverse("product_new"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "compaction_density_g_per_cm3": ["'furlongs' cannot be converted to g/cm³"],
        "destination_country": ["not an ISO 3166-1 alpha-2 country code (e.g. DE, US, JP)"],
    }
    assert Product.objects.count() == 0


def test_an_unchanged_spec_is_screened_again_without_a_new_version(client, analyst, product):
    client_for(client, analyst)
    edit = reverse("product_edit", args=[product.pk])
    initial = client.get(edit).context["form"].initial
    data = {k: v for k, v in initial.items() if v is not None}
    data["as_of"] = "2026-11-01"
    response = client.post(edit, data, follow=True)
    product.refresh_from_db()
    assert product.specs.count() == 1
    assert product.latest_screening.outcome == "not_in_force"
    assert "The spec is unchanged; it was screened again." in response.content.decode()


def test_a_changed_spec_becomes_a_new_version_and_the_old_one_is_kept(client, analyst, product):
    client_for(client, analyst)
    data = {**LFP_FORM, "compaction_density_g_per_cm3": "2.0"}
    client.post(reverse("product_edit", args=[product.pk]), data)
    product.refresh_from_db()
    assert [s.compaction_density_g_per_cm3 for s in product.specs.order_by("number")] == [2.6, 2.0]
    assert product.current_spec.number == 2
    assert product.latest_screening.outcome == "not_controlled"


def test_sku_cannot_be_changed_through_the_edit_form(client, analyst, product):
    client_for(client, analyst)
    client.post(reverse("product_edit", args=[product.pk]), {**LFP_FORM, "sku": "OTHER"})
    assert list(Product.objects.values_list("sku", flat=True)) == ["LFP-9"]


def test_category_choice_returns_only_the_fields_that_matter(client, analyst):
    client_for(client, analyst)
    response = client.get(
        reverse("spec_fields"), {"category": "battery_cell"}, HTTP_HX_REQUEST="true"
    )
    form = response.context["form"]
    relevant, _ = form.parameter_fields()
    assert [f.name for f in relevant] == [
        "energy_density_wh_per_kg",
        "nominal_voltage_v",
        "capacity_ah",
        "mass_kg",
        "energy_density_test_temperature_c",
    ]
    assert form.asks_cell_type()
    assert [value for value, _ in form.fields["subtype"].choices] == [
        "",
        "li_ion",
        "li_metal",
        "sodium_ion",
        "other",
    ]
    assert "<html" not in response.content.decode()


def test_technology_subtype_narrows_the_fields(client, analyst):
    client_for(client, analyst)
    response = client.get(
        reverse("spec_fields"), {"category": "technology", "subtype": "lfp_preparation"}
    )
    relevant, _ = response.context["form"].parameter_fields()
    assert [f.name for f in relevant] == [
        "compaction_density_g_per_cm3",
        "compaction_pressure_mpa",
        "specific_capacity_mah_per_g",
        "discharge_rate_c",
        "first_cycle_efficiency_pct",
    ]


def test_product_list_search_and_filters(client, analyst, product):
    client_for(client, analyst)
    found = client.get(reverse("product_list"), {"q": "powder"}).context["page"].object_list
    assert [p.sku for p in found] == ["LFP-9"]
    none = client.get(reverse("product_list"), {"q": "zzz"}).context["page"].object_list
    assert list(none) == []
    by_outcome = client.get(reverse("product_list"), {"outcome": "licence_required"})
    assert [p.sku for p in by_outcome.context["page"].object_list] == ["LFP-9"]


def test_product_list_fragment_for_htmx(client, analyst, product):
    client_for(client, analyst)
    response = client.get(reverse("product_list"), {"q": "LFP"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "LFP-9" in html


@pytest.mark.parametrize("rows", [1, 3])
def test_product_list_query_count_does_not_grow_with_rows(
    client, analyst, django_assert_max_num_queries, rows
):
    client_for(client, analyst)
    for i in range(rows):
        client.post(reverse("product_new"), {**LFP_FORM, "sku": f"P-{i}"})
    # 8: session, user, groups, the products, their count, and the status banner that every
    # role sees (the current rule set and the status confirmations).
    with django_assert_max_num_queries(8):
        client.get(reverse("product_list"))


def test_screening_again_as_of_another_date(client, reviewer, product):
    response = client_for(client, reviewer).post(
        reverse("product_screen", args=[product.pk]), {"as_of": "2026-11-01"}, follow=True
    )
    latest = Screening.objects.filter(product=product).first()
    assert (latest.as_of.isoformat(), latest.outcome, latest.created_by) == (
        "2026-11-01",
        "not_in_force",
        reviewer,
    )
    assert (
        "Suspended by MOFCOM + GAC Announcement 2025 No. 70 from 2025-11-07 until 2026-11-10"
        in (response.content.decode())
    )


def test_catalogue_page_lists_measures_with_status_on_a_date(client, reviewer):
    client_for(client, reviewer)
    page = client.get(reverse("catalogue"), {"as_of": "2026-11-01"}).content.decode()
    assert "CN-2025-58" in page
    assert "3B901.c.2.b" in page
    assert "UNVERIFIED" in page
    assert "Suspended by MOFCOM + GAC Announcement 2025 No. 70" in page


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("analyst", "/cases/?queue=true"),
        ("reviewer", "/dashboard/"),
        ("superuser", "/dashboard/"),
        ("rules_admin", "/rules/"),
        ("outsider", "/products/"),
    ],
    indirect=["persona"],
)
def test_each_role_lands_where_its_work_is(client, persona, landing):
    client.force_login(persona)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == landing


def test_derived_values_read_with_four_significant_digits_and_keep_full_precision(client, analyst):
    response = client_for(client, analyst).post(
        reverse("product_new"),
        {
            "sku": "DERIVED-1",
            "name": "Cell",
            "category": "battery_cell",
            "subtype": "li_ion",
            "nominal_voltage_v": "3.7",
            "capacity_ah": "5",
            "mass_kg": "60 g",
            "as_of": "2026-12-01",
        },
        follow=True,
    )
    page = response.content.decode()
    assert '<span title="308.333333333">308.3</span> Wh/kg' in page
    assert "308.333333333 Wh/kg" not in page
    spec = Product.objects.get(sku="DERIVED-1").current_spec
    assert spec.energy_density_wh_per_kg == 308.333333333


def test_a_value_is_never_rounded_onto_its_threshold(client, analyst):
    response = client_for(client, analyst).post(
        reverse("product_new"),
        {**LFP_FORM, "sku": "EDGE-1", "compaction_density_g_per_cm3": "2.49996"},
        follow=True,
    )
    assert "<strong>2.49996 g/cm³</strong>" in response.content.decode()
