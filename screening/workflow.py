"""The case workflow: creating cases and moving them between states, with four-eyes approval.

Every transition is one guarded write: `UPDATE … WHERE pk = ? AND state = ? AND version = ?`.
Whoever loaded the case in another state or version loses the race and gets Conflict (shown as
"this case changed, reload"), so a double click or two reviewers at once never transition twice.
Each transition also adds a timeline event, an audit event and, where someone must act, an e-mail.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import FSMField, get_available_user_FIELD_transitions, has_transition_perm

from rules import audit
from rules.access import can
from rules.labels import outcome_label
from rules.messages import message_fields
from rules.results import outcome_words
from screening import drafts, notifications, products, rollup
from screening.models import Case, CaseEvent, Screening
from screening.models.cases import Determination, LicencePath, State
from screening.permissions import is_preparer, may_edit_shipment
from screening.states import REBASED_MESSAGE, TRANSITION_LABELS

SHIPMENT_FIELDS = (
    "destination_country",
    "end_user",
    "end_use",
    "expected_value_usd",
    "licence_path",
)


class WorkflowError(Exception):
    """The action is not allowed; the message says why, for the user. `field` names the form
    field the message belongs beside, when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Conflict(WorkflowError):
    """The case changed since the user loaded it."""


def snapshot(case: Case) -> dict[str, Any]:
    return {
        "state": case.state,
        "version": case.version,
        **{name: getattr(case, name) for name in SHIPMENT_FIELDS},
        "determination": case.determination,
        "determination_entries": case.determination_entries,
        "rationale": case.rationale,
        "departure_reason": case.departure_reason,
        "reviewer": case.reviewer_id,
        "approved_by": case.approved_by_id,
        "decision_assumptions": case.decision_assumptions,
        "legal_hold": case.legal_hold,
    }


def check_four_eyes(case: Case, user: User) -> None:
    """The domain guard of four-eyes: refuses a preparer (`is_preparer`, the one predicate the
    transitions' permissions use too) with a message that says why."""
    if is_preparer(case, user):
        raise WorkflowError(
            _(
                "Four-eyes rule: you prepared, submitted, edited or added evidence to this case, "
                "so someone else must decide it."
            )
        )


def _transition(
    case: Case,
    *,
    version: int,
    user: User,
    name: str,
    kind: str,
    message: str = "",
    reason: str = "",
    fields: Mapping[str, Any] | None = None,
    event_data: Mapping[str, Any] | None = None,
) -> Case:
    if case.version != version:
        raise Conflict(_("This case changed since you opened it. Reload it and try again."))
    method = getattr(case, name)
    if not has_transition_perm(method, user):
        raise WorkflowError(
            _("“%(action)s” is not possible for a case in the state “%(state)s”.")
            % {"action": TRANSITION_LABELS[name], "state": case.get_state_display()}
        )
    before = snapshot(case)
    counted = rollup.row(case)
    source = case.state
    method()  # moves the in-memory state along the graph
    now = timezone.now()
    changes = {
        "state": case.state,
        "version": version + 1,
        "last_activity_at": now,
        # A transition that keeps the state (take_over) keeps the time in it.
        **({"state_changed_at": now} if case.state != source else {}),
        **(fields or {}),
    }
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, state=source, version=version).update(**changes)
        if updated != 1:
            raise Conflict(_("This case changed since you opened it. Reload it and try again."))
        case.refresh_from_db()
        rollup.move(counted, rollup.row(case))
        CaseEvent.objects.create(
            case=case, kind=kind, actor=user, at=now, message=message, data=dict(event_data or {})
        )
        audit.record(
            f"case.{name}",
            actor=user,
            obj=case,
            before=before,
            after=snapshot(case),
            reason=reason or message,
        )
    return case


@transaction.atomic
def create_case(
    *, screening: Screening, user: User, shipment: Mapping[str, Any] | None = None
) -> Case:
    """Open a draft case from a screening: it freezes the spec, rule set, as-of date and result."""
    if not can(user, "prepare_cases"):
        raise WorkflowError(_("Only compliance analysts open cases."))
    given = {k: v for k, v in (shipment or {}).items() if k in SHIPMENT_FIELDS}
    spec = screening.spec
    value = given.pop("expected_value_usd", None)
    [case] = drafts.draft_cases(
        products=[screening.product_id],
        specs=[screening.spec_id],
        screenings=[screening.pk],
        outcomes=[screening.outcome],
        categories=[spec.category],
        subtypes=[spec.subtype],
        destinations=[given.pop("destination_country", spec.destination_country)],
        values=[spec.annual_export_value_usd if value is None else value],
        prepared_by=user.pk,
        at=timezone.now(),
    ).cases()
    case.product, case.spec, case.screening = screening.product, spec, screening
    for name, given_value in given.items():
        if given_value is not None:
            setattr(case, name, given_value)
    case.save(force_insert=True)
    rollup.add_new([case])
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.CREATED, actor=user)
    audit.record("case.create", actor=user, obj=case, after=snapshot(case))
    return case


