"""Reloading a case in a server process with threads (gunicorn's gthread workers).

django-fsm-2's FSMModelMixin reloads by switching the state field's protection off and on again
on the field, which all threads share: under load a submit failed with "Direct state
modification is not allowed" (a 500) when another request's refresh switched it back on
halfway. Case.refresh_from_db never lifts the protection."""

from __future__ import annotations

import threading

import pytest
from django.db import models

from screening.models import Case

pytestmark = pytest.mark.django_db


def test_a_refresh_reloads_the_state_and_every_field(case_in):
    case = case_in("draft")
    Case.objects.filter(pk=case.pk).update(state="submitted", version=case.version + 1)
    case.refresh_from_db()
    assert case.state == "submitted"
    assert case.version == Case.objects.get(pk=case.pk).version


def test_a_refresh_of_named_fields_and_a_deferred_state(case_in):
    case = case_in("draft")
    Case.objects.filter(pk=case.pk).update(state="withdrawn", category="equipment")
    case.refresh_from_db(fields=["category"])
    assert (case.category, case.state) == ("equipment", "draft")
    deferred = Case.objects.defer("state").get(pk=case.pk)
    assert deferred.state == "withdrawn"  # loaded on first use


def test_the_state_stays_protected_on_the_instance_after_a_refresh(case_in):
    case = case_in("draft")
    case.refresh_from_db()
    with pytest.raises(AttributeError, match="Direct state modification"):
        case.state = "approved"


def test_a_refresh_never_lifts_the_protection_other_threads_rely_on(case_in, monkeypatch):
    case = case_in("draft")
    field = Case._meta.get_field("state")
    seen = []
    reload = models.Model.refresh_from_db

    def watched(self, *args, **kwargs):
        seen.append(field.protected)
        return reload(self, *args, **kwargs)

    monkeypatch.setattr(models.Model, "refresh_from_db", watched)
    case.refresh_from_db()
    assert seen == [True]


class _AsLoaded(models.QuerySet):
    """A queryset that answers a refresh with a copy of one loaded case, without a query."""

    loaded: Case

    def filter(self, *args, **kwargs):
        return self

    def only(self, *fields):
        return self

    def get(self, *args, **kwargs):
        return _copy(self.loaded)


def _copy(case: Case) -> Case:
    names = [f.attname for f in Case._meta.concrete_fields]
    return Case.from_db("default", names, [getattr(case, name) for name in names])


def test_threads_refreshing_at_once_all_succeed(case_in):
    """The race as it happened: threads refresh while others finish theirs (2,000 refreshes
    each; before the fix most threads failed within the first hundred). The refreshes read a
    loaded copy, not the database, so the threads need no connection of their own."""
    source = _AsLoaded(model=Case)
    source.loaded = Case.objects.get(pk=case_in("draft").pk)
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def refresh() -> None:
        start.wait()
        for _ in range(2000):
            try:
                _copy(source.loaded).refresh_from_db(from_queryset=source)
            except AttributeError as exc:
                errors.append(exc)
                return

    threads = [threading.Thread(target=refresh) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
