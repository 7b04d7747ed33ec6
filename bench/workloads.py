"""The benchmarks. Each returns a dict of figures; bench.run runs each in its own process so
that peak memory (ru_maxrss) belongs to one workload."""

from __future__ import annotations

import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def evaluate(n: int) -> dict[str, Any]:
    """The vectorised evaluator over n specs; floor: the same comparisons as bare pandas."""
    from bench.data import canonical_frame
    from rules.catalogue_data import load_shipped
    from rules.evaluation import screen_frame

    catalogue = load_shipped().for_regimes(["CN"])
    frame = canonical_frame(n)
    as_of = dt.date(2026, 12, 1)
    started = time.perf_counter()
    outcomes = screen_frame(frame, catalogue, as_of).outcomes
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    floor_outcomes = bare_pandas(frame, catalogue, as_of)
    floor = time.perf_counter() - started
    agree = float((outcomes.to_numpy() == floor_outcomes).mean())
    return {
        "seconds": round(seconds, 3),
        "floor_seconds": round(floor, 3),
        "rows": n,
        "agreement_with_floor": round(agree, 4),
    }


def bare_pandas(frame: pd.DataFrame, catalogue: Any, as_of: dt.date) -> np.ndarray:
    """The floor: each criterion as a plain pandas comparison, AND per entry, outcome by
    precedence. No unknowns for test conditions, no explanations: the least work possible."""
    matched_in_force = pd.Series(False, index=frame.index)
    unknown_in_force = pd.Series(False, index=frame.index)
    other = pd.Series(False, index=frame.index)
    near = pd.Series(False, index=frame.index)
    for measure in catalogue.measures:
        in_force = measure.status_on(as_of) == "in_force"
        for entry in measure.entries:
            scope = pd.Series(False, index=frame.index)
            for s in entry.applies_to:
                hit = frame["category"] == s.category
                if s.subtype:
                    hit &= frame["subtype"] == s.subtype
                scope |= hit
            ok = scope.copy()
            missing = pd.Series(False, index=frame.index)
            close = scope.copy()
            for c in entry.criteria:
                values = frame[c.parameter]
                ok &= values >= c.threshold if c.operator == ">=" else values > c.threshold
                missing |= values.isna()
                close &= values >= c.threshold * (1 - catalogue.near_band_pct / 100)
            unknown = scope & missing & ~ok
            if in_force:
                matched_in_force |= ok
                unknown_in_force |= unknown
                near |= close & ~ok & ~missing
            else:
                other |= ok | unknown
    return np.select(
        [matched_in_force, unknown_in_force, other, near],
        ["licence_required", "indeterminate", "not_in_force", "near_threshold"],
        default="not_controlled",
    )


def _import(path: Path, kind: str) -> dict[str, Any]:
    """The upload path twice over the same file: as a user runs it (dry run, then import) and
    as the import alone does its work (read, parse, convert, validate, screen, store)."""
    from bench.data import users
    from screening.imports import checking, committing, receiving
    from screening.models import Product

    analysts, _ = users()
    data = path.read_bytes()
    as_of = dt.date(2026, 12, 1)
    started = time.perf_counter()
    checked = checking.dry_run(
        receiving.receive(data=data, filename=path.name, user=analysts[0], as_of=as_of)
    )
    dry_run = time.perf_counter() - started
    started = time.perf_counter()
    upload = committing.mark_importing(checked, user=analysts[0], policy="valid_rows")
    upload = committing.commit(upload)
    seconds = time.perf_counter() - started
    assert upload.status == "imported", upload.message
    assert Product.objects.filter(specs__upload=upload).count() == upload.created_versions
    return {
        "seconds": round(seconds, 2),
        "dry_run_seconds": round(dry_run, 2),
        "with_dry_run_seconds": round(seconds + dry_run, 2),
        "peak_rss_mb": peak_rss_mb(),
        "rows": upload.total,
        "created_cases": upload.created_cases,
    }


def import_csv(n: int) -> dict[str, Any]:
    from bench.data import csv_file

    path = csv_file(n, "CSV")
    result = _import(path, "csv")
    result["floor_seconds"] = floor_csv(path)
    return result


