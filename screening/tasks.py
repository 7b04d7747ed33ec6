"""Background tasks (django-tasks, run by `manage.py db_worker`).

A leaf: each task fetches its objects and calls one domain function. Nothing imports this
module but the app registry (ScreeningConfig.ready); the domain queues these tasks by name
through rules.background, and decides itself whether work runs now or in the background.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from rules.background import enqueue, register
from screening import rescreening
from screening.dashboard import cache as dashboard_cache
from screening.imports import checking, committing
from screening.models import Rescreen, Upload


@register
@task()
def check_upload(upload_id: int) -> None:
    """Dry-run a large upload."""
    upload = Upload.objects.get(pk=upload_id)
    if upload.status == Upload.Status.CHECKING:
        checking.dry_run(upload)


@register
@task()
def import_upload(upload_id: int) -> None:
    """Import a large upload that a user chose to import. Running it twice imports once."""
    upload = Upload.objects.get(pk=upload_id)
    if upload.status == Upload.Status.IMPORTING:
        committing.commit(upload)
        enqueue("warm_dashboard")


@register
@task()
def run_rescreen(rescreen_id: int) -> None:
    """Run an impact preview or a re-screen after publishing."""
    rescreening.run(Rescreen.objects.get(pk=rescreen_id))
    enqueue("warm_dashboard")


@register
@task()
def refresh_dashboard(
    section: str, params: list[list[str]], first: str, second: str, viewer_id: int | None = None
) -> None:
    """Recompute one stale dashboard section (screening.dashboard.cache); a viewer's own list
    of changes as that viewer."""
    viewer = get_user_model().objects.filter(pk=viewer_id).first() if viewer_id else None
    dashboard_cache.refresh(section, params, first, second, viewer)


@register
@task()
def warm_dashboard() -> None:
    """Recompute the default dashboard view after a large change (an import, a re-screen)."""
    dashboard_cache.warm_default_view()
