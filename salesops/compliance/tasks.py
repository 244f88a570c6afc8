"""The daily sweep: every working day, re-derive the violations an on-event check may have missed
(a contract never archived, a register never submitted). Idempotent: run twice, or after a
killed run, it records nothing twice."""

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from salesops.org.calendar import is_workday

from .services import sweep

logger = logging.getLogger("salesops.compliance")


@db_periodic_task(crontab(hour="6", minute="30"))
def daily_sweep() -> int:
    today = timezone.localdate()
    if not is_workday(today):
        return 0
    found = sweep(today=today)
    logger.info("daily compliance sweep: %s", found)
    return sum(found.values())


@db_task()
def sweep_now() -> int:
    """The sweep asked for on the page or the API: in the background, since a first sweep over a
    large database records violations for longer than a request may take."""
    found = sweep()
    logger.info("compliance sweep on demand: %s", found)
    return sum(found.values())