def floor_csv(path: Path) -> float:
    """pandas.read_csv plus a raw executemany of the same rows into a scratch table."""
    started = time.perf_counter()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    columns = list(frame.columns)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_floor")
        cursor.execute("CREATE TABLE bench_floor (" + ", ".join(f"{c} TEXT" for c in columns) + ")")
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(
            f"INSERT INTO bench_floor VALUES ({marks})",
            frame.itertuples(index=False, name=None),
        )
        cursor.execute("DROP TABLE bench_floor")
    return round(time.perf_counter() - started, 2)


def import_xlsx(n: int) -> dict[str, Any]:
    from bench.data import xlsx_file

    result = _import(xlsx_file(n, "XLS"), "xlsx")
    keep = ("seconds", "peak_rss_mb", "dry_run_seconds", "with_dry_run_seconds", "rows")
    return {k: result[k] for k in keep}


def peer_import(n: int) -> dict[str, Any]:
    """django-import-export importing the same file into the same product table."""
    import tablib
    from import_export import fields, resources

    from bench.data import csv_file
    from screening.models import Product

    class ProductResource(resources.ModelResource):
        sku = fields.Field(attribute="sku", column_name="sku")
        revision = fields.Field(attribute="revision", column_name="revision")

        class Meta:
            model = Product
            fields = ("sku", "revision")
            import_id_fields = ("sku", "revision")
            use_bulk = False
            skip_unchanged = True

    path = csv_file(n, "CSV")
    text = path.read_text(encoding="utf-8").replace("CSV-", "PEER-")
    started = time.perf_counter()
    dataset = tablib.Dataset().load(text, format="csv")
    result = ProductResource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - started
    Product.objects.filter(sku__startswith="PEER-").delete()
    return {"peer_seconds": round(seconds, 2), "rows": result.totals.get("new", 0)}


def fill(n: int) -> dict[str, Any]:
    from bench.data import fill as fill_portfolio
    from screening.models import Product

    have = Product.objects.filter(sku__startswith="SYN").count()
    started = time.perf_counter()
    if have < n:
        fill_portfolio(n - have, prefix=f"SYN{have // 100_000:02d}")
    return {"seconds": round(time.perf_counter() - started, 1), "products": Product.objects.count()}


def rescreen(n: int) -> dict[str, Any]:
    """Re-screen every stored product (as of a date that changes outcomes) and write changes.

    Publishing re-screens as of today; the benchmark picks a date inside No. 70's suspension so
    that about half the portfolio changes outcome: the writing is measured, not only reading."""
    from rules.models import RuleSet
    from screening import rescreening

    rule_set = RuleSet.objects.current()
    if rule_set is None:
        raise RuntimeError("no published rule set: the benchmark's data is not loaded")
    run = rescreening.start(
        kind="published",
        candidate=rule_set,
        candidate_as_of=dt.date(2026, 11, 1),
        user=None,
        baseline=rule_set,
    )
    started = time.perf_counter()
    run = rescreening.run(run)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": peak_rss_mb(),
        "products": run.summary["products"],
        "changed": run.summary["changed"],
    }


def dashboard(requests: int = 40) -> dict[str, Any]:
    """The dashboard's data requests (one per chart section, with and without filters): a first
    pass computes each (cold), the second is what users get (served from the cache)."""
    from django.test import Client

    from bench.data import users
    from screening.dashboard.report import SECTIONS
    from screening.models import Case

    _analysts, reviewers = users()
    client = Client()
    client.force_login(reviewers[0])
    filters = [
        {},
        {"category": "battery_cell"},
        {"outcome": "licence_required"},
        {"destination": "DE"},
        {"state": "submitted"},
    ]
    combos = [(SECTIONS[i % len(SECTIONS)], filters[i % len(filters)]) for i in range(requests)]

    def timed() -> list[float]:
        timings = []
        for section, chosen in combos:
            started = time.perf_counter()
            response = client.get(
                "/dashboard/section/", {**chosen, "section": section}, HTTP_HX_REQUEST="true"
            )
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        return timings

    cold = timed()
    warm = timed()
    floor = []
    with connection.cursor() as cursor:
        table = Case._meta.db_table
        for _ in range(5):
            started = time.perf_counter()
            cursor.execute(
                f"SELECT category, automated_outcome, COUNT(*), SUM(expected_value_usd) "
                f"FROM {table} GROUP BY category, automated_outcome"
            )
            cursor.fetchall()
            floor.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(warm), 1),
        "p95_ms": round(float(np.percentile(warm, 95)), 1),
        "floor_ms": round(statistics.median(floor), 1),
        "cold_p50_ms": round(statistics.median(cold), 1),
        "cold_p95_ms": round(float(np.percentile(cold, 95)), 1),
        "requests": 2 * len(combos),
        "cases": Case.objects.count(),
    }


