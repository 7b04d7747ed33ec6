"""Rule-set versions: maker-checker, reference products, impact preview, re-screening after
publishing, status confirmation, and the second regime."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from rules.access import RULES_ADMIN
from rules.models import AuditEvent, Criterion, ReferenceExpectation, ReferenceProduct, RuleSet
from rules.publishing import (
    PublishError,
    authors_of,
    create_draft,
    proposed_version,
    publish,
    reference_expectations,
)
from rules.references import shipped_references
from screening import products, rescreening
from screening.models import Case, CaseEvent, Product, Rescreen, RescreenChange, Screening
from screening.records import verify_decisions
from tests.conftest import PUBLISHING
from tests.rules.test_screen_command import run_screen


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def table_rows(page: str, css_class: str) -> list[list[str]]:
    """The body rows of the table with this class, as the text of each cell."""
    table = re.search(rf'<table class="data {css_class}">(.*?)</table>', page, re.S).group(1)
    body = table.split("<tbody>", 1)[1]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def create_user(username: str):
    """Another rules administrator."""
    user = get_user_model().objects.create_user(username, f"{username}@example.com", "x")
    user.groups.add(Group.objects.get(name=RULES_ADMIN))
    return user


def lower_3a001(draft: RuleSet, user, threshold: float = 250.0) -> None:
    criterion = Criterion.objects.get(entry__measure__rule_set=draft, entry__code="3A001")
    criterion.threshold = threshold
    criterion._history_user = user  # as the admin page would record it
    criterion.save()


def references_follow_a_lower_3a001(draft: RuleSet) -> None:
    """The administrators agree a lower 3A001 threshold is right: the draft's references follow."""
    ReferenceExpectation.objects.filter(
        reference__rule_set=draft, reference__name__startswith="Li-ion cell"
    ).exclude(reference__name="Li-ion cell at 310 Wh/kg").update(outcome="licence_required")


def annotate_3a001(draft: RuleSet, user) -> None:
    """A change of the rules that changes no outcome: a criterion's note (hashed like the rest)."""
    criterion = Criterion.objects.get(entry__measure__rule_set=draft, entry__code="3A001")
    criterion.note = "Checked against the official text again."
    criterion._history_user = user
    criterion.save()


def test_the_author_of_a_draft_cannot_publish_it_but_a_second_admin_can(
    rule_set, rules_admin, rules_admin2
):
    draft = create_draft(rule_set, user=rules_admin)
    annotate_3a001(draft, rules_admin)
    with pytest.raises(PublishError, match="maker-checker"):
        publish(draft, user=rules_admin, **PUBLISHING)
    published = publish(draft, user=rules_admin2, **PUBLISHING)
    assert (published.status, published.published_by) == ("published", rules_admin2)
    assert RuleSet.objects.current() == published


def test_whoever_edited_a_draft_counts_as_its_author(
    rule_set, rules_admin, rules_admin2, superuser
):
    draft = create_draft(rule_set, user=rules_admin)
    lower_3a001(draft, superuser)
    assert authors_of(draft) == {rules_admin.pk, superuser.pk}
    with pytest.raises(PublishError, match="maker-checker"):
        publish(draft, user=superuser, **PUBLISHING)


def test_only_rules_administrators_publish(rule_set, rules_admin, reviewer):
    draft = create_draft(rule_set, user=rules_admin)
    with pytest.raises(PublishError, match="only rules administrators"):
        publish(draft, user=reviewer, **PUBLISHING)


def test_a_draft_that_breaks_a_reference_product_is_not_published(
    client, rule_set, rules_admin, rules_admin2
):
    draft = create_draft(rule_set, user=rules_admin)
    lower_3a001(draft, rules_admin)
    with pytest.raises(PublishError) as refused:
        publish(draft, user=rules_admin2, **PUBLISHING)
    assert (
        "Li-ion cell at 290 Wh/kg as of 2026-12-01: expected Not controlled, near a threshold, "
        "got Licence required" in str(refused.value)
    )
    client.force_login(rules_admin2)
    page = client.get(reverse("ruleset_detail", args=[draft.pk])).content.decode()
    assert "Reference products that fail" in page
    assert "Li-ion cell at 290 Wh/kg" in page
    assert RuleSet.objects.current() == rule_set


