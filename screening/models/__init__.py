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
    spec_content_hashes,
)
from screening.models.rescreens import Rescreen, RescreenChange
from screening.models.rollup import CaseRollup, EntryRollup, ProductRollup, ScreeningRollup
from screening.models.uploads import Upload, UploadRow

__all__ = [
    "CATEGORY_CHOICES",
    "DERIVED_TARGETS",
    "OUTCOME_CHOICES",
    "TEXT_FIELDS",
    "Case",
    "CaseEvent",
    "CaseRollup",
    "EntryRollup",
    "Evidence",
    "Product",
    "ProductRollup",
    "Rescreen",
    "RescreenChange",
    "Screening",
    "ScreeningEntry",
    "ScreeningRollup",
    "SpecVersion",
    "Upload",
    "UploadRow",
    "spec_content_hash",
    "spec_content_hashes",
]
