"""Audit events are append-only at the database level: a trigger refuses UPDATE and DELETE.

``salesops_audit_guard`` is a plain table (not a Django model, so ``flush``
leaves it alone). Its one row says whether the guard is enforced; only the
test suite switches it off, to let Django empty the database between
transactional tests. Production never touches it; TRUNCATE is refused by
revoking the privilege from the application role (README, Deployment).
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE TABLE salesops_audit_guard (id integer PRIMARY KEY, enforced integer NOT NULL)",
    "INSERT INTO salesops_audit_guard (id, enforced) VALUES (1, 1)",
    """CREATE TRIGGER workflow_documentevent_no_update BEFORE UPDATE ON workflow_documentevent
       WHEN COALESCE((SELECT enforced FROM salesops_audit_guard WHERE id = 1), 1) = 1
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER workflow_documentevent_no_delete BEFORE DELETE ON workflow_documentevent
       WHEN COALESCE((SELECT enforced FROM salesops_audit_guard WHERE id = 1), 1) = 1
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS workflow_documentevent_no_update",
    "DROP TRIGGER IF EXISTS workflow_documentevent_no_delete",
    "DROP TABLE IF EXISTS salesops_audit_guard",
]
POSTGRES_FORWARD = [
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
    """CREATE TRIGGER workflow_documentevent_append_only BEFORE UPDATE OR DELETE ON workflow_documentevent
       FOR EACH ROW EXECUTE FUNCTION salesops_audit_append_only()""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS workflow_documentevent_append_only ON workflow_documentevent",
    "DROP FUNCTION IF EXISTS salesops_audit_append_only()",
    "DROP TABLE IF EXISTS salesops_audit_guard",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
