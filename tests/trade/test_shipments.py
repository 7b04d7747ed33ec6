"""The release gate on export orders: every hold reason, balances in units, reservations,
overrides (four-eyes), export confirmations (once), cancellations and re-checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from rules.access import ANALYST
from rules.models import AuditEvent
from trade import entry, licences, parties, shipments
from trade.models import LedgerEntry, Licence, Override, PartyMatch, ShipmentState

SHIP_DAY = dt.date(2026, 12, 15)


@pytest.fixture
def approved(case_in):
    """An approved case: Li-ion cell at 310 Wh/kg, licence required (3A001), single licence."""
    return case_in("approved")


@pytest.fixture
def acme(party):
    return party()


@pytest.fixture
def enter(analyst, acme):
    counter = iter(range(1, 10_000))

    def make(
        product,
        quantity="10",
        unit="kg",
        *,
        destination="DE",
        consignee=None,
        end_user=None,
        ship_date=SHIP_DAY,
        user=None,
    ):
        return entry.enter_shipment(
            user=user or analyst,
            reference=f"SO-{next(counter):05d}",
            destination_country=destination,
            consignee=consignee or acme,
            end_user=end_user or acme,
            planned_ship_date=ship_date,
            lines=[entry.LineInput(product=product, quantity=quantity, unit=unit)],
        )

    return make


def reasons(shipment):
    return [r["code"] for line in shipment.lines.all() for r in line.reasons] + [
        r["code"] for r in shipment.last_check.reasons
    ]


def test_a_product_without_a_determination_holds(enter, screened):
    screening = screened(sku="NEW-1")
    shipment = enter(screening.product)
    assert shipment.state == ShipmentState.HELD
    assert reasons(shipment) == ["no_determination"]
    line = shipment.lines.get()
    assert line.reasons[0]["message"] == "NEW-1: no approved determination yet."


def test_the_determination_is_the_latest_decided_case_never_a_newer_open_one(
    approved, analyst, case_in
):
    from screening import workflow
    from trade.gate_inputs import determinations

    newer = workflow.create_case(screening=approved.screening, user=analyst)  # a draft
    undecided = case_in("submitted")  # a product with open cases only
    assert newer.pk > approved.pk
    assert newer.product_id == approved.product_id
    found = determinations([approved.product_id, undecided.product_id])
    assert list(found) == [approved.product_id]
    assert (found[approved.product_id].case_id, found[approved.product_id].control_codes) == (
        approved.pk,
        ("3A001",),
    )


def test_a_licence_required_without_a_licence_holds(enter, approved):
    shipment = enter(approved.product)
    assert (shipment.state, reasons(shipment)) == (ShipmentState.HELD, ["no_licence"])


def test_a_covering_licence_with_balance_releases_and_reserves(enter, approved, acme, licence_for):
    licence = licence_for(approved, consignee=acme, end_user=acme, quantity="100", unit="kg")
    shipment = enter(approved.product, "0.04", "t")  # 40 kg
    assert (shipment.state, reasons(shipment)) == (ShipmentState.RELEASED, [])
    (balance,) = licences.balances([licence])[licence.pk]
    assert (balance.reserved, balance.drawn, balance.remaining) == (
        Decimal("40"),
        Decimal("0"),
        Decimal("60"),
    )


def test_pieces_cannot_draw_on_a_licence_in_kilograms(enter, approved, acme, licence_for):
    licence_for(approved, consignee=acme, end_user=acme, quantity="100", unit="kg")
    shipment = enter(approved.product, "5", "pcs")
    assert reasons(shipment) == ["unit_mismatch"]
    assert "counts in kg; the line is in piece" in shipment.lines.get().reasons[0]["message"]


def test_not_enough_balance_holds_and_says_how_much_is_left(enter, approved, acme, licence_for):
    licence_for(approved, consignee=acme, end_user=acme, quantity="100", unit="kg")
    enter(approved.product, "80", "kg")
    second = enter(approved.product, "30", "kg")
    assert reasons(second) == ["insufficient_balance"]
    assert second.lines.get().reasons[0]["message"] == (
        f"{approved.product}: licence L-2026-0001 has 20 kg left; the line needs 30 kg."
    )


@pytest.mark.parametrize(
    ("ship_date", "released"),
    [(dt.date(2027, 6, 30), True), (dt.date(2027, 7, 1), False), (dt.date(2026, 10, 31), False)],
)
def test_validity_holds_on_its_boundary_days(
    enter, approved, acme, licence_for, ship_date, released
):
    licence_for(approved, consignee=acme, end_user=acme)
    shipment = enter(approved.product, ship_date=ship_date)
    assert (shipment.state == ShipmentState.RELEASED) is released
    if not released:
        assert reasons(shipment) == ["licence_not_valid_on_date"]


def test_another_destination_or_party_is_not_covered(enter, approved, acme, party, licence_for):
    licence_for(approved, consignee=acme, end_user=acme)
    assert reasons(enter(approved.product, destination="FR")) == ["licence_other_destination"]
    other = party(reference="P-2", name="Zeta Storage SARL", country="DE")
    assert reasons(enter(approved.product, end_user=other)) == ["licence_other_parties"]


def test_a_revoked_licence_holds(enter, approved, acme, licence_for, reviewer):
    licence = licence_for(approved, consignee=acme, end_user=acme)
    licences.set_status(licence=licence, user=reviewer, status="revoked", reason="MOFCOM")
    assert reasons(enter(approved.product)) == ["licence_revoked"]


def test_an_override_needs_a_second_person_and_a_rationale(enter, approved, reviewer, analyst):
    shipment = enter(approved.product, user=analyst)
    with pytest.raises(shipments.ShipmentError, match="Only reviewers"):
        shipments.override_hold(
            shipment=shipment, version=shipment.version, user=analyst, rationale="x"
        )
    with pytest.raises(shipments.ShipmentError, match="needs a rationale"):
        shipments.override_hold(
            shipment=shipment, version=shipment.version, user=reviewer, rationale=" "
        )
    released = shipments.override_hold(
        shipment=shipment,
        version=shipment.version,
        user=reviewer,
        rationale="Licence L-2026-0007 granted today; recorded tomorrow.",
    )
    assert released.state == ShipmentState.RELEASED
    override = Override.objects.get()
    assert (override.by, override.entered_by) == (reviewer, analyst)
    assert [r["code"] for r in override.reasons_overridden] == ["no_licence"]
    assert AuditEvent.objects.filter(action="shipment.override").count() == 1


def test_whoever_entered_a_shipment_cannot_override_its_hold(enter, approved, reviewer):
    reviewer.groups.add(Group.objects.get(name=ANALYST))
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)  # roles are cached per instance
    shipment = enter(approved.product, user=reviewer)
    with pytest.raises(shipments.ShipmentError, match="Four-eyes rule"):
        shipments.override_hold(
            shipment=shipment, version=shipment.version, user=reviewer, rationale="mine"
        )


def test_a_confirmed_export_draws_once_however_often_it_arrives(
    enter, approved, acme, licence_for, analyst
):
    licence = licence_for(approved, consignee=acme, end_user=acme, quantity="100", unit="kg")
    shipment = enter(approved.product, "40", "kg")
    first = shipments.confirm_export(
        shipment=shipment, user=analyst, exported_on=SHIP_DAY, declaration_number="2231"
    )
    again = shipments.confirm_export(
        shipment=shipment, user=analyst, exported_on=SHIP_DAY, declaration_number="2231"
    )
    assert (first[1], again[1]) == (True, False)
    assert LedgerEntry.objects.filter(kind="draw").count() == 1
    (balance,) = licences.balances([licence])[licence.pk]
    assert (balance.reserved, balance.drawn, balance.remaining) == (
        Decimal("0"),
        Decimal("40"),
        Decimal("60"),
    )


def test_a_cancelled_shipment_gives_its_reservation_back(
    enter, approved, acme, licence_for, analyst
):
    licence = licence_for(approved, consignee=acme, end_user=acme, quantity="100", unit="kg")
    shipment = enter(approved.product, "70", "kg")
    shipments.cancel_shipment(
        shipment=shipment, version=shipment.version, user=analyst, reason="order cancelled"
    )
    (balance,) = licences.balances([licence])[licence.pk]
    assert balance.remaining == Decimal("100")
    assert enter(approved.product, "90", "kg").state == ShipmentState.RELEASED


def test_an_amendment_adds_balance_and_a_recheck_releases(
    enter, approved, acme, licence_for, analyst
):
    licence = licence_for(approved, consignee=acme, end_user=acme, quantity="100", unit="kg")
    enter(approved.product, "80", "kg")
    held = enter(approved.product, "50", "kg")
    assert held.state == ShipmentState.HELD
    licences.amend_licence(
        licence=licence,
        user=analyst,
        reason="Amendment 1 (MOFCOM ref. 2026-123)",
        lines=[
            licences.LicenceLineInput(
                control_code="3A001", quantity="200", unit="kg", product=approved.product
            )
        ],
    )
    shipments.check_shipments([held], user=analyst, trigger="manual")
    held.refresh_from_db()
    assert held.state == ShipmentState.RELEASED
    licence.refresh_from_db()
    assert licence.current.number == 2
    (balance,) = licences.balances([licence])[licence.pk]
    assert balance.remaining == Decimal("70")  # 200 − 80 − 50


def test_a_confirmed_list_match_holds_and_a_prohibition_cannot_be_overridden(
    enter, approved, acme, licence_for, party, reviewer
):
    listed = party(reference="P-9", name="Lockheed Martin Corporation", country="US")
    # Listed twice: on the control list and on the Unreliable Entity List.
    assert sorted(PartyMatch.objects.filter(party=listed).values_list("list_kind", flat=True)) == [
        "control_list",
        "unreliable_entity_list",
    ]
    match = PartyMatch.objects.get(party=listed, list_kind="control_list")
    match = parties.confirm_match(
        match=match, version=match.version, user=reviewer, rationale="same company"
    )
    shipment = enter(approved.product, destination="US", consignee=listed, end_user=listed)
    assert "party_listed" in reasons(shipment)
    with pytest.raises(shipments.ShipmentError, match="A prohibition cannot be overridden"):
        shipments.override_hold(
            shipment=shipment, version=shipment.version, user=reviewer, rationale="x"
        )


@pytest.mark.parametrize(
    ("military", "end_use", "code"),
    [
        ("yes", "", "military_end_user"),
        ("no", "military vehicles", "military_end_user"),
        ("unknown", "", "military_unknown"),
    ],
)
def test_us_military_end_users_are_prohibited_for_dual_use_lines(
    enter, approved, acme, party, military, end_use, code
):
    user = party(
        reference="P-US",
        name="Orbital Test Labs Inc.",
        country="US",
        military_end_user=military,
        end_use=end_use,
    )
    shipment = enter(approved.product, destination="US", end_user=user)
    assert code in reasons(shipment)


def test_not_controlled_goods_to_a_us_military_end_user_are_not_held_for_it(enter, case_in, party):
    near = case_in("approved", energy="250")  # not controlled
    user = party(
        reference="P-US2", name="Orbital Test Labs Inc.", country="US", military_end_user="yes"
    )
    shipment = enter(near.product, destination="US", end_user=user)
    assert shipment.state == ShipmentState.RELEASED


def test_publishing_rules_or_lists_rechecks_open_shipments(
    enter, approved, acme, licence_for, reviewer
):
    licence = licence_for(approved, consignee=acme, end_user=acme)
    shipment = enter(approved.product)
    assert shipment.state == ShipmentState.RELEASED
    Licence.objects.filter(pk=licence.pk).update(status="suspended")
    held = shipments.recheck_open(user=reviewer, trigger="licence suspended")
    assert [s.pk for s in held] == [shipment.pk]
    (balance,) = licences.balances([licence])[licence.pk]
    assert balance.reserved == Decimal("0")  # the reservation was given back on re-check
