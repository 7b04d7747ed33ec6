"""Child-process code of the several-workers test (tests/security/test_several_workers.py):
what is queued, and what the database says afterwards. Run with Django set up, against the
test's own database (never the test database)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

from django.contrib.auth.models import Group, User
from django_tasks_db.models import DBTaskResult

from rules.access import ANALYST, REVIEWER, RULES_ADMIN
from rules.background import enqueue
from rules.models import AuditEvent, RuleSet
from rules.publishing import create_draft
from screening import rescreening
from screening.imports import checking, committing, receiving
from screening.models import Case, Product, Rescreen, SpecVersion, Upload

PASSWORD = "several-workers-password-1234"
AS_OF = dt.date(2026, 12, 1)
IMPORTS, ROWS, RESCREENS = 40, 5, 10
SECTIONS = ("products", "category", "entry", "destination", "workflow")


def user(name: str, role: str) -> User:
    created = User.objects.create_user(name, password=PASSWORD)
    created.groups.add(Group.objects.get(name=role))
    return created


def queue(total: int) -> dict[str, object]:
    """Queue `total` tasks: IMPORTS imports (each queues a dashboard warm-up when it has run),
    RESCREENS impact previews, and dashboard refreshes for the rest."""
    analyst = user("sw_analyst", ANALYST)
    user("sw_reviewer_1", REVIEWER)
    user("sw_reviewer_2", REVIEWER)
    admin = user("sw_rules_admin", RULES_ADMIN)
    uploads = []
    for i in range(IMPORTS):
        lines = ["sku,name,category,subtype,energy_density_wh_per_kg,destination_country"]
        lines += [
            f"SW-{i:03d}-{j},Cell {i}-{j},battery_cell,li_ion,{250 + 20 * j},DE"
            for j in range(ROWS)
        ]
        upload = receiving.receive(
            data=("\n".join(lines) + "\n").encode(), filename=f"w{i}.csv", user=analyst, as_of=AS_OF
        )
        upload = checking.dry_run(upload)
        uploads.append(committing.start_import(upload, user=analyst, policy="all_or_nothing").pk)
    published = RuleSet.objects.current()
    draft = create_draft(published, user=admin)
    for _ in range(RESCREENS):
        rescreening.start(kind="preview", candidate=draft, candidate_as_of=AS_OF, user=admin)
    refreshes = total - IMPORTS - RESCREENS
    for n in range(refreshes):
        section = SECTIONS[n % len(SECTIONS)]
        params = [["destination", "DE"]] if n % 2 else []
        enqueue("refresh_dashboard", section, params, "2026-11-01", "2026-12-01")
    return {"uploads": uploads, "queued": DBTaskResult.objects.count()}


def aftermath() -> dict[str, object]:
    results = list(DBTaskResult.objects.values("task_path", "status", "worker_ids"))
    return {
        "tasks": len(results),
        "by_status": dict(Counter(r["status"] for r in results)),
        "by_task": dict(Counter(r["task_path"].rsplit(".", 1)[-1] for r in results)),
        "runs": dict(Counter(len(r["worker_ids"]) for r in results)),
        "workers": len({w for r in results for w in r["worker_ids"]}),
        "uploads": dict(Counter(Upload.objects.values_list("status", flat=True))),
        "products": Product.objects.count(),
        "spec_versions": SpecVersion.objects.count(),
        "cases": Case.objects.count(),
        "imports_audited": AuditEvent.objects.filter(action="upload.import").count(),
        "rescreens": dict(Counter(Rescreen.objects.values_list("status", flat=True))),
    }


def submitted_case() -> dict[str, object]:
    """One imported product's draft case, submitted by its analyst: both servers will try to
    start its review at the same version."""
    from screening import workflow

    case = Case.objects.filter(state="draft").order_by("pk").first()
    analyst = User.objects.get(username="sw_analyst")
    workflow.submit(case=case, version=case.version, user=analyst)
    case.refresh_from_db()
    return {"case": case.pk, "version": case.version}


def case_state(pk: int) -> dict[str, object]:
    case = Case.objects.get(pk=pk)
    return {
        "state": case.state,
        "version": case.version,
        "reviewer": case.reviewer.username if case.reviewer else None,
        "review_started_events": case.events.filter(kind="review_started").count(),
    }


def printed(value: object) -> None:
    print(json.dumps(value))
