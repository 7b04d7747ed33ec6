"""The database itself refuses to change or delete audit events (SQLite and PostgreSQL)."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER rules_auditevent_no_update BEFORE UPDATE ON rules_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    """CREATE TRIGGER rules_auditevent_no_delete BEFORE DELETE ON rules_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS rules_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS rules_auditevent_no_delete;",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION rules_auditevent_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER rules_auditevent_no_change BEFORE UPDATE OR DELETE ON rules_auditevent
       FOR EACH ROW EXECUTE FUNCTION rules_auditevent_refuse();""",
    """CREATE TRIGGER rules_auditevent_no_truncate BEFORE TRUNCATE ON rules_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION rules_auditevent_refuse();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS rules_auditevent_no_change ON rules_auditevent;",
    "DROP TRIGGER IF EXISTS rules_auditevent_no_truncate ON rules_auditevent;",
    "DROP FUNCTION IF EXISTS rules_auditevent_refuse();",
]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("rules", "0003_audit")]

    operations = [migrations.RunPython(forwards, backwards)]
