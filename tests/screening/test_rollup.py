"""The dashboard's summaries (screening.rollup: cases, screenings, entry hits, products) stay
equal to what they sum, summed from scratch, after every kind of write: imports, transitions,
shipment edits, re-screens, adoption of a re-screening, deletion; `verify_rollup` says where
they differ and repairs them."""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from screening import retention, rollup, workflow
from screening.models import (
    Case,
    CaseRollup,
    EntryRollup,
    ProductRollup,
    ScreeningRollup,
    Upload,
)
from screening.models.rollup import NOT_DECIDED
from tests.screening.test_rule_changes import publish_3a001_at_250, rescreen
from tests.screening.test_uploads import GOOD, csv_bytes, upload_file


def summary() -> dict:
    """The stored case summary's rows with cases, as (key) → (cases, value)."""
    return {k: (f.cases, f.value_usd) for k, f in rollup.stored().cases.items()}


def entries() -> dict:
    """The stored entry summary's rows with cases, as (key) → (cases, value)."""
    return {k: (f.cases, f.value_usd) for k, f in rollup.stored().entries.items()}


def assert_in_step() -> None:
    assert rollup.differences() == []
    assert summary() == {k: (f.cases, f.value_usd) for k, f in rollup.recompute().cases.items()}
    assert rollup.stored().screenings == rollup.recompute().screenings
    assert entries() == {k: (f.cases, f.value_usd) for k, f in rollup.recompute().entries.items()}
    assert rollup.stored().products == rollup.recompute().products


def test_an_import_counts_its_draft_cases(client, analyst):
    client.force_login(analyst)
    upload_file(client, csv_bytes(*GOOD))

    upload = Upload.objects.get()
    client.post(reverse("upload_commit", args=[upload.pk]), {"policy": "all_or_nothing"})
    assert Case.objects.count() == 3
    today = timezone.localdate()
    assert summary() == {
        (today, "battery_cell", "licence_required", "DE", "draft", False, NOT_DECIDED): (1, 0),
        (today, "battery_cell", "near_threshold", "US", "draft", False, NOT_DECIDED): (1, 0),
        (today, "equipment", "licence_required", "JP", "draft", False, NOT_DECIDED): (1, 0),
    }
    assert rollup.stored().screenings == {
        (today, "battery_cell", "DE", "licence_required"): 1,
        (today, "battery_cell", "US", "near_threshold"): 1,
        (today, "equipment", "JP", "licence_required"): 1,
    }
    # Every case under each entry its screening hit, by the case's dimensions.
    hits = {(k[1], k[3], k[4], k[8]) for k in entries()}
    assert ("battery_cell", "DE", "draft", "match") in hits
    assert all(n == 1 for n, _value in entries().values())
    # Each product by its current spec and latest screening.
    assert {k: f.cases for k, f in rollup.stored().products.items()} == {
        ("battery_cell", "DE", "licence_required"): 1,
        ("battery_cell", "US", "near_threshold"): 1,
        ("equipment", "JP", "licence_required"): 1,
    }
    assert_in_step()


def test_imports_count_products_and_screenings_from_what_they_wrote(client, analyst):
    """The import counts its screenings and new products from the rows it wrote (without
    reading them back): values and blank ones, a blank destination, and a second
    import giving a product its next version all agree with a recomputation."""
    client.force_login(analyst)
    header = "sku,name,category,subtype,energy_density_wh_per_kg,destination_country,"
    header += "annual_export_value_usd\n"
    first = [
        "V-1,One,battery_cell,li_ion,310,DE,1234.56",
        "V-2,Two,battery_cell,li_ion,200,,0.1",
        "V-3,Three,battery_cell,li_ion,320,US,",
        "V-4,Four,equipment,winding_machine,,JP,0.2",
    ]
    second = ["V-1,One,battery_cell,li_ion,150,DE,99.99", "V-5,Five,battery_cell,li_ion,330,FR,7"]
    for rows in (first, second):
        upload_file(client, (header + "\n".join(rows) + "\n").encode(), name="values.csv")
        upload = Upload.objects.latest("pk")
        client.post(reverse("upload_commit", args=[upload.pk]), {"policy": "all_or_nothing"})
        upload.refresh_from_db()
        assert upload.status == "imported", upload.message
        assert_in_step()
    products = {k: (f.cases, f.value_usd) for k, f in rollup.stored().products.items()}
    assert products[("battery_cell", "", "not_controlled")] == (1, Decimal("0.10"))
    assert sum(n for n, _value in products.values()) == 5
    assert sum(rollup.stored().screenings.values()) == 6


