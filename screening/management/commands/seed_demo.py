"""`manage.py seed_demo`: demo users for every role and a few demo products. Safe to run again.

New users get a random password, printed once, last (`make run` starts the server right after).
Products are recorded and screened through the same domain functions a user triggers, so
everything they leave behind is real; the e-mails those steps would send (reviewers told of
submitted cases, analysts of returns and decisions) are counted, not sent.

`analyst_reviewer` holds both roles, to try four-eyes: they review the cases others prepared,
never their own (a demo case they prepared waits for review by someone else).

All or nothing: the specs are parsed before anything is written, and users, products and cases
are written in one transaction. The passwords are printed only once that transaction has
committed, so a run that fails leaves nothing behind and the next run starts afresh.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

import pandas as pd
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from rules.access import ANALYST, REVIEWER, RULES_ADMIN
from rules.specs import ParsedSpecs, parse_specs
from screening import products
from screening.demo import STATE_PLAN, bring_to
from screening.models import Case, Product, SpecVersion
from screening.models.cases import State
from screening.synthetic import portfolio

DEMO_USERS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    # username, roles, superuser
    ("analyst", (ANALYST,), False),
    ("analyst2", (ANALYST,), False),
    ("analyst_reviewer", (ANALYST, REVIEWER), False),
    ("reviewer", (REVIEWER,), False),
    ("reviewer2", (REVIEWER,), False),
    ("rulesadmin", (RULES_ADMIN,), False),
    ("rulesadmin2", (RULES_ADMIN,), False),
    ("admin", (), True),
)

# Prepared and submitted by analyst_reviewer: the case they may not review themselves.
FOUR_EYES_SKU = "CELL-4EYES-1"

DEMO_SPECS = (
    {
        "sku": "CELL-21700-HE",
        "name": "21700 high-energy cell",
        "category": "battery_cell",
        "subtype": "li_ion",
        "manufacturer": "Demo Cells Ltd",
        "energy_density_wh_per_kg": "305",
        "destination_country": "DE",
        "annual_export_value_usd": "2400000",
        "hs_code": "85076000",
    },
    {
        "sku": "CELL-LFP-280",
        "name": "LFP prismatic cell 280 Ah",
        "category": "battery_cell",
        "subtype": "li_ion",
        "manufacturer": "Demo Cells Ltd",
        "nominal_voltage_v": "3.2",
        "capacity_ah": "280",
        "mass_kg": "5.4",
        "destination_country": "US",
        "annual_export_value_usd": "5100000",
        "hs_code": "85076000",
    },
    {
        "sku": "PACK-EV-90",
        "name": "EV pack 90 kWh",
        "category": "battery_pack",
        "subtype": "li_ion",
        "energy_density_wh_per_kg": "0.29 kWh/kg",
        "destination_country": "NO",
        "annual_export_value_usd": "8000000",
    },
    {
        "sku": "LFP-P2",
        "name": "LFP cathode powder P2",
        "category": "cathode_material",
        "subtype": "lfp",
        "manufacturer": "Demo Materials",
        "compaction_density_g_per_cm3": "2.6 g/cc",
        "specific_capacity_mah_per_g": "158",
        "destination_country": "KR",
        "annual_export_value_usd": "1200000",
        "hs_code": "28429040",
    },
    {
        "sku": "LFP-P1",
        "name": "LFP cathode powder P1",
        "category": "cathode_material",
        "subtype": "lfp",
        "compaction_density_g_per_cm3": "2.55",
        "destination_country": "JP",
        "annual_export_value_usd": "900000",
    },
    {
        "sku": "LFP-STD",
        "name": "LFP cathode standard grade",
        "category": "cathode_material",
        "subtype": "lfp",
        "compaction_density_g_per_cm3": "2.42",
        "specific_capacity_mah_per_g": "150",
        "destination_country": "VN",
        "annual_export_value_usd": "700000",
    },
    {
        "sku": "NCM-PRE-811",
        "name": "NCM811 hydroxide precursor",
        "category": "cathode_precursor",
        "subtype": "ncm_hydroxide",
        "destination_country": "FI",
        "annual_export_value_usd": "3000000",
    },
    {
        "sku": "AG-ANODE-1",
        "name": "Artificial graphite anode AG-1",
        "category": "anode_material",
        "subtype": "artificial_graphite",
        "destination_country": "PL",
        "annual_export_value_usd": "1800000",
    },
    {
        "sku": "GR-ISO-HP",
        "name": "Isostatic graphite block HP",
        "category": "graphite_material",
        "subtype": "synthetic_graphite",
        "purity_pct": "99.95",
        "flexural_strength_mpa": "45",
        "density_g_per_cm3": "1.85",
        "destination_country": "US",
        "annual_export_value_usd": "650000",
    },
    {
        "sku": "GR-SPH-18",
        "name": "Spherical graphite 18 µm",
        "category": "graphite_material",
        "subtype": "spherical_graphite",
        "destination_country": "US",
        "annual_export_value_usd": "450000",
    },
    {
        "sku": "EQ-WIND-7",
        "name": "Cylindrical cell winding machine",
        "category": "equipment",
        "subtype": "winding_machine",
        "destination_country": "HU",
        "annual_export_value_usd": "2200000",
    },
    {
        "sku": "EQ-GRAN-4",
        "name": "Vertical granulation kettle 4.8 m³",
        "category": "equipment",
        "subtype": "granulation_kettle_vertical",
        "granulation_volume_m3": "4800 L",
        "destination_country": "IN",
        "annual_export_value_usd": "400000",
    },
    {
        "sku": "TECH-LFP-220",
        "name": "LFP synthesis process licence",
        "category": "technology",
        "subtype": "lfp_preparation",
        "compaction_density_g_per_cm3": "2.62",
        "compaction_pressure_mpa": "220",
        "specific_capacity_mah_per_g": "161",
        "discharge_rate_c": "C/10",
        "first_cycle_efficiency_pct": "97.5",
        "destination_country": "MA",
        "annual_export_value_usd": "1500000",
    },
    {
        "sku": FOUR_EYES_SKU,
        "name": "Pouch cell for the four-eyes demo",
        "category": "battery_cell",
        "subtype": "li_ion",
        "energy_density_wh_per_kg": "320",
        "destination_country": "FR",
        "annual_export_value_usd": "600000",
    },
    {
        "sku": "CELL-NA-160",
        "name": "Sodium-ion cell 160 Wh/kg",
        "category": "battery_cell",
        "subtype": "sodium_ion",
        "energy_density_wh_per_kg": "160",
        "destination_country": "BR",
        "annual_export_value_usd": "300000",
    },
)


class Command(BaseCommand):
    help = (
        "Create demo users (one per role), demo products and cases in every state. "
        "Safe to run again."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--products",
            type=int,
            default=0,
            help="Also create N synthetic products (realistic distributions) with their cases.",
        )
        parser.add_argument(
            "--seed", type=int, default=7, help="Random seed of the synthetic data."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Parsed first: specs that do not parse stop the command before anything is written.
        batches = [_parsed(pd.DataFrame(list(DEMO_SPECS), dtype=object))]
        if options["products"]:
            batches.append(_parsed(portfolio(options["products"], seed=options["seed"])))
        UnsentMail.count = 0
        with override_settings(EMAIL_BACKEND=f"{__name__}.UnsentMail"), transaction.atomic():
            created_logins = self._users()
            count = sum(self._products(parsed) for parsed in batches)
        self.stdout.write(f"Demo products: {count} new.")
        if UnsentMail.count:
            self.stdout.write(
                f"The demo cases' {UnsentMail.count} notification e-mails were not sent."
            )
        # The logins last, so that they are what `make run` leaves on the screen.
        if created_logins:
            self.stdout.write(self.style.SUCCESS("Demo logins (shown once; keep them):"))
            for username, password, role in created_logins:
                self.stdout.write(f"  {username:<17} {password:<17} {role}")
        else:
            self.stdout.write(
                "Demo users already exist; their passwords are unchanged "
                "(set one with: python manage.py changepassword analyst)."
            )

    def _users(self) -> list[tuple[str, str, str]]:
        User = get_user_model()
        created = []
        for username, roles, superuser in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                continue
            password = secrets.token_urlsafe(12)
            if superuser:
                User.objects.create_superuser(username, f"{username}@example.com", password)
            else:
                user = User.objects.create_user(
                    username,
                    f"{username}@example.com",
                    password,
                    is_staff=RULES_ADMIN in roles,
                )
                user.groups.add(*Group.objects.filter(name__in=roles))
            created.append((username, password, " + ".join(roles) or "superuser"))
        return created

    def _products(self, parsed: ParsedSpecs) -> int:
        User = get_user_model()
        analyst = User.objects.get(username="analyst")
        people = {
            name: User.objects.get(username=name) for name in ("analyst", "reviewer", "reviewer2")
        }
        warnings = parsed.warnings_by_row()
        new = 0
        today = timezone.localdate()
        plan = Case.objects.count()
        for row_number, row in parsed.specs.iterrows():
            if Product.objects.filter(sku=row["sku"], revision=row["revision"]).exists():
                continue
            spec, _ = products.record_spec(
                sku=row["sku"],
                revision=row["revision"],
                fields=products.spec_fields(row, warnings.get(row_number, [])),
                user=analyst,
                source=SpecVersion.Source.DEMO,
            )
            if row["sku"] == FOUR_EYES_SKU:
                both = User.objects.get(username="analyst_reviewer")
                screening = products.screen_spec(spec=spec, as_of=today, user=both)
                bring_to(screening, State.SUBMITTED, {**people, "analyst": both})
            else:
                screening = products.screen_spec(spec=spec, as_of=today, user=analyst)
                bring_to(screening, STATE_PLAN[plan % len(STATE_PLAN)], people)
                plan += 1
            new += 1
            if new % 1000 == 0:
                self.stdout.write(f"  {new} products…")
        return new


class UnsentMail(BaseEmailBackend):
    """Seeding's e-mail backend: the demo's notifications are counted, not sent (the console
    backend of `make run` would print each one above the logins)."""

    count = 0

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        UnsentMail.count += len(email_messages)
        return len(email_messages)


def _parsed(rows: pd.DataFrame) -> ParsedSpecs:
    parsed = parse_specs(rows)
    if parsed.errors:  # the demo data is ours: an error here is a bug
        listed = "; ".join(f"row {e.row} {e.column}: {e.message}" for e in parsed.errors)
        raise CommandError(f"demo specs do not parse, nothing was written: {listed[:2000]}")
    return parsed
