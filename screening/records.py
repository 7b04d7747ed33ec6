"""Decision records: everything needed to check a decided case later, and checks that it holds."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from rules import audit
from screening import products
from screening.models import Case, CaseEvent, Screening
from screening.states import DECIDED_STATES

RECORD_FORMAT = "screening-decision-record/1"


def _user(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.get_username(), "name": user.get_full_name()}


def decision_record(case: Case) -> dict[str, Any]:
    """The case as an auditor needs it, with every hash required to check it."""
    screening = case.screening
    spec = case.spec
    events = case.events.select_related("actor").order_by("at", "pk")
    audit_events = audit.events_for(case).order_by("seq")
    record = {
        "format": RECORD_FORMAT,
        "case": {
            "reference": case.reference,
            "id": case.pk,
            "state": case.state,
            "version": case.version,
            "created_at": case.created_at,
            "last_activity_at": case.last_activity_at,
            "retention_until": case.retention_ends(),
            "legal_hold": case.legal_hold,
        },
        "product": {"sku": case.product.sku, "revision": case.product.revision},
        "spec": {
            "version": spec.number,
            "content_hash": spec.content_hash,
            "values": spec.values(),
            "provenance": spec.provenance,
            "source": spec.source,
        },
        "screening": {
            "id": screening.pk,
            "as_of": screening.as_of,
            "rule_set": {"version": screening.rule_set_version, "hash": screening.rule_set_hash},
            "regimes": screening.regimes,
            "automated_outcome": screening.outcome,
            "result": screening.result,
        },
        "rule_changes": rule_changes(case),
        "shipment": {
            "destination_country": case.destination_country,
            "end_user": case.end_user,
            "end_use": case.end_use,
            "expected_value_usd": case.expected_value_usd,
            "licence_path": case.licence_path,
        },
        "people": {
            "prepared_by": _user(case.prepared_by),
            "submitted_by": _user(case.submitted_by),
            "reviewed_by": _user(case.reviewer),
            "approved_by": _user(case.approved_by),
        },
        "determination": {
            "classification": case.determination,
            "entries": case.determination_entries,
            "licence_path": case.licence_path if case.determination else "",
            "rationale": case.rationale,
            "departs_from_automated": case.departs_from_automated,
            "departure_reason": case.departure_reason,
            "decided_at": case.decided_at,
            # Statuses the decision rested on that were assumptions when it was made.
            "status_assumed": case.decision_assumptions,
        },
        "evidence": [
            {
                "name": e.original_name,
                "type": e.content_type,
                "size": e.size,
                "sha256": e.sha256,
                "parameters": e.parameters,
                "uploaded_by": e.uploaded_by.get_username(),
                "uploaded_at": e.uploaded_at,
            }
            for e in case.evidence.select_related("uploaded_by")
        ],
        "timeline": [
            {
                "at": e.at,
                "kind": e.kind,
                "actor": e.actor.get_username() if e.actor else "system",
                "message": e.message,
            }
            for e in events
        ],
        "audit": [
            {"seq": a.seq, "action": a.action, "at": a.at, "hash": a.hash} for a in audit_events
        ],
    }
    return json.loads(json.dumps(record, cls=DjangoJSONEncoder))


def _screening_summary(screening: Screening | None) -> dict[str, Any] | None:
    if screening is None:
        return None
    return {
        "id": screening.pk,
        "as_of": screening.as_of,
        "rule_set": {"version": screening.rule_set_version, "hash": screening.rule_set_hash},
        "outcome": screening.outcome,
    }


def rule_changes(case: Case) -> dict[str, Any]:
    """Both outcomes when rules changed under a case: the new screening it is flagged with (or
    was decided against, with the departure reason), and every flag and every move to a new
    screening, from the timeline."""
    history = [
        {"at": e.at, "kind": e.kind, **e.data}
        for e in case.events.filter(
            kind__in=[CaseEvent.Kind.RESCREENED, CaseEvent.Kind.REBASED]
        ).order_by("at", "pk")
    ]
    return {
        "flagged": case.rules_changed,
        "new_screening": _screening_summary(case.rescreening),
        "decided_against_new_outcome": bool(case.determination and case.rescreening_id),
        "history": history,
    }


def record_hash(record: dict[str, Any]) -> str:
    text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def export_record(*, case: Case, user: User, fmt: str) -> tuple[dict[str, Any], str]:
    """The record and its hash. The export is recorded on the timeline and audited once per
    user, case and format a day (the printable record is a page: reloading it, or opening it
    from a bookmark, is not another export)."""
    record = decision_record(case)
    digest = record_hash(record)
    now = timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    # The case row first, so two views at the same moment log one export.
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").first()
    logged_today = CaseEvent.objects.filter(
        case=case, kind=CaseEvent.Kind.EXPORTED, actor=user, data__format=fmt, at__gte=midnight
    ).exists()
    if not logged_today:
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.EXPORTED,
            actor=user,
            at=now,
            data={"format": fmt, "record_sha256": digest},
        )
        audit.record(
            "case.export", actor=user, obj=case, after={"format": fmt, "record_sha256": digest}
        )
    return record, digest


@dataclass(frozen=True)
class Discrepancy:
    case: Case
    stored: dict[str, Any]
    recomputed: dict[str, Any]


def verify_decisions() -> tuple[int, list[Discrepancy]]:
    """Re-screen every decided case's stored input with its stored rule set; list differences."""
    checked, different = 0, []
    decided = Case.objects.filter(state__in=DECIDED_STATES).select_related(
        "screening__rule_set", "screening__spec__product"
    )
    for case in decided.iterator(chunk_size=500):
        checked += 1
        recomputed = products.explain(case.screening, memo=False).to_contract()
        if recomputed != case.screening.result:
            different.append(Discrepancy(case, case.screening.result, recomputed))
    return checked, different
