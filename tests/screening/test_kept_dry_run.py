"""The import writes what its dry run parsed and screened (screening.imports.screened) only while
nothing that result depends on has changed, and never trusts a kept file it did not sign."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from rules.models import StatusConfirmation
from screening import products
from screening.imports import checking, committing, receiving, screened
from screening.models import Product, SpecVersion, Upload
from tests.screening.test_rule_changes import publish_3a001_at_250

AS_OF = dt.date(2026, 12, 1)
CSV = (
    b"sku,revision,name,category,subtype,energy_density_wh_per_kg,destination_country\n"
    b"C-1,,Cell one,battery_cell,li_ion,310,DE\n"
    b"C-2,A,Cell two,battery_cell,li_ion,260,US\n"
    b"EQ-1,,Winder,equipment,winding_machine,,JP\n"
)


@pytest.fixture
def checked(analyst, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = receiving.receive(data=CSV, filename="specs.csv", user=analyst, as_of=AS_OF)
    return checking.dry_run(upload)


@pytest.fixture
def screenings(monkeypatch):
    """How many times the import screened the file itself."""
    calls = []

    def counted(upload, progress=None):
        calls.append(upload.pk)
        return screened.screen_upload(upload, progress)

    monkeypatch.setattr(committing, "screen_upload", counted)
    return calls


def kept_file(upload: Upload):
    return upload.file.storage.path(f"{upload.file.name}.checked")


def import_(upload: Upload) -> Upload:
    upload = committing.mark_importing(upload, user=upload.uploaded_by, policy="all_or_nothing")
    return committing.commit(upload)


def test_the_import_writes_the_rows_the_dry_run_screened_and_removes_them(checked, screenings):
    assert checked.status == "checked"
    path = kept_file(checked)
    with open(path, "rb") as fh:
        assert fh.read(len(screened.MAGIC)) == screened.MAGIC
    upload = import_(checked)
    assert upload.status == "imported"
    assert screenings == []  # written from the dry run's result
    assert Product.objects.count() == 3
    for spec in SpecVersion.objects.filter(upload=upload):
        stored = spec.screenings.get()
        assert products.explain(stored).to_contract() == stored.result
    assert not os.path.exists(path)


def test_a_status_confirmed_after_the_dry_run_is_screened_again(checked, screenings, rules_admin):
    StatusConfirmation.objects.create(
        measure_key="CN-2025-58", status="in_force", source="notice", confirmed_by=rules_admin
    )
    upload = import_(checked)
    assert screenings == [upload.pk]
    result = SpecVersion.objects.get(upload=upload, product__sku="C-1").screenings.get().result
    assert result["entries"][0]["status_needs_confirmation"] is False


def test_a_rule_set_published_after_the_dry_run_is_screened_again(
    checked, screenings, rule_set, rules_admin, rules_admin2
):
    # The 260 Wh/kg cell is under 3A001's threshold when the dry run screens it.
    assert checked.rows.get(sku="C-2").outcome != "licence_required"
    new = publish_3a001_at_250(rule_set, rules_admin, rules_admin2)
    upload = import_(checked)
    assert screenings == [upload.pk]
    screening = SpecVersion.objects.get(upload=upload, product__sku="C-2").screenings.get()
    assert screening.rule_set_id == new.pk
    assert screening.outcome == "licence_required"


def test_code_changed_since_the_dry_run_is_screened_again(checked, screenings, monkeypatch):
    monkeypatch.setattr(screened, "code_fingerprint", lambda: "another version")
    assert import_(checked).status == "imported"
    assert len(screenings) == 1


@pytest.mark.parametrize("where", ["header", "body", "signature"])
def test_a_kept_file_altered_on_disk_is_not_trusted(checked, screenings, where):
    path = kept_file(checked)
    with open(path, "rb") as fh:
        data = bytearray(fh.read())
    offset = {
        "signature": len(screened.MAGIC) + 3,
        "header": len(screened.MAGIC) + screened.SIGNATURE_BYTES + 4 + 10,
        "body": len(data) - 5,
    }[where]
    data[offset] ^= 0x01
    with open(path, "wb") as fh:
        fh.write(data)
    assert screened.kept(checked) is None
    assert import_(checked).status == "imported"
    assert len(screenings) == 1
    assert Product.objects.count() == 3


def test_a_kept_file_signed_with_another_key_is_not_trusted(checked, screenings, settings):
    settings.SECRET_KEY = "another-" + "k" * 60
    assert screened.kept(checked) is None
    assert import_(checked).status == "imported"
    assert len(screenings) == 1


def test_a_missing_kept_file_is_screened_again(checked, screenings):
    screened.discard(checked)
    assert import_(checked).status == "imported"
    assert len(screenings) == 1


def test_a_stored_file_changed_after_the_dry_run_fails_the_import(checked, screenings):
    with open(checked.file.path, "ab") as fh:
        fh.write(b"C-9,,Smuggled,battery_cell,li_ion,400,US\n")
    upload = import_(checked)
    assert upload.status == "failed"
    assert "no longer matches its SHA-256" in upload.message
    assert Product.objects.count() == 0
    assert screenings == []  # refused before screening anything
