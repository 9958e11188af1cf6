"""On PostgreSQL, refuse UPDATE and DELETE of frozen rows in the database itself.

The models already refuse; this also stops raw SQL, a shell, or a future bug.
Other databases rely on the models alone.
"""

from django.db import migrations

FROZEN_TABLES = [
    "meetings_minutesversion",
    "meetings_signature",
    "meetings_signeddocument",
    "meetings_statuschange",
]

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION minutes_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'frozen minutes: ' || TG_OP || ' on ' || TG_TABLE_NAME || ' is refused',
        ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION)
    for table in FROZEN_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION minutes_refuse_change();"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in FROZEN_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS minutes_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_versions_signatures_status_trail")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
