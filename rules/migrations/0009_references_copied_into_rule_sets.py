"""Reference products used to be global; now each rule set has its own. Every rule set gets a
copy of the references that existed (they were what its checks used), then the global rows go.
A fresh database has none yet: the shipped ones arrive with the shipped rule set after
migrating (rules.publishing.ensure_shipped_catalogue)."""

from django.db import migrations


def copy_references_into_rule_sets(apps, schema_editor):
    RuleSet = apps.get_model("rules", "RuleSet")
    ReferenceProduct = apps.get_model("rules", "ReferenceProduct")
    ReferenceExpectation = apps.get_model("rules", "ReferenceExpectation")
    shared = list(ReferenceProduct.objects.filter(rule_set__isnull=True).order_by("name"))
    if not shared:
        return
    expectations = {
        reference.pk: list(ReferenceExpectation.objects.filter(reference=reference).order_by("pk"))
        for reference in shared
    }
    for rule_set in RuleSet.objects.order_by("pk"):
        for reference in shared:
            copy = ReferenceProduct.objects.create(
                rule_set=rule_set,
                name=reference.name,
                cells=reference.cells,
                note=reference.note,
                active=reference.active,
            )
            ReferenceExpectation.objects.bulk_create(
                ReferenceExpectation(
                    reference=copy, as_of=e.as_of, regimes=e.regimes, outcome=e.outcome
                )
                for e in expectations[reference.pk]
            )
    ReferenceExpectation.objects.filter(reference__rule_set__isnull=True).delete()
    ReferenceProduct.objects.filter(rule_set__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("rules", "0008_references_belong_to_rule_sets")]

    operations = [migrations.RunPython(copy_references_into_rule_sets, migrations.RunPython.noop)]
