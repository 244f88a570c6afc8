"""``check --deploy`` fails when the application's database role could alter audit events.

A deploy check may reach the database (only ``check --deploy`` runs it); an unreachable one is
reported as a warning rather than a crash, since ``salesops serve`` reports that on its own.
"""

from django.core.checks import Error, Warning, register
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from .auditdb import audit_risks


@register("security", deploy=True)
def audit_role_check(app_configs, databases=None, **kwargs):
    issues = []
    for alias in databases or [DEFAULT_DB_ALIAS]:
        try:
            risks = audit_risks(connections[alias])
        except DatabaseError as exc:
            issues.append(Warning(f"could not check the audit table's privileges: {exc}", id="salesops.W001"))
            continue
        issues += [
            Error(
                f"audit trail at risk on database {alias!r}: {risk}",
                hint="Connect as the application role (README, Deployment); see `salesops manage check_audit`.",
                id="salesops.E001",
            )
            for risk in risks
        ]
    return issues
