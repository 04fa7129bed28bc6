"""The access log is append-only in the database itself, not only in the ORM.

PostgreSQL: a row trigger refuses every UPDATE and DELETE. TRUNCATE stays possible for the table
owner only (the test runner empties tables that way); production should run the app as a role
that does not own its tables.
SQLite (the embedded default): a trigger refuses UPDATE. DELETE is left to the ORM guard because
Django's test flush on SQLite empties tables with DELETE.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accesslog_append_only
    BEFORE UPDATE OR DELETE ON accesslog_accessevent
    FOR EACH ROW EXECUTE FUNCTION accesslog_refuse_change();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS accesslog_append_only ON accesslog_accessevent;
DROP FUNCTION IF EXISTS accesslog_refuse_change();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER accesslog_no_update BEFORE UPDATE ON accesslog_accessevent
       BEGIN SELECT RAISE(ABORT, 'the access log is append-only: UPDATE refused'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS accesslog_no_update;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("accesslog", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
