"""The product summary for what exists already: every product with a latest screening counted
once by its current spec's category and destination and its latest screening's outcome, with
its annual export value. Written here with the historical models; screening.rollup.rebuild does
the same later (`manage.py verify_rollup --repair`)."""

from decimal import Decimal

from django.db import migrations
from django.db.models import Count, F, Sum


def build(apps, schema_editor):
    Product = apps.get_model("screening", "Product")
    ProductRollup = apps.get_model("screening", "ProductRollup")
    rows = (
        Product.objects.filter(latest_screening__isnull=False)
        .order_by()
        .values(
            cat=F("current_spec__category"),
            destination=F("current_spec__destination_country"),
            kind=F("latest_screening__outcome"),
        )
        .annotate(n=Count("pk"), value=Sum("current_spec__annual_export_value_usd"))
    )
    summary = {}
    for r in rows:
        key = (r["cat"] or "", r["destination"] or "", r["kind"])
        n, value = summary.get(key, (0, Decimal(0)))
        summary[key] = (n + r["n"], value + Decimal(str(r["value"] or 0)))
    ProductRollup.objects.all().delete()
    ProductRollup.objects.bulk_create(
        (
            ProductRollup(
                category=key[0],
                destination_country=key[1],
                outcome=key[2],
                product_count=n,
                value_sum_usd=round(value, 2),
            )
            for key, (n, value) in summary.items()
        ),
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("screening", "0024_product_rollup_dashboard_index")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
