"""Distance to threshold: histograms, thresholds, near bands and bin edges."""

from __future__ import annotations

import pytest

from screening.dashboard import thresholds
from screening.dashboard.filters import Filters, filtered_cases


def test_histogram_of_energy_density_with_threshold_and_near_band(case_in, catalogue):
    for energy in ("310", "300", "290", "200"):
        case_in("draft", energy=energy)
    histograms = thresholds.parameter_histograms(filtered_cases(Filters()), catalogue)
    by_parameter = {h.parameter: h for h in histograms}
    # Every parameter a criterion tests, in vocabulary order, thresholds from the catalogue.
    assert list(by_parameter) == [
        "energy_density_wh_per_kg",
        "compaction_density_g_per_cm3",
        "specific_capacity_mah_per_g",
        "first_cycle_efficiency_pct",
        "average_voltage_v",
        "tap_density_g_per_cm3",
        "purity_pct",
        "flexural_strength_mpa",
        "density_g_per_cm3",
        "granulation_volume_m3",
    ]
    assert [t.value for t in by_parameter["compaction_density_g_per_cm3"].thresholds] == [
        2.38,
        2.5,
        2.58,
    ]
    energy = by_parameter["energy_density_wh_per_kg"]
    assert (energy.cases, energy.minimum, energy.maximum) == (4, 200.0, 310.0)
    [threshold] = energy.thresholds
    assert (threshold.value, threshold.operator) == (300.0, ">=")
    assert threshold.entries == ("CN-2025-58:3A001", "CN-2025-58:3E901.a")
    assert (threshold.near_low, threshold.near_high) == (285.0, 300.0)
    assert (threshold.meeting_cases, threshold.near_cases) == (2, 1)  # 300 and 310; 290
    edges = energy.edges
    assert (edges[1] - edges[0], edges[0], edges[-1]) == (5.0, 195.0, 315.0)
    # A value exactly at the threshold lands in the bin that starts at it.
    placed = {
        edges[b]: c for b, c in zip(energy.counts["bin"], energy.counts["cases"], strict=True)
    }
    assert placed == {200.0: 1, 290.0: 1, 300.0: 1, 310.0: 1}
    assert set(energy.counts["category"]) == {"battery_cell"}
    assert by_parameter["purity_pct"].cases == 0
    assert by_parameter["purity_pct"].counts.empty


def test_bin_edges_put_the_lowest_threshold_on_an_edge_and_clip_outliers():
    edges = thresholds.bin_edges(2.159, 2.693, [2.38, 2.5, 2.58])
    assert 2.38 in edges
    width = edges[1] - edges[0]
    assert width == pytest.approx(0.02)
    assert edges[0] <= 2.159
    assert edges[-1] >= 2.693
    wide = thresholds.bin_edges(0.0, 1e6, [300.0])
    # Outliers do not stretch the axis beyond half to one and a half times the threshold.
    assert wide[0] >= 150.0 - (wide[1] - wide[0])
    assert wide[-1] <= 450.0 + (wide[1] - wide[0])