THINK_SECONDS = 2.0  # each simulated user pauses this long (± half) between requests


def http_load(
    clients: int = 30, seconds: float = 20.0, server_workers: int | None = None
) -> dict[str, Any]:
    """30 concurrent users against gunicorn on loopback: case list, case detail, dashboard
    data, and a transition (analysts submit their own drafts), twice. Paced: each user waits 1
    to 3 seconds between requests (a person reading a page takes longer), the p95 a person
    meets. Saturated: no pause, the throughput the server sustains on this machine's cores and
    the p95 of the queue in front of them. Both windows on one server, paced first: the
    saturated window meets workers that have served requests, as a busy hour does."""
    with _server(server_workers) as port:
        paced = _http_phase(port, clients, seconds, THINK_SECONDS)
        saturated = _http_phase(port, clients, seconds, 0.0)
    return {
        **paced,
        "saturated_requests_per_s": saturated["requests_per_s"],
        "saturated_p95_ms": saturated["p95_ms"],
        "saturated_errors": saturated["errors"],
        "saturated_error_samples": saturated["error_samples"],
        "saturated_p95_ms_by_request": saturated["p95_ms_by_request"],
    }


def _http_phase(port: int, clients: int, seconds: float, think: float) -> dict[str, Any]:
    """One measured window of `clients` users against the server on `port`, each pausing
    `think` seconds (± half) between requests."""
    import http.client
    import random
    import re
    import urllib.parse

    from bench.data import PASSWORD, users
    from screening.models import Case

    analysts, reviewers = users()
    reviewable = list(Case.objects.exclude(state="draft").values_list("pk", flat=True)[:500])
    own = {
        a.pk: list(
            Case.objects.filter(prepared_by=a)
            .exclude(state="draft")
            .values_list("pk", flat=True)[:200]
        )
        for a in analysts
    }
    drafts = {
        a.pk: list(
            Case.objects.filter(prepared_by=a, state="draft").values_list("pk", "version")[:2000]
        )
        for a in analysts
    }
    timings: list[float] = []
    by_kind: dict[str, list[float]] = {}
    errors: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(clients)
    window: dict[str, float] = {}

    def client(index: int) -> None:
        analyst = index % 2 == 0
        user = analysts[index % len(analysts)] if analyst else reviewers[index % len(reviewers)]
        connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=30)]
        cookies: dict[str, str] = {}

        def call(method: str, path: str, body: dict | None = None) -> tuple[int, str, float]:
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
            data = None
            if body is not None:
                data = urllib.parse.urlencode(body)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                headers["X-CSRFToken"] = cookies.get("csrftoken", "")
                headers["Referer"] = f"http://127.0.0.1:{port}{path}"
            started = time.perf_counter()
            for attempt in (1, 2):
                conn = connections[-1]
                try:
                    conn.request(method, path, body=data, headers=headers)
                    response = conn.getresponse()
                    break
                except (
                    http.client.RemoteDisconnected,
                    BrokenPipeError,
                    ConnectionResetError,
                ) as exc:
                    # The server closed an idle keep-alive connection: open a new one and
                    # send again, as a browser does. A second failure is an error.
                    conn.close()
                    connections.append(http.client.HTTPConnection("127.0.0.1", port, timeout=30))
                    if attempt == 2:
                        elapsed = (time.perf_counter() - started) * 1000
                        raise RuntimeError(
                            f"{method} {path} after {elapsed:.0f} ms: {exc!r}"
                        ) from exc
            text = response.read().decode("utf-8", "replace")
            elapsed = (time.perf_counter() - started) * 1000
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    cookies[name] = rest.split(";", 1)[0]
            return response.status, text, elapsed

        status, page, _ = call("GET", "/login/")
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if found is None:
            raise RuntimeError(f"no CSRF token on the login page ({status})")
        token = found.group(1)
        status, _, _ = call(
            "POST",
            "/login/",
            {"csrfmiddlewaretoken": token, "username": user.username, "password": PASSWORD},
        )
        if status != 302:
            with lock:
                errors.append(f"login {user.username}: {status}")
            ready.abort()
            return
        ready.wait()  # everyone logged in: the measured window starts now
        with lock:
            window.setdefault("stop", time.monotonic() + seconds)
        stop = window["stop"]
        mine = list(drafts.get(user.pk, []))
        case_ids = (own.get(user.pk) if analyst else reviewable) or reviewable
        step = 0
        pause = random.Random(index)
        while time.monotonic() < stop:
            if think:
                time.sleep(think * (0.5 + pause.random()))
            step += 1
            if step % 4 == 0 and analyst and mine:
                pk, version = mine.pop()
                path, body = f"/cases/{pk}/submit/", {"version": version, "message": ""}
                method = "POST"
            elif step % 4 == 1:
                method, path, body = "GET", "/cases/?state=submitted", None
            elif step % 4 == 2:
                method, path, body = "GET", f"/cases/{case_ids[step % len(case_ids)]}/", None
            else:
                method, path, body = "GET", "/dashboard/section/?section=category", None
            status, _text, elapsed = call(method, path, body)
            kind = (
                path.split("?")[0].strip("/").split("/")[0]
                + ("/detail" if path.count("/") > 2 and method == "GET" else "")
                + (" POST" if method == "POST" else "")
            )
            with lock:
                timings.append(elapsed)
                by_kind.setdefault(kind, []).append(elapsed)
                if status >= 400 or (method == "GET" and status != 200):
                    errors.append(f"{method} {path}: {status}")

    def guarded(index: int) -> None:
        try:
            client(index)
        except Exception as exc:  # noqa: BLE001 -- a failing client is an error to report
            with lock:
                errors.append(f"client {index}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "clients": clients,
        "requests": len(timings),
        "p95_ms": round(float(np.percentile(timings, 95)), 1) if timings else None,
        "p50_ms": round(statistics.median(timings), 1) if timings else None,
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "p95_ms_by_request": {
            kind: round(float(np.percentile(values, 95)), 1) for kind, values in by_kind.items()
        },
        "requests_per_s": round(len(timings) / seconds, 1),
        "seconds": seconds,
    }


