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
        warm_dashboard.enqueue()


@task()
def run_rescreen(rescreen_id: int) -> None:
    """Run an impact preview or a re-screen after publishing."""
    from screening import rescreening
    from screening.models import Rescreen

    rescreening.run(Rescreen.objects.get(pk=rescreen_id))
    warm_dashboard.enqueue()


@task()
def refresh_dashboard(
    section: str, params: list[list[str]], first: str, second: str, viewer_id: int | None = None
) -> None:
    """Recompute one stale dashboard section (screening.dashboard_cache); a viewer's own list
    of changes as that viewer."""
    from django.contrib.auth import get_user_model

    from screening import dashboard_cache

    viewer = get_user_model().objects.filter(pk=viewer_id).first() if viewer_id else None
    dashboard_cache.refresh(section, params, first, second, viewer)


@task()
def warm_dashboard() -> None:
    """Recompute the default dashboard view after a large change (an import, a re-screen)."""
    from screening import dashboard_cache

    dashboard_cache.warm_default_view()
