"""A spec spreadsheet as the app keeps it: received (every check before anything is stored;
an unreadable file leaves only the audit of the attempt), stored unaltered under a generated
name with its SHA-256, read back for the dry run and the import, its progress, and the
downloadable error report."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import pandas as pd
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils import timezone

from rules import audit
from rules.cells import CellIssue
from rules.labels import message_text
from rules.messages import Template, gettext_noop
from rules.rawtables import FileLimits, RawTable, SpecFileError
from rules.specfiles import read_spec_file, read_spec_json
from screening.evidence import safe_name
from screening.exports import csv_text
from screening.models import (
    Upload,
)

BATCH = 2000


Progress = Callable[[str, int, int], None]


STORED_FILE_CHANGED = Template(
    "upload.stored_file_changed",
    gettext_noop("The stored file no longer matches its SHA-256; it was not used."),
)


class UploadRejected(Exception):
    """The file cannot be imported at all; the message (a rules.messages.Message) says why."""


def limits() -> FileLimits:
    return FileLimits(**settings.SPEC_FILE_LIMITS)


def _table(data: bytes, *, from_api: bool, size: int | None = None) -> RawTable:
    """A spreadsheet's raw table; or, for specs the API received (kind json), theirs."""
    if from_api:
        return read_spec_json(data, limits=limits())
    return read_spec_file(data, limits=limits(), size=size)


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
        raise UploadRejected(exc.message) from exc
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


def stored_bytes(upload: Upload) -> bytes:
    """The stored file, unaltered (UploadRejected when it no longer matches its SHA-256)."""
    with upload.file.open("rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != upload.sha256:
        raise UploadRejected(STORED_FILE_CHANGED())
    return data


def read_stored(upload: Upload) -> tuple[pd.DataFrame, list[int], list[CellIssue]]:
    table = _table(stored_bytes(upload), from_api=upload.kind == "json")
    return table.frame, table.row_numbers, table.issues


def set_progress(upload: Upload, stage: str, done: int, total: int) -> None:
    """Progress for the page, and the heartbeat that tells a live check or import from a dead
    one (is_stalled): written at every stage, outside the work's transaction."""
    Upload.objects.filter(pk=upload.pk).update(
        stage=stage, processed=done, total=total, heartbeat_at=timezone.now()
    )


def error_report(upload: Upload) -> str:
    """The original rows plus an 'errors' column (in the reader's language), as CSV text.
    Every cell, the header row included, goes through `exports.csv_text`, which neutralises
    formulas and ends lines with CRLF (so a bare CR inside a cell is quoted, not a new row)."""
    frame, row_numbers, _issues = read_stored(upload)
    errors = {
        row.row: "; ".join(f"{e['column']}: {message_text(e)}" for e in row.errors)
        for row in upload.rows.exclude(errors=[])
    }
    frame = frame.copy()
    frame.insert(0, "row", row_numbers)
    frame["errors"] = [errors.get(row, "") for row in row_numbers]
    frame = frame[frame["errors"] != ""]
    return csv_text(list(frame.columns), frame.itertuples(index=False, name=None))
