"""Models of the screening app: products and screenings, cases and their records."""

from screening.models.cases import Case, CaseEvent, Evidence
from screening.models.products import (
    CATEGORY_CHOICES,
    DERIVED_TARGETS,
    OUTCOME_CHOICES,
    TEXT_FIELDS,
    Product,
    Screening,
    ScreeningEntry,
    SpecVersion,
    spec_content_hash,
)

__all__ = [
    "CATEGORY_CHOICES",
    "DERIVED_TARGETS",
    "OUTCOME_CHOICES",
    "TEXT_FIELDS",
    "Case",
    "CaseEvent",
    "Evidence",
    "Product",
    "Screening",
    "ScreeningEntry",
    "SpecVersion",
    "spec_content_hash",
]
