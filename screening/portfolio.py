"""The portfolio as frames for the vectorised evaluator: every product's current spec, or the
frozen specs of cases, read with one values_list query (numbers and codes, no model instances)
in chunks of bounded size. The one place stored spec versions become evaluator frames:
re-screens read it (screening.rescreening), and so does the dashboard's scenario."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from typing import Any

import pandas as pd
from django.db import connection
from django.db.models import QuerySet

from rules.vocabulary import DERIVATIONS, PARAMETERS, derived_column
from screening.models import Case, Product
from screening.models.products import OUTCOME_COLUMNS

CHUNK = 100_000
SPEC_COLUMNS = OUTCOME_COLUMNS


def _frame(rows: list[tuple[Any, ...]], names: tuple[str, ...]) -> pd.DataFrame:
    return _typed(pd.DataFrame.from_records(rows, columns=list(names)))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for name in PARAMETERS:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    if "derived_parameters" not in frame.columns:
        return frame  # which values were derived matters to explanations, never to outcomes
    derived = frame["derived_parameters"].fillna("").astype(str)
    for target in (d.target for d in DERIVATIONS):
        # Whole names between commas, so a name that contains another is not mistaken for it.
        pattern = rf"(?:^|,){re.escape(target)}(?:,|$)"
        frame[derived_column(target)] = derived.str.contains(pattern, regex=True).to_numpy()
    return frame


def _chunks(query: Any, names: tuple[str, ...]) -> Iterator[pd.DataFrame]:
    """The rows of a values_list query as frames of at most CHUNK rows (bounded memory)."""
    if connection.vendor == "postgresql":
        yield from _copied_chunks(query, names)
        return
    rows: list[tuple[Any, ...]] = []
    for row in query.iterator(chunk_size=CHUNK):
        rows.append(row)
        if len(rows) == CHUNK:
            yield _frame(rows, names)
            rows = []
    if rows:
        yield _frame(rows, names)


IDS = {"product_id", "spec_id", "case_id"}


def _copied_chunks(query: Any, names: tuple[str, ...]) -> Iterator[pd.DataFrame]:
    """PostgreSQL: the same rows by `COPY (query) TO STDOUT` into a temporary file, read back
    by pandas CHUNK rows at a time. A million rows through psycopg and a Python tuple each cost
    more than the query; the file keeps memory bounded as the cursor did. NULL and "" both read
    as "" in the text columns (where only the latest outcome can be NULL, and its readers take
    None as "") and as NaN in the numbers; an as-of date reads as a date, as from the ORM."""
    sql, params = query.query.sql_with_params()
    with tempfile.TemporaryFile() as spool:
        with connection.cursor() as cursor:
            # COPY takes no parameters: bound by the client, as Django's own mogrify does.
            statement = connection.ops.compose_sql(sql, params)  # type: ignore[attr-defined]
            with cursor.cursor.copy(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)") as copy:
                for block in copy:
                    spool.write(block)
        spool.seek(0)
        numbers = {*PARAMETERS, "as_of"}
        parts = pd.read_csv(
            spool,
            header=None,
            names=list(names),
            dtype={n: "int64" if n in IDS else str for n in names if n not in numbers},
            keep_default_na=False,
            na_values={n: [""] for n in PARAMETERS},
            chunksize=CHUNK,
        )
        for part in parts:
            if "as_of" in part.columns:
                dates = pd.to_datetime(part["as_of"], format="%Y-%m-%d", errors="coerce")
                part["as_of"] = [d.date() if d == d else None for d in dates]
            yield _typed(part.reset_index(drop=True))


PORTFOLIO = ("product_id", "spec_id", "latest_outcome", "derived_parameters", *SPEC_COLUMNS)
CASES = (
    "case_id",
    "state",
    "product_id",
    "spec_id",
    "as_of",
    "automated_outcome",
    "derived_parameters",
    *SPEC_COLUMNS,
)


def portfolio_chunks() -> Iterator[pd.DataFrame]:
    """Every product's current spec, canonical values, ids and latest outcome, in chunks."""
    query = (
        Product.objects.filter(current_spec__isnull=False)
        .order_by("pk")
        .values_list(
            "pk",
            "current_spec_id",
            "latest_screening__outcome",
            "current_spec__derived_parameters",
            *(f"current_spec__{c}" for c in SPEC_COLUMNS),
        )
    )
    return _chunks(query, PORTFOLIO)


def portfolio() -> pd.DataFrame:
    frames = list(portfolio_chunks())
    return pd.concat(frames, ignore_index=True) if frames else _frame([], PORTFOLIO)


def case_chunks(states: tuple[str, ...]) -> Iterator[pd.DataFrame]:
    """The frozen specs of the cases in these states, with each case's state, as-of date and
    outcome. The cases are read in key order over the whole table and those in other states
    dropped here: by the state's index SQLite read them in random order and sorted them again
    (9.2 s for 620,000 of a million cases, against 3.7 s for all of them in key order), and a
    caller that wants two sets of states asks once for both."""
    query = Case.objects.order_by("pk").values_list(
        "pk",
        "state",
        "product_id",
        "spec_id",
        "screening__as_of",
        "automated_outcome",
        "spec__derived_parameters",
        *(f"spec__{c}" for c in SPEC_COLUMNS),
    )
    wanted = set(states)
    for frame in _chunks(query, CASES):
        kept = frame[frame["state"].isin(wanted)].reset_index(drop=True)
        if len(kept):
            yield kept


SCENARIO = ("case", "value_usd", *SPEC_COLUMNS)


def case_frame(cases: QuerySet[Case]) -> pd.DataFrame:
    """These cases' frozen specs (the columns that decide an outcome), with each case's id and
    expected value (US$, 0 where none): what the dashboard's scenario screens as of two dates.
    One values_list query, whole (the dashboard asks for one filtered set at a time)."""
    query = cases.values_list("pk", "expected_value_usd", *(f"spec__{c}" for c in SPEC_COLUMNS))
    frame = _frame(list(query), SCENARIO)
    frame["value_usd"] = frame["value_usd"].map(lambda v: 0.0 if v is None else float(v))
    return frame.astype({"value_usd": float})
