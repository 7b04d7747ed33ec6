"""The dry run: every row parsed, validated, screened and classified by its natural key (sku +
revision) as new, changed (a new spec version), unchanged or invalid. Nothing but the preview
is written. The commit classifies again under the lock on the rows' natural keys."""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from rules import background
from rules.cells import CellIssue
from rules.certainty import Assumption, assumptions_on
from rules.messages import message_fields, message_json, message_of
from rules.models import RuleSet
from rules.rawtables import SpecFileError
from screening.bulk import ANY_BATCH, insert_rows
from screening.collector import paused_gc
from screening.imports import receiving, screened
from screening.imports.receiving import BATCH, Progress, UploadRejected
from screening.imports.screened import Checked, screen_upload
from screening.models import Product, SpecVersion, Upload, UploadRow
from screening.products import confirmations, default_regimes


def by_sku(select: str, skus: list[str]) -> Iterable[tuple[Any, ...]]:
    """Rows of `select` (SQL ending in "sku IN") for many SKUs, in batches. Plain SQL: building
    a Django filter prepares every one of 100,000 values, which costs more than the query.
    PostgreSQL gets each batch as one array parameter (`= ANY(%s)`): psycopg parses a query's
    placeholders in Python, which for 2,000 of them cost more than the query."""
    if not select.endswith(" IN"):
        raise ValueError("by_sku needs SQL ending in 'IN'")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for start in range(0, len(skus), ANY_BATCH):
                cursor.execute(f"{select[:-3]} = ANY(%s)", [skus[start : start + ANY_BATCH]])
                yield from cursor.fetchall()
            return
        for start in range(0, len(skus), BATCH):
            chunk = skus[start : start + BATCH]
            cursor.execute(f"{select} ({', '.join(['%s'] * len(chunk))})", chunk)
            yield from cursor.fetchall()


def _existing(keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, str]]:
    """Products already known, by natural key, with the content hash of their current spec."""
    products, specs = Product._meta.db_table, SpecVersion._meta.db_table
    rows = by_sku(
        f"SELECT p.sku, p.revision, p.id, s.content_hash FROM {products} p "  # noqa: S608 -- ours
        f"LEFT JOIN {specs} s ON s.id = p.current_spec_id WHERE p.sku IN",
        sorted({sku for sku, _ in keys}),
    )
    return {(sku, revision): (pk, content_hash or "") for sku, revision, pk, content_hash in rows}


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


def _issues_by_row(issues: Iterable[CellIssue]) -> dict[int, list[dict[str, Any]]]:
    """Each row's issues as stored: column, value, the English message and its code and
    parameters (rules.messages), so that a page says them in its reader's language."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    for issue in issues:
        grouped.setdefault(issue.row, []).append(
            {"column": issue.column, "value": issue.value[:200], **message_json(issue.message)}
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


def start_check(upload: Upload) -> Upload:
    """Check a received upload now, or queue the check when the file is large
    (UPLOAD_SYNC_MAX_ROWS): the page then follows its progress."""
    if upload.total > settings.UPLOAD_SYNC_MAX_ROWS:
        result = background.enqueue("check_upload", upload.pk)
        Upload.objects.filter(pk=upload.pk).update(task_id=str(result.id))
        upload.refresh_from_db()
        return upload
    return dry_run(upload)


@paused_gc()
def dry_run(upload: Upload) -> Upload:
    """Check the file and store the preview: counts, and every row with its outcome and errors."""

    def progress(stage: str, done: int, total: int) -> None:
        receiving.set_progress(upload, stage, done, total)

    progress("reading", 0, upload.total)
    try:
        checked = check(upload, progress)
    except (SpecFileError, UploadRejected) as exc:
        Upload.objects.filter(pk=upload.pk, status=Upload.Status.CHECKING).update(
            status=Upload.Status.FAILED, **message_fields(message_of(exc))
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

    screened.keep(upload, checked)  # before the upload reads as checked: its import may start
    with transaction.atomic():
        # A check queued again while the first run was only slow finishes once: the first
        # statement writes (SQLite's write lock, PostgreSQL's row lock), then the state counts.
        if not Upload.objects.filter(pk=upload.pk, status=Upload.Status.CHECKING).update(
            stage="writing", heartbeat_at=timezone.now()
        ):
            screened.discard(upload)  # what this late run kept is nobody's to import
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
