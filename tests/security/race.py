"""Two reviewers taking the same case at the same moment, from two threads.

Each thread has its own database connection, loads the case (same state, same version) and
waits for the other at a barrier; then both take the transition. The guarded write lets exactly
one through; the other gets Conflict ("this case changed, reload"). Run in a child process
against a SQLite file database, and in the test process against PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import threading

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection

from rules import audit
from rules.access import ANALYST, REVIEWER
from rules.models import AuditEvent
from screening import products, workflow
from screening.demo import bring_to
from screening.models import Case


def submitted_case() -> tuple[int, list[int]]:
    """A submitted case and two reviewers (made in this database)."""
    users = get_user_model().objects
    analyst = users.create_user("race_analyst", password="unused-password-1234")
    analyst.groups.add(Group.objects.get(name=ANALYST))
    reviewers = []
    for name in ("race_reviewer_1", "race_reviewer_2"):
        reviewer = users.create_user(name, password="unused-password-1234")
        reviewer.groups.add(Group.objects.get(name=REVIEWER))
        reviewers.append(reviewer)
    spec, _created = products.record_spec(
        sku="RACE-1",
        revision="",
        fields={
            "name": "Race cell",
            "category": "battery_cell",
            "subtype": "li_ion",
            "energy_density_wh_per_kg": 310.0,
            "destination_country": "DE",
        },
        user=analyst,
    )
    screening = products.screen_spec(spec=spec, as_of=dt.date(2026, 12, 1), user=analyst)
    case = bring_to(screening, "submitted", {"analyst": analyst, "reviewer": reviewers[0]})
    return case.pk, [r.pk for r in reviewers]


def race_start_review(case_pk: int, reviewer_pks: list[int]) -> list[str]:
    """Both reviewers start the review at once: what each got ("won", "conflict", or an error)."""
    barrier = threading.Barrier(len(reviewer_pks))
    outcomes: list[str] = []
    record = threading.Lock()

    def attempt(user_pk: int) -> None:
        try:
            user = get_user_model().objects.get(pk=user_pk)
            case = Case.objects.get(pk=case_pk)
            barrier.wait(timeout=30)
            workflow.start_review(case=case, version=case.version, user=user)
            outcome = "won"
        except workflow.Conflict:
            outcome = "conflict"
        except Exception as exc:  # noqa: BLE001 -- reported to the test, which fails on it
            outcome = f"error: {type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with record:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(pk,)) for pk in reviewer_pks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def aftermath(case_pk: int) -> dict[str, object]:
    """What the race left: the case, its timeline and its audit events."""
    case = Case.objects.get(pk=case_pk)
    count, broken = audit.verify()
    return {
        "state": case.state,
        "version": case.version,
        "reviewer": case.reviewer_id,
        "review_events": case.events.filter(kind="review_started").count(),
        "audit_events": AuditEvent.objects.filter(
            action="case.start_review", object_id=str(case_pk)
        ).count(),
        "chain_broken_at": broken,
    }
