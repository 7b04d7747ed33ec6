"""The three roles as Django groups (rules.access). Their admin permissions are granted after
migrating, by rules.apps (permissions only exist once all migrations have run)."""

from django.db import migrations

ROLES = ("compliance_analyst", "reviewer", "rules_administrator")


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in ROLES:
        Group.objects.get_or_create(name=role)


class Migration(migrations.Migration):
    dependencies = [
        ("rules", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
