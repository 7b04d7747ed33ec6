"""What publishing a rule change does to cases and products: flagged cases are decided on the new
outcome (or against it, with a reason), and the re-screen writes one screening per changed
product, with counts that add up (issue 21 items 1 and 3)."""

from __future__ import annotations

import datetime as dt
import gc

import numpy as np
import pytest
from django.db import transaction
from django.urls import reverse

from rules.models import AuditEvent, Criterion, ReferenceExpectation, RuleSet
from rules.models.rulesets import RuleSetQuerySet
from rules.publishing import create_draft, publish
from screening import impact, products, rescreening, rule_changes, workflow
from screening.models import Case, CaseEvent, Product, Rescreen, RescreenChange, Screening
from screening.records import decision_record
from tests.conftest import IN_FORCE_DAY, PUBLISHING


def by_pk(case: Case) -> int:
    return case.pk


def publish_3a001_at_250(rule_set, maker, checker) -> RuleSet:
    """A draft with 3A001 lowered to 250 Wh/kg (references following), published by `checker`."""
    draft = create_draft(rule_set, user=maker)
    criterion = Criterion.objects.get(entry__measure__rule_set=draft, entry__code="3A001")
    criterion.threshold = 250.0
    criterion._history_user = maker
    criterion.save()
    ReferenceExpectation.objects.filter(
        reference__rule_set=draft, reference__name__startswith="Li-ion cell"
    ).exclude(reference__name="Li-ion cell at 310 Wh/kg").update(outcome="licence_required")
    return publish(draft, user=checker, version="2026.12.01", **PUBLISHING)


def rescreen(rule_set, published, user, as_of=IN_FORCE_DAY) -> Rescreen:
    return rescreening.run(
        rescreening.start(
            kind=Rescreen.Kind.PUBLISHED,
            candidate=published,
            candidate_as_of=as_of,
            user=user,
            baseline=rule_set,
        )
    )


@pytest.fixture
def flagged(rule_set, rules_admin, rules_admin2, case_in):
    """A case in review at 280 Wh/kg (not controlled), then 3A001 lowered to 250 Wh/kg: the
    case is flagged, its new screening says licence required. Returns (case, version before)."""
    case = case_in("in_review", energy="280")
    before = case.version
    rescreen(rule_set, publish_3a001_at_250(rule_set, rules_admin, rules_admin2), rules_admin2)
    case.refresh_from_db()
    return case, before


# --- item 1: no approval on an outdated outcome ---------------------------------------------


def test_flagging_a_case_bumps_its_version(flagged):
    case, before = flagged
    assert (case.rules_changed, case.version, case.automated_outcome) == (
        True,
        before + 1,
        "not_controlled",
    )
    assert case.rescreening.outcome == "licence_required"


def test_an_approval_from_a_page_loaded_before_the_flag_is_a_conflict(flagged, reviewer):
    case, before = flagged
    with pytest.raises(workflow.Conflict):
        workflow.approve(
            case=case,
            version=before,
            user=reviewer,
            determination="not_controlled",
            rationale="Below 300 Wh/kg.",
            departure_reason="Whatever.",
        )
    case.refresh_from_db()
    assert (case.state, case.determination) == ("in_review", "")


def test_a_flagged_case_is_not_approved_on_its_outdated_outcome(client, flagged, reviewer):
    case, _ = flagged
    client.force_login(reviewer)
    response = client.post(
        reverse("case_approve", args=[case.pk]),
        {
            "version": case.version,
            "determination": "not_controlled",
            "rationale": "Below 300 Wh/kg.",
            "departure_reason": "",
        },
    )
    assert response.context["approve_form"].errors == {
        "departure_reason": [
            "The rules changed since this case was screened: the outcome would now be “Licence "
            "required”. Base the case on the new screening first, or give your reason for "
            "departing from the new outcome."
        ]
    }
    case.refresh_from_db()
    assert (case.state, case.approved_by, case.rules_changed) == ("in_review", None, True)


