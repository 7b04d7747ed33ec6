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
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rules import audit, background
from rules.cells import CellIssue
from rules.certainty import Assumption, assumptions_on
from rules.evaluation import screen_frame
from rules.models import RuleSet
from rules.rawtables import FileLimits, RawTable, SpecFileError
from rules.specfiles import read_spec_file, read_spec_json
from rules.specs import ParsedSpecs, parse_specs
from screening.bulk import insert_rows
from screening.evidence import safe_name
from screening.exports import csv_text
from screening.models import (
    Case,
    CaseEvent,
    Product,
    SpecVersion,
    Upload,
    UploadRow,
    spec_content_hashes,
)
from screening.products import (
    confirmations,
    current_rule_set,
    default_regimes,
    insert_screenings,
    point_products_at_latest,
    spec_columns,
)

BATCH = 2000
Progress = Callable[[str, int, int], None]


class UploadRejected(Exception):
    """The file cannot be imported at all; the message says why."""


def limits() -> FileLimits:
    return FileLimits(**settings.SPEC_FILE_LIMITS)


def _table(data: bytes, *, from_api: bool, size: int | None = None) -> RawTable:
    """A spreadsheet's raw table; or, for specs the API received (kind json), theirs."""
    if from_api:
        return read_spec_json(data, limits=limits())
    return read_spec_file(data, limits=limits(), size=size)


# --- receiving ----------------------------------------------------------------------------------


def receive(
    *,
    data: bytes,
    filename: str,
    user: User,
    as_of: dt.date,
    size: int | None = None,
    from_api: bool = False,
) -> Upload:
    """Check a file and store it, or refuse it (audited, nothing else stored).

    `size` is the whole file's size when `data` is only its beginning: a file over the size
    limit is read no further than one byte past it, and refused with its real size. (Its
    SHA-256 is then that of the part read.) `from_api`: the body of an API request storing
    specs (screening.api), kept as an upload of kind json."""
    digest = hashlib.sha256(data).hexdigest()
    name = safe_name(filename)
    try:
        table = _table(data, from_api=from_api, size=size)
    except SpecFileError as exc:
        audit.record(
            "upload.rejected",
            actor=user,
            object_type="screening.upload",
            object_repr=name,
            after={"name": name, "sha256": digest, "size": max(len(data), size or 0)},
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
    evaluation_warnings: list[list[dict[str, str]]]  # per row, beyond the spec's own
    hashes: list[str]
    rule_set: RuleSet
    regimes: list[str]
    # Filled by classify(), from the database as it is then:
    actions: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    existing: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)

    def keys(self) -> list[tuple[str, str]]:
        """The natural keys (sku, revision) of the valid rows."""
        specs = self.parsed.specs
        return [
            (sku, revision)
            for sku, revision, bad in zip(
                specs["sku"].to_numpy(dtype=object),
                specs["revision"].to_numpy(dtype=object),
                self.parsed.invalid,
                strict=True,
            )
            if not bad
        ]


def _read(upload: Upload) -> tuple[pd.DataFrame, list[int], list[CellIssue]]:
    with upload.file.open("rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != upload.sha256:
        raise UploadRejected(_("The stored file no longer matches its SHA-256; it was not used."))
    table = _table(data, from_api=upload.kind == "json")
    return table.frame, table.row_numbers, table.issues


def _by_sku(select: str, skus: list[str]) -> Iterable[tuple[Any, ...]]:
    """Rows of `select` (SQL ending in "sku IN") for many SKUs, in batches. Plain SQL: building
    a Django filter prepares every one of 100,000 values, which costs more than the query."""
    with connection.cursor() as cursor:
        for start in range(0, len(skus), BATCH):
            chunk = skus[start : start + BATCH]
            cursor.execute(f"{select} ({', '.join(['%s'] * len(chunk))})", chunk)
            yield from cursor.fetchall()


def _existing(keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, str]]:
    """Products already known, by natural key, with the content hash of their current spec."""
    products, specs = Product._meta.db_table, SpecVersion._meta.db_table
    rows = _by_sku(
        f"SELECT p.sku, p.revision, p.id, s.content_hash FROM {products} p "  # noqa: S608 -- ours
        f"LEFT JOIN {specs} s ON s.id = p.current_spec_id WHERE p.sku IN",
        sorted({sku for sku, _ in keys}),
    )
    return {(sku, revision): (pk, content_hash or "") for sku, revision, pk, content_hash in rows}