def test_draft_cases_counted_in_groups_as_one_by_one(db):
    """rollup.count_drafts (an import's cases, a group of alike ones at a time) adds exactly what
    add_new adds case by case, in both summaries."""
    from django.db import transaction

    from screening.drafts import draft_cases

    drafts = draft_cases(
        products=[1, 2, 3, 4, 5],
        specs=[1, 2, 3, 4, 5],
        screenings=[11, 12, 13, 14, 15],
        outcomes=["licence_required", "not_controlled", "licence_required", "unknown", "unknown"],
        categories=["battery_cell", "battery_cell", "battery_cell", "equipment", "equipment"],
        subtypes=["li_ion", "li_ion", "sodium_ion", "winding_machine", "winding_machine"],
        destinations=["DE", None, "DE", "US", "US"],
        values=[10.5, None, 2.675, 1, 3],
        prepared_by=None,
        at=timezone.now(),
    ).with_columns(("id",), [(pk,) for pk in range(1, 6)])
    hit = ("CN-2025-58:3A001", "CN-2025-58", "3A001", "match")
    other = ("CN-2023-39:1C107", "CN-2023-39", "1C107", "unknown")
    hits = [[hit], [], [hit], [hit, other], [hit]]
    with transaction.atomic():
        rollup.add_new(drafts.fields(), hits=dict(zip(range(11, 16), hits, strict=True)))
        one_by_one = rollup.stored()
        transaction.set_rollback(True)
    assert rollup.stored().cases == {}
    rollup.count_drafts(drafts, hits).add()
    grouped = rollup.stored()
    assert (grouped.cases, grouped.entries) == (one_by_one.cases, one_by_one.entries)
    assert len(grouped.cases) == 3
    assert sum(f.cases for f in grouped.entries.values()) == 5


def test_every_transition_moves_a_case_between_rows(case_in):
    for state in ("draft", "submitted", "in_review", "returned", "approved", "closed", "withdrawn"):
        case_in(state)
    rows = {k[4]: n for k, (n, _value) in summary().items()}
    assert rows == dict.fromkeys(
        ("draft", "submitted", "in_review", "returned", "approved", "closed", "withdrawn"), 1
    )
    assert sum(v for _n, v in summary().values()) == Decimal("1750000")
    monday = rollup.week_of(timezone.localdate())
    decided = {k[4]: k[6] for k in summary()}
    assert (decided["approved"], decided["closed"], decided["draft"]) == (
        monday,
        monday,
        NOT_DECIDED,
    )
    assert sum(rollup.stored().screenings.values()) == 7
    # The entry summary follows each case to its state (all of them hit the same entries).
    by_state = {k[4] for k in entries()}
    assert by_state == {"draft", "submitted", "in_review", "returned", "approved"} | {
        "closed",
        "withdrawn",
    }
    assert_in_step()


def test_a_shipment_edit_moves_destination_and_value(case_in, analyst):
    case = case_in("draft")
    workflow.update_shipment(
        case=case,
        version=case.version,
        user=analyst,
        changes={"destination_country": "JP", "expected_value_usd": Decimal("12.34")},
    )
    ((key, figures),) = summary().items()
    assert (key[3], figures) == ("JP", (1, Decimal("12.34")))
    assert_in_step()


def test_a_rescreen_flags_and_adopting_it_moves_the_outcome(
    client, rule_set, rules_admin, rules_admin2, case_in, analyst
):
    case = case_in("draft", energy="280")
    case_in("approved", energy="280")
    rescreen(rule_set, publish_3a001_at_250(rule_set, rules_admin, rules_admin2), rules_admin2)
    flagged = {(k[2], k[4], k[5]): n for k, (n, _value) in summary().items()}
    assert flagged == {
        ("not_controlled", "draft", True): 1,
        ("not_controlled", "approved", False): 1,
    }
    # The re-screen points both products at their new screening: licence required now.
    assert {k[2]: f.cases for k, f in rollup.stored().products.items()} == {"licence_required": 2}
    assert_in_step()
    hits_before = {(k[2], k[4], k[5], k[8]) for k in entries()}
    case.refresh_from_db()
    client.force_login(analyst)
    client.post(reverse("case_adopt", args=[case.pk]), {"version": case.version})
    adopted = {(k[2], k[4], k[5]): n for k, (n, _value) in summary().items()}
    assert adopted == {
        ("licence_required", "draft", False): 1,
        ("not_controlled", "approved", False): 1,
    }
    # Adopting it moves the case to the new screening's hits in the entry summary.
    hits_after = {(k[2], k[4], k[5], k[8]) for k in entries()}
    assert hits_after != hits_before
    assert ("licence_required", "draft", "3A001", "match") in {
        (k[2], k[4], k[7], k[8]) for k in entries()
    }
    assert_in_step()