def test_reference_products_are_maintained_as_data(rule_set, rules_admin, rules_admin2):
    draft = create_draft(rule_set, user=rules_admin)
    lower_3a001(draft, rules_admin)
    references_follow_a_lower_3a001(draft)
    published = publish(draft, user=rules_admin2, **PUBLISHING)
    assert published.catalogue().entries_by_key["CN-2025-58:3A001"].criteria[0].threshold == 250
    shipped = len(shipped_references())
    assert (rule_set.references.count(), published.references.count()) == (shipped, shipped)
    # The published rule set keeps the references it was checked against; the earlier one its own.
    assert list(
        ReferenceExpectation.objects.filter(reference__name="Li-ion cell at 290 Wh/kg")
        .order_by("reference__rule_set_id")
        .values_list("reference__rule_set__version", "outcome")
    ) == [(rule_set.version, "near_threshold"), (published.version, "licence_required")]


def reference_form(reference: ReferenceProduct, **outcomes: str) -> dict[str, object]:
    """The admin change form of a reference product, as posted, with some outcomes changed
    (by as-of date)."""
    expectations = list(reference.expectations.order_by("as_of", "pk"))
    data: dict[str, object] = {
        "rule_set": reference.rule_set_id,
        "name": reference.name,
        "cells": json.dumps(reference.cells),
        "note": reference.note,
        "active": "on",
        "expectations-TOTAL_FORMS": len(expectations),
        "expectations-INITIAL_FORMS": len(expectations),
        "expectations-MIN_NUM_FORMS": 0,
        "expectations-MAX_NUM_FORMS": 1000,
    }
    for i, e in enumerate(expectations):
        data.update(
            {
                f"expectations-{i}-id": e.pk,
                f"expectations-{i}-reference": reference.pk,
                f"expectations-{i}-as_of": e.as_of.isoformat(),
                f"expectations-{i}-regimes": json.dumps(e.regimes),
                f"expectations-{i}-outcome": outcomes.get(str(e.as_of), e.outcome),
            }
        )
    return data


def test_a_rules_administrator_changes_a_drafts_reference_and_another_publishes_it(
    client, rule_set, rules_admin, rules_admin2
):
    """The issue's case: 3A001 lowered to 290 Wh/kg, whose reference expected "near threshold",
    published by two rules administrators without a superuser."""
    draft = create_draft(rule_set, user=rules_admin)
    lower_3a001(draft, rules_admin, threshold=290)
    client.force_login(rules_admin)
    listing = client.get(
        reverse("admin:rules_referenceproduct_changelist"), {"rule_set__id__exact": draft.pk}
    )
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == len(shipped_references())
    reference = draft.references.get(name="Li-ion cell at 290 Wh/kg")
    change = reverse("admin:rules_referenceproduct_change", args=[reference.pk])
    response = client.post(change, reference_form(reference, **{"2026-12-01": "licence_required"}))
    assert response.status_code == 302
    assert list(
        ReferenceExpectation.objects.filter(reference__name="Li-ion cell at 290 Wh/kg")
        .order_by("reference__rule_set_id")
        .values_list("reference__rule_set_id", "outcome")
    ) == [(rule_set.pk, "near_threshold"), (draft.pk, "licence_required")]
    assert authors_of(draft) == {rules_admin.pk}

    client.force_login(rules_admin2)
    page = client.get(reverse("ruleset_detail", args=[draft.pk])).content.decode()
    assert "Every reference product gives its expected outcome." in page
    assert table_rows(page, "changes") == [
        ["entry CN-2025-58:3A001", "Gravimetric energy density", "≥ 300 → 290 Wh/kg"],
        [
            "reference product Li-ion cell at 290 Wh/kg",
            "expected as of 2026-12-01",
            "near_threshold → licence_required",
        ],
    ]
    published = publish(draft, user=rules_admin2, **PUBLISHING)
    assert published.catalogue().entries_by_key["CN-2025-58:3A001"].criteria[0].threshold == 290


