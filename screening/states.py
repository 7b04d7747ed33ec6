"""The states of a case and the kinds of its timeline events: vocabulary that the models, the
permission predicates and the domain share (screening.permissions cannot import the models,
which use it for their transitions)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rules.messages import Template, gettext_noop


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned for information")
    APPROVED = "approved", _("Approved")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The transitions of a case (Case's methods) by the name of the button that takes them.
TRANSITION_LABELS = {
    "submit": _("Submit for review"),
    "start_review": _("Start review"),
    "take_over": _("Take over the review"),
    "request_information": _("Return for information"),
    "answer": _("Answer and resubmit"),
    "approve": _("Record determination"),
    "close": _("Close"),
    "withdraw": _("Withdraw"),
}

OPEN_STATES = (State.DRAFT, State.SUBMITTED, State.IN_REVIEW, State.RETURNED)
DECIDED_STATES = (State.APPROVED, State.CLOSED)
# While the case is with its analyst: its facts (shipment details) may change.
WITH_ANALYST_STATES = (State.DRAFT, State.RETURNED)


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Shipment details edited")
    SUBMITTED = "submitted", _("Submitted")
    REVIEW_STARTED = "review_started", _("Review started")
    TAKEN_OVER = "taken_over", _("Review taken over")
    INFO_REQUESTED = "info_requested", _("Information requested")
    ANSWERED = "answered", _("Answered")
    APPROVED = "approved", _("Approved")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMMENT = "comment", _("Comment")
    EVIDENCE = "evidence", _("Evidence attached")
    EXPORTED = "exported", _("Decision record exported")
    RESCREENED = "rescreened", _("Rules changed: re-review")
    REBASED = "rebased", _("Based on the new screening")


# What the application writes on a timeline (rules.messages: English stored with the code and
# parameters; each reader reads it in their language).
RESCREENED_MESSAGE = Template(
    "case.rescreened",
    gettext_noop(
        "Rules changed (rule set %(version)s): the outcome would be “%(new)s” instead of "
        "“%(old)s”. Re-review the case."
    ),
)
REBASED_MESSAGE = Template(
    "case.rebased",
    gettext_noop(
        "Now based on the screening with rule set %(version)s: %(outcome)s (was %(old)s with "
        "rule set %(old_version)s)."
    ),
)
IMPORTED_MESSAGE = Template("case.imported", gettext_noop("Imported from %(name)s, row %(row)s"))

# Timeline events whose actor prepared the case (is_preparer): they shaped the facts decided on.
PREPARING_EVENTS = (
    EventKind.CREATED,
    EventKind.EDITED,
    EventKind.SUBMITTED,
    EventKind.ANSWERED,
    EventKind.EVIDENCE,
)
