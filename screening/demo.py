"""Walking demo cases through the workflow, exactly as users would (seed_demo and tests)."""

from __future__ import annotations

from typing import Any

from screening import workflow
from screening.models import Case, Screening
from screening.models.cases import Determination, LicencePath, State

# The state each demo case is brought to, in turn, so that every state is represented.
STATE_PLAN = (
    State.DRAFT,
    State.SUBMITTED,
    State.IN_REVIEW,
    State.RETURNED,
    State.APPROVED,
    State.CLOSED,
    State.WITHDRAWN,
    State.APPROVED,
    State.SUBMITTED,
    State.DRAFT,
)


def bring_to(screening: Screening, target: str, people: dict[str, Any]) -> Case:
    """Open a case and walk it to `target` through the workflow, as users would."""
    analyst, reviewer = people["analyst"], people["reviewer"]
    case = workflow.create_case(screening=screening, user=analyst)
    if target == State.DRAFT:
        return case
    if target == State.WITHDRAWN:
        return workflow.withdraw(
            case=case, version=case.version, user=analyst, reason="Customer cancelled the order."
        )
    case = workflow.submit(
        case=case,
        version=case.version,
        user=analyst,
        message="Datasheet attached in the product record.",
    )
    if target == State.SUBMITTED:
        return case
    case = workflow.start_review(case=case, version=case.version, user=reviewer)
    if target == State.IN_REVIEW:
        return case
    if target == State.RETURNED:
        return workflow.request_information(
            case=case,
            version=case.version,
            user=reviewer,
            message="Please attach the test report with the test conditions.",
        )
    outcome = screening.outcome
    decisive = outcome in Determination.values
    determination = outcome if decisive else Determination.LICENCE_REQUIRED
    case = workflow.approve(
        case=case,
        version=case.version,
        user=reviewer,
        determination=determination,
        rationale="Checked the spec against the datasheet and the catalogue entry.",
        entries=[hit.key for hit in screening.hits.all() if hit.result == "match"],
        licence_path=LicencePath.SINGLE if determination == Determination.LICENCE_REQUIRED else "",
        departure_reason=""
        if decisive
        else "Missing data treated as controlled (cautious reading).",
    )
    if target == State.CLOSED:
        case = workflow.close(case=case, version=case.version, user=reviewer)
    return case
