"""Periodic housekeeping of the organisation: failed log-ins older than a day count for nothing
(the per-account limit looks back ACCOUNT_LOCK_MINUTES) and are deleted every night."""

import datetime

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .models import LoginFailure

KEEP = datetime.timedelta(days=1)


def forget_old_login_failures(*, now: datetime.datetime | None = None) -> int:
    deleted, _by_model = LoginFailure.objects.filter(at__lt=(now or timezone.now()) - KEEP).delete()
    return deleted


@db_periodic_task(crontab(hour="3", minute="15"))
def forget_old_login_failures_task() -> int:
    return forget_old_login_failures()