def screen_upload(upload: Upload, progress: Progress | None = None) -> Checked:
    """Parse, validate and screen every row (no database reads of products, no writes)."""
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
        parsed.specs,
        catalogue.for_regimes(regimes),
        upload.as_of,
        invalid=parsed.invalid,
        confirmations=confirmations(),
    )
    contracts = screening.contracts()
    # The statuses assumed on the upload's as-of date are said once for the whole file (the
    # upload page); each row keeps the rest of the evaluation's warnings (a code to confirm, a
    # destination advisory).
    said_once = {w["message"] for w in screening.run_warnings()}
    evaluation_warnings = [
        [
            {"column": w["column"] or "", "value": "", "message": w["message"]}
            for w in contract["warnings"]
            if w["message"] not in said_once
        ]
        for contract in contracts
    ]
    report("comparing", 2 * total // 3, total)
    return Checked(
        parsed=parsed,
        outcomes=screening.outcomes.to_numpy(dtype=object),
        contracts=contracts,
        evaluation_warnings=evaluation_warnings,
        hashes=spec_content_hashes(parsed.specs),
        rule_set=rule_set,
        regimes=regimes,
    )


def classify(checked: Checked) -> None:
    """Classify every row by natural key and content against the products as they are now:
    new product, changed (a new spec version), unchanged, invalid. The commit calls it again
    inside its transaction, under the lock on the rows' natural keys."""
    specs = checked.parsed.specs
    skus = specs["sku"].to_numpy(dtype=object)
    revisions = specs["revision"].to_numpy(dtype=object)
    invalid = checked.parsed.invalid
    existing = _existing(checked.keys())
    actions = np.empty(len(specs), dtype=object)
    for i in range(len(specs)):
        if invalid[i]:
            actions[i] = UploadRow.Action.INVALID
            continue
        known = existing.get((skus[i], revisions[i]))
        if known is None:
            actions[i] = UploadRow.Action.NEW
        elif known[1] == checked.hashes[i]:
            actions[i] = UploadRow.Action.UNCHANGED
        else:
            actions[i] = UploadRow.Action.CHANGED
    checked.actions, checked.existing = actions, existing


def check(upload: Upload, progress: Progress | None = None) -> Checked:
    """Parse, validate, screen and classify every row (no writes): what the dry run shows."""
    checked = screen_upload(upload, progress)
    classify(checked)
    total = len(checked.actions)
    (progress or (lambda stage, done, total: None))("comparing", total, total)
    return checked


# Imports touching the same natural keys run one at a time: PostgreSQL takes an advisory lock
# per bucket of keys (sorted, so two imports never wait for each other in a circle); SQLite
# has one writer at a time, and every transaction takes the write lock first (IMMEDIATE).
LOCK_SPACE = 190_002  # first key of pg_advisory_xact_lock(int, int): this application's imports
LOCK_BUCKETS = 256  # at most this many locks per import (PostgreSQL's lock table is shared)


def lock_natural_keys(keys: Iterable[tuple[str, str]]) -> None:
    """Wait until no other import touching any of these natural keys is writing. Call inside
    the transaction that classifies and writes; the locks end with it."""
    if connection.vendor != "postgresql":
        # SQLite: the first write of a transaction takes the database's write lock (and the
        # settings' IMMEDIATE transactions take it at BEGIN already); it is held to the end.
        return
    buckets = sorted(
        {zlib.crc32(f"{sku}\x1f{revision}".encode()) % LOCK_BUCKETS for sku, revision in keys}
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, bucket)) FROM unnest(%s::int[]) AS bucket",
            [LOCK_SPACE, buckets],
        )


