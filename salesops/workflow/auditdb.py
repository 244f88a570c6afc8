"""Who could rewrite the audit trail: the database role the application is connected as.

The trigger of migration 0004 refuses UPDATE, DELETE and TRUNCATE on ``workflow_documentevent``,
but the table's owner can disable it and a superuser can do anything (RELIABILITY.md c12).
So the application must run as a second role holding only INSERT and SELECT on that table;
``audit_risks`` names every way the connected role falls short of that (``check_audit``, the
deploy check), and ``app_role_grants`` is the SQL the owner runs after ``migrate`` to set it up.
"""

import re

from django.db.backends.base.base import BaseDatabaseWrapper

AUDIT_TABLE = "workflow_documentevent"
GUARD_TABLE = "salesops_audit_guard"
PG_TRIGGERS = ("workflow_documentevent_append_only", "workflow_documentevent_no_truncate")
SQLITE_TRIGGERS = ("workflow_documentevent_no_update", "workflow_documentevent_no_delete")
IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def audit_risks(connection: BaseDatabaseWrapper) -> list[str]:
    """Plain-language reasons why the connected role could alter audit events; empty when it cannot."""
    if connection.vendor == "postgresql":
        return _postgres_risks(connection)
    return _sqlite_risks(connection)


def _may_set_replication_role(connection: BaseDatabaseWrapper) -> str:
    """SQL for "may this role set session_replication_role": asked of PostgreSQL 15 and later;
    before 15 only a superuser may, which the superuser column already reports."""
    if connection.pg_version >= 150000:  # type: ignore[attr-defined]
        return "has_parameter_privilege(current_user, 'session_replication_role', 'SET')"
    return "false"


def _postgres_risks(connection: BaseDatabaseWrapper) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [AUDIT_TABLE])
        if not cursor.fetchone()[0]:
            return []  # not migrated yet: nothing to protect
        cursor.execute(
            """SELECT r.rolsuper,
                      pg_has_role(current_user, c.relowner, 'USAGE'),
                      has_table_privilege(current_user, c.oid, 'UPDATE'),
                      has_table_privilege(current_user, c.oid, 'DELETE'),
                      has_table_privilege(current_user, c.oid, 'TRUNCATE'),
                      {replication_role},
                      current_user
               FROM pg_class c, pg_roles r
               WHERE c.oid = to_regclass(%s) AND r.rolname = current_user""".format(
                replication_role=_may_set_replication_role(connection)
            ),
            [AUDIT_TABLE],
        )
        superuser, owner, update, delete, truncate, replication_role, role = cursor.fetchone()
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND tgenabled IN ('O', 'A')", [AUDIT_TABLE]
        )
        enabled = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            """SELECT to_regclass(%s) IS NOT NULL
                      AND (has_table_privilege(current_user, %s, 'UPDATE')
                           OR has_table_privilege(current_user, %s, 'DELETE'))""",
            [GUARD_TABLE, GUARD_TABLE, GUARD_TABLE],
        )
        guard_writable = bool(cursor.fetchone()[0])
    found = [
        (superuser, f"role {role} is a superuser"),
        (owner, f"role {role} owns {AUDIT_TABLE} (or is a member of its owner) and can disable its triggers"),
        (update, f"role {role} has UPDATE on {AUDIT_TABLE}"),
        (delete, f"role {role} has DELETE on {AUDIT_TABLE}"),
        (truncate, f"role {role} has TRUNCATE on {AUDIT_TABLE}"),
        (replication_role and not superuser, f"role {role} may set session_replication_role (skips triggers)"),
        (guard_writable, f"role {role} can write {GUARD_TABLE}, the old switch of the trigger"),
    ]
    found += [(name not in enabled, f"trigger {name} is missing or disabled") for name in PG_TRIGGERS]
    return [reason for flagged, reason in found if flagged]


def _sqlite_risks(connection: BaseDatabaseWrapper) -> list[str]:
    # SQLite has no roles: the triggers are all there is, so only their presence is checked.
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = %s", [AUDIT_TABLE])
        if cursor.fetchone() is None:
            return []
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [AUDIT_TABLE])
        present = {row[0] for row in cursor.fetchall()}
    return [f"trigger {name} is missing" for name in SQLITE_TRIGGERS if name not in present]


def app_role_grants(*, app_role: str, owner_role: str, schema: str = "public") -> list[str]:
    """The owner's grants to the application role: everything it needs, and on the audit table
    only INSERT and SELECT. Default privileges cover the tables later migrations create."""
    for name in (app_role, owner_role, schema):
        if not IDENTIFIER.fullmatch(name):
            raise ValueError(f"not a plain SQL identifier: {name!r}")
    return [
        f'GRANT USAGE ON SCHEMA "{schema}" TO "{app_role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{app_role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{app_role}"',
        f'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "{AUDIT_TABLE}" FROM "{app_role}"',
        f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner_role}" IN SCHEMA "{schema}" '
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{app_role}"',
        f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner_role}" IN SCHEMA "{schema}" '
        f'GRANT USAGE, SELECT ON SEQUENCES TO "{app_role}"',
    ]
