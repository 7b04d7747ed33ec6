"""The entry summary for what exists already: every case counted once under each entry its
screening hit, by its day opened (in settings.TIME_ZONE), category, automated outcome,
destination and state. Written here with the historical models; screening.rollup.rebuild does
the same later (`manage.py verify_rollup --repair`)."""

from django.db import migrations
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate

CASE_DIMENSIONS = ("created_on", "category", "automated_outcome", "destination_country", "state")
HIT_DIMENSIONS = ("key", "measure", "code", "result")


def build(apps, schema_editor):
    Case = apps.get_model("screening", "Case")
    EntryRollup = apps.get_model("screening", "EntryRollup")
    rows = (
        Case.objects.order_by()
        .annotate(created_on=TruncDate("created_at"))
        .values(
            *CASE_DIMENSIONS,
            **{name: F(f"screening__hits__{name}") for name in HIT_DIMENSIONS},
        )
        .annotate(n=Count("pk"), value=Sum("expected_value_usd"))
    )
    summary = {}
    for r in rows.iterator(chunk_size=5000):
        if r["key"] is None:
            continue
        key = tuple(r[d] for d in (*CASE_DIMENSIONS, *HIT_DIMENSIONS))
        key = (*key[:3], key[3] or "", *key[4:])
        cases, value = summary.get(key, (0, 0))
        summary[key] = (cases + r["n"], value + (r["value"] or 0))
    EntryRollup.objects.all().delete()
    EntryRollup.objects.bulk_create(
        (
            EntryRollup(
                **dict(zip((*CASE_DIMENSIONS, *HIT_DIMENSIONS), key, strict=True)),
                case_count=n,
                value_sum_usd=value,
            )
            for key, (n, value) in summary.items()
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("screening", "0022_entry_rollup")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
