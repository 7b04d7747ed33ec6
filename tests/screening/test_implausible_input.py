"""Implausible input is refused or confirmed, never screened silently (issue 18, item 5)."""

from __future__ import annotations

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rules.specs import parse_specs
from screening.models import Product, Screening, Upload
from tests.screening.test_product_views import LFP_FORM, client_for
from tests.screening.test_uploads import GOOD, csv_bytes

CELL_FORM = {
    "sku": "ZERO-1",
    "name": "Cell",
    "category": "battery_cell",
    "subtype": "li_ion",
    "as_of": "2026-12-01",
}


@pytest.mark.parametrize(
    "column",
    [
        "energy_density_wh_per_kg",
        "compaction_density_g_per_cm3",
        "specific_capacity_mah_per_g",
        "purity_pct",
        "granulation_volume_m3",
    ],
)
def test_zero_is_refused_like_zero_mass(column):
    parsed = parse_specs(
        pd.DataFrame([{"sku": "S", "name": "n", "category": "battery_cell", column: "0"}])
    )
    assert [(e.column, e.message) for e in parsed.errors] == [(column, "must be greater than 0")]


def test_zero_degrees_is_a_temperature():
    parsed = parse_specs(
        pd.DataFrame(
            [
                {
                    "sku": "S",
                    "name": "n",
                    "category": "battery_cell",
                    "energy_density_test_temperature_c": "0",
                }
            ]
        )
    )
    assert parsed.errors == []


def test_a_zero_energy_density_in_the_form_is_marked_on_its_field(client, analyst):
    response = client_for(client, analyst).post(
        reverse("product_new"), {**CELL_FORM, "energy_density_wh_per_kg": "0"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["energy_density_wh_per_kg"] == ["must be greater than 0"]
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        (
            "1900-01-01",
            "1900-01-01 is before the earliest measure of the catalogue (2021-06-11): nothing "
            "was controlled then. Check the date.",
        ),
        (
            "9999-12-31",
            "9999-12-31 is more than 3 years ahead: the catalogue cannot know the law then. "
            "Check the date.",
        ),
    ],
)
def test_an_implausible_as_of_date_asks_for_confirmation(client, analyst, as_of, message):
    form = {**LFP_FORM, "as_of": as_of}
    first = client_for(client, analyst).post(reverse("product_new"), form)
    assert first.context["form"].errors["as_of"] == [message]
    assert "Yes, screen as of this date" in first.content.decode()
    assert not Screening.objects.exists()
    second = client.post(reverse("product_new"), {**form, "confirm_as_of": "on"})
    assert second.status_code == 302
    assert Screening.objects.get().as_of.isoformat() == as_of


def test_a_date_within_the_horizon_needs_no_confirmation(client, analyst, settings):
    settings.SCREENING = {**settings.SCREENING, "AS_OF_YEARS_AHEAD": 10}
    response = client_for(client, analyst).post(
        reverse("product_new"), {**LFP_FORM, "as_of": "2035-01-01"}
    )
    assert response.status_code == 302


def test_screening_a_product_again_asks_too(client, reviewer, analyst):
    client_for(client, analyst).post(reverse("product_new"), LFP_FORM)
    product = Product.objects.get()
    client.force_login(reviewer)
    response = client.post(reverse("product_screen", args=[product.pk]), {"as_of": "2099-01-01"})
    assert response.status_code == 200
    assert Screening.objects.count() == 1
    assert "Yes, screen as of this date" in response.content.decode()


def test_an_upload_as_of_an_implausible_date_asks_too(client, analyst):
    client.force_login(analyst)
    data = csv_bytes(*GOOD)
    response = client.post(
        reverse("upload_new"),
        {"file": SimpleUploadedFile("specs.csv", data), "as_of": "1900-01-01"},
    )
    assert response.status_code == 200
    assert not Upload.objects.exists()
    response = client.post(
        reverse("upload_new"),
        {
            "file": SimpleUploadedFile("specs.csv", data),
            "as_of": "1900-01-01",
            "confirm_as_of": "on",
        },
    )
    assert response.status_code == 302
    assert Upload.objects.get().as_of.isoformat() == "1900-01-01"
