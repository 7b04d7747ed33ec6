"""`make bench`: run the benchmarks on this machine and write bench/results.json (or, with
`--db postgres`, bench/results-postgres.json), with the machine and the date.

    python -m bench.run [--db sqlite|postgres] [--small] [--output PATH] [--only NAME ...]

Each workload runs in its own process (its peak memory is its own) against one benchmark
database: a fresh SQLite file, or a throwaway PostgreSQL 15 cluster (tests/postgres.sh).
`--small` uses tiny sizes: the test suite runs it so that the benchmark code cannot rot.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"

SIZES: dict[str, dict[str, Any]] = {
    "full": {
        "evaluate": 1_000_000,
        "import": 100_000,
        "portfolio": 1_000_000,
        "dashboard_requests": 80,
        "uncached_requests": 100,
        "clients": 30,
        "load_seconds": 30.0,
        "api_screen": 10_000,
        "parties": 100_000,
        "list_entries": 10_000,
        "shipment_lines": 10_000,
        "licences": 1_000,
        "server_workers": None,  # as make serve: 2 x cores + 1
    },
    "small": {
        "evaluate": 2_000,
        "import": 300,
        "portfolio": 1_500,
        "dashboard_requests": 16,
        "uncached_requests": 14,
        "clients": 4,
        "load_seconds": 3.0,
        "api_screen": 200,
        "parties": 2_000,
        "list_entries": 500,
        "shipment_lines": 300,
        "licences": 40,
        "server_workers": 2,  # a few requests: starting five workers is most of the run
    },
}
TARGETS = {
    "evaluate_1m": ("seconds", 2.0),
    "import_100k_csv": ("seconds", 10.0),
    "import_100k_xlsx": ("seconds", 20.0),
    "rescreen_1m": ("seconds", 60.0),
    "dashboard_1m": ("p95_ms", 300.0),
    "dashboard_uncached_1m": ("p95_ms", 1000.0),
    "http_load": ("p95_ms", 300.0),
    "api_screen_10k": ("seconds", 3.0),
    "api_load": ("p95_ms", 300.0),
    "party_rescreen_100k": ("seconds", 30.0),
    "shipment_check_10k": ("seconds", 2.0),
}


def workload(name: str, sizes: dict[str, Any]) -> dict[str, Any]:
    """Run one workload in this process (called in a child process by main)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from bench import uncached, workloads

    if name == "migrate":
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return {}
    calls = {
        "evaluate_1m": lambda: workloads.evaluate(sizes["evaluate"]),
        "import_100k_csv": lambda: workloads.import_csv(sizes["import"]),
        "import_100k_xlsx": lambda: workloads.import_xlsx(sizes["import"]),
        "peer": lambda: workloads.peer_import(sizes["import"]),
        "fill": lambda: workloads.fill(sizes["portfolio"]),
        "rescreen_1m": lambda: workloads.rescreen(sizes["portfolio"]),
        "dashboard_1m": lambda: workloads.dashboard(sizes["dashboard_requests"]),
        "dashboard_uncached_1m": lambda: uncached.dashboard_uncached(sizes["uncached_requests"]),
        "http_load": lambda: workloads.http_load(
            sizes["clients"], sizes["load_seconds"], sizes["server_workers"]
        ),
        "api_screen_10k": lambda: workloads.api_screen(
            sizes["api_screen"], server_workers=sizes["server_workers"]
        ),
        "api_load": lambda: workloads.api_load(
            sizes["clients"], sizes["load_seconds"], sizes["server_workers"]
        ),
        "party_rescreen_100k": lambda: workloads.party_rescreen(
            sizes["parties"], sizes["list_entries"]
        ),
        "shipment_check_10k": lambda: workloads.shipment_check(
            sizes["shipment_lines"], sizes["licences"]
        ),
    }
    return calls[name]()


ORDER = (
    "migrate",
    "evaluate_1m",
    "import_100k_csv",
    "peer",
    "import_100k_xlsx",
    "fill",
    "rescreen_1m",
    "dashboard_1m",
    "dashboard_uncached_1m",
    "http_load",
    "api_screen_10k",
    "api_load",
    "party_rescreen_100k",
    "shipment_check_10k",
)


