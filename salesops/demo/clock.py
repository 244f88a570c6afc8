"""The demo's clock: run the services as of an earlier moment, so that a document the demo raises
"three weeks ago" carries that date everywhere the services stamp the time (created at, audit
events, approval steps, notifications, numbers of the month, stock moves).

Django reads the time in one place, ``django.utils.timezone.now``, which asks the ``datetime``
class its module imported; the clock swaps that class for one whose ``now`` runs the given offset
behind, for as long as the ``as_of`` block lasts (time keeps flowing inside it). Only the demo
loader uses it, in one thread, never a request.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone as django_timezone


class _Behind(datetime.datetime):
    offset = datetime.timedelta(0)

    @classmethod
    def now(cls, tz=None):
        return datetime.datetime.now(tz) - cls.offset


@contextmanager
def as_of(moment: datetime.datetime) -> Iterator[None]:
    """Inside the block, ``timezone.now()`` starts at ``moment`` (an aware datetime in the past)."""
    offset = datetime.datetime.now(datetime.UTC) - moment
    clock = type("DemoClock", (_Behind,), {"offset": max(offset, datetime.timedelta(0))})
    real = django_timezone.datetime
    django_timezone.datetime = clock
    try:
        yield
    finally:
        django_timezone.datetime = real