def test_a_flagged_case_decided_against_the_new_outcome_keeps_both_in_its_record(
    rule_set, flagged, reviewer
):
    case, _ = flagged
    case = workflow.approve(
        case=case,
        version=case.version,
        user=reviewer,
        determination="not_controlled",
        rationale="Measured at 280 Wh/kg by the customer's lab.",
        departure_reason="The contract ships before the new rules apply.",
    )
    assert (case.state, case.rules_changed, case.departure_reason) == (
        "approved",
        False,
        "The contract ships before the new rules apply.",
    )
    record = decision_record(case)
    assert record["screening"]["automated_outcome"] == "not_controlled"
    assert record["screening"]["rule_set"]["version"] == rule_set.version
    changes = record["rule_changes"]
    assert changes["new_screening"] == {
        "id": case.rescreening_id,
        "as_of": "2026-12-01",
        "rule_set": {"version": "2026.12.01", "hash": case.rescreening.rule_set_hash},
        "outcome": "licence_required",
    }
    assert (changes["flagged"], changes["decided_against_new_outcome"]) == (False, True)
    assert [(h["kind"], h["from"], h["to"], h["rule_set"]) for h in changes["history"]] == [
        ("rescreened", "not_controlled", "licence_required", "2026.12.01")
    ]
    assert record["determination"]["departure_reason"] == (
        "The contract ships before the new rules apply."
    )
    approval = CaseEvent.objects.get(case=case, kind="approved")
    assert approval.data == {
        "automated_outcome": "not_controlled",
        "new_outcome": "licence_required",
        "new_rule_set": "2026.12.01",
        "new_screening": case.rescreening_id,
    }


def test_basing_a_flagged_case_on_the_new_screening_then_approving_it(
    client, rule_set, flagged, analyst, reviewer
):
    case, _ = flagged
    old_screening, new_screening = case.screening_id, case.rescreening_id
    client.force_login(reviewer)
    client.post(reverse("case_adopt", args=[case.pk]), {"version": case.version})
    case.refresh_from_db()
    assert (case.screening_id, case.automated_outcome, case.rules_changed, case.rescreening) == (
        new_screening,
        "licence_required",
        False,
        None,
    )
    rebased = case.events.get(kind="rebased")
    assert rebased.message == (
        "Now based on the screening with rule set 2026.12.01: Licence required (was Not "
        f"controlled with rule set {rule_set.version})."
    )
    audit = AuditEvent.objects.get(action="case.adopt_rescreening", object_id=str(case.pk))
    assert (audit.before["screening"], audit.after["screening"]) == (old_screening, new_screening)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Based on the new screening" in page
    case = workflow.approve(
        case=case,
        version=case.version,
        user=reviewer,
        determination="licence_required",
        rationale="Above the new 250 Wh/kg threshold.",
        entries=["CN-2025-58:3A001"],
        licence_path="single",
    )
    record = decision_record(case)
    assert (record["screening"]["id"], record["screening"]["automated_outcome"]) == (
        new_screening,
        "licence_required",
    )
    assert [(h["kind"], h["from"], h["to"]) for h in record["rule_changes"]["history"]] == [
        ("rescreened", "not_controlled", "licence_required"),
        ("rebased", "not_controlled", "licence_required"),
    ]
    assert record["rule_changes"]["history"][1]["from_screening"] == old_screening
    assert record["determination"]["departure_reason"] == ""


# --- item 3: one screening per changed product, counts that add up --------------------------


