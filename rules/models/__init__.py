"""Models of the rules app: rule sets and their rows, reference products, status
confirmations, the audit trail, the API's tokens and people's own choices (Profile)."""

from rules.models.audit import AuditChainHead, AuditEvent
from rules.models.confirmations import StatusConfirmation
from rules.models.people import Profile
from rules.models.references import ReferenceExpectation, ReferenceProduct
from rules.models.rulesets import (
    Criterion,
    Entry,
    EntryScope,
    Measure,
    RuleSet,
    StatusWindow,
)
from rules.models.tokens import ApiIdempotentRequest, ApiToken

__all__ = [
    "ApiIdempotentRequest",
    "ApiToken",
    "AuditChainHead",
    "AuditEvent",
    "Criterion",
    "Entry",
    "EntryScope",
    "Measure",
    "Profile",
    "ReferenceExpectation",
    "ReferenceProduct",
    "RuleSet",
    "StatusConfirmation",
    "StatusWindow",
]