API_AS_OF = "2026-12-01"


def _post_json(port: int, path: str, body: bytes, secret: str, **headers: str) -> tuple:
    """(status, body, seconds) of one API call over a new loopback connection."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    conn.request(
        "POST",
        path,
        body=body,
        headers={
            "Authorization": f"Bearer {secret}",
            "Content-Type": "application/json",
            **headers,
        },
    )
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    return response.status, data, elapsed


def api_screen(n: int, calls: int = 5, server_workers: int | None = None) -> dict[str, Any]:
    """One API call screening n specs, end to end: the JSON sent over loopback to gunicorn,
    read, parsed, screened, the contract of every row sent back and read. The same call several
    times (gunicorn's workers each load the rule set on their first); the figure is the median,
    the first and slowest calls are reported too. The answers are checked against screening
    the same specs in this process (rules.contract)."""
    from collections import Counter

    import orjson

    from bench.data import api_secrets, spec_objects
    from rules.access import ANALYST
    from rules.contract import current_rules, screen_table
    from rules.specfiles import read_spec_records

    [secret] = api_secrets(ANALYST, 1, ["screen"])
    specs = spec_objects(n, prefix="API")
    body = orjson.dumps({"as_of": API_AS_OF, "specs": specs})
    timings, answer = [], b""
    with _server(server_workers) as port:
        for _ in range(calls):
            status, answer, elapsed = _post_json(port, "/api/v1/screen", body, secret)
            assert status == 200, (status, answer[:500])
            timings.append(elapsed)
    document = orjson.loads(answer)
    table = read_spec_records(specs)
    expected = screen_table(
        table.frame,
        as_of=dt.date.fromisoformat(API_AS_OF),
        regimes=["CN"],
        rules=current_rules(),
        row_numbers=table.row_numbers,
    ).document
    assert document["results"] == expected["results"], "the API and the contract disagree"
    outcomes = Counter(r["outcome"] for r in document["results"])
    return {
        "seconds": round(statistics.median(timings), 2),
        "first_call_seconds": round(timings[0], 2),
        "slowest_seconds": round(max(timings), 2),
        "calls": calls,
        "rows": n,
        "request_mb": round(len(body) / 1e6, 1),
        "response_mb": round(len(answer) / 1e6, 1),
        "licence_required": outcomes["licence_required"],
    }


def api_load(
    clients: int = 30, seconds: float = 30.0, server_workers: int | None = None
) -> dict[str, Any]:
    """30 programs calling the API at once against gunicorn on loopback, each with a token of
    its own. Reviewers' tokens (ERP sync) look up determinations, read decision records and
    page through changed cases by cursor; analysts' tokens screen batches of 20 specs, store 2
    specs with an Idempotency-Key and look up determinations. Each waits 1 to 3 s between calls,
    as http_load's users do (THINK_SECONDS): about 15 calls a second in all; without a pause,
    30 clients on 2 cores measure the queue in front of the CPU rather than the API."""
    import http.client
    import random
    import urllib.parse

    import orjson

    from bench.data import api_secrets, spec_objects
    from rules.access import ANALYST, REVIEWER
    from screening.models import Case

    analysts = api_secrets(ANALYST, (clients + 1) // 2, ["screen", "write_specs", "read"])
    reviewers = api_secrets(REVIEWER, clients // 2, ["screen", "read"])
    decided = list(
        Case.objects.filter(state__in=("approved", "closed"))
        .values_list("pk", "product__sku", "product__revision")
        .order_by("pk")[:500]
    )
    assert decided, "the portfolio has no decided case (bench.run fills one first)"
    screen_body = orjson.dumps({"as_of": API_AS_OF, "specs": spec_objects(20, prefix="LOADS")})
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    timings: list[float] = []
    by_kind: dict[str, list[float]] = {}
    errors: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(clients)
    window: dict[str, float] = {}

    def client(index: int, port: int) -> None:
        analyst = index % 2 == 0
        secret = analysts[index // 2] if analyst else reviewers[index // 2]
        conn = [http.client.HTTPConnection("127.0.0.1", port, timeout=30)]
        headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
        pause = random.Random(index)
        cursor = None

        def call(kind: str, method: str, path: str, body: bytes | None = None, **extra: str):
            started = time.perf_counter()
            for attempt in (1, 2):
                try:
                    conn[-1].request(method, path, body=body, headers={**headers, **extra})
                    response = conn[-1].getresponse()
                    break
                except (http.client.RemoteDisconnected, BrokenPipeError) as exc:
                    # The server closed an idle keep-alive connection: open another and send
                    # again, as an HTTP client library does. A second failure is an error.
                    conn[-1].close()
                    conn.append(http.client.HTTPConnection("127.0.0.1", port, timeout=30))
                    if attempt == 2:
                        raise RuntimeError(f"{method} {path}: {exc!r}") from exc
            data = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                timings.append(elapsed)
                by_kind.setdefault(kind, []).append(elapsed)
                if response.status >= 400:
                    errors.append(f"{method} {path}: {response.status} {data[:200]!r}")
            return orjson.loads(data) if response.status < 400 else {}

        ready.wait()  # every client ready: the measured window starts now
        with lock:
            window.setdefault("stop", time.monotonic() + seconds)
        step = 0
        while time.monotonic() < window["stop"]:
            time.sleep(THINK_SECONDS * (0.5 + pause.random()))
            step += 1
            pk, sku, revision = decided[(index * 31 + step) % len(decided)]
            lookup = urllib.parse.urlencode({"sku": sku, "revision": revision})
            if analyst and step % 3 == 0:
                specs = spec_objects(2, prefix=f"LOAD{index:02d}S{step:04d}", seed=index)
                body = orjson.dumps({"as_of": API_AS_OF, "specs": specs})
                key = f"bench-{index}-{step}"
                call("specs", "POST", "/api/v1/specs", body, **{"Idempotency-Key": key})
            elif analyst and step % 3 == 1:
                call("screen 20", "POST", "/api/v1/screen", screen_body)
            elif analyst or step % 3 == 0:
                call("determination", "GET", f"/api/v1/determination?{lookup}")
            elif step % 3 == 1:
                call("record", "GET", f"/api/v1/cases/{pk}/record")
            else:
                query = urllib.parse.urlencode({"cursor": cursor} if cursor else {"since": since})
                page = call("changes", "GET", f"/api/v1/cases/changes?{query}&limit=100")
                cursor = page.get("next_cursor", cursor)

    def guarded(index: int, port: int) -> None:
        try:
            client(index, port)
        except Exception as exc:  # noqa: BLE001 -- a failing client is an error to report
            with lock:
                errors.append(f"client {index}: {type(exc).__name__}: {exc}")
            ready.abort()

    with _server(server_workers) as port:
        threads = [threading.Thread(target=guarded, args=(i, port)) for i in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return {
        "clients": clients,
        "requests": len(timings),
        "p95_ms": round(float(np.percentile(timings, 95)), 1) if timings else None,
        "p50_ms": round(statistics.median(timings), 1) if timings else None,
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "p95_ms_by_request": {
            kind: round(float(np.percentile(values, 95)), 1) for kind, values in by_kind.items()
        },
        "seconds": seconds,
    }


@contextmanager
def _server(workers: int | None = None, **extra_env: str) -> Iterator[int]:
    """gunicorn as `make serve` runs it (2 x cores + 1 sync workers, unless `workers` says
    otherwise: the small run's few requests need two) with production settings on a free
    loopback port, serving the benchmark database; yields the port once every worker answers.
    The static files are those bench.run collected once for the run (SERVED)."""
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "AXES_ENABLED": "false",
        **extra_env,
    }
    # The application's own log (errors with their tracebacks) of the last run, to read when a
    # benchmark counts server errors.
    with (ROOT / "bench" / ".work" / "server.log").open("a", encoding="utf-8") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--error-logfile",
                str(ROOT / "bench" / ".work" / "gunicorn.log"),
                "config.wsgi",
                "--workers",
                str(workers or 2 * (os.cpu_count() or 1) + 1),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stderr=log,
        )
        try:
            _wait_for(port)
            yield port
        finally:
            server.terminate()
            server.wait(timeout=30)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int) -> None:
    """Until every gunicorn worker answers (a few health checks in a row)."""
    import http.client

    deadline = time.monotonic() + 90
    answered = 0
    while time.monotonic() < deadline and answered < 10:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            answered += conn.getresponse().status == 200
            conn.close()
        except OSError:
            time.sleep(0.2)
    if answered < 10:
        raise RuntimeError("gunicorn did not start")


def party_rescreen(n_parties: int, n_entries: int) -> dict[str, Any]:
    """Screen n_parties synthetic parties against n_entries list entries (index built and
    screening, as a list publication re-checks every party), then single-party checks as a
    request makes them against the built index."""
    import random

    from trade import synthetic
    from trade.matching import ListIndex, MatchConfig

    entries = synthetic.entries(n_entries)
    parties, planted = synthetic.parties(n_parties, entries)
    as_of = dt.date(2026, 12, 1)
    started = time.perf_counter()
    index = ListIndex(entries, MatchConfig())
    index_seconds = time.perf_counter() - started
    found = index.screen(parties, as_of)
    seconds = time.perf_counter() - started
    listed = {e.entry_ref for e in entries if e.active_on(as_of)}
    expected = {ref: entry for ref, entry in planted.items() if entry in listed}
    recovered = sum(
        1
        for party, candidates in zip(parties, found, strict=True)
        if party.party_ref in expected
        and any(c.entry_ref == expected[party.party_ref] for c in candidates)
    )
    timings = []
    for party in random.Random(7).sample(parties, min(200, len(parties))):
        one = time.perf_counter()
        index.check(party, as_of)
        timings.append((time.perf_counter() - one) * 1000)
    return {
        "seconds": round(seconds, 2),
        "index_seconds": round(index_seconds, 2),
        "parties": n_parties,
        "entries": n_entries,
        "parties_with_candidates": sum(1 for c in found if c),
        "planted_found": f"{recovered}/{len(expected)}",
        "single_p50_ms": round(statistics.median(timings), 1),
        "single_p95_ms": round(statistics.quantiles(timings, n=20)[18], 1),
        "peak_rss_mb": peak_rss_mb(),
    }


def shipment_check(n_lines: int, n_licences: int, lines_per_order: int = 10) -> dict[str, Any]:
    """An upload of n_lines export-order lines (n_lines / 10 orders) checked against
    n_licences licences, one per product: the upload's import (re-read, dry run again, enter
    every order, then one run of the release gate over all of them, reservations written). The
    figure is the gate's run inside that import; the import, its dry run and a re-check of every
    open order (as after a rule-set publish) are reported beside it. About one line in ten is
    held (another destination, not enough balance, pieces against kilograms)."""
    import random

    from django.db.models import Count
    from django.urls import reverse

    from bench.data import shipment_world
    from trade import shipments, uploads
    from trade.models import LedgerEntry, Shipment, ShipmentState, TradeUpload

    world = shipment_world(n_licences)
    rng = random.Random(13)
    rows = [
        "order_number,destination_country,consignee_ref,end_user_ref,planned_ship_date,"
        "sku,revision,quantity,unit,value,currency"
    ]
    ship_day = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    for order in range(-(-n_lines // lines_per_order)):
        destination = "FR" if rng.random() < 0.03 else "DE"  # the licences cover DE only
        party = world.parties[rng.randrange(len(world.parties))]
        for _ in range(min(lines_per_order, n_lines - order * lines_per_order)):
            # Products whose licence names this order's parties.
            product = rng.choice(world.products_of[party])
            unit, amount = "kg", str(rng.randint(1, 40))
            draw = rng.random()
            if draw < 0.03:
                unit = "pcs"  # the licence counts kilograms
            elif draw < 0.05:
                amount = "2000"  # more than the licence's 1,500 kg
            elif draw < 0.3:
                unit, amount = "t", f"0.{rng.randint(1, 40):03d}"  # converted to kg
            rows.append(
                f"BENCH-{world.run}-{order:06d},{destination},{party},{party},{ship_day},"
                f"{product.sku},{product.revision},{amount},{unit},{rng.randint(100, 9000)},USD"
            )
    data = ("\n".join(rows) + "\n").encode()
    user = world.analyst
    # As in a server's process that has answered a request: the URLconf's table of names is
    # built (the first link a process makes builds it; the e-mail about held orders links).
    reverse("home")
    started = time.perf_counter()
    upload = uploads.receive(
        kind=TradeUpload.Kind.SHIPMENTS, data=data, filename="orders.csv", user=user
    )
    dry_run = time.perf_counter() - started
    assert upload.invalid == 0, upload.rows[:3]
    gate_runs: list[tuple[float, float]] = []
    original = shipments.check_shipments

    def timed(*args: Any, **kwargs: Any) -> Any:
        one, cpu = time.perf_counter(), time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            gate_runs.append((time.perf_counter() - one, time.process_time() - cpu))

    shipments.check_shipments = timed
    try:
        started = time.perf_counter()
        with _counted_queries() as queries:
            uploads.commit(upload=upload, user=user, policy=TradeUpload.Policy.ALL_OR_NOTHING)
        imported = time.perf_counter() - started
    finally:
        shipments.check_shipments = original
    # CPU time beside the wall-clock time: on a machine shared with other work the first
    # says what the check itself costs, the second what it took with the queue for the CPU.
    [(check_seconds, check_cpu)] = gate_runs
    mine = Shipment.objects.filter(reference__startswith=f"BENCH-{world.run}-")
    states = dict(mine.values_list("state").annotate(n=Count("pk")))
    orders = list(mine)
    reservations = LedgerEntry.objects.filter(shipment_line__shipment__in=mine).count()
    started = time.perf_counter()
    shipments.check_shipments(orders, user=user, trigger="benchmark re-check")
    recheck = time.perf_counter() - started
    return {
        "seconds": round(check_seconds, 2),
        "cpu_seconds": round(check_cpu, 2),
        "load_average": round(os.getloadavg()[0], 1),
        "upload_seconds": round(imported, 2),
        "dry_run_seconds": round(dry_run, 2),
        "recheck_seconds": round(recheck, 2),
        "lines": n_lines,
        "orders": len(orders),
        "licences": n_licences,
        "released": states.get(ShipmentState.RELEASED, 0),
        "held": states.get(ShipmentState.HELD, 0),
        "reservations": reservations,
        "import_queries": queries[0],
        "peak_rss_mb": peak_rss_mb(),
    }


@contextmanager
def _counted_queries() -> Iterator[list[int]]:
    """The number of SQL statements run inside the block (executemany counts once)."""
    counted = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        counted[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counted
