"""Fixtures of the export side: an applicant, parties, a licence for an approved case."""

from __future__ import annotations

import datetime as dt
import functools

import pytest

from trade import licences, parties
from trade.models import Applicant, LicenceKind


def make_applicant() -> Applicant:
    return Applicant.objects.create(
        name_zh="示例电池有限公司",
        name_en="Example Battery Co., Ltd.",
        credit_code="91310000MA1FL0000X",
        address="上海市浦东新区示例路1号",
        contact="王经理",
        phone="+86 21 5555 0000",
        compliance_programme=True,
    )


def save_party(analyst, reference="P-1", name="Acme Batteries GmbH", country="DE", **fields):
    """A consignee or end user saved by `analyst` (by default one no list entry resembles)."""
    found, _ = parties.save_party(
        user=analyst, reference=reference, name=name, country=country, **fields
    )
    return found


def record_licence_for(
    analyst,
    applicant,
    kind,
    case,
    *,
    consignee,
    end_user,
    quantity="100",
    unit="kg",
    number="L-2026-0001",
    valid_from=dt.date(2026, 11, 1),
    valid_until=dt.date(2027, 6, 30),
):
    """A granted single licence for an approved case's product, to its case's destination."""
    return licences.record_licence(
        user=analyst,
        number=number,
        kind=kind,
        holder=applicant,
        valid_from=valid_from,
        valid_until=valid_until,
        consignee=consignee,
        end_user=end_user,
        destination_country=case.destination_country or "DE",
        lines=[
            licences.LicenceLineInput(
                control_code="3A001", quantity=quantity, unit=unit, product=case.product
            )
        ],
    )


@pytest.fixture
def applicant(db):
    return make_applicant()


@pytest.fixture
def party(db, analyst):
    """A consignee or end user with a name no list entry resembles."""
    return functools.partial(save_party, analyst)


@pytest.fixture
def single_kind(db):
    return LicenceKind.objects.get(code="dual_use_single")


@pytest.fixture
def licence_for(analyst, applicant, single_kind):
    """A granted single licence for an approved case's product, to its case's destination."""
    return functools.partial(record_licence_for, analyst, applicant, single_kind)


@pytest.fixture
def trade_world(request, analyst, reviewer):
    """Objects of the export side made on demand (tests/trade/views.py)."""
    from tests.trade.views import World

    return World(request.getfixturevalue)
