"""The import: in one transaction, all or nothing by default or, by an explicit and recorded
choice, the valid rows only. It writes the rows its dry run parsed and screened (kept by
screening.imports.screened), or reads, parses and screens the stored file again when anything
they depend on changed since, so what is imported is exactly what was checked; rows already
imported are recognised and skipped, so importing the same file again changes nothing and
says so. Large files are imported by a background task."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rules import audit, background
from rules.messages import (
    TEMPLATES,
    Message,
    Template,
    gettext_noop,
    message_fields,
    message_of,
)
from rules.models import RuleSet
from rules.rawtables import SpecFileError
from screening import rollup
from screening.behind import written_behind
from screening.bulk import allocate_ids, id_ranges, insert_rows, sqlite_page_cache
from screening.collector import paused_gc
from screening.drafts import draft_cases
from screening.imports import receiving, screened
from screening.imports.checking import classify, lock_natural_keys
from screening.imports.receiving import BATCH, UploadRejected
from screening.imports.screened import Checked, screen_upload
from screening.models import Case, CaseEvent, Product, Screening, SpecVersion, Upload, UploadRow
from screening.products import (
    current_specs_locked,
    insert_screenings,
    point_products_at,
    point_products_at_latest,
    spec_columns,
)
from screening.references import check_references, references_by_set
from screening.rollup_entries import hits_in
from screening.states import IMPORTED_MESSAGE


class RulesPublished(Exception):
    """Rules were published after the rows were screened: they are screened again."""


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


@paused_gc()
def commit(upload: Upload) -> Upload:
    """Import a claimed upload (status importing). All writes happen in one transaction.

    The rows come first, outside the transaction: as the dry run parsed and screened them
    (screening.imports.screened) or, when that may no longer hold, parsed and screened again
    (the long part). Inside it, under the lock on their natural keys, they are classified
    against the database as it is then and written: of N imports of the same rows at once, one
    writes them and the others find them already imported, whatever their dry runs said. The
    dry run's kept result is used at most once: whatever the outcome, it is discarded, so an
    import tried again after a failure works from the file.
    """
    user = upload.committed_by

    def progress(stage: str, done: int, total: int) -> None:
        receiving.set_progress(upload, stage, done, total)

    progress("reading", 0, upload.total)
    try:
        checked = screened.kept(upload) or screen_upload(upload, progress)
        progress("writing", 0, upload.total)
        try:
            with sqlite_page_cache(upload.total), transaction.atomic():
                result = _write(upload, checked, user)
        except RulesPublished:  # screened again with the rules just published, once
            checked = screen_upload(upload, progress)
            progress("writing", 0, upload.total)
            with sqlite_page_cache(upload.total), transaction.atomic():
                result = _write(upload, checked, user)
    except NotImporting:
        upload.refresh_from_db()
        return upload
    except (SpecFileError, UploadRejected) as exc:
        Upload.objects.filter(pk=upload.pk, status=Upload.Status.IMPORTING).update(
            status=Upload.Status.FAILED, **message_fields(message_of(exc))
        )
        upload.refresh_from_db()
        return upload
    except Exception:
        # Nothing was written (the transaction rolled back); the upload can be imported again.
        Upload.objects.filter(pk=upload.pk, status=Upload.Status.IMPORTING).update(
            status=Upload.Status.CHECKED,
            stage="",
            **message_fields(IMPORT_FAILED()),
        )
        raise
    finally:
        screened.discard(upload)
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
    if not RuleSet.objects.held(checked.rule_set):  # kept current until this import commits
        raise RulesPublished
    lock_natural_keys(checked.keys())
    classify(checked)
    if connection.vendor == "postgresql":  # SQLite's write lock covers the products already
        _lock_changed_products(checked)
    specs = checked.parsed.specs
    policy = upload.policy
    actions = checked.actions
    invalid_rows = int(np.count_nonzero(actions == UploadRow.Action.INVALID))
    if policy == Upload.Policy.ALL_OR_NOTHING and invalid_rows:
        raise CommitRefused(_("The file has rows with errors."))
    # Plain strings: comparing an object array with a choices member calls the enum per row.
    is_new = actions == str(UploadRow.Action.NEW)
    is_changed = actions == str(UploadRow.Action.CHANGED)
    todo = np.flatnonzero(is_new | is_changed)
    now = timezone.now()
    user_id = user.pk if user else None
    warnings = checked.parsed.warnings_by_row()
    rows = specs.index.to_numpy()
    skus = specs["sku"].to_numpy(dtype=object)
    revisions = specs["revision"].to_numpy(dtype=object)

    # Keys for the products not seen before and for every spec version and screening, drawn
    # first: nothing is read back, and new products go in first (their natural keys taken at
    # once, as a form saving the same SKU expects). On PostgreSQL, whose foreign keys are
    # checked before COMMIT (here twice on the way, references.check_references), a new product
    # goes in with its current spec and latest screening set. SQLite counts unresolved references
    # instead and, while any is open, looks for the children of every row inserted (unindexed
    # columns such as a product's current spec: a scan per row, minutes for an import), so
    # there every row goes in after the rows it points at and new products are pointed at
    # their newest afterwards (point_products_at).
    new = np.flatnonzero(is_new)
    new_keys = sorted(set(zip(skus[new].tolist(), revisions[new].tolist(), strict=True)))
    product_ids = {key: pk for key, (pk, _hash) in checked.existing.items()}
    product_ids.update(zip(new_keys, allocate_ids(Product, len(new_keys)), strict=True))
    changed = np.flatnonzero(is_changed)
    changed_ids = [
        product_ids[key]
        for key in zip(skus[changed].tolist(), revisions[changed].tolist(), strict=True)
    ]
    numbers = _max_numbers(changed_ids)
    product_column, number_column = [], []
    for key in zip(skus[todo].tolist(), revisions[todo].tolist(), strict=True):
        product_id = product_ids[key]
        numbers[product_id] = number = numbers.get(product_id, 0) + 1
        product_column.append(product_id)
        number_column.append(number)
    spec_ids = allocate_ids(SpecVersion, len(todo))
    screening_ids = allocate_ids(Screening, len(todo))
    case_ids = allocate_ids(Case, len(todo))
    # A new product's current spec and latest screening are those of its last row (keys are
    # drawn in ascending order for the rows in file order).
    last = {product_id: i for i, product_id in enumerate(product_column)}
    newest = {pk: last[pk] for pk in (product_ids[key] for key in new_keys)}
    linked_at_insert = connection.vendor == "postgresql"
    rule_set, contracts = checked.rule_set, checked.contracts
    outcomes = checked.outcomes[todo].tolist()  # each screening's, as its contract says
    receiving.set_progress(upload, "writing", 0, len(todo))
    # Written behind (screening.behind): each table's rows are prepared here while a second
    # thread writes the table before; what reads the database comes after all of them.
    with written_behind(), references_by_set():
        links = {pk: (spec_ids[i], screening_ids[i]) for pk, i in newest.items()}
        _insert_products(new_keys, product_ids, links if linked_at_insert else {}, now, user_id)

        # Spec versions, linked to the file and row they came from.
        fields = spec_columns(specs.iloc[todo], warnings, rows[todo])
        category, destination = fields["category"], fields["destination_country"]
        value = fields["annual_export_value_usd"]  # what the cases and summaries copy
        insert_rows(
            SpecVersion,
            ("id", "product", "number", "content_hash", "upload_row", *fields),
            zip(
                spec_ids,
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

        # Screenings with their contract result, and the entries they found.
        insert_screenings(
            [
                (product_id, spec_id, contracts[i])
                for product_id, spec_id, i in zip(
                    product_column, spec_ids, todo.tolist(), strict=True
                )
            ],
            rule_set=rule_set,
            regimes=checked.regimes,
            as_of=upload.as_of,
            user_id=user_id,
            ids=screening_ids,
            at=now,
            counted=False,
        )
        # Everything so far points at rows written (new products at their newest spec and
        # screening): PostgreSQL checks those references now, while the cases are prepared.
        check_references()

        # A draft case per new spec version, with its first timeline event. Built column by
        # column (a generator indexing arrays row by row cost more than the INSERT).
        new_cases = draft_cases(
            products=product_column,
            specs=spec_ids,
            screenings=screening_ids,
            outcomes=outcomes,
            categories=category,
            subtypes=fields["subtype"],
            destinations=destination,
            values=value,
            prepared_by=user_id,
            at=now,
        ).with_columns(("id",), [(pk,) for pk in case_ids])
        insert_rows(Case, new_cases.columns, new_cases.rows, new_cases.constants)
        insert_rows(
            CaseEvent,
            ("case", "message", "message_code", "message_params"),
            _imported_events(upload.original_name, zip(case_ids, rows[todo].tolist(), strict=True)),
            constants={
                "kind": CaseEvent.Kind.CREATED,
                "actor": user_id,
                "at": now,
                "data": {"upload": upload.pk},
            },
        )
        check_references()  # the cases' and events', while the summaries are counted

        # The summaries, counted from what was written while the writes go on; each upsert waits
        # for them. Screenings, products, then cases: the order of every writer (screening.rollup).
        drafts = rollup.count_drafts(new_cases, [hits_in(contracts[i]) for i in todo.tolist()])
        rollup.add_written_screenings(now, zip(category, destination, outcomes, strict=True))
        if not linked_at_insert:  # SQLite: pointed at their newest now that those exist
            point_products_at(links)
        rollup.add_products(
            (category[i], destination[i], outcomes[i], value[i]) for i in newest.values()
        )
        point_products_at_latest(changed_ids)
        drafts.add()
    receiving.set_progress(upload, "writing", len(todo), len(todo))

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
        created_versions=len(spec_ids),
        created_cases=len(case_ids),
        skipped_rows=skipped,
        # The whole file, refused rows included (the progress of the writing stage counted
        # only the rows written).
        processed=len(rows),
        total=len(rows),
        **message_fields(_already_imported_message(counts, upload)),
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
            "created": {  # runs of keys: [[first, last], …]
                "products": id_ranges(product_ids[key] for key in new_keys),
                "spec_versions": id_ranges(spec_ids),
                "screenings": id_ranges(screening_ids),
                "cases": id_ranges(case_ids),
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


IMPORT_FAILED = Template(
    "upload.import_failed",
    gettext_noop("The import failed and was undone; nothing was imported. Try again."),
)
ALL_IMPORTED_BEFORE = Template(
    "upload.all_imported_before",
    gettext_noop(
        "Already imported: every row of this file had been imported by another import that "
        "finished first, so nothing was imported again."
    ),
)
# One and many: the import runs in the worker, which has no language to choose a plural form
# in; the page says the message in its reader's language.
ROW_IMPORTED_BEFORE = Template(
    "upload.row_imported_before",
    gettext_noop(
        "%(n)s row had been imported by another import that finished first; it was not "
        "imported again."
    ),
)
ROWS_IMPORTED_BEFORE = Template(
    "upload.rows_imported_before",
    gettext_noop(
        "%(n)s rows had been imported by another import that finished first; they were not "
        "imported again."
    ),
)


def _already_imported_message(counts: dict[str, int], upload: Upload) -> Message | str:
    """What the import says when rows its dry run found new or changed were, by the time it
    ran, already in the database ("" when none were)."""
    expected = upload.new_rows + upload.changed_rows
    writing = counts["new_rows"] + counts["changed_rows"]
    done = expected - writing
    if done <= 0:
        return ""
    if not writing:
        return ALL_IMPORTED_BEFORE()
    return (ROW_IMPORTED_BEFORE if done == 1 else ROWS_IMPORTED_BEFORE)(n=done)


def _imported_events(
    name: str, case_ids: Iterable[tuple[int, int | None]]
) -> Iterator[tuple[Any, ...]]:
    """(case, message, message_code, message_params) of each imported case's first event:
    the columns of message_columns(IMPORTED_MESSAGE(name=name, row=row)), filled in directly
    (a Message per row cost more than writing the row)."""
    sample = IMPORTED_MESSAGE(name=name, row=0)
    name, code = sample.params["name"], sample.code
    english = TEMPLATES[code]
    for case_id, row in case_ids:
        yield case_id, english % {"name": name, "row": row}, code, {"name": name, "row": row}


def _reclassify_preview_rows(upload: Upload, rows: np.ndarray, actions: np.ndarray) -> None:
    for action in (UploadRow.Action.NEW, UploadRow.Action.CHANGED, UploadRow.Action.UNCHANGED):
        numbers = rows[actions == action].tolist()
        for start in range(0, len(numbers), BATCH):
            UploadRow.objects.filter(upload=upload, row__in=numbers[start : start + BATCH]).exclude(
                action=action
            ).update(action=action)


def _insert_products(
    keys: list[tuple[str, str]],
    product_ids: dict[tuple[str, str], int],
    links: dict[int, tuple[int, int]],
    now: Any,
    user_id: int | None,
) -> None:
    """The products not seen before (their keys drawn already), each pointing at the spec
    version and screening `links` gives it (its newest among the rows about to be written), or
    at nothing yet when it is not there (products.point_products_at does it afterwards)."""
    ids = [product_ids[key] for key in keys]
    insert_rows(
        Product,
        ("id", "sku", "revision", "created_at", "created_by", "current_spec", "latest_screening"),
        (
            (pk, sku, revision, now, user_id, *links.get(pk, (None, None)))
            for pk, (sku, revision) in zip(ids, keys, strict=True)
        ),
    )


def _lock_changed_products(checked: Checked) -> None:
    """Lock the known products this import gives a new version (a form saving one of them
    waits for the import), then classify again against what they hold now, until no product
    turns up changed that is not locked (one a form created meanwhile)."""
    specs = checked.parsed.specs
    skus = specs["sku"].to_numpy(dtype=object)
    revisions = specs["revision"].to_numpy(dtype=object)
    locked: set[int] = set()
    while True:
        rows = np.flatnonzero(checked.actions == str(UploadRow.Action.CHANGED))
        keys = zip(skus[rows].tolist(), revisions[rows].tolist(), strict=True)
        wanted = {checked.existing[key][0] for key in keys} - locked
        if not wanted:
            return
        current_specs_locked(wanted)
        locked |= wanted
        classify(checked)


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