def _issues_by_row(issues: Iterable[CellIssue]) -> dict[int, list[dict[str, str]]]:
    grouped: dict[int, list[dict[str, str]]] = {}
    for issue in issues:
        grouped.setdefault(issue.row, []).append(
            {"column": issue.column, "value": issue.value[:200], "message": issue.message}
        )
    return grouped


def assumed_statuses(upload: Upload) -> list[Assumption]:
    """The measure statuses on the upload's as-of date that are assumptions (said once on the
    upload page rather than on every row)."""
    rule_set = RuleSet.objects.current()
    if rule_set is None:
        return []
    catalogue = rule_set.catalogue()
    catalogue = catalogue.for_regimes(default_regimes(catalogue))
    return list(assumptions_on(catalogue, upload.as_of, confirmations()).values())


def _set_progress(upload: Upload, stage: str, done: int, total: int) -> None:
    """Progress for the page, and the heartbeat that tells a live check or import from a dead
    one (is_stalled): written at every stage, outside the work's transaction."""
    Upload.objects.filter(pk=upload.pk).update(
        stage=stage, processed=done, total=total, heartbeat_at=timezone.now()
    )


def dry_run(upload: Upload) -> Upload:
    """Check the file and store the preview: counts, and every row with its outcome and errors."""

    def progress(stage: str, done: int, total: int) -> None:
        _set_progress(upload, stage, done, total)

    progress("reading", 0, upload.total)
    try:
        checked = check(upload, progress)
    except (SpecFileError, UploadRejected) as exc:
        Upload.objects.filter(pk=upload.pk, status=Upload.Status.CHECKING).update(
            status=Upload.Status.FAILED, message=str(exc)
        )
        upload.refresh_from_db()
        return upload
    specs = checked.parsed.specs
    errors = _issues_by_row(checked.parsed.errors)
    warnings = _issues_by_row(checked.parsed.warnings)
    rows = specs.index.to_numpy()
    for row, extra in zip(rows.tolist(), checked.evaluation_warnings, strict=True):
        if extra:
            warnings.setdefault(row, []).extend(extra)
    names = specs["name"].to_numpy(dtype=object)
    skus = specs["sku"].to_numpy(dtype=object)
    revisions = specs["revision"].to_numpy(dtype=object)

    def text(value: Any, limit: int) -> str:
        return value[:limit] if isinstance(value, str) else ""

    with transaction.atomic():
        # A check queued again while the first run was only slow finishes once: the first
        # statement writes (SQLite's write lock, PostgreSQL's row lock), then the state counts.
        if not Upload.objects.filter(pk=upload.pk, status=Upload.Status.CHECKING).update(
            stage="writing", heartbeat_at=timezone.now()
        ):
            upload.refresh_from_db()
            return upload
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


def start_check(upload: Upload) -> Upload:
    """Check a received upload now, or queue the check when the file is large
    (UPLOAD_SYNC_MAX_ROWS): the page then follows its progress."""
    if upload.total > settings.UPLOAD_SYNC_MAX_ROWS:
        result = background.enqueue("check_upload", upload.pk)
        Upload.objects.filter(pk=upload.pk).update(task_id=str(result.id))
        upload.refresh_from_db()
        return upload
    return dry_run(upload)


def start_import(upload: Upload, *, user: User, policy: str) -> Upload:
    """Claim the upload for import and import it now, or queue the import when it is large.
    CommitRefused when it may not be imported (the message says why)."""
    upload = mark_importing(upload, user=user, policy=policy)
    if upload.valid_rows > settings.UPLOAD_SYNC_MAX_ROWS:
        result = background.enqueue("import_upload", upload.pk)
        Upload.objects.filter(pk=upload.pk).update(task_id=str(result.id))
        upload.refresh_from_db()
        return upload
    return commit(upload)


def mark_importing(upload: Upload, *, user: User, policy: str) -> Upload:
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
        heartbeat_at=timezone.now(),
    )
    if not claimed:
        raise CommitRefused(_("This upload is already being imported."))
    upload.refresh_from_db()
    return upload


