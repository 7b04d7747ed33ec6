"""The admin names of the third-party apps that ship no Simplified Chinese (django-axes,
django-tasks-db): their app names, here as translated app configs, and the words of their
models and admin pages, listed so that `make messages` keeps them in our catalogue (Django
reads every catalogue, ours first, for the words those packages mark for translation)."""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Login attempts")  # lazy: translated when shown


class TasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")  # type: ignore[assignment]  # lazy: translated when shown


# Marked here only for the catalogue: the packages (and Django) translate them with their own
# _(), and read our catalogue first.
THIRD_PARTY_WORDS = (
    # django-axes: models and admin
    _("access failure"),
    _("access failures"),
    _("access attempt"),
    _("access attempts"),
    _("Access Attempt"),
    _("access attempt expiration"),
    _("access attempt expirations"),
    _("access log"),
    _("access logs"),
    _("User Agent"),
    _("IP Address"),
    _("Username"),
    _("HTTP Accept"),
    _("Path"),
    _("Attempt Time"),
    _("Access lock out"),
    _("GET Data"),
    _("POST Data"),
    _("Failed Logins"),
    _("Expires At"),
    _("The time when access attempt expires and is no longer valid."),
    _("Logout Time"),
    _("Session key hash (sha256)"),
    _("Locked Out"),
    _("Form Data"),
    _("Meta Data"),
    _("Clean up expired attempts"),
    _("Not set"),
    _("Attempt Remaining"),
    # django-tasks-db: the task results
    _("Task Result"),
    _("Task Results"),
    _("enqueued at"),
    _("started at"),
    _("finished at"),
    _("args kwargs"),
    _("priority"),
    _("task path"),
    _("worker id"),
    _("queue name"),
    _("backend name"),
    _("run after"),
    _("return value"),
    _("exception class path"),
    _("traceback"),
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
    # django.contrib.contenttypes, whose Chinese leaves this one out
    _("app label"),
    # django.contrib.admin's app list (the index and the navigation sidebar of every admin
    # page): the column headers screen readers say, which its Chinese leaves out
    _("Model name"),
    _("Add link"),
    _("Change or view list link"),
    # Django's forms: the label suffix, and the endings after which none is added (Chinese
    # labels get a full-width colon, and one that ends in one gets no second).
    _(":"),
    _(":?.!"),
)
