"""Background work on an upload that died (a killed worker or web process): found by its task's
status and the heartbeat the work writes, and queued again, once."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rules import audit, background
from screening.imports.committing import CommitRefused
from screening.models import (
    Upload,
)


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
        ).update(
            stage="",
            processed=0,
            message="",
            message_code="",
            message_params={},
            heartbeat_at=timezone.now(),
        )
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
