"""Issue 7 item 1: the two-role set-up on PostgreSQL. An owner role runs ``migrate`` and
``grant_app_role``; connected as the application role, every way to alter audit events is refused.

The roles and the database are created here (named after the test database, so parallel runs
and neighbours on a shared server do not collide) and dropped at the end.
"""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

# One worker migrates the owner's database once for the whole module (make test runs --dist loadgroup).
pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("audit_roles")]

PROJECT = Path(__file__).resolve().parents[3]

TAMPERING = {
    "update": "UPDATE workflow_documentevent SET comment = 'forged'",
    "delete": "DELETE FROM workflow_documentevent",
    "truncate": "TRUNCATE workflow_documentevent",
    "guard flip": "UPDATE salesops_audit_guard SET enforced = 0",
    "disable trigger": "ALTER TABLE workflow_documentevent DISABLE TRIGGER USER",
    "drop trigger": "DROP TRIGGER workflow_documentevent_append_only ON workflow_documentevent",
    "replication role": "SET session_replication_role = replica",
}


@pytest.fixture(scope="module")
def two_roles():
    """A fresh database owned by an owner role, migrated and granted by it; yields the DSNs."""
    base = settings.DATABASES["default"]
    prefix = base["NAME"].removeprefix("test_")
    owner, app, name = f"{prefix}_audit_owner", f"{prefix}_audit_app", f"{prefix}_audit"
    server = {"host": base["HOST"] or "127.0.0.1", "port": base["PORT"] or 5432}
    admin = psycopg.connect(dbname="postgres", user=base["USER"], password=base["PASSWORD"] or None, **server)
    admin.autocommit = True

    def drop():
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'DROP ROLE IF EXISTS "{app}"')
        admin.execute(f'DROP ROLE IF EXISTS "{owner}"')

    drop()
    admin.execute(f'CREATE ROLE "{owner}" LOGIN')
    admin.execute(f'CREATE ROLE "{app}" LOGIN')
    admin.execute(f'CREATE DATABASE "{name}" OWNER "{owner}"')
    url = "postgres://{user}@{host}:{port}/" + name
    urls = {role: url.format(user=user, **server) for role, user in (("owner", owner), ("app", app))}
    for command in (["migrate", "--no-input"], ["grant_app_role", app]):
        done = manage(*command, database_url=urls["owner"])
        assert done.returncode == 0, done.stderr[-3000:]
    try:
        yield {"name": name, "owner": owner, "app": app, "urls": urls, "server": server}
    finally:
        drop()
        admin.close()


def manage(*args, database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "SALESOPS_TESTING": "1"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_application_role_cannot_alter_or_switch_off_the_audit_trail(two_roles):
    # given: the application role writes one event (INSERT is what it needs)
    app = psycopg.connect(dbname=two_roles["name"], user=two_roles["app"], **two_roles["server"])
    with app.transaction():
        app.execute(
            """INSERT INTO workflow_documentevent
               (content_type_id, object_id, number, action, from_state, to_state, at, comment, changes, request_id)
               VALUES ((SELECT min(id) FROM django_content_type), 1, 'EX2026120001', 'create', '', 'draft',
                       now(), 'original', '{}', '')"""
        )
    before = app.execute("SELECT id, comment, action FROM workflow_documentevent ORDER BY id").fetchall()

    # when: it tries every way to rewrite, empty or unprotect the table
    refused = []
    for attempt, statement in TAMPERING.items():
        try:
            with app.transaction():
                app.execute(statement)
        except psycopg.Error:
            refused.append(attempt)

    # then: all refused, nothing changed
    print(f"audit tamper attempts refused: {len(refused)}/{len(TAMPERING)}")
    assert refused == list(TAMPERING)
    assert app.execute("SELECT id, comment, action FROM workflow_documentevent ORDER BY id").fetchall() == before
    privileges = "SELECT has_table_privilege('workflow_documentevent', p) FROM unnest(%s::text[]) p"
    assert [row[0] for row in app.execute(privileges, [["UPDATE", "DELETE", "TRUNCATE"]])] == [False] * 3
    app.close()


def test_check_audit_passes_for_the_app_role_and_flags_the_owner(two_roles):
    as_app = manage("check_audit", database_url=two_roles["urls"]["app"])
    as_owner = manage("check_audit", database_url=two_roles["urls"]["owner"])
    assert as_app.returncode == 0, as_app.stderr
    assert as_owner.returncode != 0
    assert f"role {two_roles['owner']} owns workflow_documentevent" in as_owner.stderr


def test_the_deploy_check_flags_an_owner_connection(two_roles):
    as_owner = manage("check", "--deploy", "--tag", "security", database_url=two_roles["urls"]["owner"])
    as_app = manage("check", "--deploy", "--tag", "security", database_url=two_roles["urls"]["app"])
    assert "salesops.E001" in as_owner.stderr + as_owner.stdout
    assert "salesops.E001" not in as_app.stderr + as_app.stdout
