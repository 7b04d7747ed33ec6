"""What the page tests of the export side share: a small world of approved cases, parties,
licences, shipments, applications and list versions, made on demand through the domain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cached_property, partial
from typing import Any

from trade import entry, uploads
from trade.models import (
    ApplicationDocument,
    LedgerEntry,
    Licence,
    LicenceApplication,
    ListVersion,
    Override,
    Party,
    PartyMatch,
    Shipment,
    ShipmentCheck,
    TradeUpload,
)

SHIP_DAY = dt.date(2026, 12, 15)


def footprint_models() -> list[tuple[Any, tuple[str, ...]]]:
    """What a refused request must leave as it was (with the audit trail's length)."""
    return [
        (Shipment, ("state", "version")),
        (ShipmentCheck, ("pk",)),
        (LedgerEntry, ("pk",)),
        (Override, ("pk",)),
        (TradeUpload, ("status",)),
        (LicenceApplication, ("state", "version")),
        (ApplicationDocument, ("pk",)),
        (Licence, ("status", "current_id")),
        (Party, ("version",)),
        (PartyMatch, ("state", "version")),
        (ListVersion, ("status", "confirmed_current_on")),
    ]


def shipment_csv(reference: str, sku: str = "CASE-1", party: str = "P-1") -> bytes:
    return (
        "order_number,destination_country,consignee_ref,end_user_ref,planned_ship_date,sku,"
        f"quantity,unit\n{reference},DE,{party},{party},{SHIP_DAY},{sku},10,kg\n"
    ).encode()


class World:
    """Objects made by `analyst` (and decided by `reviewer`) on first use; `fixture(name)` gives
    what the fixture of that name gives (request.getfixturevalue, or class_fixtures)."""

    def __init__(self, fixture: Callable[[str], Any]) -> None:
        self.fixture = fixture
        self.analyst = self.fixture("analyst")
        self.counter = iter(range(1, 10_000))

    @cached_property
    def case(self) -> Any:
        return self.fixture("case_in")("approved")

    @cached_property
    def party(self) -> Party:
        return self.fixture("party")()

    def approved(self) -> Any:
        self.party  # noqa: B018 -- made here so that forms can name it
        return self.case

    def enter(
        self, quantity: str = "10", unit: str = "kg", *, product: Any = None, **fields: Any
    ) -> Shipment:
        product = product or self.approved().product
        order = {
            "user": self.analyst,
            "reference": f"SO-{next(self.counter):05d}",
            "destination_country": "DE",
            "consignee": self.party,
            "end_user": self.party,
            "planned_ship_date": SHIP_DAY,
            **fields,
        }
        return entry.enter_shipment(
            lines=[entry.LineInput(product=product, quantity=quantity, unit=unit)],
            **order,
        )

    def held(self, **fields: Any) -> Shipment:
        """Held: a licence is required and none covers it."""
        return self.enter(**fields)

    @cached_property
    def licence(self) -> Licence:
        return self.fixture("licence_for")(
            self.approved(), consignee=self.party, end_user=self.party
        )

    def released(self, **fields: Any) -> Shipment:
        self.licence  # noqa: B018
        return self.enter(**fields)

    def shipment_upload(self) -> TradeUpload:
        self.approved()
        return uploads.receive(
            kind=TradeUpload.Kind.SHIPMENTS,
            data=shipment_csv(f"SO-UP-{next(self.counter)}"),
            filename="orders.csv",
            user=self.analyst,
        )

    # --- licences and applications -------------------------------------------------------

    def application(self, *, documents: bool = True) -> Any:
        """A draft application for the approved case, prepared by `analyst`, with (or without)
        every document its kind asks for."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.conftest import TINY_PDF
        from trade import applications

        case = self.approved()
        application = applications.prepare_application(
            user=self.analyst,
            kind=self.fixture("single_kind"),
            applicant=self.fixture("applicant"),
            contract_reference=f"C-{next(self.counter)}",
            consignee=self.party,
            end_user=self.party,
            end_use="Battery packs for electric buses.",
            destination_country="DE",
            items=[applications.ItemInput(case=case, quantity="100", unit="kg", value="50000")],
        )
        if documents:
            for kind in ("contract", "technical", "end_user", "end_use"):
                applications.attach_document(
                    application=application,
                    user=self.analyst,
                    kind=kind,
                    upload=SimpleUploadedFile(f"{kind}.pdf", TINY_PDF),
                )
        application.refresh_from_db()
        return application

    def filed(self) -> Any:
        from trade import applications

        draft = self.application()
        return applications.file_application(
            application=draft,
            version=draft.version,
            user=self.fixture("reviewer"),
            filed_on=dt.date(2026, 11, 20),
            authority_reference="MOFCOM-2026-1",
        )

    # --- parties and lists ---------------------------------------------------------------

    def matched_party(self, reference: str = "P-GD") -> Party:
        """A party whose name is on the starter control list: it has open candidates."""
        return self.fixture("party")(
            reference=reference, name="General Dynamics Corporation", country="US"
        )

    def open_match(self) -> PartyMatch:
        party = self.matched_party(f"P-GD-{next(self.counter)}")
        return party.matches.filter(state=PartyMatch.State.OPEN).order_by("-score").first()

    def proposed_match(self) -> PartyMatch:
        from trade import parties

        match = self.open_match()
        return parties.propose_dismissal(
            match=match,
            version=match.version,
            user=self.fixture("reviewer"),
            rationale="A different company of the same name.",
        )

    def draft_list(self) -> ListVersion:
        from trade import lists

        (version,) = lists.load_list_file(
            user=self.fixture("rules_admin"), data=LIST_CSV, filename="control.csv"
        )
        return version

    def published_list(self) -> ListVersion:
        return ListVersion.objects.get(kind="control_list", status=ListVersion.Status.PUBLISHED)


LIST_CSV = (
    b"list,entry_ref,name,aliases,country,listed_on,delisted_on,announcement,source\n"
    b"control_list,T-01,Northwind Aerospace Systems Inc.,Northwind Aero,US,2025-01-02,,"
    b"MOFCOM 2025 No. 1,https://example.org/1\n"
)


class ClassFixtures:
    """World's `fixture` for rows made once for a class of tests (tests/conftest.py
    class_transaction): the personas' users, and what tests/trade/conftest.py's fixtures of
    the same names make, each made on first use. Frozen once the class's rows are made: a
    row first made inside a test would be rolled back after it but still kept here."""

    def __init__(self, people: dict[str, Any]) -> None:
        from tests.conftest import case_of_cell
        from tests.trade.conftest import make_applicant, record_licence_for, save_party
        from trade.models import LicenceKind

        analyst = people["analyst"]
        counter = iter(range(1, 10_000))

        def case_in(state: str) -> Any:
            return case_of_cell(state, analyst, people["reviewer"], f"CASE-{next(counter)}")

        self.people = people
        self.made: dict[str, Any] = {}
        self.frozen = False
        self.makers: dict[str, Callable[[], Any]] = {
            "case_in": lambda: case_in,
            "party": lambda: partial(save_party, analyst),
            "applicant": make_applicant,
            "single_kind": lambda: LicenceKind.objects.get(code="dual_use_single"),
            "licence_for": lambda: partial(
                record_licence_for, analyst, self("applicant"), self("single_kind")
            ),
        }

    def __call__(self, name: str) -> Any:
        if name in self.people:
            return self.people[name]
        if name not in self.made:
            assert not self.frozen, f"{name} first made inside a test: make it with the class"
            self.made[name] = self.makers[name]()
        return self.made[name]

    def freeze(self) -> None:
        self.frozen = True


def application_form(world: World) -> dict[str, str]:
    """What the "prepare an application" form sends for the approved case of the world."""
    case = world.approved()
    return {
        "kind": str(world.fixture("single_kind").pk),
        "applicant": str(world.fixture("applicant").pk),
        "contract_reference": "C-2026-NEW",
        "consignee": world.party.reference,
        "end_user": world.party.reference,
        "end_use": "Battery packs for electric buses.",
        "destination_country": "DE",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "20",
        "items-0-case": str(case.pk),
        "items-0-quantity": "100",
        "items-0-unit": "kg",
        "items-0-value": "50000",
        "items-0-currency": "USD",
    }


def licence_form(world: World, number: str = "L-PAPER-2019-7") -> dict[str, str]:
    """What the "record a licence" form sends: a licence granted on paper for the world's
    approved product, by its control code and SKU."""
    case = world.approved()
    return {
        "number": number,
        "kind": str(world.fixture("single_kind").pk),
        "holder": str(world.fixture("applicant").pk),
        "valid_from": "2026-11-01",
        "valid_until": "2027-06-30",
        "destination_country": "DE",
        "consignee": world.party.reference,
        "end_user": world.party.reference,
        "source": "Paper licence of 2026-10-28, compliance binder 4.",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "50",
        "items-0-control_code": "3A001",
        "items-0-sku": case.product.sku,
        "items-0-revision": case.product.revision,
        "items-0-quantity": "500",
        "items-0-unit": "kg",
        "items-0-value": "250000",
        "items-0-currency": "USD",
        "items-1-unit": "kg",
        "items-1-currency": "USD",
        "items-2-unit": "kg",
        "items-2-currency": "USD",
    }