# The workloads that run gunicorn (bench.workloads._server): it serves the static files that
# one collectstatic per run collects first.
SERVED = ("http_load", "api_screen_10k", "api_load")


def _collect_static(env: dict[str, str]) -> None:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    print(f"  {'collectstatic':<21} done in {time.monotonic() - started:6.1f} s", flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _child(name: str, size: str, env: dict[str, str]) -> dict[str, Any]:
    started = time.monotonic()
    process = subprocess.run(
        [sys.executable, "-m", "bench.run", "--child", name, "--size", size],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if process.returncode != 0:
        sys.stderr.write(process.stderr[-4000:])
        raise SystemExit(f"benchmark {name} failed (exit {process.returncode})")
    result = json.loads(process.stdout.strip().splitlines()[-1])
    print(f"  {name:<21} done in {time.monotonic() - started:6.1f} s", flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--small", action="store_true")
    parser.add_argument(
        "--output",
        type=Path,
        help="default: bench/results.json (SQLite) or bench/results-postgres.json (PostgreSQL)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=sorted(TARGETS),
        help="run these benchmarks (and what they need) and print them; results.json is kept",
    )
    parser.add_argument("--child")
    parser.add_argument("--size", default="full")
    args = parser.parse_args(argv)
    if args.child:
        result = workload(args.child, SIZES[args.size])
        print(json.dumps(result, default=str))
        return 0

    size = "small" if args.small else "full"
    if args.output is None:
        name = "results.json" if args.db == "sqlite" else f"results-{args.db}.json"
        args.output = ROOT / "bench" / name
    WORK.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "MEDIA_ROOT": str(WORK / "media"),
        "LOG_LEVEL": "WARNING",
        "AXES_ENABLED": "false",
        "PYTHONPATH": str(ROOT),
    }
    cluster = None
    if args.db == "postgres":
        cluster = WORK / f"pg-{os.getpid()}"
        url = subprocess.run(
            ["sh", str(ROOT / "tests" / "postgres.sh"), "start", str(cluster), str(_free_port())],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        env["DATABASE_URL"] = url
    else:
        # One file per run: two runs at once (the test suite's two bench tests) must not share it.
        database = WORK / f"bench-{size}-{os.getpid()}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{database}"
    print(f"Benchmarks ({size}, {args.db}):", flush=True)
    results: dict[str, Any] = {}
    wanted = set(ORDER) if not args.only else needed(args.only)
    try:
        if wanted & set(SERVED):
            _collect_static(env)
        for name in ORDER:
            if name in wanted:
                results[name] = _child(name, size, env)
    finally:
        if args.db == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
        if cluster is not None:
            subprocess.run(
                ["sh", str(ROOT / "tests" / "postgres.sh"), "stop", str(cluster)], check=False
            )
    if args.only:
        partial = {
            name: results[name] | _peer(name, results) for name in args.only if name in results
        }
        print_table({"database": args.db, "results": partial})
        return 0
    report = {
        "database": args.db,
        "size": size,
        "measured_on": dt.date.today().isoformat(),
        "machine": machine(),
        "results": {
            "evaluate_1m": results["evaluate_1m"],
            "import_100k_csv": {
                **results["import_100k_csv"],
                "peer_seconds": results["peer"]["peer_seconds"],
            },
            "import_100k_xlsx": results["import_100k_xlsx"],
            "rescreen_1m": results["rescreen_1m"],
            "dashboard_1m": results["dashboard_1m"],
            "dashboard_uncached_1m": results["dashboard_uncached_1m"],
            "http_load": results["http_load"],
            "api_screen_10k": results["api_screen_10k"],
            "api_load": results["api_load"],
            "party_rescreen_100k": results["party_rescreen_100k"],
            "shipment_check_10k": results["shipment_check_10k"],
        },
        "portfolio": results["fill"],
    }
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_table(report)
    return 0


def machine() -> dict[str, Any]:
    """What the figures were measured on: they mean little without it."""
    memory = None
    with contextlib.suppress(OSError, ValueError):
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = round(pages / 2**30, 1)
    return {
        "platform": platform.platform(),
        "processor": platform.machine(),
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "python": platform.python_version(),
    }


# Benchmarks that never open the database (the shipped catalogue, the matcher in memory): run
# alone, they need no migrated one.
NO_DATABASE = frozenset({"evaluate_1m", "party_rescreen_100k"})


def needed(names: list[str]) -> set[str]:
    """The workloads to run for these benchmarks: each with its prerequisites."""
    wanted = set(names)
    if wanted - NO_DATABASE:
        wanted.add("migrate")
    if "import_100k_csv" in names:
        wanted.add("peer")
    if wanted & {"rescreen_1m", "dashboard_1m", "dashboard_uncached_1m", "http_load", "api_load"}:
        wanted.add("fill")
    return wanted


def _peer(name: str, results: dict[str, Any]) -> dict[str, Any]:
    if name == "import_100k_csv" and "peer" in results:
        return {"peer_seconds": results["peer"]["peer_seconds"]}
    return {}


# Further targets of a benchmark: (figure, "min" or "max", target).
MORE_TARGETS: dict[str, tuple[tuple[str, str, float], ...]] = {
    "import_100k_csv": (
        ("floor_ratio", "max", 3.0),
        ("peak_rss_mb", "max", 1024.0),
    ),
    "http_load": (
        ("saturated_requests_per_s", "min", 60.0),
        ("saturated_p95_ms", "max", 1000.0),
    ),
    "party_rescreen_100k": (("single_p95_ms", "max", 100.0),),
}

# Targets that hold on one database only: issue #17 asks the import to come within 3x its floor
# on SQLite ("closer to the floor: import_100k_csv on SQLite"); on PostgreSQL its targets are the
# seconds and the memory, the same as SQLite's. The ratio is still measured and shown on both.
ONLY_ON = {("import_100k_csv", "floor_ratio"): "sqlite"}


def applies(name: str, figure: str, database: str) -> bool:
    """Whether a target holds for figures measured on this database ("sqlite", "postgres")."""
    return ONLY_ON.get((name, figure), database) == database


def with_ratios(name: str, figures: dict[str, Any]) -> dict[str, Any]:
    """The figures and what is judged from them: the import's time over the floor measured in
    the same run (the ratio is a target, not the seconds alone)."""
    if name == "import_100k_csv" and figures.get("floor_seconds"):
        return {**figures, "floor_ratio": round(figures["seconds"] / figures["floor_seconds"], 1)}
    return figures


def misses(name: str, figures: dict[str, Any], database: str = "sqlite") -> list[str]:
    """The targets a benchmark's figures, measured on this database, miss, in words (none: it
    meets them all)."""
    key, target = TARGETS[name]
    more = [check for check in MORE_TARGETS.get(name, ()) if applies(name, check[0], database)]
    checks = [(key, "max", target), *more]
    figures = with_ratios(name, figures)
    missed = []
    for figure, bound, limit in checks:
        value = figures.get(figure)
        if value is None or (value > limit if bound == "max" else value < limit):
            missed.append(f"{figure}={value} ({bound} {limit})")
    return missed


def print_table(report: dict[str, Any]) -> None:
    print(f"\n{'benchmark':<21} {'result':>12} {'target':>10}  details")
    for name, figures in report["results"].items():
        key, target = TARGETS[name]
        value = figures.get(key)
        unit = "s" if key == "seconds" else "ms"
        missed = misses(name, figures, report.get("database", "sqlite"))
        ok = "ok " if not missed else "MISS " + "; ".join(missed)
        details = ", ".join(f"{k}={v}" for k, v in figures.items() if k != key)
        print(f"{name:<21} {value!s:>10} {unit} {target:>8} {unit}  {ok} {details}")


if __name__ == "__main__":
    raise SystemExit(main())
