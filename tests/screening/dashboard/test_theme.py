"""How labels and numbers are written in the charts, and the narrow layout a figure carries for
phones (issue 18, item 13)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from django.utils import translation

from screening.dashboard.charts import cases_and_value
from screening.dashboard.theme import (
    NARROW_PX,
    WIDE_PLOT_PX,
    chinese_amount,
    compact_usd,
    label_px,
    money_axis,
    styled,
    wrap,
)

pytestmark = pytest.mark.any_database  # no database: make test-postgres skips it


def test_wrap_breaks_at_spaces_and_escapes():
    assert wrap("Not controlled, near a threshold") == "Not controlled,<br>near a threshold"
    assert wrap("R&D <cell>") == "R&amp;D &lt;cell&gt;"
    assert wrap("first\nsecond line", 40) == "first<br>second line"


def test_wrap_breaks_chinese_text_between_characters_never_before_closing_punctuation():
    lines = wrap("无法判定：数据缺失（需要补充参数）", 16).split("<br>")
    assert "".join(lines) == "无法判定：数据缺失（需要补充参数）"
    assert lines[0] == "无法判定："  # at the colon, the line being at least half full
    assert all(not line.startswith(("）", "：")) for line in lines)
    assert all(not line.endswith("（") for line in lines)


def test_label_px_counts_the_widest_line_and_chinese_characters_twice():
    assert label_px("abcd<br>ab") == 4 * 7
    assert label_px("许可") == 4 * 7
    assert label_px("R&amp;D") == 3 * 7


def test_chinese_amounts_count_in_wan_and_yi():
    assert chinese_amount(28_600_000) == "2,860万"
    assert chinese_amount(350_000) == "35万"
    assert chinese_amount(150_000_000) == "1.5亿"
    assert chinese_amount(9_999) == "9,999"


def test_compact_usd_and_money_axis_by_language():
    assert compact_usd(1_200_000) == "US$1.2M"
    assert money_axis(1_200_000) == {"tickprefix": "$", "tickformat": "~s"}
    with translation.override("zh-hans"):
        assert "2,860万" in compact_usd(28_600_000)
        axis = money_axis(1_200_000)
    assert axis["tickvals"] == [0, 500_000, 1_000_000, 1_500_000]
    assert axis["ticktext"] == ["0", "50万", "100万", "150万"]


def two_panels(positions: list[str], **options) -> dict:
    frame = pd.DataFrame(
        {
            "outcome": positions,
            "day": ["d"] * len(positions),
            "cases": [1] * len(positions),
            "value_usd": [1_000.0] * len(positions),
        }
    )
    return cases_and_value(
        frame=frame,
        along="outcome",
        positions=positions,
        by="day",
        series=["d"],
        label=str,
        name=str,
        colour=lambda d: "#000000",
        link=lambda p, d: "",
        height=400,
        **options,
    )


def test_side_by_side_panels_carry_their_one_above_the_other_layout():
    figure = two_panels(
        ["Licence required", "Not controlled, near a threshold"],
        titles=("Products", "Annual export value (USD)"),
    )
    meta = figure["layout"]["meta"]
    narrow = meta["narrow"]
    assert {t["orientation"] for t in narrow["data"]} == {"h"}  # bars across
    lower, upper = narrow["layout"]["yaxis2"]["domain"], narrow["layout"]["yaxis"]["domain"]
    assert lower[1] < upper[0]  # one above the other, apart
    assert narrow["layout"]["xaxis2"]["title"]["text"] == "Annual export value<br>(USD)"
    assert 0 < meta["wide_from"] <= WIDE_PLOT_PX


def test_vertical_labels_wrap_narrower_until_they_fit_a_wide_chart():
    many = [f"A rather long outcome label number {i}" for i in range(7)]
    figure = two_panels(many)
    labels = figure["data"][0]["x"]
    assert figure["layout"]["meta"]["wide_from"] <= WIDE_PLOT_PX
    assert max(label_px(text) for text in labels) <= 12 * 7  # wrapped at 12 or 9 columns


def test_styled_figures_take_the_narrow_layout_below_their_width():
    figure = two_panels(["Licence required"])
    payload = styled(
        figure,
        key="k",
        title="Exposure by category and automated outcome of the cases",
        today=dt.date(2026, 11, 27),
    )
    meta = payload["layout"]["meta"]
    assert meta["wide_from"] >= NARROW_PX
    narrow = meta["narrow"]["layout"]
    assert narrow["title"]["text"].count("<br>") == 1  # the title wrapped
    assert narrow["legend"]["y"] == 0  # the legend under the plot
    assert "yaxis2" in narrow  # the panels one above the other
