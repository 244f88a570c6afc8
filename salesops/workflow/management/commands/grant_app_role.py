"""``salesops manage grant_app_role <role>``: the owner, after ``migrate``, grants the application role
what it needs and no more (on the audit table INSERT and SELECT only), README, Deployment.

``--print`` shows the SQL instead of running it, for a DBA to review.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from salesops.workflow.auditdb import app_role_grants


class Command(BaseCommand):
    help = "Grant the application's database role its privileges (run as the owner after migrate)."

    def add_arguments(self, parser):
        parser.add_argument("app_role")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--print", action="store_true", dest="print_only")

    def handle(self, *args, app_role, database, print_only, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("Database roles exist only on PostgreSQL.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            owner = cursor.fetchone()[0]
        try:
            statements = app_role_grants(app_role=app_role, owner_role=owner)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if print_only:
            self.stdout.write(";\n".join(statements) + ";")
            return
        with transaction.atomic(using=database), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"granted {app_role} the application's privileges ({len(statements)} statements)")
