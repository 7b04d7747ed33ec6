"""What the dashboard's tests share: a small portfolio of cases, the current catalogue, and how
they read frames and pages."""

from __future__ import annotations

import csv
import io
import json
import re

import pandas as pd
import pytest
from django.urls import reverse

from screening.dashboard import report
from screening.demo import bring_to

PAGE = reverse("dashboard")
DATES = {"as_of": "2026-11-01", "compare_to": "2026-12-01"}
HTMX = {"HTTP_HX_REQUEST": "true"}
CELL_VALUE = 250_000.0  # the `screened` fixture's annual export value, copied to the case


def rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(r) for r in frame[columns].itertuples(index=False)]


def figures(html: str) -> dict[str, dict]:
    """Every chart's json_script data on a page, by element id."""
    found = re.findall(r'<script id="([^"]+)" type="application/json">(.*?)</script>', html, re.S)
    return {element: json.loads(text) for element, text in found}


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def portfolio(case_in):
    """Two li-ion cells at 310 Wh/kg (licence required) and one at 290 (near the threshold)."""
    return [
        case_in("submitted"),
        case_in("in_review"),
        case_in("draft", energy="290"),
    ]


@pytest.fixture
def catalogue(rule_set):
    return report.current_catalogue()


@pytest.fixture
def case_of(screened, analyst, reviewer):
    """A case for a li-ion cell (310 Wh/kg) with the given SKU, brought to a state."""

    def make(sku, state="submitted", energy="310"):
        screening = screened(sku=sku, energy=energy)
        return bring_to(screening, state, {"analyst": analyst, "reviewer": reviewer})

    return make
