"""Queueing background work by name, so the domain never imports the task modules.

Task modules are leaves (pretalx's rule): a task fetches its objects and calls one domain
function. The domain decides whether work runs now or is queued, and queues it here by name;
the apps register their tasks when Django starts (AppConfig.ready imports their tasks module),
so `screening.imports` can queue an import without `screening.tasks` importing it back.
"""

from __future__ import annotations

from typing import Any

from django_tasks import TaskResult
from django_tasks.base import Task

_TASKS: dict[str, Task[Any, Any]] = {}


def register(task: Task[Any, Any]) -> Task[Any, Any]:
    """Make a task queueable by its function's name (`@register` above `@task()`)."""
    name = task.func.__name__
    if name in _TASKS and _TASKS[name] is not task:
        raise ValueError(f"two background tasks are called {name!r}")
    _TASKS[name] = task
    return task


def enqueue(name: str, *args: Any, **kwargs: Any) -> TaskResult[Any]:
    """Queue the task registered under `name` (the task runs on a db_worker)."""
    return _TASKS[name].enqueue(*args, **kwargs)