def test_deleting_a_case_uncounts_it(case_in, superuser):
    case = case_in("closed")
    Case.objects.filter(pk=case.pk).update(
        last_activity_at=timezone.now() - dt.timedelta(days=5 * 366)
    )
    case.refresh_from_db()
    retention.delete_case(case=case, user=superuser, reason="Retention passed")
    assert summary() == {}
    assert entries() == {}
    # The rows it passed through stay, empty; readers skip them.
    assert set(CaseRollup.objects.values_list("case_count", flat=True)) == {0}
    assert_in_step()


def test_differences_for_one_row_add_up(db):
    """Two writers' differences for one row add up (the upsert adds; it never overwrites)."""
    day = dt.date(2026, 12, 1)
    key = (day, "battery_cell", "licence_required", "DE", "draft", False, NOT_DECIDED)
    rollup.apply({key: rollup.Figures(2, Decimal("10.50"))})
    rollup.apply({key: rollup.Figures(3, Decimal("0.25"))})
    rollup.apply({key: rollup.Figures(-1, Decimal("-1.00"))})
    assert summary() == {key: (4, Decimal("9.75"))}


def test_verify_rollup_reports_differences_and_repairs_them(case_in, capsys):
    case_in("submitted")
    call_command("verify_rollup")
    assert "equal the cases and screenings" in capsys.readouterr().out
    CaseRollup.objects.filter(case_count=1).update(case_count=5)
    with pytest.raises(SystemExit) as exit:
        call_command("verify_rollup")
    assert exit.value.code == 1
    errors = capsys.readouterr().err
    assert "stored 5 cases, 250000.00 USD, recomputed 1 cases, 250000.00 USD" in errors
    assert "1 summary rows differ from what they sum." in errors
    call_command("verify_rollup", "--repair")
    rows = 3 + len(entries())  # a case, its screening, its product and its entry hits
    assert f"rebuilt ({rows} rows)" in capsys.readouterr().out
    assert_in_step()


def test_verify_rollup_names_a_tampered_entry_row(case_in, capsys):
    case_in("approved")
    ((key, (n, value)),) = [(k, f) for k, f in entries().items() if k[8] == "match"][:1]
    EntryRollup.objects.filter(key=key[5], result="match").update(case_count=n + 2)
    with pytest.raises(SystemExit):
        call_command("verify_rollup")
    errors = capsys.readouterr().err
    named = " / ".join(str(part) for part in key)
    assert f"entries: {named}: stored {n + 2} cases" in errors
    assert f"recomputed {n} cases, {value:.2f} USD" in errors
    call_command("verify_rollup", "--repair")
    assert_in_step()


def test_verify_rollup_names_a_tampered_product_row(case_in, capsys):
    case_in("draft")
    ProductRollup.objects.update(product_count=7)
    with pytest.raises(SystemExit):
        call_command("verify_rollup")
    errors = capsys.readouterr().err
    assert "products: battery_cell / DE / licence_required: stored 7 products" in errors
    assert "recomputed 1 products" in errors
    call_command("verify_rollup", "--repair")
    assert_in_step()


def test_the_migration_builds_the_summary_of_existing_cases(case_in):
    for state in ("draft", "submitted", "approved"):
        case_in(state)
    expected = rollup.stored()
    assert expected.entries
    CaseRollup.objects.all().delete()
    ScreeningRollup.objects.all().delete()
    EntryRollup.objects.all().delete()
    ProductRollup.objects.all().delete()
    importlib.import_module("screening.migrations.0021_case_rollup_data").build(apps, None)
    importlib.import_module("screening.migrations.0023_entry_rollup_data").build(apps, None)
    importlib.import_module("screening.migrations.0025_product_rollup_data").build(apps, None)
    assert rollup.stored() == expected
    assert_in_step()


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="in-memory SQLite (this process's test database) shares one cache between threads; "
    "SQLite writers are serialised by its database lock anyway",
)
def test_two_writers_at_once_lose_no_update(audit_flushable):
    """Two transactions adding to one row at the same moment, twenty times: every one counts."""
    key = (dt.date(2026, 12, 1), "battery_cell", "licence_required", "DE", "draft", False)
    key = (*key, NOT_DECIDED)
    barrier = threading.Barrier(2, timeout=30)
    failures = []

    def writer() -> None:
        try:
            for _ in range(20):
                with transaction.atomic():
                    barrier.wait()  # both transactions are open before either writes
                    rollup.apply({key: rollup.Figures(1, Decimal("1.25"))})
        except Exception as error:  # noqa: BLE001 -- reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert summary() == {key: (40, Decimal("50.00"))}
