"""Who may do what with which case or upload: each rule named once, as a predicate.

The models' transitions use them (django-fsm-2 `permission=`), the domain functions guard with
them, the views decide what to offer with them and pass the answers to the templates. Role
capabilities (what a role may do at all) are rules.access; these add what depends on the
object: four-eyes, the case's state, who uploaded a file. The access matrix tests
(tests/access_matrix.py) are the proof that pages and API follow them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from rules.access import can
from screening.states import OPEN_STATES, PREPARING_EVENTS, WITH_ANALYST_STATES

# The objects are passed in, never imported: the models use these predicates.
Case = Any
Upload = Any
User = Any


def is_preparer(case: Case, user: User) -> bool:
    """Four-eyes, the one place it is decided: whether `user` prepared this case and so may
    neither review nor decide it. Superusers too.

    A preparer is whoever opened, submitted or answered the case, edited its facts (shipment
    details, the screening it rests on) or added evidence to it: each of those shaped what the
    reviewer decides on. The check constraint `case_four_eyes` backs the first two in the
    database; the timeline (append-only through the app) records the rest.
    """
    if user.pk is None:
        return False
    if user.pk in (case.prepared_by_id, case.submitted_by_id):
        return True
    known = _PREPARERS.get()
    if known is None:
        return case.events.filter(actor_id=user.pk, kind__in=PREPARING_EVENTS).exists()
    key = (case.pk, user.pk)
    if key not in known:
        known[key] = case.events.filter(actor_id=user.pk, kind__in=PREPARING_EVENTS).exists()
    return known[key]


# (case pk, user pk) → is_preparer's timeline answer, inside `preparers_remembered` only.
_PREPARERS: ContextVar[dict[tuple[int, int], bool] | None] = ContextVar("preparers", default=None)


@contextmanager
def preparers_remembered() -> Iterator[None]:
    """Within this block is_preparer reads each case's timeline once per user: a page asks it
    for every transition it may offer. Only for building a page, which writes nothing; a
    domain function always asks the database afresh."""
    token = _PREPARERS.set({})
    try:
        yield
    finally:
        _PREPARERS.reset(token)


def may_prepare(case: Case, user: User) -> bool:
    """Submit, answer, withdraw: the analysts' side of a case."""
    return can(user, "prepare_cases")


def may_review(case: Case, user: User) -> bool:
    """Take a submitted case for review: a reviewer who did not prepare it."""
    return can(user, "review_cases") and not is_preparer(case, user)


def may_decide(case: Case, user: User) -> bool:
    """Return or decide a case in review: its own reviewer only (another takes it over first)."""
    return case.reviewer_id in (None, user.pk) and may_review(case, user)


def may_take_over(case: Case, user: User) -> bool:
    return case.reviewer_id != user.pk and may_review(case, user)


def may_close(case: Case, user: User) -> bool:
    return can(user, "prepare_cases") or can(user, "review_cases")


def may_edit_shipment(case: Case, user: User) -> bool:
    """Change the shipment details: an analyst, while the case is with the analysts."""
    return can(user, "prepare_cases") and case.state in WITH_ANALYST_STATES


def may_attach_evidence(case: Case, user: User) -> bool:
    return (can(user, "prepare_cases") or can(user, "review_cases")) and case.state in OPEN_STATES


def may_set_legal_hold(user: User) -> bool:
    return bool(user.is_superuser) or can(user, "review_cases")


def may_import_upload(upload: Upload, user: User) -> bool:
    """Only whoever uploaded a file imports it (or a superuser): they saw its dry run."""
    return upload.uploaded_by_id == user.pk or bool(user.is_superuser)