def update_shipment(*, case: Case, version: int, user: User, changes: Mapping[str, Any]) -> Case:
    """Edit the shipment context while the case is with the analyst (draft or returned)."""
    if not may_edit_shipment(case, user):
        raise WorkflowError(_("Shipment details can be changed only in a draft or returned case."))
    before = snapshot(case)
    values = {k: v for k, v in changes.items() if k in SHIPMENT_FIELDS}
    counted = rollup.row(case)
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, state=case.state, version=version).update(
            version=version + 1, last_activity_at=timezone.now(), **values
        )
        if updated != 1:
            raise Conflict(_("This case changed since you opened it. Reload it and try again."))
        case.refresh_from_db()
        rollup.move(counted, rollup.row(case))
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.EDITED, actor=user)
        audit.record("case.edit", actor=user, obj=case, before=before, after=snapshot(case))
    return case


def submit(*, case: Case, version: int, user: User, message: str = "") -> Case:
    case = _transition(
        case,
        version=version,
        user=user,
        name="submit",
        kind=CaseEvent.Kind.SUBMITTED,
        message=message,
        fields={"submitted_by": user},
    )
    notifications.case_submitted(case)
    return case


def start_review(*, case: Case, version: int, user: User) -> Case:
    return _transition(
        case,
        version=version,
        user=user,
        name="start_review",
        kind=CaseEvent.Kind.REVIEW_STARTED,
        fields={"reviewer": user},
    )


def check_reviewer(case: Case, user: User) -> None:
    """Only the reviewer who has a case in review returns or decides it: another reviewer is
    asked to take it over first, so that nobody acts on a review someone else is doing."""
    if case.state == State.IN_REVIEW and case.reviewer_id not in (None, user.pk):
        raise WorkflowError(
            _("%(name)s is reviewing this case. Take the review over first to act on it.")
            % {"name": case.reviewer}
        )


def take_over(*, case: Case, version: int, user: User) -> Case:
    """Take over the review of a case another reviewer has in review."""
    return _transition(
        case,
        version=version,
        user=user,
        name="take_over",
        kind=CaseEvent.Kind.TAKEN_OVER,
        fields={"reviewer": user},
        event_data={"from": case.reviewer_id},
    )


def request_information(*, case: Case, version: int, user: User, message: str) -> Case:
    check_reviewer(case, user)
    if not message.strip():
        raise WorkflowError(_("Say what information you need."))
    case = _transition(
        case,
        version=version,
        user=user,
        name="request_information",
        kind=CaseEvent.Kind.INFO_REQUESTED,
        message=message.strip(),
    )
    notifications.case_returned(case, message.strip())
    return case


def answer(*, case: Case, version: int, user: User, message: str) -> Case:
    if not message.strip():
        raise WorkflowError(_("Write your answer to the request for information."))
    case = _transition(
        case,
        version=version,
        user=user,
        name="answer",
        kind=CaseEvent.Kind.ANSWERED,
        message=message.strip(),
        fields={"submitted_by": user},
    )
    notifications.case_submitted(case)
    return case


def approve(
    *,
    case: Case,
    version: int,
    user: User,
    determination: str,
    rationale: str,
    entries: Iterable[str] = (),
    licence_path: str = "",
    departure_reason: str = "",
) -> Case:
    """Record the determination. Four-eyes first; a departure from the automated outcome must
    say why; a licence requirement needs its licence path. A case flagged "rules changed" is
    decided on its new screening (adopt_rescreening first) or with a reason for departing from
    the new outcome; a page loaded before the flag gets "this case changed" (the flag bumped
    the version)."""
    if case.version != version:
        raise Conflict(_("This case changed since you opened it. Reload it and try again."))
    check_four_eyes(case, user)
    check_reviewer(case, user)
    if determination not in Determination.values:
        raise WorkflowError(_("Choose a determination."), field="determination")
    if not rationale.strip():
        raise WorkflowError(_("A determination needs a rationale."), field="rationale")
    # The new screening a "rules changed" flag asks the reviewer to look at (None unflagged).
    rescreening = case.rescreening if case.rules_changed else None
    flagged = rescreening is not None
    if rescreening is not None and not departure_reason.strip():
        # The automated outcome is no longer what the rules say: decide on the new screening,
        # or say why the new outcome does not hold.
        raise WorkflowError(
            _(
                "The rules changed since this case was screened: the outcome would now be "
                "“%(new)s”. Base the case on the new screening first, or give your reason for "
                "departing from the new outcome."
            )
            % {"new": outcome_label(rescreening.outcome)},
            field="departure_reason",
        )
    if determination != case.automated_outcome and not departure_reason.strip():
        raise WorkflowError(
            _("Your determination departs from the automated outcome: give the reason."),
            field="departure_reason",
        )
    if determination == Determination.LICENCE_REQUIRED and licence_path not in LicencePath.values:
        raise WorkflowError(
            _("A licence requirement needs its licence path."), field="licence_path"
        )
    known = {hit.key for hit in case.screening.hits.all()}
    entries = list(dict.fromkeys(entries))
    if any(entry not in known for entry in entries):
        raise WorkflowError(
            _("A determination can rest only on entries the screening found."), field="entries"
        )
    outcomes: dict[str, Any] = {"automated_outcome": case.automated_outcome}
    if rescreening is not None:
        # Decided against the new outcome: the flag is answered, the new screening stays linked
        # and the decision record shows both outcomes.
        outcomes.update(
            new_outcome=rescreening.outcome,
            new_rule_set=rescreening.rule_set_version,
            new_screening=rescreening.pk,
        )
    case = _transition(
        case,
        version=version,
        user=user,
        name="approve",
        kind=CaseEvent.Kind.APPROVED,
        message=rationale.strip(),
        reason=departure_reason.strip(),
        fields={
            "approved_by": user,
            "determination": determination,
            "determination_entries": entries,
            "rationale": rationale.strip(),
            "departure_reason": departure_reason.strip()
            if flagged or determination != case.automated_outcome
            else "",
            "licence_path": licence_path if determination == Determination.LICENCE_REQUIRED else "",
            "decided_at": timezone.now(),
            "decision_assumptions": products.assumed_statuses(case.screening),
            "rules_changed": False,
        },
        event_data=outcomes,
    )
    notifications.case_decided(case)
    return case


