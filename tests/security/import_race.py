"""Many imports of the same rows at once (issue 19, item 2), from threads or task workers.

Each upload is received, dry-run and claimed for import as a person would; then all imports
start together. Used by tests/security/test_import_race.py, in a child process against a
SQLite file database and in the test process against PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import threading

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Exists, OuterRef

from rules import audit
from rules.access import ANALYST
from rules.models import AuditEvent
from screening.imports import checking, committing, receiving
from screening.models import Case, Product, SpecVersion, Upload

AS_OF = dt.date(2026, 12, 1)
HEADER = "sku,name,category,subtype,energy_density_wh_per_kg,destination_country\n"


def spec_file(rows: int, energy: int) -> bytes:
    lines = [f"RACE-{i},Cell {i},battery_cell,li_ion,{energy + i % 50},DE\n" for i in range(rows)]
    return (HEADER + "".join(lines)).encode()


def claimed_uploads(count: int, rows: int, *, changing: bool) -> list[int]:
    """`count` uploads of one file, each dry-run and claimed for import by its uploader. With
    `changing`, the products exist already (imported once) and the file changes every one."""
    users = get_user_model().objects
    analyst = users.create_user(f"race_importer_{count}", password="unused-password-1234")
    analyst.groups.add(Group.objects.get(name=ANALYST))
    if changing:
        first = receiving.receive(
            data=spec_file(rows, 200), filename="v1.csv", user=analyst, as_of=AS_OF
        )
        first = committing.mark_importing(
            checking.dry_run(first), user=analyst, policy="all_or_nothing"
        )
        assert committing.commit(first).created_versions == rows
    data = spec_file(rows, 300)
    claimed = []
    for number in range(count):
        upload = receiving.receive(
            data=data, filename=f"copy-{number}.csv", user=analyst, as_of=AS_OF
        )
        upload = checking.dry_run(upload)
        expected = (0, rows) if changing else (rows, 0)
        assert (upload.new_rows, upload.changed_rows) == expected
        claimed.append(committing.mark_importing(upload, user=analyst, policy="all_or_nothing").pk)
    return claimed


def race_commits(upload_ids: list[int]) -> list[str]:
    """All imports at once, one thread (and database connection) each: what each returned."""
    barrier = threading.Barrier(len(upload_ids))
    outcomes: list[str] = []
    record = threading.Lock()

    def attempt(pk: int) -> None:
        try:
            upload = Upload.objects.get(pk=pk)
            barrier.wait(timeout=60)
            result = committing.commit(upload)
            outcome = f"{result.status} {result.created_versions}"
        except Exception as exc:  # noqa: BLE001 -- reported to the test, which fails on it
            outcome = f"error: {type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with record:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(pk,)) for pk in upload_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return sorted(outcomes)


def aftermath(upload_ids: list[int]) -> dict[str, object]:
    uploads = Upload.objects.filter(pk__in=upload_ids).order_by("-created_versions", "pk")
    return {
        "products": Product.objects.count(),
        "spec_versions": SpecVersion.objects.filter(upload__in=upload_ids).count(),
        "cases": Case.objects.filter(spec__upload__in=upload_ids).count(),
        "uploads": [
            (u.status, u.created_versions, u.changed_rows + u.new_rows, u.message) for u in uploads
        ],
        "imports_audited": AuditEvent.objects.filter(
            action="upload.import", object_id__in=[str(pk) for pk in upload_ids]
        ).count(),
        "preview_rows_linked": sum(
            u.rows.filter(
                Exists(SpecVersion.objects.filter(upload=u, upload_row=OuterRef("row")))
            ).count()
            for u in uploads
        ),
        "chain_broken_at": audit.verify()[1],
    }
