"""The benchmarks at tiny sizes, so that `make bench` cannot rot between runs."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# bench.run makes its own SQLite file (`--db postgres` is `make bench DB=postgres`).
pytestmark = pytest.mark.any_database


@pytest.mark.heavy
def test_small_benchmarks_run_and_report_every_figure(tmp_path):
    output = tmp_path / "results.json"
    process = subprocess.run(  # noqa: S603 -- our own interpreter running our benchmark
        [sys.executable, "-m", "bench.run", "--small", "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert process.returncode == 0, process.stderr[-3000:]
    report = json.loads(output.read_text())
    results = report["results"]
    assert report["database"] == "sqlite"
    assert report["measured_on"] == dt.date.today().isoformat()
    assert report["machine"]["cores"] == os.cpu_count()
    assert set(results) == {
        "evaluate_1m",
        "import_100k_csv",
        "import_100k_xlsx",
        "rescreen_1m",
        "dashboard_1m",
        "dashboard_uncached_1m",
        "http_load",
        "api_screen_10k",
        "api_load",
        "party_rescreen_100k",
        "shipment_check_10k",
    }
    assert set(results["evaluate_1m"]) >= {"seconds", "floor_seconds"}
    assert set(results["import_100k_csv"]) >= {
        "seconds",
        "peak_rss_mb",
        "floor_seconds",
        "peer_seconds",
    }
    assert set(results["import_100k_xlsx"]) >= {"seconds", "peak_rss_mb"}
    assert set(results["rescreen_1m"]) >= {"seconds", "peak_rss_mb"}
    assert set(results["dashboard_1m"]) >= {"p50_ms", "p95_ms", "floor_ms"}
    uncached = results["dashboard_uncached_1m"]
    assert set(uncached) >= {"p50_ms", "p95_ms", "without_entry_p95_ms", "section_p95_ms"}
    assert uncached["requests"] == 14
    assert 0 < results["import_100k_csv"]["created_cases"] <= results["import_100k_csv"]["rows"]
    assert results["rescreen_1m"]["products"] > 0
    parties = results["party_rescreen_100k"]
    assert set(parties) >= {"seconds", "single_p95_ms", "planted_found"}
    http = results["http_load"]
    assert (http["errors"], http["requests"] > 0) == (0, True), http
    # Saturated (no pause) serves more requests in the same window than paced users ask for.
    assert http["saturated_errors"] == 0, http
    assert http["saturated_requests_per_s"] > http["requests_per_s"] > 0, http
    assert set(results["api_screen_10k"]) >= {"seconds", "first_call_seconds", "slowest_seconds"}
    assert results["api_screen_10k"]["rows"] == 200
    shipments = results["shipment_check_10k"]
    assert set(shipments) >= {"seconds", "upload_seconds", "recheck_seconds", "import_queries"}
    assert (shipments["lines"], shipments["licences"]) == (300, 40)
    assert shipments["released"] > 0
    assert shipments["held"] > 0
    api = results["api_load"]
    assert (api["errors"], api["requests"] > 0) == (0, True), api


def test_only_runs_the_named_benchmarks_and_keeps_the_results_file(tmp_path):
    output = tmp_path / "results.json"
    process = subprocess.run(  # noqa: S603 -- our own interpreter running our benchmark
        [sys.executable, "-m", "bench.run", "--small", "--output", str(output)]
        + ["--only", "evaluate_1m"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert process.returncode == 0, process.stderr[-3000:]
    ran = [line.split()[0] for line in process.stdout.splitlines() if "done in" in line]
    assert ran == ["evaluate_1m"]  # no database to migrate for it
    assert "evaluate_1m" in process.stdout.split("benchmark", 1)[1]
    assert "floor_seconds=" in process.stdout
    assert not output.exists()


def test_only_brings_what_a_benchmark_needs():
    from bench.run import needed

    # The import's figures are judged against a peer import measured in the same run.
    assert needed(["import_100k_csv"]) == {"migrate", "import_100k_csv", "peer"}
    # Re-screening and the dashboards run on a filled portfolio.
    assert needed(["rescreen_1m"]) == {"migrate", "fill", "rescreen_1m"}
    assert needed(["http_load", "api_load"]) == {"migrate", "fill", "http_load", "api_load"}
    assert needed(["evaluate_1m", "party_rescreen_100k"]) == {"evaluate_1m", "party_rescreen_100k"}
    assert needed(["evaluate_1m", "shipment_check_10k"]) == {
        "migrate",
        "evaluate_1m",
        "shipment_check_10k",
    }


def test_a_benchmark_misses_any_of_its_targets():
    from bench.run import misses

    paced_ok = {"p95_ms": 250.0, "saturated_requests_per_s": 75.0, "saturated_p95_ms": 800.0}
    assert misses("http_load", paced_ok) == []
    slow = {**paced_ok, "saturated_requests_per_s": 34.0}
    assert misses("http_load", slow) == ["saturated_requests_per_s=34.0 (min 60.0)"]
    assert misses("http_load", {"p95_ms": 250.0}) == [
        "saturated_requests_per_s=None (min 60.0)",
        "saturated_p95_ms=None (max 1000.0)",
    ]
    assert misses("evaluate_1m", {"seconds": 2.5}) == ["seconds=2.5 (max 2.0)"]