def close(*, case: Case, version: int, user: User, message: str = "") -> Case:
    return _transition(
        case,
        version=version,
        user=user,
        name="close",
        kind=CaseEvent.Kind.CLOSED,
        message=message,
    )


def withdraw(*, case: Case, version: int, user: User, reason: str) -> Case:
    if not reason.strip():
        raise WorkflowError(_("Say why the case is withdrawn."))
    return _transition(
        case,
        version=version,
        user=user,
        name="withdraw",
        kind=CaseEvent.Kind.WITHDRAWN,
        message=reason.strip(),
        reason=reason.strip(),
    )


@transaction.atomic
def comment(*, case: Case, user: User, message: str) -> CaseEvent:
    if not message.strip():
        raise WorkflowError(_("A comment cannot be empty."))
    if not Case.objects.visible_to(user).filter(pk=case.pk).exists():
        raise WorkflowError(_("You cannot comment on this case."))
    Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now())
    event = CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.COMMENT, actor=user, message=message.strip()
    )
    audit.record("case.comment", actor=user, obj=case, after={"comment": message.strip()})
    return event


def available_actions(case: Case, user: User) -> list[str]:
    """Names of the transitions this user may take on this case now (the transitions'
    permissions apply four-eyes through `is_preparer`)."""
    state = cast(FSMField, Case._meta.get_field("state"))
    return [t.name for t in get_available_user_FIELD_transitions(case, user, state)]


def queue_for(user: User) -> Q:
    """The cases waiting for this user: what "my queue" shows."""
    queue = Q(pk__in=[])
    if can(user, "prepare_cases"):
        queue |= Q(prepared_by=user, state__in=[State.DRAFT, State.RETURNED])
    if can(user, "review_cases"):
        queue |= Q(state=State.SUBMITTED) | Q(state=State.IN_REVIEW, reviewer=user)
    return queue


def adopt_rescreening(*, case: Case, version: int, user: User) -> Case:
    """Base an open case on its re-screening under the newly published rules ("base on the new
    screening"): the case moves to the new screening and outcome and the flag clears, as one
    guarded write on its version; the timeline and the audit trail keep both screenings."""
    if case.version != version:
        raise Conflict(_("This case changed since you opened it. Reload it and try again."))
    new = case.rescreening if case.rules_changed and case.is_open else None
    if new is None:
        raise WorkflowError(_("This case has no re-screening to adopt."))
    if not (can(user, "prepare_cases") or can(user, "review_cases")):
        raise WorkflowError(_("You cannot change this case."))
    before = {
        **snapshot(case),
        "screening": case.screening_id,
        "automated_outcome": case.automated_outcome,
    }
    old = case.screening
    counted = rollup.row(case)
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, version=version, rules_changed=True).update(
            screening=new,
            automated_outcome=new.outcome,
            rules_changed=False,
            rescreening=None,
            version=version + 1,
            last_activity_at=timezone.now(),
        )
        if updated != 1:
            raise Conflict(_("This case changed since you opened it. Reload it and try again."))
        case.refresh_from_db()
        rollup.move(counted, rollup.row(case))
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.REBASED,
            actor=user,
            **message_fields(
                REBASED_MESSAGE(
                    version=new.rule_set_version,
                    outcome=outcome_words(new.outcome),
                    old=outcome_words(old.outcome),
                    old_version=old.rule_set_version,
                )
            ),
            data={
                "from_screening": old.pk,
                "from": old.outcome,
                "from_rule_set": old.rule_set_version,
                "to_screening": new.pk,
                "to": new.outcome,
                "rule_set": new.rule_set_version,
            },
        )
        audit.record(
            "case.adopt_rescreening",
            actor=user,
            obj=case,
            before=before,
            after={
                **snapshot(case),
                "screening": new.pk,
                "automated_outcome": new.outcome,
                "rule_set": new.rule_set_version,
            },
        )
    return case
