"""The API's request and response schemas (screening/api.py): what the OpenAPI document at
/api/v1/openapi.json says, and what the tests hold the answers to.

The screen result follows the contract of ../shared/domain/SPEC_TEMPLATE.md field by field.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, WithJsonSchema

from rules.vocabulary import MEASURE_STATUSES, OUTCOMES

# The literals are the vocabulary's tuples (one list of codes), which pydantic reads at run time;
# a type checker wants them spelt out.
Outcome = Literal[OUTCOMES]  # type: ignore[valid-type]
MeasureStatus = Literal[MEASURE_STATUSES]  # type: ignore[valid-type]

# One spec: the template's columns as keys (any case; unknown ones are reported), each value
# text, a number or null. Numbers may carry their unit as text ("0.31 kWh/kg"). Checked cell by
# cell by rules.specfiles and rules.specs, which say which row and column is wrong.
SpecCells = Annotated[
    dict[str, Any],
    WithJsonSchema(
        {
            "type": "object",
            "description": "A spec: the template's columns (SPEC_TEMPLATE.md) as keys; each "
            "value text, a number or null. Numbers may carry their own unit as text.",
            "additionalProperties": {
                "anyOf": [{"type": "string"}, {"type": "number"}, {"type": "null"}]
            },
            "example": {
                "sku": "C-100",
                "revision": "A",
                "name": "NMC pouch cell",
                "category": "battery_cell",
                "subtype": "li_ion",
                "energy_density_wh_per_kg": "0.31 kWh/kg",
                "destination_country": "DE",
            },
        }
    ),
]

AS_OF = Field(None, description="The date to screen as of (default: today where the site is).")
SPECS = Field(
    ...,
    min_length=1,
    description="The specs; row 1 is the first. At most API_MAX_ROWS (10,000 by default).",
)


class ScreenRequest(Schema):
    as_of: dt.date | None = AS_OF
    regimes: list[str] | None = Field(
        None, description='Regimes to screen against, e.g. ["CN", "EU"] (default: the site\'s).'
    )
    specs: list[SpecCells] = SPECS


class SubmitRequest(Schema):
    as_of: dt.date | None = AS_OF
    policy: Literal["all_or_nothing", "valid_rows"] = Field(
        "all_or_nothing",
        description="all_or_nothing: store nothing if any row has an error (422 lists them); "
        "valid_rows: store the valid rows and report the others.",
    )
    specs: list[SpecCells] = SPECS


# --- the screen contract ------------------------------------------------------------------------


class RuleSetRef(Schema):
    version: str
    hash: str = Field(description="SHA-256 of the rule set's content.")


class CriterionResult(Schema):
    parameter: str
    operator: str
    threshold: float
    unit: str
    value: float | None
    derived: bool
    result: Literal["true", "false", "unknown"]


class EntryResult(Schema):
    key: str
    measure: str
    regime: str
    code: str
    code_confirmed: bool
    result: Literal["match", "unknown", "near"]
    measure_status: MeasureStatus
    status_needs_confirmation: bool = Field(
        description="The measure's status on the as-of date rests on a window that ended "
        "with nobody confirming what followed."
    )
    criteria: list[CriterionResult]


class ColumnMessage(Schema):
    column: str | None
    message: str


class ScreenResult(Schema):
    row: int = Field(description="The spec's position in the request (1 = the first).")
    sku: str
    revision: str
    outcome: Outcome
    outcomes_by_regime: dict[str, Outcome]
    customs_remark: str | None = Field(
        description="CN only; null when no remark applies or a code it needs is unconfirmed."
    )
    entries: list[EntryResult]
    missing: list[str]
    warnings: list[ColumnMessage]
    errors: list[ColumnMessage]


class RunWarning(Schema):
    measure: str
    message: str


class ScreenResponse(Schema):
    as_of: dt.date
    rule_set: RuleSetRef
    results: list[ScreenResult]
    warnings: list[RunWarning] = Field(
        description="Every measure whose status on the as-of date is an assumption."
    )
    unknown_columns: list[str] = Field(description="Keys that are no template column: not used.")


# --- storing specs ------------------------------------------------------------------------------


class RowError(Schema):
    row: int | None = None
    column: str | None = None
    value: str = ""
    message: str


class SubmittedRow(Schema):
    row: int
    sku: str
    revision: str
    action: Literal["new", "changed", "unchanged", "invalid"] = Field(
        description="new: a new product; changed: a new spec version; unchanged: nothing "
        "stored (the same spec is the current one); invalid: skipped, see errors."
    )
    outcome: Outcome
    product: int | None
    spec_version: int | None = Field(description="The product's current spec version number.")
    case: int | None = Field(description="The draft case opened for a new spec version.")
    errors: list[RowError]


class SubmitCounts(Schema):
    rows: int
    new: int
    changed: int
    unchanged: int
    invalid: int


class SubmitResponse(Schema):
    upload: int = Field(description="The stored request (an upload of kind json).")
    as_of: dt.date
    rule_set: RuleSetRef
    policy: str
    counts: SubmitCounts
    rows: list[SubmittedRow]


# --- determinations, records, changes -----------------------------------------------------------


class ProductRef(Schema):
    id: int
    sku: str
    revision: str


class ScreeningRef(Schema):
    id: int
    as_of: dt.date
    outcome: Outcome
    rule_set: RuleSetRef


class CaseRef(Schema):
    id: int
    reference: str
    state: str
    decided_at: dt.datetime | None
    last_activity_at: dt.datetime
    rules_changed: bool = Field(description="Newer rules would change this case's outcome.")


class StatusAssumed(Schema):
    measure: str
    message: str


class Determination(Schema):
    case: CaseRef
    outcome: Outcome = Field(description="The automated outcome the case was decided on.")
    determination: str
    licence_path: str
    as_of: dt.date
    rule_set: RuleSetRef
    status_assumed: list[StatusAssumed]
    record_sha256: str = Field(description="SHA-256 of the decision record as it is now.")


class DeterminationResponse(Schema):
    product: ProductRef
    latest_screening: ScreeningRef | None
    determination: Determination | None = Field(
        description="The latest decided (approved or closed) case this token may see; null "
        "when there is none."
    )


class RecordResponse(Schema):
    sha256: str
    record: dict[str, Any] = Field(description="The decision record (screening-decision-record/1).")


class ChangedCase(Schema):
    id: int
    reference: str
    state: str
    product: ProductRef
    automated_outcome: Outcome
    determination: str
    licence_path: str
    destination_country: str
    decided_at: dt.datetime | None
    last_activity_at: dt.datetime
    rules_changed: bool


class ChangesResponse(Schema):
    cases: list[ChangedCase]
    next_cursor: str = Field(
        description="Pass it as cursor to continue, now or at the next sync (opaque)."
    )
    has_more: bool


class ProblemDetails(Schema):
    """RFC 9457 problem details (application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[dict[str, Any]] | None = Field(
        None,
        description="Spec errors as {row, column, value, message}; other request errors as "
        "{pointer, message}.",
    )
