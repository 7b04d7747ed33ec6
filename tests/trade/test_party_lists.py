"""China's lists as versioned data (load, diff, maker-checker publish) and decisions on
candidate matches that stick until the party's or the entry's data changes."""

from __future__ import annotations

import datetime as dt
import gc

import pytest

from rules.models import AuditEvent
from trade import lists, parties
from trade.models import ListVersion, PartyMatch

HEADER = "list,entry_ref,name,aliases,country,listed_on,delisted_on,announcement,source\n"
ROWS = (
    "control_list,T-01,Northwind Aerospace Systems Inc.,Northwind Aero,US,2025-01-02,,"
    "MOFCOM 2025 No. 1,https://example.org/1\n"
    "control_list,T-02,Borealis Defence Electronics Ltd.,,GB,2025-01-02,,MOFCOM 2025 No. 1,\n"
)


def load(user, rows=ROWS):
    return lists.load_list_file(user=user, data=(HEADER + rows).encode(), filename="control.csv")


def test_a_list_file_with_errors_loads_nothing_and_says_where(rules_admin):
    bad = "control_list,T-01,Northwind,,US,02/01/2025,,MOFCOM 2025 No. 1,\n"
    with pytest.raises(lists.ListLoadError) as raised:
        load(rules_admin, bad)
    assert [(e.row, e.column) for e in raised.value.errors] == [(2, "listed_on")]
    assert not ListVersion.objects.filter(original_name="control.csv").exists()


def test_a_new_version_is_a_draft_diffed_against_the_published_one(rules_admin):
    (version,) = load(rules_admin)
    assert version.status == ListVersion.Status.DRAFT
    starter = lists.published("control_list")
    assert version.number == starter.number + 1
    assert "T-01" in version.diff["added"]
    assert set(version.diff["removed"]) == set(starter.entries.values_list("entry_ref", flat=True))


def test_whoever_loaded_a_version_does_not_publish_it(rules_admin, rules_admin2):
    (version,) = load(rules_admin)
    with pytest.raises(lists.PartyError, match="Maker-checker"):
        lists.publish_list_version(version=version, user=rules_admin)
    published = lists.publish_list_version(version=version, user=rules_admin2)
    assert published.status == ListVersion.Status.PUBLISHED
    assert ListVersion.objects.filter(kind="control_list", status="published").count() == 1
    assert AuditEvent.objects.filter(action="list.publish", object_id=str(version.pk)).exists()


@pytest.fixture
def northwind(rules_admin, rules_admin2, party):
    (version,) = load(rules_admin)
    lists.publish_list_version(version=version, user=rules_admin2)
    return party(reference="P-NW", name="NORTHWIND AEROSPACE SYSTEMS, INC", country="US")


def test_publishing_a_list_rechecks_parties_and_finds_candidates(northwind):
    match = PartyMatch.objects.get(party=northwind)
    assert (match.entry_ref, match.state) == ("T-01", "open")
    assert match.score >= 0.9
    assert "Northwind" in match.reason


def test_rechecking_every_party_runs_with_the_collector_paused(northwind, monkeypatch):
    """100,000 parties and their candidates are not walked by full collections."""
    seen = []
    original = lists.list_index

    def recording(**kwargs):
        seen.append(gc.isenabled())
        return original(**kwargs)

    monkeypatch.setattr(lists, "list_index", recording)
    lists.screen_parties(None)
    assert seen
    assert not any(seen)
    assert gc.isenabled()


def test_a_dismissal_needs_a_second_reviewer_and_then_sticks(northwind, reviewer, reviewer2):
    match = PartyMatch.objects.get(party=northwind)
    match = parties.propose_dismissal(
        match=match,
        version=match.version,
        user=reviewer,
        rationale="Different company: registered in Ohio, no aerospace business.",
    )
    with pytest.raises(lists.PartyError, match="Four-eyes rule"):
        parties.accept_dismissal(match=match, version=match.version, user=reviewer)
    match = parties.accept_dismissal(match=match, version=match.version, user=reviewer2)
    assert match.state == "dismissed"
    lists.screen_parties(None)  # screening again does not raise it again
    assert PartyMatch.objects.get(party=northwind).state == "dismissed"


def test_a_decision_fires_again_when_the_party_changes(northwind, reviewer, reviewer2, analyst):
    match = PartyMatch.objects.get(party=northwind)
    match = parties.propose_dismissal(
        match=match, version=match.version, user=reviewer, rationale="not them"
    )
    parties.accept_dismissal(match=match, version=match.version, user=reviewer2)
    parties.save_party(
        user=analyst,
        reference="P-NW",
        name="NORTHWIND AEROSPACE SYSTEMS, INC",
        country="US",
        address="1 Hangar Road, Wichita",
    )
    match = PartyMatch.objects.get(party=northwind)
    assert (match.state, match.rationale) == ("open", "")
    assert AuditEvent.objects.filter(action="party.match.refire").count() == 1


def test_a_decision_fires_again_when_the_list_entry_changes(
    northwind, reviewer, reviewer2, rules_admin, rules_admin2
):
    match = PartyMatch.objects.get(party=northwind)
    match = parties.confirm_match(
        match=match, version=match.version, user=reviewer, rationale="same"
    )
    changed = ROWS.replace("Northwind Aero,", "Northwind Aero;NW Aerospace,")
    (version,) = load(rules_admin, changed)
    assert version.diff["changed"] == ["T-01"]
    lists.publish_list_version(version=version, user=rules_admin2)
    assert PartyMatch.objects.get(party=northwind).state == "open"


def test_a_delisted_entry_is_no_candidate_after_its_delisting(rules_admin, rules_admin2, party):
    delisted = ROWS.replace(
        ",2025-01-02,,MOFCOM 2025 No. 1,https://example.org/1",
        ",2025-01-02,2026-06-01,MOFCOM 2025 No. 1,https://example.org/1",
    )
    (version,) = load(rules_admin, delisted)
    lists.publish_list_version(version=version, user=rules_admin2)
    found = party(reference="P-NW2", name="Northwind Aerospace Systems Inc.", country="US")
    assert not PartyMatch.objects.filter(party=found).exists()
    lists.screen_parties([found.pk], as_of=dt.date(2026, 5, 1))
    assert PartyMatch.objects.filter(party=found, entry_ref="T-01").exists()


def test_an_old_list_holds_shipments_to_new_parties_until_confirmed_current(
    rules_admin, party, settings
):
    settings.PARTY_LIST_MAX_AGE_DAYS = 30
    version = lists.published("control_list")
    ListVersion.objects.filter(pk=version.pk).update(confirmed_current_on=dt.date(2026, 1, 1))
    newcomer = party(reference="P-NEW", name="Gamma Cells Oy", country="FI")
    status = parties.status_for_gate([newcomer.pk])[newcomer.pk]
    assert status.stale_lists == ("control_list",)
    lists.confirm_current(version=version, user=rules_admin, source="MOFCOM site, today")
    status = parties.status_for_gate([newcomer.pk])[newcomer.pk]
    assert status.stale_lists == ()
