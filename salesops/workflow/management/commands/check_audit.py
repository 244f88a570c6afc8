"""``salesops manage check_audit``: can the role the application connects as alter audit events?

Run it with the application's own ``DATABASE_URL``: it exits non-zero and names each way the
role could tamper (superuser, owner, UPDATE/DELETE/TRUNCATE, the old guard table), so a
deployment that connects as the owner is caught before it goes live.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from salesops.workflow.auditdb import audit_risks


class Command(BaseCommand):
    help = "Report whether the connected database role could alter or delete audit events."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        risks = audit_risks(connection)
        for risk in risks:
            self.stderr.write(f"audit trail at risk: {risk}")
        if risks:
            raise CommandError(f"{len(risks)} way(s) to tamper with the audit trail (README, Deployment).")
        self.stdout.write(f"audit trail: the connected role ({connection.vendor}) cannot alter audit events")
