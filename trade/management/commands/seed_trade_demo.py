"""`manage.py seed_trade_demo`: demo data of the export side, after `seed_demo` (whose users it
uses). Safe to run again: a database that has the demo licence L-DEMO-001 is left as it is.

Everything is made through the same domain functions people use (trade.applications,
trade.licences, trade.parties, trade.shipments) and the screening workflow for the products'
cases, so what it leaves behind is real: licence applications in every state, licences active,
revoked, suspended, expired, exhausted and expiring soon, parties with candidate matches in every
state of their decision, and export orders in every state, between them held for every reason
the release gate gives. Dates are relative to today, so the demo stays current.

Two things are staged, as time and a rule change would leave them: a case flagged by newer rules
(as a re-screen flags it) and a check run while a list was too old to rely on (the list's
"confirmed current" date is set back for that check and put back after it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from rules.specs import parse_specs
from screening import products, rollup
from screening.demo import bring_to
from screening.models import Case, Product, SpecVersion
from screening.models.cases import State
from trade import applications, entry, licences, parties, shipments
from trade.lists import published
from trade.models import (
    Applicant,
    Licence,
    LicenceKind,
    ListVersion,
    Party,
    PartyMatch,
    Shipment,
    ShipmentSource,
)

SENTINEL = "L-DEMO-001"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# sku → (Wh/kg, the state its case is brought to). 310-340 Wh/kg: licence required (3A001);
# 250 Wh/kg: not controlled.
PRODUCTS = {
    "TRD-CELL-310": ("310", State.APPROVED),  # L-DEMO-001: most orders draw on it
    "TRD-CELL-315": ("315", State.APPROVED),  # L-DEMO-002: exhausted
    "TRD-CELL-320": ("320", State.APPROVED),  # L-DEMO-003: revoked
    "TRD-CELL-325": ("325", State.APPROVED),  # L-DEMO-004: suspended
    "TRD-CELL-330": ("330", State.APPROVED),  # L-DEMO-005 expiring soon, L-DEMO-006 expired
    "TRD-CELL-335": ("335", State.APPROVED),  # no licence (an application is on file)
    "TRD-CELL-340": ("340", State.APPROVED),  # L-DEMO-007; its case is flagged by newer rules
    "TRD-CELL-345": ("345", State.SUBMITTED),  # no determination yet
    "TRD-CELL-250": ("250", State.APPROVED),  # not controlled: released without a licence
}

# reference → (name, country, military end user, end use, roles)
PARTIES = {
    "DEMO-C-NORDLICHT": ("Nordlicht Speicher GmbH", "DE", "no", "Stationary storage", "both"),
    "DEMO-C-BALTIC": ("Baltic Cell Assembly SIA", "LV", "no", "Module assembly", "both"),
    "DEMO-E-ORBITAL": ("Orbital Test Labs Inc.", "US", "yes", "Test ranges", "end_user"),
    "DEMO-E-HARBOR": ("Harbor Robotics LLC", "US", "unknown", "", "end_user"),
    # Names close to entries of the starter lists: candidate matches to decide.
    "DEMO-C-SKYDIO": ("Skydio Inc.", "US", "unknown", "", "both"),  # confirmed
    "DEMO-C-LEIDOS": ("Leidos Inc.", "US", "no", "Data centres", "both"),  # open
    "DEMO-C-CUBIC": ("Cubic Corp.", "US", "no", "Transit systems", "both"),  # dismissal proposed
    "DEMO-C-INSITU": ("Insitu Inc.", "US", "no", "Agriculture drones", "both"),  # dismissed
}


class Command(BaseCommand):
    help = (
        "Create demo data of the export side (licences, applications, parties, shipments in "
        "every state and hold reason). Run seed_demo first. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if Licence.objects.filter(number=SENTINEL).exists():
            self.stdout.write("Trade demo data already present; nothing changed.")
            return
        User = get_user_model()
        names = ("analyst", "analyst2", "reviewer", "reviewer2", "rulesadmin")
        people = {u.username: u for u in User.objects.filter(username__in=names)}
        if len(people) != len(names):
            raise CommandError("Run `manage.py seed_demo` first: it makes the demo users.")
        with transaction.atomic():
            counts = Demo(people, timezone.localdate()).build()
        self.stdout.write(
            "Trade demo data: "
            + ", ".join(f"{n} {what}" for what, n in counts.items())
            + " (every shipment state and hold reason)."
        )


class Demo:
    def __init__(self, people: dict[str, Any], today: dt.date) -> None:
        self.people = people
        self.analyst, self.analyst2 = people["analyst"], people["analyst2"]
        self.reviewer, self.reviewer2 = people["reviewer"], people["reviewer2"]
        self.today = today
        self.ship = today + dt.timedelta(days=14)
        self.kind = LicenceKind.objects.get(code="dual_use_single")
        self.orders = 0

    def day(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)

    def build(self) -> dict[str, int]:
        self.applicant = self._applicant()
        self.cases = {
            sku: self._case(sku, energy, state) for sku, (energy, state) in PRODUCTS.items()
        }
        self.parties = {ref: self._party(ref, *data) for ref, data in PARTIES.items()}
        self._decide_matches()
        self._applications()
        self._licences()
        self._shipments()
        return {
            "licences": Licence.objects.filter(number__startswith="L-DEMO-").count(),
            "parties": len(self.parties),
            "shipments": self.orders,
        }

    # --- what the orders need ----------------------------------------------------------------

    def _applicant(self) -> Applicant:
        applicant, _ = Applicant.objects.get_or_create(
            credit_code="91310000DEMO00001X",
            defaults={
                "name_zh": "示例储能电池有限公司",
                "name_en": "Demo Energy Storage Battery Co., Ltd.",
                "address": "上海市浦东新区示例路 1 号",
                "contact": "王经理",
                "phone": "+86 21 5555 0000",
                "compliance_programme": True,
            },
        )
        return applicant

    def _case(self, sku: str, energy: str, state: str) -> Case:
        existing = Case.objects.filter(product__sku=sku).order_by("-pk").first()
        if existing is not None:
            return existing
        parsed = parse_specs(
            pd.DataFrame(
                [
                    {
                        "sku": sku,
                        "name": f"Li-ion cell {energy} Wh/kg",
                        "category": "battery_cell",
                        "subtype": "li_ion",
                        "energy_density_wh_per_kg": energy,
                        "destination_country": "DE",
                        "annual_export_value_usd": "900000",
                    }
                ],
                dtype=object,
            )
        )
        if parsed.errors:
            raise CommandError(f"demo spec {sku} does not parse: {parsed.errors}")
        row = parsed.specs.iloc[0]
        spec, _ = products.record_spec(
            sku=sku,
            revision="",
            fields=products.spec_fields(row),
            user=self.analyst,
            source=SpecVersion.Source.DEMO,
        )
        screening = products.screen_spec(spec=spec, as_of=self.today, user=self.analyst)
        case = bring_to(screening, state, {"analyst": self.analyst, "reviewer": self.reviewer})
        if sku == "TRD-CELL-340":
            # As a re-screen under newer rules flags it: the determination needs a new look.
            flagged = Case.objects.filter(pk=case.pk)
            with rollup.track(flagged):
                flagged.update(rules_changed=True)
        return case

    def product(self, sku: str) -> Product:
        return self.cases[sku].product

    def _party(
        self, reference: str, name: str, country: str, military: str, end_use: str, roles: str
    ) -> Party:
        party, _ = parties.save_party(
            user=self.analyst,
            reference=reference,
            name=name,
            country=country,
            roles=["consignee", "end_user"] if roles == "both" else [roles],
            end_use=end_use,
            military_end_user=military,
        )
        return party

    def _match(self, reference: str) -> PartyMatch:
        match = PartyMatch.objects.filter(party=self.parties[reference]).order_by("-score").first()
        if match is None:
            raise CommandError(f"{reference} found no candidate in the starter lists")
        return match

    def _decide_matches(self) -> None:
        match = self._match("DEMO-C-SKYDIO")
        parties.confirm_match(
            match=match,
            version=match.version,
            user=self.reviewer,
            rationale="Same company: name, country and the address on its website agree.",
        )
        match = self._match("DEMO-C-CUBIC")
        parties.propose_dismissal(
            match=match,
            version=match.version,
            user=self.reviewer,
            rationale="A transit fare-system supplier in Ohio, not the listed defence business.",
        )
        match = self._match("DEMO-C-INSITU")
        match = parties.propose_dismissal(
            match=match,
            version=match.version,
            user=self.reviewer,
            rationale="An agricultural drone reseller in Kansas; the listed Insitu is in Oregon.",
        )
        parties.accept_dismissal(match=match, version=match.version, user=self.reviewer2)

    # --- applications and licences ------------------------------------------------------------

    def _application(self, sku: str, contract: str, documents: bool = True) -> Any:
        nordlicht = self.parties["DEMO-C-NORDLICHT"]
        application = applications.prepare_application(
            user=self.analyst,
            kind=self.kind,
            applicant=self.applicant,
            contract_reference=contract,
            consignee=nordlicht,
            end_user=nordlicht,
            end_use="Stationary energy storage for a grid operator",
            destination_country="DE",
            items=[
                applications.ItemInput(
                    case=self.cases[sku], quantity="1000", unit="kg", value="90000"
                )
            ],
        )
        if documents:
            for kind in applications.missing_documents(application):
                applications.attach_document(
                    application=application,
                    user=self.analyst,
                    kind=kind,
                    upload=SimpleUploadedFile(f"{kind}.pdf", PDF),
                )
        application.refresh_from_db()
        return application

    def _file(self, application: Any, filed_on: dt.date) -> Any:
        return applications.file_application(
            application=application,
            version=application.version,
            user=self.analyst2,  # four-eyes: not whoever prepared it
            filed_on=filed_on,
            authority_reference=f"MOFCOM-{application.contract_reference}",
        )

    def _applications(self) -> None:
        self._application("TRD-CELL-335", "DEMO-CONTRACT-DRAFT", documents=False)
        self._file(self._application("TRD-CELL-335", "DEMO-CONTRACT-FILED"), self.day(-80))
        refused = self._file(
            self._application("TRD-CELL-335", "DEMO-CONTRACT-REFUSED"), self.day(-120)
        )
        applications.record_refusal(
            application=refused,
            version=refused.version,
            user=self.reviewer,
            decided_on=self.day(-60),
            note="MOFCOM refused: the end-use statement did not name the installation site.",
        )
        withdrawn = self._application("TRD-CELL-335", "DEMO-CONTRACT-WITHDRAWN")
        applications.withdraw_application(
            application=withdrawn,
            version=withdrawn.version,
            user=self.analyst,
            reason="The customer moved the order to 2027.",
        )
        self.granted = self._file(
            self._application("TRD-CELL-310", "DEMO-CONTRACT-GRANTED"), self.day(-70)
        )

    def _licence(
        self,
        number: str,
        sku: str,
        *,
        quantity: str = "1000",
        unit: str = "kg",
        valid: tuple[int, int] = (-30, 300),
        **extra: Any,
    ) -> Licence:
        nordlicht = self.parties["DEMO-C-NORDLICHT"]
        return licences.record_licence(
            user=self.reviewer,
            number=number,
            kind=self.kind,
            holder=self.applicant,
            valid_from=self.day(valid[0]),
            valid_until=self.day(valid[1]),
            consignee=nordlicht,
            end_user=nordlicht,
            destination_country="DE",
            lines=[
                licences.LicenceLineInput(
                    control_code="3A001", quantity=quantity, unit=unit, product=self.product(sku)
                )
            ],
            **extra,
        )

    def _licences(self) -> None:
        self._licence(
            SENTINEL,
            "TRD-CELL-310",
            application=self.granted,
            application_version=self.granted.version,
        )
        self._licence("L-DEMO-002", "TRD-CELL-315", quantity="100")
        revoked = self._licence("L-DEMO-003", "TRD-CELL-320")
        licences.set_status(
            licence=revoked, user=self.reviewer, status="revoked", reason="MOFCOM revocation notice"
        )
        suspended = self._licence("L-DEMO-004", "TRD-CELL-325")
        licences.set_status(
            licence=suspended,
            user=self.reviewer,
            status="suspended",
            reason="Suspended pending an end-use check",
        )
        self._licence("L-DEMO-005", "TRD-CELL-330", valid=(-330, 20))  # expires within the alert
        self._licence("L-DEMO-006", "TRD-CELL-330", valid=(-400, -40))  # expired
        self._licence("L-DEMO-007", "TRD-CELL-340")

    # --- orders ----------------------------------------------------------------------------------

    def order(
        self,
        sku: str,
        quantity: str = "50",
        unit: str = "kg",
        *,
        destination: str = "DE",
        consignee: str = "DEMO-C-NORDLICHT",
        end_user: str | None = None,
        ship: dt.date | None = None,
        check: bool = True,
    ) -> Shipment:
        self.orders += 1
        return entry.enter_shipment(
            user=self.analyst,
            reference=f"SO-DEMO-{self.orders:03d}",
            destination_country=destination,
            consignee=self.parties[consignee],
            end_user=self.parties[end_user or consignee],
            planned_ship_date=ship or self.ship,
            lines=[
                entry.LineInput(
                    product=self.product(sku), quantity=quantity, unit=unit, value="4500"
                )
            ],
            source=ShipmentSource.DEMO,
            check=check,
        )

    def _shipments(self) -> None:
        # Released, exported, cancelled and one not checked yet.
        self.order("TRD-CELL-310", "120")
        exported = self.order("TRD-CELL-310", "0.2", "t")
        shipments.confirm_export(
            shipment=exported,
            user=self.analyst,
            exported_on=self.day(-2),
            declaration_number="223120260000000001",
        )
        cancelled = self.order("TRD-CELL-310", "60")
        shipments.cancel_shipment(
            shipment=cancelled,
            version=cancelled.version,
            user=self.analyst,
            reason="The customer cancelled the order.",
        )
        self.order("TRD-CELL-310", "30", check=False)
        self.order("TRD-CELL-250", "500")  # not controlled: no licence needed
        # Held, one reason after another.
        self.order("TRD-CELL-345")  # no determination
        self.order("TRD-CELL-340")  # determination outdated
        self.order("TRD-CELL-335")  # no licence
        self.order("TRD-CELL-310", "40", "pcs")  # units do not convert
        self.order("TRD-CELL-315", "100")  # draws the whole of L-DEMO-002: exhausted
        self.order("TRD-CELL-315", "30")  # balance too low
        self.order("TRD-CELL-320")  # licence revoked
        self.order("TRD-CELL-325")  # licence suspended
        self.order("TRD-CELL-330", ship=self.day(45))  # not valid on the ship date
        self.order("TRD-CELL-310", destination="FR")  # another destination
        self.order("TRD-CELL-310", end_user="DEMO-C-BALTIC")  # other parties
        self.order("TRD-CELL-250", destination="US", consignee="DEMO-C-SKYDIO")  # party listed
        self.order("TRD-CELL-250", destination="US", consignee="DEMO-C-LEIDOS")  # candidate
        # Dual-use goods to US end users: a military one (prohibited), one not known.
        self.order("TRD-CELL-310", destination="US", end_user="DEMO-E-ORBITAL")
        self.order("TRD-CELL-310", destination="US", end_user="DEMO-E-HARBOR")
        self._stale_list_order()

    def _stale_list_order(self) -> None:
        """A new party checked while the watch list was past its age: held until someone
        confirms the list is current (the list's date is put back afterwards)."""
        version = published("watch_list")
        if version is None:
            return
        kept = version.confirmed_current_on
        too_old = self.day(-(settings.PARTY_LIST_MAX_AGE_DAYS + 10))
        ListVersion.objects.filter(pk=version.pk).update(confirmed_current_on=too_old)
        self.parties["DEMO-C-NEWCO"] = self._party(
            "DEMO-C-NEWCO", "Fjord Battery Trading AS", "NO", "no", "Marine storage", "both"
        )
        self.order("TRD-CELL-250", destination="NO", consignee="DEMO-C-NEWCO")
        ListVersion.objects.filter(pk=version.pk).update(confirmed_current_on=kept)
