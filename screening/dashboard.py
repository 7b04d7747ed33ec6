"""The exposure dashboard's numbers: how much of what we sell is controlled, by what, where it
goes, how the work flows, and what changes between two dates.

Every function here takes a QuerySet (or a catalogue) and returns a small pandas DataFrame or a
dataclass; charts.py turns them into figures. Aggregation runs in the database as grouped
queries on Case's indexed columns (category, automated_outcome, destination_country, state,
created_at, decided_at), so the cost of a chart grows with the number of groups, not of cases.
The one exception is the scenario, which re-screens every selected case's frozen spec with the
vectorised evaluator: it reads the spec values with one values_list query (numbers and codes,
no model instances) and evaluates them with numpy; a second query names the changes listed.

The numbers are aggregates over all cases, whoever may open them (the page says so); the one
row-level table, the scenario's list of changes, lists only cases the viewer may open.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace

import pandas as pd
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case as SqlCase  # `Case` is the model; this is SQL's CASE … WHEN
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Floor, TruncWeek
from django.utils import timezone

from rules.catalogue import Catalogue, Criterion, Entry
from rules.evaluation import screen_frame
from rules.models import RuleSet
from rules.vocabulary import OUTCOMES, PARAMETERS
from screening.models import Case, Product, Screening, ScreeningEntry
from screening.models.cases import OPEN_STATES, State
from screening.models.products import OUTCOME_COLUMNS
from screening.products import default_regimes

SECTIONS = (
    "products",
    "category",
    "entry",
    "destination",
    "workflow",
    "workload",
    "activity",
    "thresholds",
    "scenario",
)

# Days in the current state: (label key, last day of the bucket; None = open-ended).
AGE_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("0-2", 2),
    ("3-7", 7),
    ("8-14", 14),
    ("15-30", 30),
    ("31-60", 60),
    ("61+", None),
)

# The change list shows this many cases on the page (largest expected value first); the CSV
# download has them all.
CHANGE_LIST_LIMIT = 50

# Histogram bins aimed at per parameter (the width is rounded to 1, 2, 2.5 or 5 × 10^k).
TARGET_BINS = 40


@dataclass(frozen=True)
class Filters:
    """Which cases the dashboard counts. The names are the case list's GET parameters."""

    created_after: dt.date | None = None
    created_before: dt.date | None = None
    category: str = ""
    entry: str = ""
    destination: str = ""
    states: tuple[str, ...] = ()
    outcome: str = ""

    def params(self) -> list[tuple[str, str]]:
        """The filters as (name, value) query parameters, understood by the case list too."""
        pairs: list[tuple[str, str]] = []
        if self.created_after:
            pairs.append(("created_after", self.created_after.isoformat()))
        if self.created_before:
            pairs.append(("created_before", self.created_before.isoformat()))
        for name in ("category", "entry", "destination", "outcome"):
            if getattr(self, name):
                pairs.append((name, getattr(self, name)))
        pairs.extend(("state", state) for state in self.states)
        return pairs


def _entry_hit(value: str, screening: str) -> Exists:
    hits = ScreeningEntry.objects.filter(screening_id=OuterRef(screening)).filter(
        Q(code__iexact=value) | Q(key__iexact=value)
    )
    return Exists(hits)


def _day_range(filters: Filters) -> dict[str, dt.datetime]:
    """The date filters as a range of times (local days), which the created_at index serves;
    `created_at__date` would compute a date for every row instead."""
    bounds = {}
    if filters.created_after:
        bounds["gte"] = timezone.make_aware(dt.datetime.combine(filters.created_after, dt.time.min))
    if filters.created_before:
        next_day = filters.created_before + dt.timedelta(days=1)
        bounds["lt"] = timezone.make_aware(dt.datetime.combine(next_day, dt.time.min))
    return bounds