class NotImporting(CommitRefused):
    """Another run of this import got there first (a task queued again, a double click)."""


def commit(upload: Upload) -> Upload:
    """Import a claimed upload (status importing). All writes happen in one transaction.

    The rows are parsed and screened first, outside the transaction (the long part). Inside
    it, under the lock on their natural keys, they are classified against the database as it
    is then and written: of N imports of the same rows at once, one writes them and the others
    find them already imported, whatever their dry runs said.
    """
    user = upload.committed_by

    def progress(stage: str, done: int, total: int) -> None:
        _set_progress(upload, stage, done, total)

    progress("reading", 0, upload.total)
    try:
        checked = screen_upload(upload, progress)
        progress("writing", 0, upload.total)
        with transaction.atomic():
            result = _write(upload, checked, user)
    except NotImporting:
        upload.refresh_from_db()
        return upload
    except (SpecFileError, UploadRejected) as exc:
        Upload.objects.filter(pk=upload.pk, status=Upload.Status.IMPORTING).update(
            status=Upload.Status.FAILED, message=str(exc)
        )
        upload.refresh_from_db()
        return upload
    except Exception:
        # Nothing was written (the transaction rolled back); the upload can be imported again.
        Upload.objects.filter(pk=upload.pk, status=Upload.Status.IMPORTING).update(
            status=Upload.Status.CHECKED,
            stage="",
            message=_("The import failed and was undone; nothing was imported. Try again."),
        )
        raise
    upload.refresh_from_db()
    return result


