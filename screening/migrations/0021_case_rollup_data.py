"""The dashboard's summaries for what exists already: every case counted once by its day
opened (in settings.TIME_ZONE), category, automated outcome, destination, state, re-review flag
and week decided; every screening by its day made, category, destination and outcome. Written
here with the historical models; screening.rollup.rebuild does the same later
(`manage.py verify_rollup --repair`)."""

import datetime as dt

from django.db import migrations
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate

NOT_DECIDED = dt.date(1, 1, 1)
CASE_DIMENSIONS = (
    "created_on",
    "category",
    "automated_outcome",
    "destination_country",
    "state",
    "rules_changed",
)


def week(day):
    return NOT_DECIDED if day is None else day - dt.timedelta(days=day.weekday())


def build(apps, schema_editor):
    Case = apps.get_model("screening", "Case")
    CaseRollup = apps.get_model("screening", "CaseRollup")
    Screening = apps.get_model("screening", "Screening")
    ScreeningRollup = apps.get_model("screening", "ScreeningRollup")
    rows = (
        Case.objects.order_by()
        .annotate(created_on=TruncDate("created_at"), decided_on=TruncDate("decided_at"))
        .values(*CASE_DIMENSIONS, "decided_on")
        .annotate(n=Count("pk"), value=Sum("expected_value_usd"))
    )
    summary = {}
    for r in rows.iterator(chunk_size=5000):
        key = (
            *(r[d] for d in CASE_DIMENSIONS[:3]),
            r["destination_country"] or "",
            r["state"],
            r["rules_changed"],
            week(r["decided_on"]),
        )
        cases, value = summary.get(key, (0, 0))
        summary[key] = (cases + r["n"], value + (r["value"] or 0))
    CaseRollup.objects.all().delete()
    CaseRollup.objects.bulk_create(
        (
            CaseRollup(
                **dict(zip((*CASE_DIMENSIONS, "decided_week"), key, strict=True)),
                case_count=n,
                value_sum_usd=value,
            )
            for key, (n, value) in summary.items()
        ),
        batch_size=2000,
    )
    screenings = (
        Screening.objects.order_by()
        .annotate(
            created_on=TruncDate("created_at"),
            category=F("spec__category"),
            destination_country=F("spec__destination_country"),
        )
        .values("created_on", "category", "destination_country", "outcome")
        .annotate(n=Count("pk"))
    )
    counted = {}
    for r in screenings.iterator(chunk_size=5000):
        key = (r["created_on"], r["category"], r["destination_country"] or "", r["outcome"])
        counted[key] = counted.get(key, 0) + r["n"]
    ScreeningRollup.objects.all().delete()
    ScreeningRollup.objects.bulk_create(
        (
            ScreeningRollup(
                created_on=key[0],
                category=key[1],
                destination_country=key[2],
                outcome=key[3],
                screening_count=n,
            )
            for key, n in counted.items()
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("screening", "0020_case_rollup")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
