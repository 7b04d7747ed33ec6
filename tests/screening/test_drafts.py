"""A new draft case is built in one place (screening.drafts; issue 16, item 4): the form's case,
an imported row's and the benchmark's copy the same facts of their screening and spec."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from screening import workflow
from screening.drafts import draft_cases
from screening.models import Case, SpecVersion, Upload
from tests.screening.test_uploads import upload_file

DERIVED = (
    "product_id",
    "spec_id",
    "screening_id",
    "automated_outcome",
    "category",
    "subtype",
    "destination_country",
    "expected_value_usd",
    "state",
    "version",
    "prepared_by_id",
)


def derived(case: Case) -> tuple:
    return tuple(getattr(case, name) for name in DERIVED)


def test_draft_cases_are_unsaved_cases_with_every_copied_field_set(screened, analyst):
    screening = screened()
    now = timezone.now()
    built = draft_cases(
        products=[screening.product_id] * 3,
        specs=[screening.spec_id] * 3,
        screenings=[screening.pk] * 3,
        outcomes=["licence_required"] * 3,
        categories=["battery_cell"] * 3,
        subtypes=["li_ion"] * 3,
        destinations=["DE", None, ""],
        values=[2.675, float("nan"), None],
        prepared_by=analyst.pk,
        at=now,
    ).cases()
    assert [(c.pk, c.destination_country, c.expected_value_usd) for c in built] == [
        (None, "DE", Decimal("2.68")),
        (None, "", None),
        (None, "", None),
    ]
    assert {(c.state, c.version, c.prepared_by_id, c.last_activity_at) for c in built} == {
        ("draft", 1, analyst.pk, now)
    }


def test_a_case_from_the_form_and_one_from_an_import_copy_the_same_facts(client, analyst):
    """The same spec (a value with half a cent) opened as a case by hand and by an import: the
    import rounded 2.675 through float formatting (2.67), the form through its text (2.68)."""
    client.force_login(analyst)
    header = "sku,name,category,subtype,energy_density_wh_per_kg,destination_country,"
    row = "C-1,Cell one,battery_cell,li_ion,310,DE,2.675"
    upload_file(client, f"{header}annual_export_value_usd\n{row}\n".encode())
    upload = Upload.objects.get()
    client.post(reverse("upload_commit", args=[upload.pk]), {"policy": "all_or_nothing"})
    imported = Case.objects.get()
    spec = SpecVersion.objects.get(upload=upload)
    by_hand = workflow.create_case(screening=spec.screenings.get(), user=analyst)
    assert derived(by_hand) == derived(imported)
    assert imported.expected_value_usd == Decimal("2.68")
