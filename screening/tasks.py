"""Background tasks (django-tasks, run by `manage.py db_worker`): large imports."""

from __future__ import annotations

from django_tasks import task

from screening import imports
from screening.models import Upload


@task()
def check_upload(upload_id: int) -> None:
    """Dry-run a large upload."""
    upload = Upload.objects.get(pk=upload_id)
    if upload.status == Upload.Status.CHECKING:
        imports.dry_run(upload)


@task()
def import_upload(upload_id: int) -> None:
    """Import a large upload that a user chose to import. Running it twice imports once."""
    upload = Upload.objects.get(pk=upload_id)
    if upload.status == Upload.Status.IMPORTING:
        imports.commit(upload)


@task()
def run_rescreen(rescreen_id: int) -> None:
    """Run an impact preview or a re-screen after publishing."""
    from screening import rescreening
    from screening.models import Rescreen

    rescreening.run(Rescreen.objects.get(pk=rescreen_id))
