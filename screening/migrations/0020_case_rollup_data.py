"""The case summary for the cases that exist already: every case counted once by its day
opened (in settings.TIME_ZONE), category, automated outcome, destination, state and re-review
flag. Written here with the historical models; screening.rollup.rebuild does the same later
(`manage.py verify_rollup --repair`)."""

from django.db import migrations
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate

DIMENSIONS = (
    "created_on",
    "category",
    "automated_outcome",
    "destination_country",
    "state",
    "rules_changed",
)


def build(apps, schema_editor):
    Case = apps.get_model("screening", "Case")
    CaseRollup = apps.get_model("screening", "CaseRollup")
    rows = (
        Case.objects.order_by()
        .annotate(created_on=TruncDate("created_at"))
        .values(*DIMENSIONS)
        .annotate(n=Count("pk"), value=Sum("expected_value_usd"))
    )
    summary = {}
    for r in rows.iterator(chunk_size=5000):
        key = tuple(r[d] or "" if d == "destination_country" else r[d] for d in DIMENSIONS)
        cases, value = summary.get(key, (0, 0))
        summary[key] = (cases + r["n"], value + (r["value"] or 0))
    CaseRollup.objects.all().delete()
    CaseRollup.objects.bulk_create(
        (
            CaseRollup(**dict(zip(DIMENSIONS, key, strict=True)), case_count=n, value_sum_usd=value)
            for key, (n, value) in summary.items()
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("screening", "0019_case_rollup")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
