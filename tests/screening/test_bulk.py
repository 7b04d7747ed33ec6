"""screening.bulk.insert_rows: the fast INSERT path imports and re-screens use."""

from __future__ import annotations

import datetime as dt

import pytest

from screening.bulk import insert_rows
from screening.models import CaseEvent, Product


def test_rows_constants_and_defaults_land_as_the_orm_reads_them(case_in, analyst):
    case = case_in("draft")
    at = dt.datetime(2026, 11, 25, 8, 30, 15, 123456, tzinfo=dt.UTC)
    count = insert_rows(
        CaseEvent,
        ("case", "message"),
        [(case.pk, "first"), (case.pk, "second <b>")],
        constants={
            "kind": CaseEvent.Kind.COMMENT,
            "actor": analyst.pk,
            "at": at,
            "data": {"upload": 7, "rows": [1, 2]},
        },
    )
    assert count == 2
    events = list(CaseEvent.objects.filter(case=case, at=at).order_by("pk"))
    assert [(e.message, e.kind, e.actor_id, e.at, e.data) for e in events] == [
        ("first", "comment", analyst.pk, at, {"upload": 7, "rows": [1, 2]}),
        ("second <b>", "comment", analyst.pk, at, {"upload": 7, "rows": [1, 2]}),
    ]


def test_a_field_without_value_or_default_is_refused_before_anything_is_written(db):
    with pytest.raises(ValueError, match="Product needs values for created_at"):
        insert_rows(Product, ("sku", "revision"), [("A-1", "")])
    assert not Product.objects.exists()
