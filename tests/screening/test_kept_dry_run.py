"""The import writes what its dry run parsed and screened (screening.imports.screened) only while
nothing that result depends on has changed, and never trusts a kept file it did not sign."""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import zlib

import pytest
from django.db import connection, transaction

from rules.models import StatusConfirmation
from screening import bulk, products, rollup
from screening.imports import checking, committing, receiving, screened
from screening.models import Case, Product, Screening, ScreeningEntry, SpecVersion, Upload
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


def test_rules_published_while_the_import_screens_are_used_for_what_it_writes(
    checked, screenings, rule_set, rules_admin, rules_admin2, monkeypatch
):
    """The import holds the rules its rows were screened with until it commits: published
    after its rows were screened (here between loading the dry run's result and writing),
    they are screened again with the new rules rather than written with the old ones, which
    the re-screen following the publish may already have passed."""
    real, published = screened.kept, []

    def kept_then_a_publish(upload):
        result = real(upload)
        published.append(publish_3a001_at_250(rule_set, rules_admin, rules_admin2))
        return result

    monkeypatch.setattr(screened, "kept", kept_then_a_publish)
    upload = import_(checked)
    assert upload.status == "imported"
    assert screenings == [upload.pk]  # the kept result was screened with the old rules
    screening = SpecVersion.objects.get(upload=upload, product__sku="C-2").screenings.get()
    assert screening.rule_set_id == published[0].pk
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


def test_a_confirmation_recorded_while_the_dry_run_screens_is_screened_again(
    analyst, rules_admin, settings, tmp_path, monkeypatch
):
    """The kept result says what it was screened with, not what held when it was kept."""
    settings.MEDIA_ROOT = tmp_path
    real = screened.screen_frame

    def confirmed_meanwhile(*args, **kwargs):
        StatusConfirmation.objects.create(
            measure_key="CN-2025-58", status="in_force", source="notice", confirmed_by=rules_admin
        )
        return real(*args, **kwargs)

    monkeypatch.setattr(screened, "screen_frame", confirmed_meanwhile)
    upload = receiving.receive(data=CSV, filename="specs.csv", user=analyst, as_of=AS_OF)
    upload = checking.dry_run(upload)
    monkeypatch.setattr(screened, "screen_frame", real)
    assert screened.kept(upload) is None
    upload = import_(upload)
    result = SpecVersion.objects.get(upload=upload, product__sku="C-1").screenings.get().result
    assert result["entries"][0]["status_needs_confirmation"] is False


def test_a_signed_kept_file_that_cannot_be_loaded_is_dropped_and_the_file_screened(
    checked, screenings
):
    path = kept_file(checked)
    with open(path, "rb") as fh:
        data = fh.read()
    start = len(screened.MAGIC) + screened.SIGNATURE_BYTES
    length = int.from_bytes(data[start : start + 4], "big")
    header = data[start + 4 : start + 4 + length]
    signed = length.to_bytes(4, "big") + header + zlib.compress(b"not a pickle")
    with open(path, "wb") as fh:
        fh.write(screened.MAGIC + screened._signature(signed) + signed)
    assert screened.kept(checked) is None
    assert not os.path.exists(path)  # never tried again
    assert import_(checked).status == "imported"
    assert len(screenings) == 1


def test_another_uploads_kept_file_of_the_same_bytes_is_not_used(checked, screenings, analyst):
    again = checking.dry_run(
        receiving.receive(data=CSV, filename="again.csv", user=analyst, as_of=AS_OF)
    )
    assert again.sha256 == checked.sha256
    shutil.copyfile(kept_file(checked), kept_file(again))
    assert screened.kept(again) is None


def test_a_late_second_run_of_the_dry_run_leaves_nothing_kept(checked):
    checking.dry_run(checked)  # already checked: this run's result is nobody's to import
    assert not os.path.exists(kept_file(checked))


def written(upload: Upload) -> dict[str, list]:
    """Everything an import wrote for its rows, without keys or times."""
    by_row = "spec__upload_row"
    return {
        "specs": list(
            SpecVersion.objects.filter(upload=upload)
            .order_by("upload_row")
            .values(
                "product__sku",
                "number",
                "content_hash",
                "provenance",
                "derived_parameters",
                "name",
                "category",
                "energy_density_wh_per_kg",
                "destination_country",
                "annual_export_value_usd",
            )
        ),
        "screenings": list(
            Screening.objects.filter(spec__upload=upload)
            .order_by(by_row)
            .values("outcome", "result", "regimes", "rule_set_id", "as_of")
        ),
        "entries": list(
            ScreeningEntry.objects.filter(screening__spec__upload=upload)
            .order_by(f"screening__{by_row}", "key")
            .values("key", "measure", "code", "result", "in_force")
        ),
        "cases": list(
            Case.objects.filter(spec__upload=upload)
            .order_by(by_row)
            .values("automated_outcome", "category", "destination_country", "state")
        ),
        "products": list(
            Product.objects.filter(specs__upload=upload)
            .order_by("sku")
            .values("sku", "current_spec__upload_row", "latest_screening__outcome")
        ),
        "rows": list(upload.rows.order_by("row").values("row", "action", "outcome", "errors")),
        "summary": sorted(rollup.recompute().products.items()),
    }


def test_the_kept_result_writes_what_screening_the_file_again_writes(checked, screenings):
    with transaction.atomic():
        point = transaction.savepoint()
        from_kept = written(import_(checked))
        assert screenings == []
        transaction.savepoint_rollback(point)
    checked.refresh_from_db()
    assert checked.status == "checked"
    again = written(import_(checked))
    assert screenings == [checked.pk]
    assert from_kept == again
    assert len(again["specs"]) == 3


def test_kept_results_of_uploads_left_unimported_are_discarded_after_a_week(checked, capsys):
    from django.core.management import call_command

    call_command("discard_kept_dry_runs")
    assert os.path.exists(kept_file(checked))  # checked today: its import may still come
    Upload.objects.filter(pk=checked.pk).update(uploaded_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    call_command("discard_kept_dry_runs")
    assert not os.path.exists(kept_file(checked))
    assert "Uploads looked at: 1;" in capsys.readouterr().out


def test_dry_run_and_import_run_with_the_collector_paused(analyst, settings, tmp_path, monkeypatch):
    """Their millions of live objects are not walked by full collections (screening.collector)."""
    settings.MEDIA_ROOT = tmp_path
    seen = {}

    def recording(module, name):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            seen[name] = gc.isenabled()
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    recording(checking, "check")
    recording(committing, "_write")
    upload = import_(
        checking.dry_run(receiving.receive(data=CSV, filename="s.csv", user=analyst, as_of=AS_OF))
    )
    assert upload.status == "imported"
    assert seen == {"check": False, "_write": False}
    assert gc.isenabled()


def _cache_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite page cache")
def test_the_import_writes_with_a_page_cache_sized_to_its_rows(checked, monkeypatch, settings):
    settings.SQLITE_BULK_CACHE_MB = 200
    monkeypatch.setattr(bulk, "PAGE_CACHE_PER_ROW_KIB", 50 * 1024)  # 3 rows: 150 MB
    sizes = []
    write = committing._write
    monkeypatch.setattr(
        committing, "_write", lambda *args: sizes.append(_cache_size()) or write(*args)
    )
    before = _cache_size()
    assert import_(checked).status == "imported"
    assert sizes == [-150 * 1024]
    assert _cache_size() == before
