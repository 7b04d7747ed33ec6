"""Bulk ORM writes cannot bypass the rule-set history, and records cannot be bulk-deleted around
the retention rules (RELIABILITY.md "Audit and records").

django-simple-history records a rule row's edit when the row is saved or deleted on its own; a
bulk QuerySet.update() would leave no trace, and maker-checker reads that history. So the rule
rows' QuerySets (rules.models.RuleRowQuerySet) refuse bulk updates and deletes on a published
rule set, and on a draft turn a bulk update into row-by-row saves that the history records.
"""

from __future__ import annotations

import pytest
from django.db.models import F, ProtectedError
from django.http import HttpResponse
from simple_history.middleware import HistoryRequestMiddleware

from rules.models import (
    Criterion,
    Entry,
    EntryScope,
    Measure,
    ReferenceExpectation,
    ReferenceProduct,
    RuleSet,
    StatusWindow,
)
from rules.publishing import authors_of, create_draft
from screening.models import Case

# model, lookup from it to its rule set, a field a bulk update might set
RULE_ROWS = [
    (RuleSet, "pk", {"title": "Rewritten"}),
    (Measure, "rule_set", {"source": "Rewritten"}),
    (StatusWindow, "measure__rule_set", {"note": "Rewritten"}),
    (Entry, "measure__rule_set", {"title_en": "Rewritten"}),
    (EntryScope, "entry__measure__rule_set", {"subtype": ""}),
    (Criterion, "entry__measure__rule_set", {"threshold": 1.0}),
    (ReferenceProduct, "rule_set", {"note": "Rewritten"}),
    (ReferenceExpectation, "reference__rule_set", {"outcome": "invalid"}),
]
IDS = [model.__name__ for model, *_ in RULE_ROWS]


def rows_and_history(model, lookup, rule_set) -> tuple[list, int]:
    rows = list(model.objects.filter(**{lookup: rule_set.pk}).order_by("pk").values())
    return rows, model.history.count()


@pytest.mark.parametrize(("model", "lookup", "change"), RULE_ROWS, ids=IDS)
def test_bulk_updates_and_deletes_of_published_rows_are_refused(rule_set, model, lookup, change):
    before = rows_and_history(model, lookup, rule_set)
    assert before[0] != []
    rows = model.objects.filter(**{lookup: rule_set.pk})
    with pytest.raises(PermissionError, match="published rule set"):
        rows.update(**change)
    with pytest.raises(PermissionError, match="published rule set"):
        rows.delete()
    assert rows_and_history(model, lookup, rule_set) == before


def test_a_bulk_write_that_touches_a_published_row_among_draft_rows_is_refused_whole(
    rule_set, rules_admin
):
    draft = create_draft(rule_set, user=rules_admin)
    before = list(Criterion.objects.order_by("pk").values_list("threshold", flat=True))
    with pytest.raises(PermissionError):
        Criterion.objects.all().update(threshold=1.0)
    with pytest.raises(PermissionError):
        draft.measures.model.objects.all().delete()
    assert list(Criterion.objects.order_by("pk").values_list("threshold", flat=True)) == before


def test_related_managers_are_guarded_too(rule_set):
    with pytest.raises(PermissionError):
        rule_set.measures.update(source="Rewritten")
    with pytest.raises(PermissionError):
        rule_set.measures.first().entries.all().delete()


@pytest.mark.parametrize(("model", "lookup", "change"), RULE_ROWS, ids=IDS)
def test_a_bulk_update_of_a_draft_is_recorded_row_by_row(
    rule_set, rules_admin, model, lookup, change
):
    draft = create_draft(rule_set, user=rules_admin)
    rows = model.objects.filter(**{lookup: draft.pk})
    count = rows.count()
    history_before = model.history.count()
    assert rows.update(**change) == count
    field, value = next(iter(change.items()))
    assert set(model.objects.filter(**{lookup: draft.pk}).values_list(field, flat=True)) == {value}
    changes = model.history.order_by("-history_id")[:count]
    assert model.history.count() == history_before + count
    assert {(h.history_type, getattr(h, field)) for h in changes} == {("~", value)}


def test_a_bulk_update_with_an_expression_is_recorded_with_the_new_values(rule_set, rules_admin):
    draft = create_draft(rule_set, user=rules_admin)
    rows = Criterion.objects.filter(entry__measure__rule_set=draft, parameter__endswith="wh_per_kg")
    before = dict(rows.values_list("pk", "threshold"))
    rows.update(threshold=F("threshold") + 5)
    after = dict(Criterion.objects.filter(pk__in=before).values_list("pk", "threshold"))
    assert after == {pk: threshold + 5 for pk, threshold in before.items()}
    recorded = {
        h.id: h.threshold
        for h in Criterion.history.filter(id__in=before, history_type="~").order_by("history_id")
    }
    assert recorded == after


def test_a_bulk_update_of_a_draft_in_a_request_makes_its_author_known(
    rf, rule_set, rules_admin, rules_admin2
):
    """Maker-checker reads the history: whoever changed a draft, however, cannot publish it."""
    draft = create_draft(rule_set, user=rules_admin)
    request = rf.post("/")
    request.user = rules_admin2

    def view(request):
        Criterion.objects.filter(entry__measure__rule_set=draft).update(note="Edited in bulk")
        return HttpResponse()

    HistoryRequestMiddleware(view)(request)
    assert rules_admin2.pk in authors_of(draft)


def test_a_bulk_delete_of_draft_rows_is_recorded(rule_set, rules_admin):
    draft = create_draft(rule_set, user=rules_admin)
    scopes = EntryScope.objects.filter(entry__measure__rule_set=draft)
    ids = set(scopes.values_list("pk", flat=True))
    scopes.delete()
    deleted = set(EntryScope.history.filter(history_type="-").values_list("id", flat=True))
    assert ids <= deleted


# --- records kept: no way around retention through the ORM ------------------------------------


def test_a_bulk_delete_of_cases_is_refused_by_their_timeline(case_in):
    case = case_in("closed")
    with pytest.raises(ProtectedError):
        Case.objects.filter(pk=case.pk).delete()
    with pytest.raises(ProtectedError):
        case.delete()
    assert Case.objects.filter(pk=case.pk).exists()
