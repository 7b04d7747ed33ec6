"""Bulk upload: template, checks before storing, dry run, both import policies, idempotency,
background tasks with progress, error report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from rules.models import AuditEvent
from rules.specfiles import read_spec_file
from rules.vocabulary import TEMPLATE_COLUMNS
from screening import tasks
from screening.imports import committing, receiving
from screening.models import Case, Product, SpecVersion, Upload
from tests.rules.helpers import xlsx_bytes

AS_OF = dt.date(2026, 12, 1)
HEADER = "sku,revision,name,category,subtype,energy_density_wh_per_kg,destination_country\n"
GOOD = [
    "C-1,,Cell one,battery_cell,li_ion,310,DE",
    "C-2,A,Cell two,battery_cell,li_ion,0.29 kWh/kg,US",
    "EQ-1,,Winder,equipment,winding_machine,,JP",
]
BAD = [
    "C-3,,Cell three,battery_cell,li_ion,lots,DE",
    ",,No sku,battery_cell,li_ion,300,DE",
    'X-1,,=HYPERLINK("http://evil"),spaceship,,,DE',
]


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


def upload_file(client, data: bytes, name: str = "specs.csv", as_of: str = "2026-12-01"):
    return client.post(
        reverse("upload_new"), {"file": SimpleUploadedFile(name, data), "as_of": as_of}
    )


@pytest.fixture
def logged_in(client, analyst):
    client.force_login(analyst)
    return client


# --- the template --------------------------------------------------------------------------


def test_csv_template_is_the_header_of_the_contract(logged_in):
    response = logged_in.get(reverse("template_csv"))
    text = response.content.decode("utf-8-sig")
    assert text.strip().split(",") == list(TEMPLATE_COLUMNS)


def test_xlsx_template_has_notes_and_drop_downs_and_reads_back_empty(logged_in):
    data = logged_in.get(reverse("template_xlsx")).content
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["specs"]
    assert [c.value for c in sheet[1]] == list(TEMPLATE_COLUMNS)
    assert sheet["G1"].comment.text.startswith(
        "Gravimetric energy density (重量能量密度). Unit: Wh/kg."
    )
    formulas = sorted(dv.formula1 for dv in sheet.data_validations.dataValidation)
    assert formulas == ['"primary,secondary"', "=INDIRECT($D2)", "=category_list"]
    assert list(workbook.defined_names["battery_cell"].destinations) == [("lists", "$B$2:$B$5")]
    table = read_spec_file(data)
    assert (len(table.frame), table.issues) == (0, [])


# --- checks before anything is stored ------------------------------------------------------


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    return buffer.getvalue()


def xxe_xlsx() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["sku"], ["A"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                content = (
                    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM '
                    b'"file:///etc/passwd">]><workbook>&e;</workbook>'
                )
            archive.writestr(item, content)
    return buffer.getvalue()


HOSTILE = [
    ("zip bomb", "bomb.xlsx", zip_bomb(), "zip bomb"),
    ("XML entity", "xxe.xlsx", xxe_xlsx(), "cannot be read safely"),
    ("renamed program", "specs.csv", b"MZ\x90\x00\x03" + b"\x00" * 200, "Windows program"),
    ("renamed image", "specs.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "PNG image"),
    ("NUL bytes", "specs.csv", b"sku,name\nA\x00B,c\n", "NUL bytes"),
    ("wrong encoding", "specs.csv", b"sku,name\n\xff\xfe\xfd\x80\x81,x\n" * 3, "not text"),
    ("enormous cell", "specs.csv", b"sku,name\n" + b"A" * 5000 + b",x\n", "holds 5,000"),
    ("empty", "specs.csv", b"", "The file is empty."),
]


@pytest.mark.parametrize(("label", "name", "data", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_files_are_refused_and_only_the_attempt_is_audited(
    logged_in, label, name, data, message, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = upload_file(logged_in, data, name)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert Upload.objects.count() == 0
    assert list(tmp_path.rglob("*")) == []
    attempt = AuditEvent.objects.get(action="upload.rejected")
    assert message in attempt.reason
    assert attempt.after["size"] == len(data)


def test_path_like_file_names_are_kept_as_plain_metadata(logged_in, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = upload_file(logged_in, csv_bytes(*GOOD), "../../../etc/cron.d/specs.csv")
    upload = Upload.objects.get()
    assert response["Location"] == upload.get_absolute_url()
    assert upload.original_name == "specs.csv"
    stored = list(tmp_path.rglob("*"))
    assert all(path.is_relative_to(tmp_path / "uploads") for path in stored)
    with upload.file.open("rb") as fh:
        assert fh.read() == csv_bytes(*GOOD)


def test_downloading_the_original_file_is_audited(logged_in, analyst, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload_file(logged_in, csv_bytes(*GOOD), "specs.csv")
    upload = Upload.objects.get()
    url = reverse("upload_original", args=[upload.pk])
    page = logged_in.get(upload.get_absolute_url()).content.decode()
    assert f'<form id="original-download" method="post" action="{url}" class="inline">' in page
    assert '<button type="submit" form="original-download" class="link-button">' in page
    assert logged_in.get(url).status_code == 405  # a download is a POST: it is recorded
    response = logged_in.post(url)
    assert b"".join(response.streaming_content) == csv_bytes(*GOOD)
    event = AuditEvent.objects.get(action="upload.download")
    assert (event.actor, event.object_id, event.after) == (
        analyst,
        str(upload.pk),
        {"sha256": upload.sha256},
    )


# --- dry run and the two import policies ---------------------------------------------------


def test_dry_run_previews_every_row_and_error_without_importing(logged_in):
    upload_file(logged_in, csv_bytes(*GOOD, *BAD))
    upload = Upload.objects.get()
    assert (
        upload.status,
        upload.total,
        upload.valid_rows,
        upload.invalid_rows,
        upload.new_rows,
    ) == ("checked", 6, 3, 3, 3)
    assert upload.outcome_counts == {"licence_required": 2, "near_threshold": 1, "invalid": 3}
    errors = {r.row: r.errors for r in upload.rows.exclude(errors=[])}
    # Each error keeps its English words and, for pages in other languages, its code and
    # parameters (rules.messages).
    categories = (
        "battery_cell, battery_pack, cathode_material, cathode_precursor, anode_material, "
        "graphite_material, equipment, technology"
    )
    assert errors == {
        5: [
            {
                "column": "energy_density_wh_per_kg",
                "value": "lots",
                "message": "'lots' is not a number",
                "code": "units.not_a_number",
                "params": {"text": "lots"},
            }
        ],
        6: [
            {
                "column": "sku",
                "value": "",
                "message": "required",
                "code": "spec.required",
                "params": {},
            }
        ],
        7: [
            {
                "column": "category",
                "value": "spaceship",
                "message": f"not a category; use one of {categories}",
                "code": "spec.not_a_category",
                "params": {"choices": categories},
            }
        ],
    }
    assert (Product.objects.count(), Case.objects.count()) == (0, 0)
    page = logged_in.get(upload.get_absolute_url(), {"rows": "errors"}).content.decode()
    assert "&#x27;lots&#x27; is not a number" in page
    assert "=HYPERLINK(&quot;http://evil&quot;)" in page


def test_all_or_nothing_refuses_a_file_with_errors(logged_in):
    upload_file(logged_in, csv_bytes(*GOOD, *BAD))
    upload = Upload.objects.get()
    response = logged_in.post(
        reverse("upload_commit", args=[upload.pk]), {"policy": "all_or_nothing"}, follow=True
    )
    assert "3 rows have errors. Correct them and upload again" in response.content.decode()
    assert Upload.objects.get().status == "checked"
    assert Product.objects.count() == 0


def test_importing_only_the_valid_rows_is_an_explicit_recorded_choice(logged_in, analyst):
    upload_file(logged_in, csv_bytes(*GOOD, *BAD))
    upload = Upload.objects.get()
    logged_in.post(reverse("upload_commit", args=[upload.pk]), {"policy": "valid_rows"})
    upload.refresh_from_db()
    assert (upload.status, upload.policy, upload.committed_by) == (
        "imported",
        "valid_rows",
        analyst,
    )
    assert (
        upload.created_products,
        upload.created_versions,
        upload.created_cases,
        upload.skipped_rows,
    ) == (3, 3, 3, 3)
    assert sorted(Product.objects.values_list("sku", "revision")) == [
        ("C-1", ""),
        ("C-2", "A"),
        ("EQ-1", ""),
    ]
    spec = SpecVersion.objects.get(product__sku="C-2")
    assert (spec.upload, spec.upload_row, spec.energy_density_wh_per_kg) == (upload, 3, 290.0)
    assert spec.provenance["raw"] == {"energy_density_wh_per_kg": "0.29 kWh/kg"}
    case = Case.objects.get(product__sku="C-1")
    assert (case.state, case.automated_outcome, case.prepared_by, case.spec) == (
        "draft",
        "licence_required",
        analyst,
        SpecVersion.objects.get(product__sku="C-1"),
    )
    assert case.screening.result["entries"][0]["key"] == "CN-2025-58:3A001"
    assert [h.key for h in case.screening.hits.all()] == ["CN-2025-58:3A001"]
    assert case.events.get().message == "Imported from specs.csv, row 2"
    assert Product.objects.get(sku="C-1").latest_screening == case.screening
    event = AuditEvent.objects.get(action="upload.import")
    assert event.after["skipped_invalid_rows"] == [5, 6, 7]
    cases = sorted(Case.objects.values_list("pk", flat=True))
    assert event.after["created"]["cases"] == [[cases[0], cases[-1]]]  # one run of keys
    assert cases == list(range(cases[0], cases[-1] + 1))
    assert case.spec.upload == upload
    assert case.spec.upload_row == 2


def test_the_imported_screening_matches_a_form_screening(logged_in, analyst):
    from screening import products

    upload_file(logged_in, csv_bytes(*GOOD))
    upload = Upload.objects.get()
    logged_in.post(reverse("upload_commit", args=[upload.pk]), {"policy": "all_or_nothing"})
    for spec in SpecVersion.objects.filter(upload=upload):
        stored = spec.screenings.get()
        assert products.explain(stored).to_contract() == stored.result


def test_uploading_the_same_file_again_changes_nothing_and_says_so(logged_in):
    data = csv_bytes(*GOOD)
    upload_file(logged_in, data)
    first = Upload.objects.get()
    logged_in.post(reverse("upload_commit", args=[first.pk]), {"policy": "all_or_nothing"})
    counts = (Product.objects.count(), SpecVersion.objects.count(), Case.objects.count())
    upload_file(logged_in, data)
    second = Upload.objects.exclude(pk=first.pk).get()
    assert (second.unchanged_rows, second.new_rows, second.changed_rows) == (3, 0, 0)
    page = logged_in.get(second.get_absolute_url()).content.decode()
    assert "This very file was already imported" in page
    assert "Nothing to import" in page
    logged_in.post(reverse("upload_commit", args=[second.pk]), {"policy": "all_or_nothing"})
    assert (Product.objects.count(), SpecVersion.objects.count(), Case.objects.count()) == counts


def test_rows_another_import_wrote_after_the_dry_run_are_not_imported_again(logged_in):
    """Two overlapping files, both dry-run before either is imported (issue 19, item 2)."""
    upload_file(logged_in, csv_bytes(*GOOD[:2]), "first.csv")
    upload_file(logged_in, csv_bytes(*GOOD), "second.csv")
    first, second = Upload.objects.order_by("pk")
    assert (second.new_rows, second.unchanged_rows) == (3, 0)
    logged_in.post(reverse("upload_commit", args=[first.pk]), {"policy": "all_or_nothing"})
    response = logged_in.post(
        reverse("upload_commit", args=[second.pk]), {"policy": "all_or_nothing"}, follow=True
    )
    second.refresh_from_db()
    message = (
        "2 rows had been imported by another import that finished first; they were not "
        "imported again."
    )
    assert (second.status, second.created_versions, second.message) == ("imported", 1, message)
    assert (second.new_rows, second.changed_rows, second.unchanged_rows) == (1, 0, 2)
    assert message in response.content.decode()
    assert list(second.rows.order_by("row").values_list("action", flat=True)) == [
        "unchanged",
        "unchanged",
        "new",
    ]
    assert (Product.objects.count(), SpecVersion.objects.count(), Case.objects.count()) == (3, 3, 3)


def test_changed_rows_become_new_versions_and_leave_decided_cases_alone(logged_in, case_in):
    decided = case_in("approved")
    sku = decided.product.sku
    row = f"{sku},,Cell {sku},battery_cell,li_ion,280,DE"
    upload_file(logged_in, csv_bytes(row))
    upload = Upload.objects.get()
    assert (upload.changed_rows, upload.new_rows) == (1, 0)
    logged_in.post(reverse("upload_commit", args=[upload.pk]), {"policy": "all_or_nothing"})
    product = decided.product
    product.refresh_from_db()
    assert [s.number for s in product.specs.order_by("number")] == [1, 2]
    assert product.current_spec.energy_density_wh_per_kg == 280.0
    decided.refresh_from_db()
    assert (decided.state, decided.spec.number, decided.spec.energy_density_wh_per_kg) == (
        "approved",
        1,
        310.0,
    )
    assert product.cases.filter(state="draft").get().spec == product.current_spec


def test_a_double_click_on_import_imports_once(logged_in):
    upload_file(logged_in, csv_bytes(*GOOD))
    upload = Upload.objects.get()
    url = reverse("upload_commit", args=[upload.pk])
    logged_in.post(url, {"policy": "all_or_nothing"})
    response = logged_in.post(url, {"policy": "all_or_nothing"}, follow=True)
    assert "The upload is not ready to import (Imported)." in response.content.decode()
    assert Product.objects.count() == 3


def test_only_the_uploader_imports(client, logged_in, analyst2):
    upload_file(logged_in, csv_bytes(*GOOD))
    upload = Upload.objects.get()
    client.force_login(analyst2)
    client.post(reverse("upload_commit", args=[upload.pk]), {"policy": "all_or_nothing"})
    assert Upload.objects.get().status == "checked"


def test_xlsx_formulas_in_cells_are_row_errors(logged_in):
    data = xlsx_bytes(
        [
            ["sku", "name", "category", "subtype", "energy_density_wh_per_kg"],
            ["C-9", "Cell", "battery_cell", "li_ion", "=200+110"],
        ]
    )
    upload_file(logged_in, data, "specs.xlsx")
    row = Upload.objects.get().rows.get()
    assert row.errors == [
        {
            "column": "energy_density_wh_per_kg",
            "value": "",
            "message": "holds a formula; paste the values only (formulas are not accepted)",
            "code": "xlsx.formula",
            "params": {},
        }
    ]


def test_error_report_has_the_original_rows_an_error_column_and_no_formulas(logged_in):
    upload_file(logged_in, csv_bytes(*GOOD, *BAD))
    upload = Upload.objects.get()
    response = logged_in.post(reverse("upload_errors", args=[upload.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["row", *HEADER.strip().split(","), "errors"]
    assert [r[0] for r in rows[1:]] == ["5", "6", "7"]
    assert rows[3][3] == '\'=HYPERLINK("http://evil")'
    assert rows[1][-1] == "energy_density_wh_per_kg: 'lots' is not a number"
    assert AuditEvent.objects.filter(action="upload.error_report").count() == 1


def test_upload_history_lists_who_when_file_hash_and_counts(logged_in):
    upload_file(logged_in, csv_bytes(*GOOD))
    page = logged_in.get(reverse("upload_list")).content.decode()
    upload = Upload.objects.get()
    assert upload.sha256[:12] in page
    assert "alice_analyst" in page
    assert "specs.csv" in page


# --- large files: background task, progress ------------------------------------------------


def test_a_large_file_is_checked_and_imported_by_the_worker_with_progress(
    audit_flushable, logged_in, settings, monkeypatch
):
    # A real worker run: it commits and closes connections as it would in production, so the
    # test runs outside a wrapping transaction (transactional_db).
    settings.UPLOAD_SYNC_MAX_ROWS = 2
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    seen = []
    record_progress = receiving.set_progress

    def spy(upload, stage, done, total):
        seen.append((stage, done, total))
        record_progress(upload, stage, done, total)

    monkeypatch.setattr(receiving, "set_progress", spy)
    upload_file(logged_in, csv_bytes(*GOOD, *BAD))
    upload = Upload.objects.get()
    assert upload.status == "checking"
    polling = logged_in.get(upload.get_absolute_url(), {"progress": "1"}, HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in polling.content.decode()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    upload.refresh_from_db()
    assert (upload.status, upload.processed, upload.total) == ("checked", 6, 6)
    assert [s for s, _d, _t in seen] == [
        "reading",
        "parsing",
        "screening",
        "comparing",
        "comparing",
    ]
    done = logged_in.get(upload.get_absolute_url(), {"progress": "1"}, HTTP_HX_REQUEST="true")
    assert done.headers["HX-Refresh"] == "true"

    logged_in.post(reverse("upload_commit", args=[upload.pk]), {"policy": "valid_rows"})
    assert Upload.objects.get().status == "importing"
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    upload.refresh_from_db()
    assert (upload.status, upload.created_cases) == ("imported", 3)


def test_running_the_import_task_twice_imports_once(logged_in, settings):
    upload_file(logged_in, csv_bytes(*GOOD))
    upload = Upload.objects.get()
    committing.mark_importing(upload, user=upload.uploaded_by, policy="all_or_nothing")
    tasks.import_upload.call(upload.pk)
    tasks.import_upload.call(upload.pk)
    assert Product.objects.count() == 3
    assert Upload.objects.get().status == "imported"


def test_a_failed_import_leaves_nothing_half_imported_and_can_be_retried(logged_in, monkeypatch):
    upload_file(logged_in, csv_bytes(*GOOD))
    upload = Upload.objects.get()
    committing.mark_importing(upload, user=upload.uploaded_by, policy="all_or_nothing")

    def crash(*args, **kwargs):
        raise RuntimeError("worker died")

    monkeypatch.setattr(committing, "_imported_events", crash)  # fails after most writes
    with pytest.raises(RuntimeError):
        committing.commit(upload)
    assert (Product.objects.count(), SpecVersion.objects.count(), Case.objects.count()) == (0, 0, 0)
    upload.refresh_from_db()
    assert upload.status == "checked"
    assert "nothing was imported" in upload.message
    monkeypatch.undo()
    committing.mark_importing(upload, user=upload.uploaded_by, policy="all_or_nothing")
    committing.commit(upload)
    assert Product.objects.count() == 3


# --- what the page says about the file (issue 18, item 2) ------------------------------------


def badge(page: str) -> str:
    """The status badge beside the file name."""
    start = page.index('<span class="badge upload-')
    return page[page.index(">", start) + 1 : page.index("</span>", start)]


def test_a_file_with_errors_says_how_many_rows_import_and_how_many_are_refused(logged_in):
    upload_file(logged_in, csv_bytes(*GOOD, *BAD, "C-4,,Cell four,battery_cell,li_ion,200,DE"))
    upload = Upload.objects.get()
    page = logged_in.get(upload.get_absolute_url()).content.decode()
    assert "ready to import" not in page
    assert badge(page) == "Checked: 4 rows to import, 3 refused"
    assert "Importing the valid rows imports 4 rows (4 new, 0 changed)" in page
    assert "3 rows with errors are refused" in page
    listed = logged_in.get(reverse("upload_list")).content.decode()
    assert "ready to import" not in listed
    assert "Checked: 4 rows to import, 3 refused" in listed


def test_a_file_without_errors_is_ready_to_import(logged_in):
    upload_file(logged_in, csv_bytes(*GOOD))
    page = logged_in.get(Upload.objects.get().get_absolute_url()).content.decode()
    assert badge(page) == "Checked: ready to import"
    assert "All 3 rows will be imported (3 new, 0 changed)." in page


def test_a_file_with_nothing_new_says_so_instead_of_ready_to_import(logged_in):
    upload_file(logged_in, csv_bytes(*GOOD))
    first = Upload.objects.get()
    logged_in.post(reverse("upload_commit", args=[first.pk]), {"policy": "all_or_nothing"})
    upload_file(logged_in, csv_bytes(*GOOD, BAD[0]))
    second = Upload.objects.exclude(pk=first.pk).get()
    page = logged_in.get(second.get_absolute_url()).content.decode()
    assert "ready to import" not in page
    assert badge(page) == "Checked: nothing new to import"
    assert "Nothing to import: the 3 valid rows are already imported and unchanged" in page
    assert "1 row with errors is refused" in page
    listed = logged_in.get(reverse("upload_list")).content.decode()
    assert "ready to import" not in listed


def test_a_file_where_every_row_has_errors_says_so(logged_in):
    upload_file(logged_in, csv_bytes(*BAD))
    page = logged_in.get(Upload.objects.get().get_absolute_url()).content.decode()
    assert badge(page) == "Checked: every row has errors"
    assert "Nothing to import: every row has errors." in page


def test_after_importing_the_valid_rows_the_whole_file_is_shown(logged_in):
    """A 7-row file, 4 rows imported and 3 refused: the upload still shows 7 rows, the refused
    ones with their errors."""
    upload_file(logged_in, csv_bytes(*GOOD, *BAD, "C-4,,Cell four,battery_cell,li_ion,200,DE"))
    upload = Upload.objects.get()
    logged_in.post(reverse("upload_commit", args=[upload.pk]), {"policy": "valid_rows"})
    upload.refresh_from_db()
    assert (upload.status, upload.total, upload.processed) == ("imported", 7, 7)
    page = logged_in.get(upload.get_absolute_url()).content.decode()
    assert badge(page) == "Imported: 4 rows, 3 refused"
    assert '<span class="stat-value">7</span><span class="stat-label">rows</span>' in page
    assert "4 of 7 rows imported" in page
    assert "3 rows with errors were refused; they are listed below with their errors" in page
    assert page.count('class="upload-row ') == 7
    assert "&#x27;lots&#x27; is not a number" in page
    listed = logged_in.get(reverse("upload_list")).content.decode()
    assert '<td class="num">7</td>' in listed


def test_the_sample_file_of_the_readme_has_one_row_with_an_error(logged_in):
    """docs/sample-specs.csv, which the README's first hour uploads."""
    data = (Path(__file__).resolve().parents[2] / "docs" / "sample-specs.csv").read_bytes()
    upload_file(logged_in, data, "sample-specs.csv")
    upload = Upload.objects.get()
    assert (upload.total, upload.valid_rows, upload.invalid_rows) == (6, 5, 1)
    assert [(r.row, r.sku, r.errors[0]["column"]) for r in upload.rows.exclude(errors=[])] == [
        (5, "SMP-CELL-3", "energy_density_wh_per_kg")
    ]
    assert upload.status_label == "Checked: 5 rows to import, 1 refused"