def _write(upload: Upload, checked: Checked, user: User | None) -> Upload:
    # The upload's row first (one run of this import at a time), then the natural keys (one
    # import of the same rows at a time); only then does what is in the database count. The
    # first statement writes, so SQLite's write lock is held from here even in a deferred
    # transaction.
    Upload.objects.filter(pk=upload.pk).update(stage="writing")
    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != Upload.Status.IMPORTING:
        raise NotImporting(_("This upload is not being imported."))
    lock_natural_keys(checked.keys())
    classify(checked)
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
    fields = spec_columns(specs.iloc[todo], warnings, rows[todo])
    product_column, number_column = [], []
    for i in todo.tolist():
        product_id = product_ids[(skus[i], revisions[i])]
        numbers[product_id] = numbers.get(product_id, 0) + 1
        product_column.append(product_id)
        number_column.append(numbers[product_id])
    insert_rows(
        SpecVersion,
        ("product", "number", "content_hash", "upload_row", *fields),
        zip(
            product_column,
            number_column,
            [checked.hashes[i] for i in todo],
            rows[todo].tolist(),
            *fields.values(),
            strict=True,
        ),
        constants={
            "created_by": user_id,
            "source": SpecVersion.Source.UPLOAD,
            "upload": upload.pk,
            "created_at": now,
        },
    )
    spec_of_row = dict(SpecVersion.objects.filter(upload=upload).values_list("upload_row", "pk"))
    row_ids = rows[todo].tolist()
    product_of_row = dict(zip(row_ids, product_column, strict=True))
    _set_progress(upload, "writing", len(todo) // 3, len(todo))

    # Screenings with their contract result, and the entries they found.
    rule_set = checked.rule_set
    screening_of_spec = insert_screenings(
        [
            (product_of_row[row], spec_of_row[row], checked.contracts[i])
            for row, i in zip(row_ids, todo.tolist(), strict=True)
        ],
        rule_set=rule_set,
        regimes=checked.regimes,
        as_of=upload.as_of,
        user_id=user_id,
    )
    point_products_at_latest(list(product_of_row.values()))

    # A draft case per new spec version, with its first timeline event. Built column by column
    # (a generator indexing arrays row by row cost more than the INSERT).
    spec_ids = [spec_of_row[row] for row in row_ids]
    amounts = specs["annual_export_value_usd"].to_numpy(dtype=float)[todo].tolist()
    countries = specs["destination_country"].to_numpy(dtype=object)[todo]
    insert_rows(
        Case,
        (
            "product",
            "spec",
            "screening",
            "automated_outcome",
            "category",
            "subtype",
            "destination_country",
            "expected_value_usd",
        ),
        zip(
            [product_of_row[row] for row in row_ids],
            spec_ids,
            [screening_of_spec[spec_id] for spec_id in spec_ids],
            checked.outcomes[todo].tolist(),
            specs["category"].to_numpy(dtype=object)[todo].tolist(),
            specs["subtype"].to_numpy(dtype=object)[todo].tolist(),
            [country or "" for country in countries.tolist()],
            [None if value != value else Decimal(f"{value:.2f}") for value in amounts],
            strict=True,
        ),
        constants={
            "state": "draft",
            "version": 1,
            "prepared_by": user_id,
            "determination_entries": [],
            "legal_hold": False,
            "created_at": now,
            "last_activity_at": now,
            "state_changed_at": now,
        },
    )
    message = _("Imported from %(name)s, row %(row)s")
    case_ids = list(Case.objects.filter(spec__upload=upload).values_list("pk", "spec__upload_row"))
    insert_rows(
        CaseEvent,
        ("case", "message"),
        (
            (case_id, message % {"name": upload.original_name, "row": row})
            for case_id, row in case_ids
        ),
        constants={
            "kind": CaseEvent.Kind.CREATED,
            "actor": user_id,
            "at": now,
            "data": {"upload": upload.pk},
        },
    )
    _link_preview_rows(upload)
    _set_progress(upload, "writing", len(todo), len(todo))

    skipped = invalid_rows if policy == Upload.Policy.VALID_ROWS else 0
    counts = {
        "new_rows": int(np.count_nonzero(actions == UploadRow.Action.NEW)),
        "changed_rows": int(np.count_nonzero(actions == UploadRow.Action.CHANGED)),
        "unchanged_rows": int(np.count_nonzero(actions == UploadRow.Action.UNCHANGED)),
    }
    unchanged = counts["unchanged_rows"]
    overtaken = counts != {name: getattr(upload, name) for name in counts}
    if overtaken:
        # Another import wrote some of these rows after the dry run: the preview says so too.
        _reclassify_preview_rows(upload, rows, actions)
    Upload.objects.filter(pk=upload.pk).update(
        status=Upload.Status.IMPORTED,
        stage="",
        committed_at=timezone.now(),
        created_products=len(new_keys),
        created_versions=len(spec_of_row),
        created_cases=len(case_ids),
        skipped_rows=skipped,
        processed=len(rows),
        message=_already_imported_message(counts, upload),
        **counts,
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


def _already_imported_message(counts: dict[str, int], upload: Upload) -> str:
    """What the import says when rows its dry run found new or changed were, by the time it
    ran, already in the database ("" when none were)."""
    expected = upload.new_rows + upload.changed_rows
    writing = counts["new_rows"] + counts["changed_rows"]
    done = expected - writing
    if done <= 0:
        return ""
    if not writing:
        return _(
            "Already imported: every row of this file had been imported by another import "
            "that finished first, so nothing was imported again."
        )
    return ngettext(
        "%(n)d row had been imported by another import that finished first; it was not "
        "imported again.",
        "%(n)d rows had been imported by another import that finished first; they were not "
        "imported again.",
        done,
    ) % {"n": done}


def _reclassify_preview_rows(upload: Upload, rows: np.ndarray, actions: np.ndarray) -> None:
    for action in (UploadRow.Action.NEW, UploadRow.Action.CHANGED, UploadRow.Action.UNCHANGED):
        numbers = rows[actions == action].tolist()
        for start in range(0, len(numbers), BATCH):
            UploadRow.objects.filter(upload=upload, row__in=numbers[start : start + BATCH]).exclude(
                action=action
            ).update(action=action)


def _product_ids(keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    wanted = set(keys)
    rows = _by_sku(
        f"SELECT sku, revision, id FROM {Product._meta.db_table} WHERE sku IN",  # noqa: S608
        sorted({sku for sku, _ in keys}),
    )
    return {(sku, rev): pk for sku, rev, pk in rows if (sku, rev) in wanted}


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


# --- reports ------------------------------------------------------------------------------------


def error_report(upload: Upload) -> bytes:
    """The original rows plus an 'errors' column, as CSV (UTF-8 with BOM for Excel). Every cell,
    the header row included, goes through `exports.csv_text`, which neutralises formulas and
    ends lines with CRLF (so a bare CR inside a cell is quoted, not a new row)."""
    frame, row_numbers, _issues = _read(upload)
    errors = {
        row.row: "; ".join(f"{e['column']}: {e['message']}" for e in row.errors)
        for row in upload.rows.exclude(errors=[])
    }
    frame = frame.copy()
    frame.insert(0, "row", row_numbers)
    frame["errors"] = [errors.get(row, "") for row in row_numbers]
    frame = frame[frame["errors"] != ""]
    text = csv_text(list(frame.columns), frame.itertuples(index=False, name=None))
    return ("\ufeff" + text).encode("utf-8")


# --- background work that died ------------------------------------------------------------------


def stalled_after() -> dt.timedelta:
    """How long a check or import may go without a heartbeat before it is taken for dead
    (UPLOAD_STALLED_SECONDS). A live one beats at every stage; the longest stage of the largest
    allowed file (reading a 100 MB workbook, or the import's write transaction, whose beats only
    show once it commits) takes well under this."""
    return dt.timedelta(seconds=settings.UPLOAD_STALLED_SECONDS)


def is_stalled(upload: Upload, *, now: dt.datetime | None = None) -> bool:
    """Whether the upload's check or import stopped without finishing, so it may be queued again.

    Nothing is half-done in that case: the check and the import each write in one transaction,
    which a dying process never commits. Stalled means the upload is still checking or importing
    and either its task ended (a worker stopped by a signal marks it failed), or nobody has
    worked on it for `stalled_after()`: no heartbeat (the process doing the work writes one at
    every stage) and no task started in that time. That covers a worker killed outright
    (SIGKILL, out of memory, a lost machine), whose task stays "running" for ever, and an import
    run in a web request whose process was killed. A task still waiting for a worker is not
    stalled: queueing it again would not help.
    """
    from django_tasks import TaskResultStatus, default_task_backend
    from django_tasks.exceptions import TaskResultDoesNotExist

    if not upload.busy:
        return False
    now = now or timezone.now()
    try:
        result = default_task_backend.get_result(upload.task_id) if upload.task_id else None
    except (TaskResultDoesNotExist, NotImplementedError):
        result = None
    if result is not None and result.status == TaskResultStatus.READY:
        return False
    if result is not None and result.status != TaskResultStatus.RUNNING:
        return True  # the task finished, failed or succeeded, and left the upload busy
    signs = [upload.heartbeat_at or upload.uploaded_at]
    if result is not None and result.started_at is not None:
        signs.append(result.started_at)
    return now - max(signs) > stalled_after()


def requeue_stalled(upload: Upload, *, user: User) -> Upload:
    """Queue a stalled check or import again (its task is idempotent); refused otherwise.

    One guarded write on the task id claims the upload, so a double click queues it once.
    """
    if not is_stalled(upload):
        raise CommitRefused(
            _("This upload is still being processed; it can be queued again only if it stalls.")
        )
    task = "import_upload" if upload.status == Upload.Status.IMPORTING else "check_upload"
    with transaction.atomic():
        claimed = Upload.objects.filter(
            pk=upload.pk, status=upload.status, task_id=upload.task_id
        ).update(stage="", processed=0, message="", heartbeat_at=timezone.now())
        if not claimed:
            raise CommitRefused(_("This upload was already queued again."))
        result = background.enqueue(task, upload.pk)
        Upload.objects.filter(pk=upload.pk).update(task_id=str(result.id))
        audit.record(
            "upload.requeue",
            actor=user,
            obj=upload,
            before={"status": upload.status, "task": upload.task_id},
            after={"status": upload.status, "task": str(result.id)},
            reason="background work stopped without finishing",
        )
    upload.refresh_from_db()
    return upload