def test_a_rescreen_writes_one_screening_per_changed_product_and_cases_point_at_it(
    client, rule_set, rules_admin, rules_admin2, case_in, analyst, reviewer
):
    open_cases = [case_in(state, energy="280") for state in ("draft", "submitted", "in_review")]
    # A second case on the first case's screening: same spec, date and rules.
    twin = workflow.create_case(screening=open_cases[0].screening, user=analyst)
    # A case as of another date needs a screening of its own (its product is screened today).
    later = case_in("submitted", energy="280", as_of=dt.date(2026, 12, 15))
    decided = case_in("approved", energy="280")
    unchanged = case_in("submitted", energy="200")
    screenings = Screening.objects.count()
    run = rescreen(rule_set, publish_3a001_at_250(rule_set, rules_admin, rules_admin2), reviewer)

    # Products at 280 Wh/kg: the three open ones, the later one, the decided one.
    assert run.summary == {
        "products": 6,
        "changed": 5,
        "written_screenings": 6,
        "product_screenings": 5,
        "case_screenings": 1,
        "open_cases_changed": 5,
        "flagged_cases": 5,
        "decided_cases": 1,
        "candidate_outcomes": {"licence_required": 5, "not_controlled": 1},
        # What the apps above did with the new outcomes (trade: no shipment newly held).
        "notices": [],
    }
    assert Screening.objects.count() == screenings + 6
    for case in [*open_cases, twin]:
        case.refresh_from_db()
        assert case.rescreening == case.product.latest_screening
        assert (case.rescreening.as_of, case.rescreening.outcome) == (
            IN_FORCE_DAY,
            "licence_required",
        )
    later.refresh_from_db()
    assert later.rescreening != later.product.latest_screening
    assert (later.rescreening.as_of, later.rescreening.spec_id) == (
        dt.date(2026, 12, 15),
        later.spec_id,
    )
    unchanged.refresh_from_db()
    assert (unchanged.rules_changed, unchanged.rescreening) == (False, None)
    assert Screening.objects.filter(rule_set__version="2026.12.01").count() == 6
    assert CaseEvent.objects.filter(kind="rescreened").count() == 5

    lists = {
        which: rule_changes.change_list(run, which).count()
        for which in ("products", "cases", "decided")
    }
    assert lists == {"products": 5, "cases": 5, "decided": 1}
    assert RescreenChange.objects.filter(rescreen=run).count() == 11
    assert set(RescreenChange.objects.filter(rescreen=run).values_list("entries", flat=True)) == {
        "CN-2025-58:3A001"
    }
    assert rule_changes.change_list(run, "decided").get().case == decided

    event = AuditEvent.objects.get(action="rules.rescreen")
    assert event.after == {
        "rule_set": {"version": "2026.12.01", "hash": run.candidate.content_hash},
        "as_of": "2026-12-01",
        "products_changed": 5,
        "screenings_written": {"products": 5, "open_cases": 1, "total": 6},
        "flagged_cases": 5,
        "case_events": 5,
        "decided_cases_differing": 1,
        "change_rows": {"products": 5, "open_cases": 5, "decided_cases": 1},
    }

    client.force_login(rules_admin)
    shown = {
        which: [
            (c.product_id, c.case_id)
            for c in client.get(run.get_absolute_url(), {"list": which}).context["page"]
        ]
        for which in ("products", "cases", "decided")
    }
    assert shown == {
        "products": [
            (c.product_id, None) for c in sorted([*open_cases, later, decided], key=by_pk)
        ],
        "cases": [(c.product_id, c.pk) for c in sorted([*open_cases, twin, later], key=by_pk)],
        "decided": [(decided.product_id, decided.pk)],
    }


def test_a_rescreen_run_again_writes_no_duplicate_screening(
    rule_set, rules_admin, rules_admin2, case_in, reviewer
):
    case = case_in("submitted", energy="280")
    published = publish_3a001_at_250(rule_set, rules_admin, rules_admin2)
    first = rescreen(rule_set, published, reviewer)
    case.refresh_from_db()
    # Someone puts the case's flag back by hand; a second run finds the screening written.
    Case.objects.filter(pk=case.pk).update(rules_changed=False, rescreening=None)
    second = rescreen(rule_set, published, reviewer)
    assert (first.summary["written_screenings"], second.summary["written_screenings"]) == (1, 0)
    case.refresh_from_db()
    assert case.rescreening == case.product.latest_screening


def test_a_rescreen_runs_with_the_collector_paused(
    rule_set, rules_admin, rules_admin2, case_in, reviewer, monkeypatch
):
    """A million products' results are not walked by full collections (screening.collector)."""
    case_in("submitted", energy="280")
    seen = []
    original = rescreening._after_publish

    def recording(run):
        seen.append(gc.isenabled())
        return original(run)

    monkeypatch.setattr(rescreening, "_after_publish", recording)
    run = rescreen(rule_set, publish_3a001_at_250(rule_set, rules_admin, rules_admin2), reviewer)
    assert run.status == Rescreen.Status.DONE
    assert seen == [False]
    assert gc.isenabled()


