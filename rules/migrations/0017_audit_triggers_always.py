"""PostgreSQL: the audit's append-only triggers fire whatever session_replication_role says.

A role that may set the parameter (screening.references: an import's COPYs run at "replica"
so that their foreign keys are checked by set) would otherwise skip ordinary triggers with it.
ENABLE ALWAYS keeps the audit events unchangeable for every session. SQLite has no such
parameter."""

from django.db import migrations

TRIGGERS = ("rules_auditevent_no_change", "rules_auditevent_no_truncate")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for trigger in TRIGGERS:
            schema_editor.execute(f"ALTER TABLE rules_auditevent ENABLE ALWAYS TRIGGER {trigger}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for trigger in TRIGGERS:
            schema_editor.execute(f"ALTER TABLE rules_auditevent ENABLE TRIGGER {trigger}")


class Migration(migrations.Migration):
    dependencies = [("rules", "0016_audit_chain_head_verbose_names")]

    operations = [migrations.RunPython(forwards, backwards)]
