"""Test helpers of compliance: everyone acknowledges the rules, the violations of a rule."""

import datetime

from salesops.compliance import services
from salesops.compliance.models import Acknowledgement, Violation
from salesops.org.calendar import add_working_days
from salesops.org.models import User


def acknowledge_everyone(on: datetime.date = datetime.date(2020, 1, 1)) -> None:
    """Everyone acknowledged the current rules long ago (so violations are "notified")."""
    rule_set = services.current_rule_set()
    moment = datetime.datetime.combine(on, datetime.time(9), tzinfo=datetime.UTC)
    Acknowledgement.objects.bulk_create(
        [Acknowledgement(user=u, rule_set=rule_set, acknowledged_at=moment) for u in User.objects.all()],
        ignore_conflicts=True,
    )


def of_rule(code: str) -> list[Violation]:
    return list(Violation.objects.filter(rule_code=code).order_by("pk"))


def working_day_after(day: datetime.date, n: int = 1) -> datetime.date:
    return add_working_days(day, n)
