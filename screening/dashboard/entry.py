"""Cases by control entry: cases and their expected value per entry their screenings hit
(matched, may match, came near), with the entry's measure status today. Its bars open the case
list."""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal
from typing import Any

import pandas as pd
from django.db import connections
from django.db.models import F, QuerySet, Sum
from django.utils.translation import gettext as _

from rules.catalogue import Catalogue
from rules.labels import ENTRY_RESULT_LABELS, STATUS_LABELS, bilingual, entry_result_label
from screening.dashboard.charts import Chart, Table, cases_and_value, chart, rows
from screening.dashboard.section import Scope, Section, View, frame
from screening.dashboard.theme import HIT_COLOURS, columns, wrap
from screening.models import Case, EntryRollup, ScreeningEntry

# A title longer than this (columns) is cut short in a bar's label; the data table's is whole.
LABEL_TITLE_COLUMNS = 60


def hit_totals(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    """Cases and their expected value per entry hit (key, measure, code, result) of their
    screenings: the filtered cases' screening and value, read once from the cases, joined to the
    screenings' hits by the (screening, key, measure, code, result) index, which covers them.

    The join goes from each case straight to its screening's hits (the screening row itself is
    not read) and counts exactly what the ORM's join through the screening counts (a test
    compares them).
    """
    connection = connections[cases.db]
    quote = connection.ops.quote_name
    inner, params = (
        cases.order_by().values(hit_of=F("screening_id"), worth=F("expected_value_usd")).query
    ).sql_with_params()
    sql = (
        f"SELECT h.{quote('key')}, h.{quote('measure')}, h.{quote('code')}, "  # noqa: S608
        f"h.{quote('result')}, COUNT(*), SUM(c.{quote('worth')}) "
        f"FROM ({inner}) c INNER JOIN {quote(ScreeningEntry._meta.db_table)} h "
        f"ON h.{quote('screening_id')} = c.{quote('hit_of')} "
        "GROUP BY 1, 2, 3, 4"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    names = ("key", "measure", "code", "result", "cases", "value_usd")
    return [dict(zip(names, (*r[:5], _summed(r[5])), strict=True)) for r in found]


def summed_hit_totals(rollup: QuerySet[EntryRollup]) -> list[dict[str, Any]]:
    """hit_totals from the entry summary's rows (filtered_entry_rollup): the same rows."""
    return list(
        rollup.values("key", "measure", "code", "result")
        .annotate(cases=Sum("case_count"), value_usd=Sum("value_sum_usd"))
        .filter(cases__gt=0)  # rows emptied by later writes stay in the summary
        .order_by()
    )


# SQLite sums decimals as floats of 15 significant digits; the ORM's Sum reads them so.
_FIFTEEN_DIGITS = decimal.Context(prec=15)


def _summed(value: object) -> Decimal | None:
    """A SUM as the ORM reads it (Decimal on PostgreSQL already; a float on SQLite)."""
    if value is None or isinstance(value, Decimal):
        return value
    return _FIFTEEN_DIGITS.create_decimal_from_float(value)  # type: ignore[arg-type]


def exposure_by_entry(
    cases: QuerySet[Case],
    catalogue: Catalogue | None,
    today: dt.date,
    rollup: QuerySet[EntryRollup] | None = None,
) -> pd.DataFrame:
    """Cases and expected value per entry their screenings hit (match, unknown or near), with
    the entry's measure status today. One query: the entry summary's rows when the filters are
    on its dimensions (`rollup`), otherwise the cases joined to their hits (hit_totals).

    A screening hits each entry key at most once, so grouping by key counts every case once per
    entry and the value sums are exact.
    """
    grouped = hit_totals(cases) if rollup is None else summed_hit_totals(rollup)
    result = frame(grouped, ["key", "measure", "code", "result", "cases", "value_usd"])
    measures = catalogue.measures_by_key if catalogue is not None else {}
    result["status"] = [
        measures[m].status_on(today) if m in measures else "unknown" for m in result["measure"]
    ]
    totals = result.groupby("key")["cases"].transform("sum")
    return (
        result.assign(_total=totals)
        .sort_values(["_total", "key", "result"], ascending=[False, True, True])
        .drop(columns="_total")
        .reset_index(drop=True)
    )


def entry_title(key: str, catalogue: Catalogue | None) -> str:
    """What an entry controls, in the reader's language ("" for an entry the catalogue lacks)."""
    entry = catalogue.entries_by_key.get(key) if catalogue is not None else None
    return bilingual(entry.title_en, entry.title_zh) if entry is not None else ""


def _short(text: str) -> str:
    if columns(text) <= LABEL_TITLE_COLUMNS:
        return text
    while columns(text) > LABEL_TITLE_COLUMNS - 1:
        text = text[:-1]
    return text.rstrip(" ,(") + "…"


def compute(scope: Scope) -> dict[str, Any]:
    return {
        "by_entry": exposure_by_entry(scope.cases, scope.catalogue, scope.today, scope.entry_rollup)
    }


def entry_chart(by_entry: pd.DataFrame, view: View) -> Chart:
    links, today = view.links, view.today
    keys = list(dict.fromkeys(by_entry["key"]))
    status = dict(zip(by_entry["key"], by_entry["status"], strict=True))

    titles = {key: entry_title(key, view.catalogue) for key in keys}

    def label(key: str) -> str:
        code = f"{key} · {STATUS_LABELS.get(status[key], status[key])}"
        return f"{code}\n{_short(titles[key])}" if titles[key] else code

    lines = sum(wrap(label(key), 44).count("<br>") + 1 for key in keys)

    figure = cases_and_value(
        frame=by_entry,
        along="key",
        positions=keys,
        by="result",
        series=("match", "unknown", "near"),
        label=label,
        name=lambda r: str(ENTRY_RESULT_LABELS[r]),
        colour=HIT_COLOURS.__getitem__,
        link=lambda k, r: links(entry=k),
        horizontal=True,
        height=max(300, 130 + 17 * lines + 10 * len(keys)),
    )
    table = Table(
        [
            _("Entry"),
            _("Item"),
            _("Status today"),
            _("Result"),
            _("Cases"),
            _("Expected value (USD)"),
        ],
        ["text", "text", "text", "text", "int", "usd"],
        [
            [
                r.key,
                titles[r.key],
                str(STATUS_LABELS.get(r.status, r.status)),
                entry_result_label(r.result),
                r.cases,
                r.value_usd,
            ]
            for r in rows(by_entry)
        ],
        [links(entry=r.key) for r in rows(by_entry)],
    )
    summary = _(
        "Entries the cases' screenings matched, may match (unknown) or came near, with each "
        "measure's status today (%(today)s). A case counts once under every entry it hits."
    ) % {"today": today.isoformat()}
    return chart(
        "entry",
        _("Cases by control entry"),
        summary,
        table,
        figure,
        today,
        legend="corner",
        csv="entry",
        size="lg" if len(keys) > 10 else "md",
        linked=links.enabled,
        wide=True,
    )


def charts(by_entry: pd.DataFrame, view: View) -> list[Chart]:
    return [entry_chart(by_entry, view)]


SECTION = Section(
    name="entry",
    place="cases",
    fields=("by_entry",),
    compute=compute,
    charts=charts,
    csv={"entry": lambda by_entry, view: entry_chart(by_entry, view).table},
)
