"""Records retention: a case's records are kept at least 5 years after its last activity
(Dual-Use Items Export Control Regulations Art. 27) and a legal hold blocks deletion entirely;
deletion and holds are audited like every change."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from rules import audit
from screening import rollup
from screening.models import Case
from screening.permissions import may_set_legal_hold
from screening.workflow import WorkflowError, snapshot


@transaction.atomic
def set_legal_hold(*, case: Case, user: User, hold: bool, reason: str) -> Case:
    if not may_set_legal_hold(user):
        raise WorkflowError(_("Only reviewers and administrators set legal holds."))
    if not reason.strip():
        raise WorkflowError(_("Give the reason for the legal hold decision."))
    before = snapshot(case)
    Case.objects.filter(pk=case.pk).update(legal_hold=hold, legal_hold_reason=reason.strip())
    case.refresh_from_db()
    audit.record(
        "case.legal_hold",
        actor=user,
        obj=case,
        before=before,
        after=snapshot(case),
        reason=reason.strip(),
    )
    return case


@transaction.atomic
def delete_case(*, case: Case, user: User, reason: str) -> None:
    """Delete a case's records, only when retention has passed and no legal hold is set."""
    if not user.is_superuser:
        raise WorkflowError(_("Only administrators delete records."))
    blocked = case.deletion_blocked_because()
    if blocked:
        raise WorkflowError(_("This case cannot be deleted: %(why)s.") % {"why": blocked})
    audit.record("case.delete", actor=user, obj=case, before=snapshot(case), reason=reason)
    for evidence in case.evidence.all():
        evidence.file.delete(save=False)
    case.evidence.all().delete()
    case.events.all().delete()
    rollup.remove(Case.objects.filter(pk=case.pk))
    case.delete()