def test_a_published_rule_sets_references_are_frozen(client, rule_set, rules_admin):
    reference = rule_set.references.get(name="Li-ion cell at 290 Wh/kg")
    client.force_login(rules_admin)
    change = reverse("admin:rules_referenceproduct_change", args=[reference.pk])
    assert client.get(change).status_code == 200  # read-only
    response = client.post(change, reference_form(reference, **{"2026-12-01": "not_controlled"}))
    assert response.status_code == 403
    with pytest.raises(PermissionError, match="frozen"):
        ReferenceExpectation.objects.filter(reference=reference).update(outcome="invalid")
    with pytest.raises(PermissionError, match="frozen"):
        rule_set.references.all().delete()
    assert reference.expectations.get().outcome == "near_threshold"


def test_editing_a_drafts_reference_makes_the_editor_one_of_its_authors(
    client, rule_set, rules_admin, rules_admin2
):
    draft = create_draft(rule_set, user=rules_admin2)
    reference = draft.references.get(name="Li-ion cell at 290 Wh/kg")
    client.force_login(rules_admin)
    client.post(
        reverse("admin:rules_referenceproduct_change", args=[reference.pk]),
        reference_form(reference, **{"2026-12-01": "licence_required"}),
    )
    assert authors_of(draft) == {rules_admin.pk, rules_admin2.pk}
    with pytest.raises(PublishError, match="maker-checker"):
        publish(draft, user=rules_admin, **PUBLISHING)


def test_a_published_rule_set_is_immutable_and_earlier_screenings_keep_theirs(
    client, rule_set, rules_admin, rules_admin2, screened
):
    earlier = screened()
    draft = create_draft(rule_set, user=rules_admin)
    annotate_3a001(draft, rules_admin)
    published = publish(draft, user=rules_admin2, **PUBLISHING)
    earlier.refresh_from_db()
    assert (earlier.rule_set, earlier.rule_set_hash) == (rule_set, rule_set.content_hash)
    client.force_login(rules_admin)
    measure = published.measures.first()
    response = client.post(reverse("admin:rules_measure_change", args=[measure.pk]), {})
    assert response.status_code == 403


