"""Importing spec spreadsheets: receive, dry run, commit. Whole columns, batched writes.

1. `receive` checks the file (type by content, size, zip guards, encodings, shape) before
   anything is stored. An unreadable file is refused with a message; only the audit of the
   attempt remains. A readable file is stored unaltered under a generated name with its SHA-256.
2. `dry_run` parses, validates and screens every row and classifies it by its natural key
   (sku + revision): new product, changed (a new spec version), unchanged (skipped), invalid.
   Nothing but the preview is written.
3. `commit` imports in one transaction: all or nothing by default, or, by an explicit and
   recorded choice, only the valid rows. It re-reads the stored file, so what is imported is
   exactly what was checked; rows already imported are recognised and skipped, so importing
   the same file again changes nothing and says so.

Large files run as background tasks (screening.tasks) with progress on the Upload row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rules import audit
from rules.evaluation import screen_frame
from rules.models import RuleSet
from rules.specfiles import FileLimits, SpecFileError, read_spec_file
from rules.specs import CellIssue, ParsedSpecs, parse_specs
from screening.bulk import insert_rows
from screening.evidence import safe_name
from screening.models import (
    Case,
    CaseEvent,
    Product,
    Screening,
    ScreeningEntry,
    SpecVersion,
    Upload,
    UploadRow,
    spec_content_hashes,
)
from screening.products import current_rule_set, default_regimes, spec_fields

BATCH = 2000
Progress = Callable[[str, int, int], None]


class UploadRejected(Exception):
    """The file cannot be imported at all; the message says why."""


def limits() -> FileLimits:
    return FileLimits(**settings.SPEC_FILE_LIMITS)


# --- receiving ----------------------------------------------------------------------------------


def receive(*, data: bytes, filename: str, user: AbstractBaseUser, as_of: dt.date) -> Upload:
    """Check a file and store it, or refuse it (audited, nothing else stored)."""
    digest = hashlib.sha256(data).hexdigest()
    name = safe_name(filename)
    try:
        table = read_spec_file(data, limits=limits())
    except SpecFileError as exc:
        audit.record(
            "upload.rejected",
            actor=user,
            object_type="screening.upload",
            object_repr=name,
            after={"name": name, "sha256": digest, "size": len(data)},
            reason=str(exc),
        )
        raise UploadRejected(str(exc)) from exc
    upload = Upload(
        original_name=name,
        sha256=digest,
        size=len(data),
        kind=table.kind,
        encoding=table.encoding,
        as_of=as_of,
        uploaded_by=user,
        total=len(table.row_numbers),
    )
    upload.file.save("upload", ContentFile(data), save=False)
    upload.save()
    audit.record(
        "upload.receive",
        actor=user,
        obj=upload,
        after={
            "name": name,
            "sha256": digest,
            "size": len(data),
            "rows": upload.total,
            "as_of": as_of,
        },
    )
    return upload


def previously_imported(upload: Upload) -> Upload | None:
    """An earlier upload of the very same bytes that was imported."""
    return (
        Upload.objects.filter(sha256=upload.sha256, status=Upload.Status.IMPORTED)
        .exclude(pk=upload.pk)
        .order_by("-committed_at")
        .first()
    )


# --- the checking shared by dry run and commit ------------------------------------------------


@dataclass
class Checked:
    parsed: ParsedSpecs
    outcomes: np.ndarray  # outcome name per row
    contracts: list[dict[str, Any]]
    actions: np.ndarray  # UploadRow.Action per row
    hashes: list[str]
    existing: dict[tuple[str, str], tuple[int, str]]  # (sku, rev) → (product id, current hash)
    rule_set: RuleSet
    regimes: list[str]


def _read(upload: Upload) -> tuple[pd.DataFrame, list[int], list[CellIssue]]:
    with upload.file.open("rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != upload.sha256:
        raise UploadRejected(_("The stored file no longer matches its SHA-256; it was not used."))
    table = read_spec_file(data, limits=limits())
    return table.frame, table.row_numbers, table.issues


def _existing(keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, str]]:
    """Products already known, by natural key, with the content hash of their current spec."""
    found: dict[tuple[str, str], tuple[int, str]] = {}
    skus = sorted({sku for sku, _ in keys})
    for start in range(0, len(skus), BATCH):
        rows = Product.objects.filter(sku__in=skus[start : start + BATCH]).values_list(
            "sku", "revision", "pk", "current_spec__content_hash"
        )
        for sku, revision, pk, content_hash in rows:
            found[(sku, revision)] = (pk, content_hash or "")
    return found


def check(upload: Upload, progress: Progress | None = None) -> Checked:
    """Parse, validate, screen and classify every row (no writes)."""
    report = progress or (lambda stage, done, total: None)
    frame, row_numbers, issues = _read(upload)
    total = len(row_numbers)
    report("parsing", 0, total)
    parsed = parse_specs(frame, row_numbers=row_numbers, extra_errors=issues)
    report("screening", total // 3, total)
    rule_set = current_rule_set()
    catalogue = rule_set.catalogue()
    regimes = default_regimes(catalogue)
    screening = screen_frame(
        parsed.specs, catalogue.for_regimes(regimes), upload.as_of, invalid=parsed.invalid
    )
    contracts = screening.contracts()
    report("comparing", 2 * total // 3, total)
    specs = parsed.specs
    hashes = spec_content_hashes(specs)
    skus = specs["sku"].to_numpy(dtype=object)
    revisions = specs["revision"].to_numpy(dtype=object)
    invalid = parsed.invalid
    keys = [(s, r) for s, r, bad in zip(skus, revisions, invalid, strict=True) if not bad]
    existing = _existing(keys)
    actions = np.empty(total, dtype=object)
    for i in range(total):
        if invalid[i]:
            actions[i] = UploadRow.Action.INVALID
            continue
        known = existing.get((skus[i], revisions[i]))
        if known is None:
            actions[i] = UploadRow.Action.NEW
        elif known[1] == hashes[i]:
            actions[i] = UploadRow.Action.UNCHANGED
        else:
            actions[i] = UploadRow.Action.CHANGED
    report("comparing", total, total)
    return Checked(
        parsed=parsed,
        outcomes=screening.outcomes.to_numpy(dtype=object),
        contracts=contracts,
        actions=actions,
        hashes=hashes,
        existing=existing,
        rule_set=rule_set,
        regimes=regimes,
    )


def _issues_by_row(issues: Iterable[CellIssue]) -> dict[int, list[dict[str, str]]]:
    grouped: dict[int, list[dict[str, str]]] = {}
    for issue in issues:
        grouped.setdefault(issue.row, []).append(
            {"column": issue.column, "value": issue.value[:200], "message": issue.message}
        )
    return grouped


def _set_progress(upload: Upload, stage: str, done: int, total: int) -> None:
    Upload.objects.filter(pk=upload.pk).update(stage=stage, processed=done, total=total)


def dry_run(upload: Upload) -> Upload:
    """Check the file and store the preview: counts, and every row with its outcome and errors."""

    def progress(stage: str, done: int, total: int) -> None:
        _set_progress(upload, stage, done, total)

    try:
        checked = check(upload, progress)
    except (SpecFileError, UploadRejected) as exc:
        Upload.objects.filter(pk=upload.pk).update(status=Upload.Status.FAILED, message=str(exc))
        upload.refresh_from_db()
        return upload
    specs = checked.parsed.specs
    errors = _issues_by_row(checked.parsed.errors)
    warnings = _issues_by_row(checked.parsed.warnings)
    rows = specs.index.to_numpy()
    names = specs["name"].to_numpy(dtype=object)
    skus = specs["sku"].to_numpy(dtype=object)
    revisions = specs["revision"].to_numpy(dtype=object)

    def text(value: Any, limit: int) -> str:
        return value[:limit] if isinstance(value, str) else ""

    with transaction.atomic():
        UploadRow.objects.filter(upload=upload).delete()
        insert_rows(
            UploadRow,
            ("upload", "row", "sku", "revision", "name", "action", "outcome", "errors", "warnings"),
            (
                (
                    upload.pk,
                    row,
                    text(skus[i], 64),
                    text(revisions[i], 32),
                    text(names[i], 200),
                    checked.actions[i],
                    checked.outcomes[i],
                    errors.get(row, []),
                    warnings.get(row, []),
                )
                for i, row in enumerate(rows.tolist())
            ),
        )
        counts = pd.Series(checked.actions).value_counts().to_dict()
        Upload.objects.filter(pk=upload.pk).update(
            status=Upload.Status.CHECKED,
            stage="",
            processed=len(rows),
            total=len(rows),
            unknown_columns=list(checked.parsed.unknown_columns),
            valid_rows=int(len(rows) - counts.get(UploadRow.Action.INVALID, 0)),
            invalid_rows=int(counts.get(UploadRow.Action.INVALID, 0)),
            new_rows=int(counts.get(UploadRow.Action.NEW, 0)),
            changed_rows=int(counts.get(UploadRow.Action.CHANGED, 0)),
            unchanged_rows=int(counts.get(UploadRow.Action.UNCHANGED, 0)),
            warning_rows=len(warnings),
            outcome_counts={
                str(k): int(v) for k, v in pd.Series(checked.outcomes).value_counts().items()
            },
        )
    upload.refresh_from_db()
    return upload


# --- committing ---------------------------------------------------------------------------------


class CommitRefused(Exception):
    """The import cannot go ahead as asked; the message says why."""


def can_commit(upload: Upload, policy: str) -> str:
    """Why the upload cannot be imported with this policy ("" when it can)."""
    if upload.status != Upload.Status.CHECKED:
        return _("The upload is not ready to import (%(status)s).") % {
            "status": upload.get_status_display()
        }
    if policy not in Upload.Policy.values:
        return _("Choose how to import.")
    if policy == Upload.Policy.ALL_OR_NOTHING and upload.invalid_rows:
        return ngettext(
            "%(n)d row has errors. Correct it and upload again, or choose to import only "
            "the valid rows.",
            "%(n)d rows have errors. Correct them and upload again, or choose to import only "
            "the valid rows.",
            upload.invalid_rows,
        ) % {"n": upload.invalid_rows}
    return ""


def mark_importing(upload: Upload, *, user: AbstractBaseUser, policy: str) -> Upload:
    """Claim the upload for import (one guarded write, so a double click imports once)."""
    refused = can_commit(upload, policy)
    if refused:
        raise CommitRefused(refused)
    claimed = Upload.objects.filter(pk=upload.pk, status=Upload.Status.CHECKED).update(
        status=Upload.Status.IMPORTING,
        policy=policy,
        committed_by=user,
        stage="writing",
        processed=0,
    )
    if not claimed:
        raise CommitRefused(_("This upload is already being imported."))
    upload.refresh_from_db()
    return upload


def commit(upload: Upload) -> Upload:
    """Import a claimed upload (status importing). All writes happen in one transaction."""
    user = upload.committed_by
    try:
        checked = check(upload)
        with transaction.atomic():
            result = _write(upload, checked, user)
    except (SpecFileError, UploadRejected) as exc:
        Upload.objects.filter(pk=upload.pk).update(status=Upload.Status.FAILED, message=str(exc))
        upload.refresh_from_db()
        return upload
    except Exception:
        # Nothing was written (the transaction rolled back); the upload can be imported again.
        Upload.objects.filter(pk=upload.pk).update(
            status=Upload.Status.CHECKED,
            stage="",
            message=_("The import failed and was undone; nothing was imported. Try again."),
        )
        raise
    upload.refresh_from_db()
    return result


def _write(upload: Upload, checked: Checked, user: AbstractBaseUser) -> Upload:
    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != Upload.Status.IMPORTING:
        raise CommitRefused(_("This upload is not being imported."))
    specs = checked.parsed.specs
    policy = upload.policy
    actions = checked.actions
    invalid_rows = int(np.count_nonzero(actions == UploadRow.Action.INVALID))
    if policy == Upload.Policy.ALL_OR_NOTHING and invalid_rows:
        raise CommitRefused(_("The file has rows with errors."))
    todo = np.flatnonzero((actions == UploadRow.Action.NEW) | (actions == UploadRow.Action.CHANGED))
    now = timezone.now()
    user_id = user.pk if user else None
    warnings = checked.parsed.warnings_by_row()
    rows = specs.index.to_numpy()
    skus = specs["sku"].to_numpy(dtype=object)
    revisions = specs["revision"].to_numpy(dtype=object)

    # Products for the natural keys not seen before.
    new_keys = sorted({(skus[i], revisions[i]) for i in todo if actions[i] == UploadRow.Action.NEW})
    insert_rows(
        Product,
        ("sku", "revision", "created_at", "created_by"),
        ((sku, revision, now, user_id) for sku, revision in new_keys),
    )
    product_ids = {key: pk for key, (pk, _hash) in checked.existing.items()}
    product_ids.update(_product_ids(new_keys))
    numbers = _max_numbers(
        [
            product_ids[(skus[i], revisions[i])]
            for i in todo
            if actions[i] == UploadRow.Action.CHANGED
        ]
    )

    # Spec versions, linked to the file and row they came from.
    records = specs.iloc[todo].to_dict("records")
    spec_columns: list[str] | None = None
    spec_rows = []
    for i, row in zip(todo.tolist(), records, strict=True):
        product_id = product_ids[(row["sku"], row["revision"])]
        numbers[product_id] = numbers.get(product_id, 0) + 1
        fields = spec_fields(row, warnings.get(rows[i], []))
        if spec_columns is None:
            spec_columns = list(fields)
        spec_rows.append(
            (
                product_id,
                numbers[product_id],
                checked.hashes[i],
                user_id,
                SpecVersion.Source.UPLOAD,
                upload.pk,
                int(rows[i]),
                now,
                *(fields[c] for c in spec_columns),
            )
        )
    insert_rows(
        SpecVersion,
        (
            "product",
            "number",
            "content_hash",
            "created_by",
            "source",
            "upload",
            "upload_row",
            "created_at",
            *(spec_columns or []),
        ),
        spec_rows,
    )
    spec_of_row = dict(SpecVersion.objects.filter(upload=upload).values_list("upload_row", "pk"))
    product_of_row = {int(rows[i]): product_ids[(skus[i], revisions[i])] for i in todo}
    _set_progress(upload, "writing", len(todo) // 3, len(todo))

    # Screenings with their contract result, and the entries they found.
    rule_set = checked.rule_set
    insert_rows(
        Screening,
        (
            "product",
            "spec",
            "rule_set",
            "rule_set_version",
            "rule_set_hash",
            "regimes",
            "as_of",
            "outcome",
            "result",
            "created_at",
            "created_by",
        ),
        (
            (
                product_of_row[int(rows[i])],
                spec_of_row[int(rows[i])],
                rule_set.pk,
                rule_set.version,
                rule_set.content_hash,
                checked.regimes,
                upload.as_of,
                checked.outcomes[i],
                checked.contracts[i],
                now,
                user_id,
            )
            for i in todo
        ),
    )
    screening_of_spec = dict(
        Screening.objects.filter(spec__upload=upload).values_list("spec_id", "pk")
    )
    insert_rows(
        ScreeningEntry,
        ("screening", "key", "measure", "code", "result", "in_force"),
        (
            (
                screening_of_spec[spec_of_row[int(rows[i])]],
                e["key"],
                e["measure"],
                e["code"],
                e["result"],
                e["measure_status"] == "in_force",
            )
            for i in todo
            for e in checked.contracts[i]["entries"]
        ),
    )
    _point_products_at_latest(list(product_of_row.values()))

    # A draft case per new spec version, with its first timeline event.
    values = specs["annual_export_value_usd"].to_numpy(dtype=float)
    countries = specs["destination_country"].to_numpy(dtype=object)
    categories = specs["category"].to_numpy(dtype=object)
    subtypes = specs["subtype"].to_numpy(dtype=object)
    insert_rows(
        Case,
        (
            "product",
            "spec",
            "screening",
            "automated_outcome",
            "category",
            "subtype",
            "state",
            "version",
            "destination_country",
            "end_user",
            "end_use",
            "expected_value_usd",
            "licence_path",
            "prepared_by",
            "determination",
            "determination_entries",
            "rationale",
            "departure_reason",
            "legal_hold",
            "legal_hold_reason",
            "created_at",
            "last_activity_at",
            "state_changed_at",
        ),
        (
            (
                product_of_row[int(rows[i])],
                spec_of_row[int(rows[i])],
                screening_of_spec[spec_of_row[int(rows[i])]],
                checked.outcomes[i],
                categories[i],
                subtypes[i],
                "draft",
                1,
                countries[i] or "",
                "",
                "",
                None if np.isnan(values[i]) else Decimal(str(round(values[i], 2))),
                "",
                user_id,
                "",
                [],
                "",
                "",
                False,
                "",
                now,
                now,
                now,
            )
            for i in todo
        ),
    )
    message = _("Imported from %(name)s, row %(row)s")
    case_ids = list(Case.objects.filter(spec__upload=upload).values_list("pk", "spec__upload_row"))
    insert_rows(
        CaseEvent,
        ("case", "kind", "actor", "at", "message", "data"),
        (
            (
                case_id,
                CaseEvent.Kind.CREATED,
                user_id,
                now,
                message % {"name": upload.original_name, "row": row},
                {"upload": upload.pk},
            )
            for case_id, row in case_ids
        ),
    )
    _link_preview_rows(upload)
    _set_progress(upload, "writing", len(todo), len(todo))

    skipped = invalid_rows if policy == Upload.Policy.VALID_ROWS else 0
    unchanged = int(np.count_nonzero(actions == UploadRow.Action.UNCHANGED))
    Upload.objects.filter(pk=upload.pk).update(
        status=Upload.Status.IMPORTED,
        stage="",
        committed_at=timezone.now(),
        created_products=len(new_keys),
        created_versions=len(spec_of_row),
        created_cases=len(case_ids),
        skipped_rows=skipped,
        unchanged_rows=unchanged,
        processed=len(rows),
        message="",
    )
    audit.record(
        "upload.import",
        actor=user,
        obj=upload,
        after={
            "sha256": upload.sha256,
            "policy": policy,
            "as_of": upload.as_of,
            "rule_set": {"version": rule_set.version, "hash": rule_set.content_hash},
            "created": {
                "products": sorted(product_ids[key] for key in new_keys),
                "spec_versions": sorted(spec_of_row.values()),
                "screenings": sorted(screening_of_spec.values()),
                "cases": sorted(case_id for case_id, _row in case_ids),
            },
            "unchanged_rows": unchanged,
            "skipped_invalid_rows": [
                int(rows[i]) for i in np.flatnonzero(actions == UploadRow.Action.INVALID)
            ],
        },
        reason=upload.get_policy_display(),
    )
    upload.refresh_from_db()
    return upload


def _product_ids(keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    wanted = set(keys)
    skus = sorted({sku for sku, _ in keys})
    for start in range(0, len(skus), BATCH):
        for sku, revision, pk in Product.objects.filter(
            sku__in=skus[start : start + BATCH]
        ).values_list("sku", "revision", "pk"):
            if (sku, revision) in wanted:
                found[(sku, revision)] = pk
    return found


def _link_preview_rows(upload: Upload) -> None:
    """Point each preview row at the spec version created from it (one statement)."""
    rows, specs = UploadRow._meta.db_table, SpecVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {rows} SET spec_id = (SELECT s.id FROM {specs} s "  # noqa: S608 -- ours
            f"WHERE s.upload_id = %s AND s.upload_row = {rows}.row) WHERE upload_id = %s",
            [upload.pk, upload.pk],
        )


def _max_numbers(product_ids: list[int]) -> dict[int, int]:
    numbers: dict[int, int] = {}
    for start in range(0, len(product_ids), BATCH):
        chunk = product_ids[start : start + BATCH]
        for row in (
            SpecVersion.objects.filter(product_id__in=chunk)
            .values("product_id")
            .annotate(n=Max("number"))
        ):
            numbers[row["product_id"]] = row["n"]
    return numbers


def _point_products_at_latest(product_ids: list[int]) -> None:
    """Make each product's current spec and latest screening the newest (one statement a batch)."""
    spec_table = SpecVersion._meta.db_table
    screening_table = Screening._meta.db_table
    product_table = Product._meta.db_table
    ids = sorted(set(product_ids))
    with connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"UPDATE {product_table} SET "  # noqa: S608 -- table names are ours; values bound
                f"current_spec_id = (SELECT MAX(id) FROM {spec_table} s "
                f"WHERE s.product_id = {product_table}.id), "
                f"latest_screening_id = (SELECT MAX(id) FROM {screening_table} c "
                f"WHERE c.product_id = {product_table}.id) "
                f"WHERE id IN ({marks})",
                chunk,
            )


# --- reports ------------------------------------------------------------------------------------


def error_report(upload: Upload) -> bytes:
    """The original rows plus an 'errors' column, as CSV (UTF-8 with BOM for Excel)."""
    from screening.exports import neutralise

    frame, row_numbers, _issues = _read(upload)
    errors = {
        row.row: "; ".join(f"{e['column']}: {e['message']}" for e in row.errors)
        for row in upload.rows.exclude(errors=[])
    }
    frame = frame.copy()
    frame.insert(0, "row", row_numbers)
    frame["errors"] = [errors.get(row, "") for row in row_numbers]
    frame = frame[frame["errors"] != ""]
    for column in frame.columns:
        frame[column] = frame[column].map(neutralise)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