def test_a_spec_saved_while_the_rescreen_screens_keeps_its_own_screening(
    rule_set, rules_admin, rules_admin2, screened, reviewer, monkeypatch
):
    """The re-screen reads a chunk of products, screens it, then writes. A product given a new
    spec in between (a form, an import) keeps that spec and the screening made with it: the
    re-screen's result for the spec it read is not written over it (its newer key used to make
    it the product's latest screening, the outcome of a spec no longer current)."""
    screened(sku="RACE-1", energy="280")  # licence required once 3A001 is lowered to 250
    published = publish_3a001_at_250(rule_set, rules_admin, rules_admin2)
    real, saved = rescreening.screen_frame, []

    def a_form_saves_meanwhile(*args, **kwargs):
        if not saved:
            saved.append(screened(sku="RACE-1", energy="200"))
        return real(*args, **kwargs)

    monkeypatch.setattr(rescreening, "screen_frame", a_form_saves_meanwhile)
    run = rescreen(rule_set, published, reviewer)
    assert run.status == Rescreen.Status.DONE
    product = Product.objects.get(sku="RACE-1")
    assert (product.current_spec_id, product.latest_screening_id) == (
        saved[0].spec_id,
        saved[0].pk,
    )
    assert product.latest_screening.outcome == "not_controlled"
    assert not RescreenChange.objects.filter(rescreen=run, product=product).exists()
    assert run.summary["changed"] == 0


def test_screening_a_spec_no_longer_current_leaves_the_products_latest_screening(screened, analyst):
    """A screen form loaded before someone saved a new spec screens the spec it showed; the
    screening is kept in the product's history, but the product's latest screening stays that
    of its current spec."""
    old = screened(sku="S-1", energy="310")
    new = screened(sku="S-1", energy="200")
    again = products.screen_spec(spec=old.spec, as_of=IN_FORCE_DAY, user=analyst)
    product = Product.objects.get(sku="S-1")
    assert again.spec_id == old.spec_id != product.current_spec_id
    assert product.latest_screening_id == new.pk
    assert product.latest_screening.outcome == "not_controlled"


def test_a_newer_screening_of_an_older_spec_never_becomes_the_products_latest(screened, analyst):
    """A re-screen writes screenings for cases' specs, often older versions, without touching
    the products: one written after the product's own (a newer key) is not its latest when the
    product is next pointed at its newest rows (by an import or a re-screen)."""
    old = screened(sku="P-1", energy="310")
    new = screened(sku="P-1", energy="200")
    for_a_case = products.insert_screenings(
        [(old.product_id, old.spec_id, old.result)],
        rule_set=old.rule_set,
        regimes=old.regimes,
        as_of=old.as_of,
        user_id=analyst.pk,
    )[old.spec_id]
    assert for_a_case > new.pk
    with transaction.atomic():
        products.current_specs_locked([old.product_id])
        products.point_products_at_latest([old.product_id])
    product = Product.objects.get(pk=old.product_id)
    assert (product.current_spec_id, product.latest_screening_id) == (new.spec_id, new.pk)


def test_a_screening_started_before_a_publish_is_made_with_the_published_rules(
    rule_set, rules_admin, rules_admin2, screened, monkeypatch
):
    """screen_spec holds the current rules while it writes; rules published after it read
    which were current (here, between that read and its write) are the ones it uses."""
    spec = screened(sku="H-1", energy="280").spec
    published = publish_3a001_at_250(rule_set, rules_admin, rules_admin2)
    real, calls = RuleSetQuerySet.current, []

    def read_before_the_publish(self):
        calls.append(1)
        return rule_set if len(calls) == 1 else real(self)

    monkeypatch.setattr(RuleSetQuerySet, "current", read_before_the_publish)
    screening = products.screen_spec(spec=spec, as_of=IN_FORCE_DAY, user=rules_admin)
    assert (screening.rule_set_id, screening.outcome) == (published.pk, "licence_required")
    assert Product.objects.get(sku="H-1").latest_screening_id == screening.pk