def test_a_publish_that_changes_no_rule_is_refused_and_writes_nothing(
    client, rule_set, rules_admin, rules_admin2, case_in
):
    for state in ("draft", "submitted", "approved"):
        case_in(state, energy="280")
    draft = create_draft(rule_set, user=rules_admin)
    counts = {
        model.__name__: model.objects.count()
        for model in (RuleSet, Screening, CaseEvent, Case, Rescreen, RescreenChange, AuditEvent)
    }
    client.force_login(rules_admin2)
    response = client.post(
        reverse("ruleset_publish", args=[draft.pk]),
        {**PUBLISHING, "version": "2026.12.01"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        f"Not published: nothing to publish: the draft has the same rules as the current rule "
        f"set {rule_set.version} (content hash {rule_set.content_hash[:12]}…)"
    ]
    assert {
        model.__name__: model.objects.count()
        for model in (RuleSet, Screening, CaseEvent, Case, Rescreen, RescreenChange, AuditEvent)
    } == counts
    draft.refresh_from_db()
    assert (draft.status, draft.content_hash, RuleSet.objects.current()) == ("draft", "", rule_set)
    assert not Case.objects.filter(rules_changed=True).exists()


def test_the_publish_form_proposes_a_version_label_from_the_date(client, rule_set, rules_admin):
    draft = create_draft(rule_set, user=create_user("ada_rules"))
    lower_3a001(draft, draft.created_by, threshold=290)
    references_follow_a_lower_3a001(draft)
    client.force_login(rules_admin)
    page = client.get(reverse("ruleset_detail", args=[draft.pk]))
    form = page.context["publish_form"]
    today = timezone.localdate()
    assert form["version"].value() == f"{today:%Y.%m.%d}"
    RuleSet.objects.create(version=f"{today:%Y.%m.%d}")
    assert proposed_version(today) == f"{today:%Y.%m.%d}.2"
    assert 'name="rationale"' in page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rationale": ""}, "Not published: Rationale for publishing: This field is required."),
        ({"source": "  "}, "Not published: Source: This field is required."),
        (
            {"version": "CURRENT"},  # the current rule set's version (see below)
            "Not published: Version label: Version CURRENT exists already.",
        ),
        (
            {"version": "2026.11.1-draft1"},
            "Not published: Version label: A published version is not called a draft: choose "
            "another label.",
        ),
        (
            {"version": "the new rules"},
            "Not published: Version label: A version label is at most 40 letters, digits, dots, "
            "dashes and underscores, e.g. 2026.11.26.",
        ),
    ],
)
def test_publishing_needs_a_new_label_a_rationale_and_a_source(
    client, rule_set, rules_admin, rules_admin2, data, message
):
    draft = create_draft(rule_set, user=rules_admin)
    annotate_3a001(draft, rules_admin)
    client.force_login(rules_admin2)
    before = (AuditEvent.objects.count(), Rescreen.objects.count())
    if data.get("version") == "CURRENT":
        data = {"version": rule_set.version}
        message = message.replace("CURRENT", rule_set.version)
    response = client.post(
        reverse("ruleset_publish", args=[draft.pk]),
        {**PUBLISHING, "version": "2026.12.01", **data},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [message]
    draft.refresh_from_db()
    assert (draft.status, AuditEvent.objects.count(), Rescreen.objects.count()) == (
        "draft",
        *before,
    )


def preview_of(client, draft, as_of="2026-12-01") -> Rescreen:
    client.post(reverse("ruleset_preview", args=[draft.pk]), {"as_of": as_of})
    return Rescreen.objects.filter(kind="preview", candidate=draft).first()


@pytest.mark.parametrize("changed_after_preview", [False, True], ids=["fresh", "stale"])
def test_publishing_is_recorded_with_rationale_source_the_preview_seen_and_counts(
    client, rule_set, rules_admin, rules_admin2, screened, changed_after_preview
):
    screened(sku="A-280", energy="280")
    screened(sku="A-200", energy="200")
    draft = create_draft(rule_set, user=rules_admin)
    lower_3a001(draft, rules_admin)
    references_follow_a_lower_3a001(draft)
    client.force_login(rules_admin2)
    preview = preview_of(client, draft)
    assert preview.summary["changed"] == 1
    if changed_after_preview:
        lower_3a001(draft, rules_admin, threshold=199)  # A-200 would change too
    page = client.get(reverse("ruleset_detail", args=[draft.pk])).content.decode()
    assert ("stale: the draft changed after it; run it again" in page) is changed_after_preview
    assert "as of 2026-12-01, 1 of 2 outcomes change" in page
    client.post(
        reverse("ruleset_publish", args=[draft.pk]),
        {**PUBLISHING, "version": "2026.12.01", "preview": preview.pk},
    )
    draft.refresh_from_db()
    seen = {
        "id": preview.pk,
        "as_of": "2026-12-01",
        "baseline": rule_set.version,
        "products": 2,
        "changed": 1,
        "stale": changed_after_preview,
    }
    counts = {"changes": 2, "reference_checks": len(reference_expectations(draft))}
    assert (draft.version, draft.status, draft.publish_rationale, draft.publish_source) == (
        "2026.12.01",
        "published",
        PUBLISHING["rationale"],
        PUBLISHING["source"],
    )
    assert draft.publication == {"preview": seen, "counts": counts}
    event = AuditEvent.objects.get(action="rules.publish", object_id=str(draft.pk))
    assert event.after == {
        "version": "2026.12.01",
        "content_hash": draft.content_hash,
        "rationale": PUBLISHING["rationale"],
        "source": PUBLISHING["source"],
        "preview": seen,
        "counts": counts,
    }
    assert event.before == {"version": rule_set.version, "content_hash": rule_set.content_hash}
    assert event.reason == PUBLISHING["rationale"]
    page = client.get(reverse("ruleset_detail", args=[draft.pk])).content.decode()
    assert reverse("rescreen_detail", args=[preview.pk]) in page
    assert ("stale: the draft changed after it" in page) is changed_after_preview


def test_a_draft_of_a_draft_named_version_is_not_called_draft1_draft1(
    rule_set, rules_admin, rules_admin2
):
    # A version published before labels were set at publishing kept its draft's name (set
    # here past the guard that freezes published rows).
    QuerySet(RuleSet).filter(pk=rule_set.pk).update(version="2026.11.1-draft1")
    rule_set.refresh_from_db()
    first = create_draft(rule_set, user=rules_admin)
    second = create_draft(rule_set, user=rules_admin)
    assert (first.version, second.version) == ("2026.11.1-draft2", "2026.11.1-draft3")
    annotate_3a001(first, rules_admin)
    published = publish(first, user=rules_admin2, version="2026.12.01", **PUBLISHING)
    assert create_draft(published, user=rules_admin).version == "2026.12.01-draft1"


def test_impact_of_another_date_with_the_current_rules(client, rule_set, rules_admin, screened):
    cell = screened(sku="F-1")
    client.force_login(rules_admin)
    # With the shipped rules no outcome changes after today, so look back to the suspension:
    # the same comparison tells a manager what the end of a suspension changes.
    response = client.post(reverse("ruleset_preview", args=[rule_set.pk]), {"as_of": "2026-11-01"})
    run = Rescreen.objects.get()
    assert response["Location"] == run.get_absolute_url()
    assert (run.status, run.kind, run.candidate_as_of) == ("done", "preview", dt.date(2026, 11, 1))
    assert run.summary["products"] == 1
    change = run.changes.get()
    assert (change.product, change.from_outcome, change.to_outcome) == (
        cell.product,
        "licence_required",
        "not_in_force",
    )


def test_impact_of_a_draft_lists_every_change_and_downloads(
    client, rule_set, rules_admin, rules_admin2, screened
):
    screened(sku="A-280", energy="280")
    screened(sku="A-200", energy="200")
    draft = create_draft(rule_set, user=rules_admin)
    lower_3a001(draft, rules_admin)
    client.force_login(rules_admin2)
    client.post(reverse("ruleset_preview", args=[draft.pk]), {"as_of": "2026-12-01"})
    run = Rescreen.objects.get()
    assert run.summary["changed"] == 1
    assert run.summary["by_category"] == {"battery_cell": {"not_controlled → licence_required": 1}}
    assert run.summary["by_entry"]["CN-2025-58:3A001"] == {"baseline": 0, "candidate": 1}
    response = client.post(reverse("rescreen_csv", args=[run.pk]))
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == [
        "sku,revision,product,category,list,from,to,entries,spec_values,destination,value_usd,"
        "case,state,determination,baseline_rules,candidate_rules,as_of,status_assumed",
        "A-280,,Cell A-280,battery_cell,product,not_controlled,licence_required,"
        f"CN-2025-58:3A001,energy_density_wh_per_kg 280 Wh/kg,DE,250000.0,,,,{rule_set.version},"
        # After the suspension ends on 2026-11-10 the licence requirement assumes No. 58 applies
        f"{draft.version},2026-12-01,CN-2025-58",
    ]


def test_publishing_rescreens_flags_open_cases_and_leaves_decided_ones(
    client, rule_set, rules_admin, rules_admin2, case_in
):
    open_case = case_in("submitted", energy="280")
    decided = case_in("approved", energy="280")
    draft = create_draft(rule_set, user=rules_admin)
    lower_3a001(draft, rules_admin)
    references_follow_a_lower_3a001(draft)
    client.force_login(rules_admin2)
    client.post(
        reverse("ruleset_publish", args=[draft.pk]), {**PUBLISHING, "version": "2026.12.01"}
    )
    run = Rescreen.objects.get(kind="published")
    draft.refresh_from_db()
    assert draft.version == "2026.12.01"
    assert (run.summary["flagged_cases"], run.summary["decided_cases"]) == (1, 1)
    open_case.refresh_from_db()
    assert open_case.rules_changed
    assert (open_case.rescreening.outcome, open_case.rescreening.rule_set.version) == (
        "licence_required",
        draft.version,
    )
    assert open_case.events.filter(kind="rescreened").count() == 1
    decided.refresh_from_db()
    assert (decided.rules_changed, decided.automated_outcome, decided.screening.rule_set) == (
        False,
        "not_controlled",
        rule_set,
    )
    assert run.changes.get(decided=True).case == decided
    product = Product.objects.get(pk=open_case.product_id)
    assert product.latest_screening.rule_set.version == draft.version
    assert verify_decisions()[1] == []
    assert AuditEvent.objects.filter(action="rules.rescreen").count() == 1


def test_an_analyst_adopts_the_rescreening_and_the_flag_clears(
    client, rule_set, rules_admin, rules_admin2, case_in, analyst
):
    case = case_in("draft", energy="280")
    draft = create_draft(rule_set, user=rules_admin)
    lower_3a001(draft, rules_admin)
    references_follow_a_lower_3a001(draft)
    publish(draft, user=rules_admin2, **PUBLISHING)
    rescreening.run(
        rescreening.start(
            kind="published",
            candidate=draft,
            candidate_as_of=dt.date(2026, 12, 1),
            user=rules_admin2,
            baseline=rule_set,
        )
    )
    case.refresh_from_db()
    client.force_login(analyst)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Rules changed: re-review" in page
    client.post(reverse("case_adopt", args=[case.pk]), {"version": case.version})
    case.refresh_from_db()
    assert (case.rules_changed, case.automated_outcome, case.screening.rule_set) == (
        False,
        "licence_required",
        draft,
    )
    assert products.explain(case.screening).outcome == "licence_required"


def test_the_product_results_of_a_rescreen_equal_single_product_screening(
    rule_set, rules_admin, analyst
):
    call_command("seed_demo", "--products", "60", verbosity=0)
    run = rescreening.run(
        rescreening.start(
            kind="published",
            candidate=rule_set,
            candidate_as_of=dt.date(2026, 11, 1),
            user=rules_admin,
            baseline=rule_set,
        )
    )
    assert run.summary["written_screenings"] == run.summary["changed"] > 0
    for product in Product.objects.select_related("latest_screening", "current_spec"):
        screening = product.latest_screening
        single = products.evaluate_spec(
            product.current_spec,
            rule_set.catalogue().for_regimes(screening.regimes),
            screening.as_of,
        )
        assert single.to_contract() == screening.result


# --- status confirmation ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["reviewer", "rules_admin", "superuser", "analyst"])
def test_an_ended_window_without_confirmation_warns_every_role(request, client, rule_set, persona):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("product_list")).content.decode()
    assert "Status needs confirmation:" in page
    assert (
        "MOFCOM + GAC Announcement 2025 No. 58 has never applied in practice: its suspension by "
        "MOFCOM + GAC Announcement 2025 No. 70 ended on 2026-11-10; what followed is not "
        "recorded. Results assume it is in force until a rules administrator confirms it." in page
    )


