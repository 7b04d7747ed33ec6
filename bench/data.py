"""Synthetic data for the benchmarks: files to upload, and a large stored portfolio.

The specs come from screening.synthetic (the generator behind `seed_demo --products N`), so
their distributions sit around the catalogue's thresholds as real portfolios do. A large
portfolio is stored through the same building blocks as an import (parse, screen, batched
inserts) without going through an upload per row; cases get a spread of workflow states.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from rules.access import ANALYST, REVIEWER, ensure_roles
from rules.evaluation import screen_frame
from rules.publishing import ensure_shipped_catalogue
from rules.specs import parse_specs
from screening import rollup
from screening.bulk import insert_rows
from screening.drafts import draft_cases
from screening.models import TEXT_FIELDS, Case, Product, SpecVersion
from screening.models.products import spec_content_hashes
from screening.products import (
    current_rule_set,
    default_regimes,
    insert_screenings,
    point_products_at_latest,
    spec_columns,
)
from screening.synthetic import portfolio

CACHE = Path(__file__).resolve().parent / ".cache"
PASSWORD = "bench-password-not-secret-42"  # noqa: S105 -- throwaway benchmark accounts
STATES = (
    ("draft", 0.30),
    ("submitted", 0.15),
    ("in_review", 0.12),
    ("returned", 0.05),
    ("approved", 0.25),
    ("closed", 0.10),
    ("withdrawn", 0.03),
)


def users(analysts: int = 30, reviewers: int = 5) -> tuple[list, list]:
    """Benchmark accounts (analysts prepare cases, reviewers review them)."""
    ensure_roles()
    ensure_shipped_catalogue()
    User = get_user_model()
    made: dict[str, list] = {ANALYST: [], REVIEWER: []}
    hashed = None  # one hash for every account: each takes the hasher's full work (~0.4 s)
    for role, count, prefix in (
        (ANALYST, analysts, "bench-analyst"),
        (REVIEWER, reviewers, "bench-reviewer"),
    ):
        group = Group.objects.get(name=role)
        for i in range(count):
            user, created = User.objects.get_or_create(username=f"{prefix}-{i}")
            if created:
                hashed = hashed or make_password(PASSWORD)
                user.password = hashed
                user.save()
                user.groups.add(group)
            made[role].append(user)
    return made[ANALYST], made[REVIEWER]


def csv_file(n: int, prefix: str) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{prefix}-{n}.csv"
    if not path.exists():
        portfolio(n, seed=11, prefix=prefix).to_csv(path, index=False)
    return path


def xlsx_file(n: int, prefix: str) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{prefix}-{n}.xlsx"
    if not path.exists():
        frame = portfolio(n, seed=12, prefix=prefix)
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("specs")
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False, name=None):
            sheet.append(list(row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        path.write_bytes(buffer.getvalue())
    return path


def canonical_frame(n: int, seed: int = 5) -> pd.DataFrame:
    """n specs already parsed to canonical units (what the evaluator reads)."""
    frame = portfolio(n, seed=seed, prefix="EVAL")
    for column in frame.columns:
        if column not in ("sku", "revision", *TEXT_FIELDS):
            frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame


def fill(n: int, *, prefix: str = "SYN", chunk: int = 100_000, seed: int = 21) -> int:
    """Store n products with a spec version, a screening and a case each (states spread)."""
    analysts, reviewers = users()
    rule_set = current_rule_set()
    catalogue = rule_set.catalogue()
    regimes = default_regimes(catalogue)
    catalogue = catalogue.for_regimes(regimes)
    rng = np.random.default_rng(seed)
    today = timezone.localdate()
    done = 0
    while done < n:
        size = min(chunk, n - done)
        raw = portfolio(size, seed=seed + done, prefix=f"{prefix}{done // chunk:03d}")
        parsed = parse_specs(raw)
        specs = parsed.specs[~parsed.invalid].reset_index(drop=True)
        screening = screen_frame(specs, catalogue, today)
        contracts = screening.contracts()
        with transaction.atomic():
            _store(specs, contracts, rule_set, regimes, today, analysts, reviewers, rng)
        done += size
    return done


def _store(specs, contracts, rule_set, regimes, today, analysts, reviewers, rng) -> None:
    now = timezone.now()
    m = len(specs)
    preparer = [analysts[i % len(analysts)].pk for i in range(m)]
    insert_rows(
        Product,
        ("sku", "revision", "created_at", "created_by"),
        zip(specs["sku"], specs["revision"], [now] * m, preparer, strict=True),
    )
    found = Product.objects.filter(sku__in=list(specs["sku"])).values_list("sku", "revision", "pk")
    ids = {(sku, revision): pk for sku, revision, pk in found}
    product_ids = [ids[(s, r)] for s, r in zip(specs["sku"], specs["revision"], strict=True)]
    fields = spec_columns(specs, {}, specs.index.to_numpy())
    hashes = spec_content_hashes(specs)
    insert_rows(
        SpecVersion,
        ("product", "number", "content_hash", "created_by", "source", "created_at", *fields),
        zip(
            product_ids,
            [1] * m,
            hashes,
            preparer,
            ["demo"] * m,
            [now] * m,
            *fields.values(),
            strict=True,
        ),
    )
    spec_of = dict(
        SpecVersion.objects.filter(product_id__in=product_ids).values_list("product_id", "pk")
    )
    screening_of_spec = insert_screenings(
        [(p, spec_of[p], c) for p, c in zip(product_ids, contracts, strict=True)],
        rule_set=rule_set,
        regimes=regimes,
        as_of=today,
        user_id=None,
    )
    screening_of = {p: screening_of_spec[spec_of[p]] for p in product_ids}
    point_products_at_latest(product_ids)
    names, weights = zip(*STATES, strict=True)
    states = rng.choice(names, size=m, p=np.array(weights) / sum(weights))
    ages = rng.integers(0, 90, size=m)
    # New draft cases (screening.drafts), then each brought to its state at once: its people,
    # decision and times per row.
    drafts = draft_cases(
        products=product_ids,
        specs=[spec_of[p] for p in product_ids],
        screenings=[screening_of[p] for p in product_ids],
        outcomes=[c["outcome"] for c in contracts],
        categories=specs["category"].tolist(),
        subtypes=specs["subtype"].tolist(),
        destinations=specs["destination_country"].tolist(),
        values=specs["annual_export_value_usd"].to_numpy(dtype=float).tolist(),
        prepared_by=None,
        at=now,
    )
    workflow = []
    for i in range(m):
        state = states[i]
        decided = state in ("approved", "closed")
        reviewer = (
            reviewers[i % len(reviewers)].pk
            if state not in ("draft", "submitted", "withdrawn")
            else None
        )
        outcome = contracts[i]["outcome"]
        changed = now - dt.timedelta(days=int(ages[i]))
        workflow.append(
            (
                state,
                preparer[i],
                preparer[i] if state != "draft" else None,
                reviewer,
                reviewer if decided else None,
                (
                    outcome
                    if outcome
                    in ("licence_required", "not_controlled", "near_threshold", "not_in_force")
                    else "licence_required"
                )
                if decided
                else "",
                "Benchmark decision." if decided else "",
                changed if decided else None,
                changed,
                changed,
                changed,
            )
        )
    cases = drafts.with_columns(
        (
            "state",
            "prepared_by",
            "submitted_by",
            "reviewer",
            "approved_by",
            "determination",
            "rationale",
            "decided_at",
            "created_at",
            "last_activity_at",
            "state_changed_at",
        ),
        workflow,
    )
    insert_rows(Case, cases.columns, cases.rows, cases.constants)
    # The dashboard's summary, as every write of cases keeps it (screening.rollup).
    rollup.add_new(cases.fields())


def api_secrets(role: str, count: int, scopes: list[str]) -> list[str]:
    """API tokens of a role (service accounts), made as an administrator makes them; their
    secrets. Names are new on every run: a name is never reused."""
    from rules import tokens
    from rules.models import ApiToken

    ensure_roles()
    run = timezone.now().strftime("%Y%m%d%H%M%S%f")
    made = []
    for i in range(count):
        token = ApiToken(
            name=f"bench-{role[:8]}-{run}-{i}",
            role=role,
            scopes=scopes,
            expires_at=timezone.now() + dt.timedelta(days=1),
        )
        made.append(tokens.issue(token, created_by=None))
    return made


def spec_objects(n: int, *, prefix: str, seed: int = 31) -> list[dict[str, str]]:
    """n synthetic specs as an ERP sends them to the API: JSON objects of the filled cells."""
    frame = portfolio(n, seed=seed, prefix=prefix)
    return [{k: v for k, v in row.items() if v != ""} for row in frame.to_dict("records")]


# --- the export side ---------------------------------------------------------------------------


@dataclass
class ShipmentWorld:
    run: str
    parties: list[str]  # their references
    products_of: dict[str, list[Product]]  # party reference → products licensed for it
    analyst: Any


def shipment_world(n_licences: int, n_parties: int = 100) -> ShipmentWorld:
    """n_licences products with an approved determination (licence required, 3A001), each with
    a granted single licence of 1,500 kg to DE naming one of n_parties parties as consignee
    and end user. Made through the domain functions (trade.parties, trade.licences); only the
    cases are stored in bulk and set approved in one statement."""
    import secrets

    from trade import licences, parties
    from trade.models import Applicant, LicenceKind

    analysts, reviewers = users()
    run = secrets.token_hex(3).upper()
    prefix = f"SHP{run}"
    fill(n_licences, prefix=prefix, chunk=n_licences)
    products = list(Product.objects.filter(sku__startswith=prefix).order_by("pk"))
    now = timezone.now()
    decided = Case.objects.filter(product__in=products)
    with rollup.track(decided):
        decided.update(
            state="approved",
            determination="licence_required",
            licence_path="single",
            determination_entries=["CN-BENCH:3A001"],
            submitted_by=analysts[0],
            reviewer=reviewers[0],
            approved_by=reviewers[0],
            rationale="Benchmark decision.",
            decided_at=now,
        )
    refs = []
    for i in range(n_parties):
        party, _ = parties.save_party(
            user=analysts[0],
            reference=f"BENCH-{run}-P{i:03d}",
            name=f"Nordvik Energilager {i:03d} AS",
            country="DE",
            military_end_user="no",
        )
        refs.append(party)
    applicant, _ = Applicant.objects.get_or_create(
        credit_code="91310000BENCH0001X",
        defaults={
            "name_zh": "基准电池有限公司",
            "address": "上海",
            "contact": "基准",
            "phone": "0",
            "compliance_programme": True,
        },
    )
    kind = LicenceKind.objects.get(code="dual_use_single")
    today = timezone.localdate()
    products_of: dict[str, list[Product]] = {}
    for i, product in enumerate(products):
        party = refs[i % n_parties]
        licences.record_licence(
            user=reviewers[0],
            number=f"BENCH-{run}-L{i:05d}",
            kind=kind,
            holder=applicant,
            valid_from=today - dt.timedelta(days=10),
            valid_until=today + dt.timedelta(days=300),
            consignee=party,
            end_user=party,
            destination_country="DE",
            lines=[
                licences.LicenceLineInput(
                    control_code="3A001", quantity="1500", unit="kg", product=product
                )
            ],
        )
        products_of.setdefault(party.reference, []).append(product)
    return ShipmentWorld(run, sorted(products_of), products_of, analysts[0])
