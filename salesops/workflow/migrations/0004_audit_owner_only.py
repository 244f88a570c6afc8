"""On PostgreSQL the audit trigger has no off switch any more, and TRUNCATE is refused too.

Migration 0002 let one row of ``salesops_audit_guard`` switch the trigger off, and any role
that could write the application's tables could flip it (issue 7, item 1). Now the trigger
refuses UPDATE, DELETE and TRUNCATE unconditionally and the guard table is gone. Only a role
that may set ``session_replication_role`` (a superuser: the test suite emptying its own
database) or the table's owner (``migrate``; it can disable triggers) gets past it; the
application runs as neither (README, Deployment; ``salesops manage check_audit``).

SQLite has no roles: whoever can open the file can rewrite it, so its guard row stays as the
test suite's switch and nothing changes there.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION salesops_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'audit events are append-only';
       END $$""",
    """CREATE TRIGGER workflow_documentevent_no_truncate BEFORE TRUNCATE ON workflow_documentevent
       FOR EACH STATEMENT EXECUTE FUNCTION salesops_audit_append_only()""",
    "DROP TABLE IF EXISTS salesops_audit_guard",
]
# Back to migration 0002's state: the guard table and the function that reads it.
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS workflow_documentevent_no_truncate ON workflow_documentevent",
    "CREATE TABLE salesops_audit_guard (id integer PRIMARY KEY, enforced integer NOT NULL)",
    "INSERT INTO salesops_audit_guard (id, enforced) VALUES (1, 1)",
    """CREATE OR REPLACE FUNCTION salesops_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF COALESCE((SELECT enforced FROM salesops_audit_guard WHERE id = 1), 1) = 1 THEN
           RAISE EXCEPTION 'audit events are append-only';
         END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END $$""",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0003_field_labels"),
    ]

    operations = [
        migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD)),
    ]