def filtered_cases(filters: Filters, cases: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The cases the filters select, all of them (not only those a user may open)."""
    cases = (Case.objects.all() if cases is None else cases).order_by()
    for lookup, moment in _day_range(filters).items():
        cases = cases.filter(**{f"created_at__{lookup}": moment})
    if filters.category:
        cases = cases.filter(category=filters.category)
    if filters.destination:
        cases = cases.filter(destination_country=filters.destination)
    if filters.states:
        cases = cases.filter(state__in=filters.states)
    if filters.outcome:
        cases = cases.filter(automated_outcome=filters.outcome)
    if filters.entry:
        # EXISTS rather than a join: a case counts once however many entries its screening hit.
        cases = cases.filter(_entry_hit(filters.entry, "screening_id"))
    return cases


def filtered_screenings(filters: Filters) -> QuerySet[Screening]:
    """Screenings the filters select: the date range applies to when they were made; the case
    state does not apply (a screening has none)."""
    screenings = Screening.objects.order_by()
    for lookup, moment in _day_range(filters).items():
        screenings = screenings.filter(**{f"created_at__{lookup}": moment})
    if filters.category:
        screenings = screenings.filter(spec__category=filters.category)
    if filters.destination:
        screenings = screenings.filter(spec__destination_country=filters.destination)
    if filters.outcome:
        screenings = screenings.filter(outcome=filters.outcome)
    if filters.entry:
        screenings = screenings.filter(_entry_hit(filters.entry, "pk"))
    return screenings


def _money(value: object) -> float:
    return 0.0 if value is None else float(value)  # type: ignore[arg-type]


def _frame(rows: Iterable[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(rows), columns=columns)
    if "value_usd" in frame.columns:
        frame["value_usd"] = frame["value_usd"].map(_money).astype(float)
    if "cases" in frame.columns:
        frame["cases"] = frame["cases"].astype(int)
    return frame


# --- exposure ------------------------------------------------------------------------------


def filtered_products(filters: Filters) -> QuerySet[Product]:
    """Screened products the filters select, by their current spec and latest screening (the
    outcome filter is the latest outcome; the date and state filters are about cases)."""
    products = Product.objects.filter(latest_screening__isnull=False).order_by()
    if filters.category:
        products = products.filter(current_spec__category=filters.category)
    if filters.destination:
        products = products.filter(current_spec__destination_country=filters.destination)
    if filters.outcome:
        products = products.filter(latest_screening__outcome=filters.outcome)
    if filters.entry:
        products = products.filter(_entry_hit(filters.entry, "latest_screening_id"))
    return products


def products_by_latest_outcome(products: QuerySet[Product]) -> pd.DataFrame:
    """Products and their annual export value by latest outcome and category: what the rules
    in force say today, where case outcomes stay as they were frozen. One query."""
    rows = (
        products.values(outcome=F("latest_screening__outcome"), cat=F("current_spec__category"))
        .annotate(cases=Count("pk"), value_usd=Sum("current_spec__annual_export_value_usd"))
        .order_by()
    )
    frame = _frame(rows, ["outcome", "cat", "cases", "value_usd"])
    frame = frame.rename(columns={"cat": "category", "cases": "products"})
    return _sorted_by_outcome(frame, ["category"])


def to_rereview(cases: QuerySet[Case]) -> int:
    """Open cases flagged "rules changed: re-review" (a partial index holds exactly these)."""
    return cases.filter(rules_changed=True, state__in=OPEN_STATES).count()


def exposure_by_category(cases: QuerySet[Case]) -> pd.DataFrame:
    """Cases and expected value by automated outcome and category. One query."""
    rows = (
        cases.values(outcome=F("automated_outcome"), cat=F("category"))
        .annotate(cases=Count("pk"), value_usd=Sum("expected_value_usd"))
        .order_by()
    )
    frame = _frame(rows, ["outcome", "cat", "cases", "value_usd"])
    frame = frame.rename(columns={"cat": "category"})
    return _sorted_by_outcome(frame, ["category"])


def _sorted_by_outcome(frame: pd.DataFrame, then: list[str]) -> pd.DataFrame:
    order = {name: i for i, name in enumerate(OUTCOMES)}
    frame = frame.assign(_order=frame["outcome"].map(order).fillna(len(order)))
    return frame.sort_values(["_order", *then]).drop(columns="_order").reset_index(drop=True)


def exposure_by_entry(
    cases: QuerySet[Case], catalogue: Catalogue | None, today: dt.date
) -> pd.DataFrame:
    """Cases and expected value per entry their screenings hit (match, unknown or near), with
    the entry's measure status today. One query.

    A screening hits each entry key at most once, so grouping by key counts every case once per
    entry and the value sums are exact.
    """
    rows = (
        cases.filter(screening__hits__isnull=False)
        .values(
            key=F("screening__hits__key"),
            measure=F("screening__hits__measure"),
            code=F("screening__hits__code"),
            result=F("screening__hits__result"),
        )
        .annotate(cases=Count("pk"), value_usd=Sum("expected_value_usd"))
        .order_by()
    )
    frame = _frame(rows, ["key", "measure", "code", "result", "cases", "value_usd"])
    measures = catalogue.measures_by_key if catalogue is not None else {}
    frame["status"] = [
        measures[m].status_on(today) if m in measures else "unknown" for m in frame["measure"]
    ]
    totals = frame.groupby("key")["cases"].transform("sum")
    return (
        frame.assign(_total=totals)
        .sort_values(["_total", "key", "result"], ascending=[False, True, True])
        .drop(columns="_total")
        .reset_index(drop=True)
    )


def exposure_by_destination(cases: QuerySet[Case]) -> pd.DataFrame:
    """Cases and expected value by destination country and outcome. One query."""
    rows = (
        cases.values(destination=F("destination_country"), outcome=F("automated_outcome"))
        .annotate(cases=Count("pk"), value_usd=Sum("expected_value_usd"))
        .order_by()
    )
    frame = _frame(rows, ["destination", "outcome", "cases", "value_usd"])
    totals = frame.groupby("destination")["value_usd"].transform("sum")
    frame = frame.assign(_total=totals, _order=frame["outcome"].map(_OUTCOME_ORDER))
    frame = frame.sort_values(["_total", "destination", "_order"], ascending=[False, True, True])
    return frame.drop(columns=["_total", "_order"]).reset_index(drop=True)


_OUTCOME_ORDER = {name: i for i, name in enumerate(OUTCOMES)}


# --- workflow ------------------------------------------------------------------------------


def cases_by_state(cases: QuerySet[Case], now: dt.datetime) -> pd.DataFrame:
    """Cases and expected value by state and by days in that state (AGE_BUCKETS). One query.

    Days in state are bucketed by comparing state_changed_at with cut-off times, so the database
    does no date arithmetic and SQLite and PostgreSQL agree.
    """
    whens = [
        When(state_changed_at__gt=now - dt.timedelta(days=last + 1), then=Value(i))
        for i, (_, last) in enumerate(AGE_BUCKETS)
        if last is not None
    ]
    bucket = SqlCase(*whens, default=Value(len(AGE_BUCKETS) - 1), output_field=IntegerField())
    rows = (
        cases.annotate(bucket=bucket)
        .values("state", "bucket")
        .annotate(cases=Count("pk"), value_usd=Sum("expected_value_usd"))
        .order_by()
    )
    frame = _frame(rows, ["state", "bucket", "cases", "value_usd"])
    frame["age"] = [AGE_BUCKETS[int(b)][0] for b in frame["bucket"]]
    order = {state: i for i, state in enumerate(State.values)}
    frame = frame.assign(_order=frame["state"].map(order))
    frame = frame.sort_values(["_order", "bucket"]).drop(columns="_order")
    return frame.reset_index(drop=True)


def state_totals(by_state: pd.DataFrame) -> pd.DataFrame:
    """Cases and value per state (every state, zero where none), from cases_by_state."""
    totals = by_state.groupby("state")[["cases", "value_usd"]].sum()
    totals = totals.reindex(list(State.values), fill_value=0)
    totals["cases"] = totals["cases"].astype(int)
    return totals.rename_axis("state").reset_index()


def ageing(by_state: pd.DataFrame) -> pd.DataFrame:
    """Open cases per state and age bucket (every bucket, zero where none)."""
    open_states = [str(s) for s in OPEN_STATES]
    grid = pd.MultiIndex.from_product(
        [open_states, range(len(AGE_BUCKETS))], names=["state", "bucket"]
    )
    counts = (
        by_state[by_state["state"].isin(open_states)]
        .groupby(["state", "bucket"])["cases"]
        .sum()
        .reindex(grid, fill_value=0)
        .reset_index()
    )
    counts["age"] = [AGE_BUCKETS[int(b)][0] for b in counts["bucket"]]
    counts["cases"] = counts["cases"].astype(int)
    return counts[["state", "bucket", "age", "cases"]]


def reviewer_workload(cases: QuerySet[Case]) -> pd.DataFrame:
    """Cases in review per reviewer (most loaded first), and a last row for the submitted cases
    no reviewer has taken yet (reviewer ""; state "submitted"). One query."""
    rows = (
        cases.filter(state__in=[State.IN_REVIEW, State.SUBMITTED])
        .values("state", reviewer_name=F("reviewer__username"))
        .annotate(cases=Count("pk"), value_usd=Sum("expected_value_usd"))
        .order_by()
    )
    frame = _frame(rows, ["state", "reviewer_name", "cases", "value_usd"])
    frame = frame.rename(columns={"reviewer_name": "reviewer"})
    frame["reviewer"] = frame["reviewer"].fillna("").astype(str)
    reviewing = frame[frame["state"] == State.IN_REVIEW]
    reviewing = reviewing.sort_values(["cases", "reviewer"], ascending=[False, True])
    waiting = frame[frame["state"] == State.SUBMITTED]
    queue = pd.DataFrame(
        {
            "state": [str(State.SUBMITTED)],
            "reviewer": [""],
            "cases": [int(waiting["cases"].sum())],
            "value_usd": [float(waiting["value_usd"].sum())],
        }
    )
    return pd.concat([reviewing, queue], ignore_index=True)


def activity_by_week(cases: QuerySet[Case], screenings: QuerySet[Screening]) -> pd.DataFrame:
    """Screenings made and cases decided per week (weeks start on Monday). Two queries."""
    screened = (
        screenings.annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    decided = (
        cases.filter(decided_at__isnull=False)
        .annotate(week=TruncWeek("decided_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, dict[dt.date, int]] = {"screenings": {}, "determinations": {}}
    for name, rows in (("screenings", screened), ("determinations", decided)):
        for row in rows:
            week = row["week"]
            day = week.date() if isinstance(week, dt.datetime) else week
            counts[name][day] = counts[name].get(day, 0) + row["n"]
    days = sorted(set(counts["screenings"]) | set(counts["determinations"]))
    if not days:
        return pd.DataFrame(
            {
                "week": pd.Series([], dtype=object),
                "screenings": pd.Series([], dtype=int),
                "determinations": pd.Series([], dtype=int),
            }
        )
    weeks = [days[0] + dt.timedelta(weeks=i) for i in range((days[-1] - days[0]).days // 7 + 1)]
    return pd.DataFrame(
        {
            "week": weeks,
            "screenings": [counts["screenings"].get(w, 0) for w in weeks],
            "determinations": [counts["determinations"].get(w, 0) for w in weeks],
        }
    )


# --- distance to threshold -----------------------------------------------------------------


@dataclass(frozen=True)
class Threshold:
    """One threshold of a parameter, with the entries that use it and the near band below it."""

    value: float
    operator: str
    entries: tuple[str, ...]  # entry keys
    scope: tuple[tuple[str, str | None], ...]  # (category, subtype or None) it applies to
    verified: bool
    near_low: float  # the near band is [near_low, near_high) for ≥/>, (near_low, near_high]
    near_high: float  # for ≤/<: a value there fails the criterion only by the band
    near_cases: int = 0  # cases in scope within the near band
    meeting_cases: int = 0  # cases in scope meeting the criterion


@dataclass(frozen=True)
class Histogram:
    parameter: str
    thresholds: tuple[Threshold, ...]
    edges: tuple[float, ...]  # len(bins) + 1; the first and last bins also hold what lies beyond
    counts: pd.DataFrame  # bin, category, cases
    cases: int  # cases with a value for the parameter
    minimum: float | None
    maximum: float | None


def thresholds_by_parameter(catalogue: Catalogue) -> dict[str, list[Threshold]]:
    """The thresholds the catalogue's criteria set, per parameter (vocabulary order)."""
    band = catalogue.near_band_pct / 100.0
    grouped: dict[tuple[str, float, str], list[tuple[Entry, Criterion]]] = {}
    for entry in catalogue.entries:
        for criterion in entry.criteria:
            key = (criterion.parameter, criterion.threshold, criterion.operator)
            grouped.setdefault(key, []).append((entry, criterion))
    result: dict[str, list[Threshold]] = {}
    for (parameter, value, operator), uses in grouped.items():
        scope = tuple(
            dict.fromkeys((s.category, s.subtype) for entry, _ in uses for s in entry.applies_to)
        )
        if operator in (">=", ">"):
            low, high = value * (1.0 - band), value
        else:
            low, high = value, value * (1.0 + band)
        result.setdefault(parameter, []).append(
            Threshold(
                value=value,
                operator=operator,
                entries=tuple(dict.fromkeys(entry.key for entry, _ in uses)),
                scope=scope,
                verified=all(c.verified for _, c in uses),
                near_low=low,
                near_high=high,
            )
        )
    order = {name: i for i, name in enumerate(PARAMETERS)}
    return {
        p: sorted(result[p], key=lambda t: t.value) for p in sorted(result, key=order.__getitem__)
    }


def _in_scope(threshold: Threshold) -> Q:
    condition = Q(pk__in=[])
    for category, subtype in threshold.scope:
        condition |= Q(category=category, subtype=subtype) if subtype else Q(category=category)
    return condition


def _near_and_meeting(parameter: str, t: Threshold) -> tuple[Q, Q]:
    column = f"spec__{parameter}"
    if t.operator in (">=", ">"):
        near = Q(**{f"{column}__gte": t.near_low, f"{column}__lt": t.value})
    else:
        near = Q(**{f"{column}__gt": t.value, f"{column}__lte": t.near_high})
    lookup = {">=": "gte", ">": "gt", "<=": "lte", "<": "lt"}[t.operator]
    meeting = Q(**{f"{column}__{lookup}": t.value})
    scope = _in_scope(t)
    return near & scope, meeting & scope


def nice_width(raw: float) -> float:
    """The smallest of 1, 2, 2.5 and 5 × 10^k that is at least `raw`."""
    if not raw > 0 or not math.isfinite(raw):
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * magnitude >= raw * (1 - 1e-9):
            return step * magnitude
    return 10.0 * magnitude  # pragma: no cover - the loop always returns


def bin_edges(
    minimum: float, maximum: float, thresholds: list[float], target: int = TARGET_BINS
) -> tuple[float, ...]:
    """Bin edges covering the data and the thresholds, with the lowest threshold on an edge.

    Outliers do not stretch the axis: it spans at most half to one and a half times the
    thresholds; what lies beyond is counted in the first or last bin.
    """
    anchor, top = min(thresholds), max(thresholds)
    low = max(min(minimum, anchor), anchor * 0.5 if anchor > 0 else minimum)
    high = min(max(maximum, top), top * 1.5 if top > 0 else maximum)
    if high <= low:
        high = low + max(abs(low) * 0.1, 1e-6)
    width = nice_width((high - low) / target)
    below = math.ceil((anchor - low) / width - 1e-9) + 1  # one bin of margin
    above = max(math.ceil((high - anchor) / width - 1e-9), 0) + 1
    return tuple(anchor + (i - below) * width for i in range(below + above + 1))


def parameter_histograms(cases: QuerySet[Case], catalogue: Catalogue) -> list[Histogram]:
    """Histograms of the cases' frozen spec values for every parameter a criterion tests, with
    the thresholds and their near bands.

    One query finds every parameter's range and counts, per threshold, the in-scope cases in
    the near band and meeting it; then one grouped query per parameter that has values bins it
    by category. So at most 1 + (parameters in the criteria) queries, whatever the number of
    cases. (One UNION ALL of the per-parameter queries was measured 2.7 times slower on SQLite.)
    """
    by_parameter = thresholds_by_parameter(catalogue)
    if not by_parameter:
        return []
    aggregates = {}
    categories = {}
    for p, thresholds in by_parameter.items():
        # Only the categories some threshold of the parameter applies to: a value elsewhere is
        # no distance to anything (and skipping them makes sparse parameters cheap).
        categories[p] = sorted({c for t in thresholds for c, _subtype in t.scope})
        in_categories = Q(category__in=categories[p])
        aggregates[f"{p}__min"] = Min(f"spec__{p}", filter=in_categories)
        aggregates[f"{p}__max"] = Max(f"spec__{p}", filter=in_categories)
        aggregates[f"{p}__n"] = Count(f"spec__{p}", filter=in_categories)
        for i, t in enumerate(thresholds):
            near, meeting = _near_and_meeting(p, t)
            aggregates[f"{p}__near{i}"] = Count("pk", filter=near)
            aggregates[f"{p}__meet{i}"] = Count("pk", filter=meeting)
    summary = cases.aggregate(**aggregates)

    edges: dict[str, tuple[float, ...]] = {}
    counts: dict[str, pd.DataFrame] = {}
    for p, thresholds in by_parameter.items():
        if not summary[f"{p}__n"]:
            counts[p] = pd.DataFrame({"bin": [], "category": [], "cases": []}).astype(
                {"bin": int, "cases": int}
            )
            continue
        edges[p] = bin_edges(
            summary[f"{p}__min"], summary[f"{p}__max"], [t.value for t in thresholds]
        )
        anchor = min(t.value for t in thresholds)
        rows = _binned(cases.filter(category__in=categories[p]), p, edges[p], anchor)
        counts[p] = pd.DataFrame.from_records(list(rows), columns=["bin", "category", "cases"])
        counts[p] = counts[p].astype({"bin": int, "cases": int})

    histograms = []
    for p, thresholds in by_parameter.items():
        counted = tuple(
            replace(
                t,
                near_cases=summary[f"{p}__near{i}"],
                meeting_cases=summary[f"{p}__meet{i}"],
            )
            for i, t in enumerate(thresholds)
        )
        mine = counts[p]  # grouped by (bin, category) in the database
        histograms.append(
            Histogram(
                parameter=p,
                thresholds=counted,
                edges=edges.get(p, ()),
                counts=mine.sort_values(["bin", "category"]).reset_index(drop=True),
                cases=summary[f"{p}__n"],
                minimum=summary[f"{p}__min"],
                maximum=summary[f"{p}__max"],
            )
        )
    return histograms


def _binned(
    cases: QuerySet[Case], parameter: str, edges: tuple[float, ...], anchor: float
) -> QuerySet:
    """Cases per (bin, category) for one parameter; values beyond the edges go to the end bins.

    Bins are counted from the lowest threshold (`anchor`, exactly one of the edges), so a value
    exactly at it always lands in the bin that starts there; the small epsilon keeps values
    exactly on other round edges from slipping into the bin below by rounding.
    """
    column = f"spec__{parameter}"
    width = edges[1] - edges[0]
    first = edges.index(anchor)
    last = len(edges) - 2
    offset = Floor((F(column) - Value(anchor)) / Value(width) + Value(1e-9))
    bin_number = SqlCase(
        When(**{f"{column}__lt": edges[1]}, then=Value(0)),
        When(**{f"{column}__gte": edges[-2]}, then=Value(last)),
        default=Value(first) + Cast(offset, IntegerField()),
        output_field=IntegerField(),
    )
    return (
        cases.filter(**{f"{column}__isnull": False})
        .annotate(bin=bin_number)
        .values("bin", "category")
        .annotate(cases=Count("pk"))
        .values_list("bin", "category", "cases")
        .order_by()
    )


# --- scenario ------------------------------------------------------------------------------

SPEC_COLUMNS = OUTCOME_COLUMNS


@dataclass(frozen=True)
class Scenario:
    first: dt.date
    second: dt.date
    cases: int
    # outcome, cases_first, value_first, cases_second, value_second (every outcome, in order)
    outcomes: pd.DataFrame
    # outcome_first, outcome_second, cases, value_usd: the changes only, largest first
    transitions: pd.DataFrame
    # case, reference, sku, name, category, destination, value_usd, outcome_first, outcome_second:
    # the changes a viewer may open (see visible_changes), largest first, up to the limit
    changes: pd.DataFrame
    changed: int  # every case that changes outcome (an aggregate)
    changed_value: float
    listed: int = 0  # how many changes `changes` lists from (before the limit)


def spec_frame(cases: QuerySet[Case]) -> pd.DataFrame:
    """The cases' frozen specs as a canonical spec frame (the columns that decide an outcome),
    with the case's id and expected value. One values_list query: numbers and short codes only,
    no model instances."""
    fields = ["pk", "expected_value_usd", *(f"spec__{c}" for c in SPEC_COLUMNS)]
    columns = ["case", "value_usd", *SPEC_COLUMNS]
    frame = pd.DataFrame.from_records(list(cases.values_list(*fields)), columns=columns)
    frame["value_usd"] = frame["value_usd"].map(_money).astype(float)
    for name in PARAMETERS:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    return frame


def scenario(
    cases: QuerySet[Case],
    catalogue: Catalogue,
    first: dt.date,
    second: dt.date,
    *,
    limit: int | None = CHANGE_LIST_LIMIT,
) -> Scenario:
    """Exposure as of two dates: every case's frozen spec screened at both with the same rules.

    The rules are held fixed (the current rule set) so that only the date moves: the measures'
    status windows decide what changes. Two queries: the spec frame, and the references, SKUs
    and names of the changes listed; the evaluator runs twice over the frame with numpy.
    """
    frame = spec_frame(cases)
    if len(frame):
        at_first = screen_frame(frame, catalogue, first).outcomes.to_numpy()
        at_second = screen_frame(frame, catalogue, second).outcomes.to_numpy()
    else:
        at_first = at_second = []
    frame = frame.assign(outcome_first=at_first, outcome_second=at_second)

    rows = []
    for outcome in OUTCOMES:
        a = frame["outcome_first"] == outcome
        b = frame["outcome_second"] == outcome
        rows.append(
            {
                "outcome": outcome,
                "cases_first": int(a.sum()),
                "value_first": float(frame.loc[a, "value_usd"].sum()),
                "cases_second": int(b.sum()),
                "value_second": float(frame.loc[b, "value_usd"].sum()),
            }
        )

    changed = frame[frame["outcome_first"] != frame["outcome_second"]]
    transitions = (
        changed.groupby(["outcome_first", "outcome_second"], as_index=False)
        .agg(cases=("case", "size"), value_usd=("value_usd", "sum"))
        .sort_values(["cases", "value_usd"], ascending=[False, False])
        .reset_index(drop=True)
    )
    changes = changed.sort_values(["value_usd", "case"], ascending=[False, True])
    if limit is not None:
        changes = changes.head(limit)
    return Scenario(
        first=first,
        second=second,
        cases=len(frame),
        outcomes=pd.DataFrame(rows),
        transitions=transitions,
        changes=_described(changes, cases),
        changed=len(changed),
        changed_value=float(changed["value_usd"].sum()),
        listed=len(changed),
    )


CHANGE_COLUMNS = [
    "case",
    "reference",
    "sku",
    "name",
    "category",
    "destination",
    "value_usd",
    "outcome_first",
    "outcome_second",
]


def no_changes() -> pd.DataFrame:
    return pd.DataFrame(columns=CHANGE_COLUMNS)


def visible_changes(
    viewer: AbstractBaseUser | None,
    *,
    filters: Filters,
    catalogue: Catalogue,
    first: dt.date,
    second: dt.date,
    limit: int | None = CHANGE_LIST_LIMIT,
) -> tuple[pd.DataFrame, int]:
    """The change list `viewer` may see, and how many changes it lists from: the scenario over
    the cases they may open (Case.objects.visible_to). The charts' figures count every case;
    a row-level table or CSV (reference, SKU, product, destination, value) shows only these."""
    own = scenario(
        filtered_cases(filters, Case.objects.visible_to(viewer)),
        catalogue,
        first,
        second,
        limit=limit,
    )
    return own.changes, own.changed


def _described(changes: pd.DataFrame, cases: QuerySet[Case]) -> pd.DataFrame:
    """The changes with each case's reference, product SKU and name. One query: by id for a
    page's worth, else over the selected cases (a long list is a CSV download)."""
    ids = [int(pk) for pk in changes["case"]]
    wanted = set(ids)
    source = Case.objects.filter(pk__in=ids) if len(ids) <= 1000 else cases
    rows = source.order_by().values_list("pk", "created_at", "product__sku", "spec__name")
    details = {}
    if ids:
        for pk, created, sku, name in rows:
            if pk in wanted:
                details[pk] = (Case(pk=pk, created_at=created).reference, sku, name)
    described = changes.assign(
        reference=[details[pk][0] for pk in ids],
        sku=[details[pk][1] for pk in ids],
        name=[details[pk][2] for pk in ids],
    ).rename(columns={"destination_country": "destination"})
    return described[CHANGE_COLUMNS].reset_index(drop=True)


def default_scenario(catalogue: Catalogue | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """The dates the scenario compares unless the user picks others: the day before a
    suspension lapses and the day it lapses (default_comparison_date)."""
    lapse = default_comparison_date(catalogue, today)
    return lapse - dt.timedelta(days=1), lapse


def scenario_dates(
    catalogue: Catalogue | None, today: dt.date, first: dt.date | None, second: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The two dates a report compares, where one is missing (or was invalid): today, and
    the day a suspension lapses."""
    return first or today, second or default_comparison_date(catalogue, today)


def default_comparison_date(catalogue: Catalogue | None, today: dt.date) -> dt.date:
    """The day after a suspension of a listing measure ends: the next such day after today,
    else the most recent one (for the shipped rules: 2026-11-11, when No. 70's suspension of
    No. 58 lapsed). Taken from the status windows, so an extended suspension moves it."""
    if catalogue is None:
        return today
    days = sorted(
        {
            window.end + dt.timedelta(days=1)
            for measure in catalogue.measures
            if measure.entries
            for window in measure.windows
            if window.status == "suspended" and window.end is not None
        }
    )
    upcoming = [day for day in days if day > today]
    if upcoming:
        return upcoming[0]
    return days[-1] if days else today


def current_catalogue() -> Catalogue | None:
    """The current rule set's catalogue, restricted to the regimes screenings use by default."""
    rule_set = RuleSet.objects.current()
    if rule_set is None:
        return None
    catalogue = rule_set.catalogue()
    return catalogue.for_regimes(default_regimes(catalogue))


# --- the whole dashboard -------------------------------------------------------------------


@dataclass
class Report:
    filters: Filters
    today: dt.date
    first: dt.date
    second: dt.date
    catalogue: Catalogue | None
    by_category: pd.DataFrame | None = None
    by_entry: pd.DataFrame | None = None
    by_destination: pd.DataFrame | None = None
    by_state: pd.DataFrame | None = None
    workload: pd.DataFrame | None = None
    activity: pd.DataFrame | None = None
    histograms: list[Histogram] = field(default_factory=list)
    scenario: Scenario | None = None
    products: pd.DataFrame | None = None  # by latest outcome (products_by_latest_outcome)
    rereview: int | None = None  # open cases to re-review since the rules changed
    # When the oldest cached part was computed (None: all computed for this request).
    computed_at: dt.datetime | None = None


@dataclass(frozen=True)
class Headline:
    """The few numbers at the top of the page."""

    cases: int
    value_usd: float
    licence_cases: int
    licence_value_usd: float
    open_cases: int
    changed: int | None  # cases whose outcome differs between the scenario's two dates
    changed_value_usd: float | None
    # Products whose latest screening (the rules in force) says licence required; None when
    # the products section was not run.
    licence_products: int | None = None
    licence_products_value_usd: float | None = None
    rereview: int | None = None  # open cases flagged "rules changed: re-review"

    @property
    def licence_share(self) -> float:
        """Share of the expected value whose automated outcome is "licence required"."""
        return self.licence_value_usd / self.value_usd if self.value_usd else 0.0


def headline(result: Report) -> Headline | None:
    """The headline numbers of a full report (None when a section they need was not run)."""
    if result.by_category is None or result.by_state is None:
        return None
    frame = result.by_category
    licensed = frame[frame["outcome"] == "licence_required"]
    open_states = [str(s) for s in OPEN_STATES]
    by_state = result.by_state
    products = result.products
    licensed_products = (
        products[products["outcome"] == "licence_required"] if products is not None else None
    )
    return Headline(
        licence_products=int(licensed_products["products"].sum())
        if licensed_products is not None
        else None,
        licence_products_value_usd=float(licensed_products["value_usd"].sum())
        if licensed_products is not None
        else None,
        rereview=result.rereview,
        cases=int(frame["cases"].sum()),
        value_usd=float(frame["value_usd"].sum()),
        licence_cases=int(licensed["cases"].sum()),
        licence_value_usd=float(licensed["value_usd"].sum()),
        open_cases=int(by_state[by_state["state"].isin(open_states)]["cases"].sum()),
        changed=result.scenario.changed if result.scenario else None,
        changed_value_usd=result.scenario.changed_value if result.scenario else None,
    )


def report(
    *,
    filters: Filters,
    catalogue: Catalogue | None,
    today: dt.date,
    now: dt.datetime,
    first: dt.date | None = None,
    second: dt.date | None = None,
    sections: Collection[str] = SECTIONS,
    change_limit: int | None = CHANGE_LIST_LIMIT,
) -> Report:
    """Everything the dashboard shows (or only some sections, for a CSV download)."""
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown dashboard sections: {', '.join(sorted(unknown))}")
    cases = filtered_cases(filters)
    first, second = scenario_dates(catalogue, today, first, second)
    result = Report(filters=filters, today=today, first=first, second=second, catalogue=catalogue)
    if "products" in sections:
        result.products = products_by_latest_outcome(filtered_products(filters))
    if "category" in sections:
        result.by_category = exposure_by_category(cases)
    if "entry" in sections:
        result.by_entry = exposure_by_entry(cases, catalogue, today)
    if "destination" in sections:
        result.by_destination = exposure_by_destination(cases)
    if "workflow" in sections:
        result.by_state = cases_by_state(cases, now)
        result.rereview = to_rereview(cases)
    if "workload" in sections:
        result.workload = reviewer_workload(cases)
    if "activity" in sections:
        result.activity = activity_by_week(cases, filtered_screenings(filters))
    if "thresholds" in sections and catalogue is not None:
        result.histograms = parameter_histograms(cases, catalogue)
    if "scenario" in sections and catalogue is not None:
        result.scenario = scenario(
            cases, catalogue, result.first, result.second, limit=change_limit
        )
    return result