def test_the_entries_behind_a_change_are_those_that_moved_or_else_those_that_hit():
    from rules.kernel import ENTRY_UNKNOWN, MATCH, NEAR, NO_MATCH, NOT_APPLICABLE

    before = {
        "A": np.array([NO_MATCH, MATCH, MATCH, NOT_APPLICABLE]),
        "B": np.array([NEAR, MATCH, NO_MATCH, NOT_APPLICABLE]),
    }
    after = {
        "A": np.array([MATCH, MATCH, MATCH, NOT_APPLICABLE]),
        "B": np.array([NEAR, MATCH, ENTRY_UNKNOWN, NOT_APPLICABLE]),
        "C": np.array([NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE, MATCH]),  # a new entry
    }
    # Row 0: A moved (B stayed near). Row 1: nothing moved (a measure's status did): both hit.
    # Row 2: B moved. Row 3: only the new entry C hits.
    assert impact.triggers(before, after) == ["A", "A,B", "B", "C"]
    assert impact.triggers({}, {"A": np.array([], dtype=int)}) == []


# --- item 9: reports ------------------------------------------------------------------------


def test_the_rescreen_report_lists_products_then_cases_with_what_a_reader_needs(
    client, rule_set, rules_admin, rules_admin2, case_in, reviewer
):
    open_case = case_in("submitted", energy="280")
    decided = case_in("approved", energy="280")
    run = rescreen(rule_set, publish_3a001_at_250(rule_set, rules_admin, rules_admin2), reviewer)
    client.force_login(rules_admin)
    response = client.post(reverse("rescreen_csv", args=[run.pk]))
    lines = response.content.decode("utf-8-sig").splitlines()
    common = (
        "battery_cell,{list},not_controlled,licence_required,CN-2025-58:3A001,"
        "energy_density_wh_per_kg 280 Wh/kg,DE,{value},{case},{state},{determination},"
        f"{rule_set.version},2026.12.01,2026-12-01,CN-2025-58"  # No. 58 in force: assumed
    )
    assert lines == [
        "sku,revision,product,category,list,from,to,entries,spec_values,destination,value_usd,"
        "case,state,determination,baseline_rules,candidate_rules,as_of,status_assumed",
        "CASE-1,,Cell CASE-1,"
        + common.format(list="product", value="250000.0", case="", state="", determination=""),
        "CASE-2,,Cell CASE-2,"
        + common.format(list="product", value="250000.0", case="", state="", determination=""),
        "CASE-1,,Cell CASE-1,"
        + common.format(
            list="open_case",
            value="250000.00",
            case=open_case.reference,
            state="submitted",
            determination="",
        ),
        "CASE-2,,Cell CASE-2,"
        + common.format(
            list="decided_case",
            value="250000.00",
            case=decided.reference,
            state="approved",
            determination="not_controlled",
        ),
    ]


@pytest.mark.parametrize(
    ("persona", "target"),
    [("rules_admin", "screening_detail"), ("reviewer", "case_detail")],
)
def test_the_decided_cases_list_links_work_for_whoever_reads_it(
    request, client, rule_set, rules_admin, rules_admin2, case_in, persona, target
):
    decided = case_in("approved", energy="280")
    run = rescreen(rule_set, publish_3a001_at_250(rule_set, rules_admin, rules_admin2), rules_admin)
    client.force_login(request.getfixturevalue(persona))
    page = client.get(run.get_absolute_url(), {"list": "decided"}).content.decode()
    link = reverse(
        target, args=[decided.screening_id if target == "screening_detail" else decided.pk]
    )
    assert f'<a href="{link}">view</a>' in page
    assert decided.reference in page
    assert "Not controlled</td>" in page  # the determination
    assert '<span class="badge state-approved">Approved</span>' in page
    assert client.get(link).status_code == 200