@pytest.fixture
def before_no_46_resumes(monkeypatch):
    """Today is 2026-11-26 (Asia/Shanghai) for the pages: MOFCOM 2024 No. 46 paragraph 2 is
    suspended until 2026-11-27 inclusive, so from the 28th it needs a confirmation of its own.
    These tests are about the measures they confirm and the window still to end, not the
    wall clock: without this they changed meaning on 2026-11-28."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return real(value, timezone) if value is not None else dt.date(2026, 11, 26)

    monkeypatch.setattr(timezone, "localdate", localdate)


def test_a_confirmation_with_its_source_ends_the_warning(
    client, rule_set, rules_admin, before_no_46_resumes
):
    client.force_login(rules_admin)
    client.post(
        reverse("confirm_status"),
        {
            "measure_key": "CN-2025-58",
            "status": "in_force",
            "source": "MOFCOM notice of 2026-11-11, read 2026-11-25",
        },
    )
    client.post(
        reverse("confirm_status"),
        {
            "measure_key": "CN-2025-70",
            "status": "expired",
            "source": "its stated term",
        },
    )
    page = client.get(reverse("product_list")).content.decode()
    assert "Status needs confirmation:" not in page
    event = AuditEvent.objects.get(action="rules.confirm_status", after__measure="CN-2025-58")
    assert event.after["source"] == "MOFCOM notice of 2026-11-11, read 2026-11-25"
    catalogue = client.get(reverse("catalogue")).content.decode()
    assert "MOFCOM notice of 2026-11-11, read 2026-11-25" in catalogue


def test_a_confirmation_that_contradicts_the_catalogue_does_not_end_the_warning(
    client, rule_set, rules_admin
):
    client.force_login(rules_admin)
    client.post(
        reverse("confirm_status"),
        {"measure_key": "CN-2025-58", "status": "suspended", "source": "a further notice"},
    )
    page = client.get(reverse("product_list")).content.decode()
    assert "MOFCOM + GAC Announcement 2025 No. 58 has never applied in practice" in page


def test_only_rules_administrators_confirm_statuses(client, rule_set, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("confirm_status"),
        {
            "measure_key": "CN-2025-58",
            "status": "in_force",
            "source": "x",
        },
    )
    assert response.status_code == 403


def test_watch_dates_list_window_ends_to_come(client, rule_set, reviewer, before_no_46_resumes):
    client.force_login(reviewer)
    page = client.get(reverse("catalogue")).content.decode()
    # MOFCOM 2024 No. 46 para. 2 is suspended until 2026-11-27 (today is 2026-11-26).
    assert "Watch dates" in page
    assert "2026-11-27" in page


# --- the second regime -------------------------------------------------------------------------


def test_screen_command_takes_a_regime(rule_set, capsys, tmp_path):
    path = tmp_path / "cells.csv"
    path.write_text(
        "sku,name,category,subtype,energy_density_wh_per_kg,energy_density_test_temperature_c\n"
        "N-1,Na cell,battery_cell,sodium_ion,400,20\n",
        encoding="utf-8",
    )
    china = json.loads(run_screen(path, "--as-of", "2026-12-01", capsys=capsys).out)
    eu = json.loads(run_screen(path, "--as-of", "2026-12-01", "--regime", "EU", capsys=capsys).out)
    assert china["results"][0]["outcome"] == "not_controlled"
    assert eu["results"][0]["outcome"] == "licence_required"
    assert eu["results"][0]["entries"][0]["key"] == "EU-2021-821:3A001.e.1.b"
    assert (
        eu["rule_set"]
        == china["rule_set"]
        == {"version": rule_set.version, "hash": rule_set.content_hash}
    )


def test_a_screening_chooses_its_regimes(client, analyst):
    client.force_login(analyst)
    client.post(
        reverse("product_new"),
        {
            "sku": "NA-1",
            "name": "Na cell",
            "category": "battery_cell",
            "subtype": "sodium_ion",
            "energy_density_wh_per_kg": "400",
            "energy_density_test_temperature_c": "20 °C",
            "as_of": "2026-12-01",
            "regimes": ["CN", "EU"],
        },
    )
    screening = Product.objects.get(sku="NA-1").latest_screening
    assert (screening.regimes, screening.outcome) == (["CN", "EU"], "licence_required")


def test_stored_derived_names_become_flags_only_for_the_whole_name():
    from rules.vocabulary import derived_column
    from screening.portfolio import PORTFOLIO, _frame

    target = derived_column("energy_density_wh_per_kg")
    rows = [
        (1, 1, "licence_required", stored, *([None] * (len(PORTFOLIO) - 4)))
        for stored in (
            "energy_density_wh_per_kg",
            "",
            "other,energy_density_wh_per_kg",
            "volumetric_energy_density_wh_per_kg",
            None,
        )
    ]
    assert _frame(rows, PORTFOLIO)[target].tolist() == [True, False, True, False, False]
