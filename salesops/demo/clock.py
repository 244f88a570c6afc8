"""The demo's clock: run the services as of an earlier moment, so that a document the demo raises
"three weeks ago" carries that date everywhere the services stamp the time (created at, audit
events, approval steps, notifications, numbers of the month, stock moves); and ``play``, which runs
scripted stories step by step in date order, each step as of its day.

Django reads the time in one place, ``django.utils.timezone.now``, which asks the ``datetime``
class its module imported; the clock swaps that class for one whose ``now`` runs the given offset
behind, for as long as the ``as_of`` block lasts (time keeps flowing inside it). Only the demo
loader uses it, in one thread, never a request.
"""

import datetime
import heapq
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager

from django.utils import timezone as django_timezone

from salesops.org.calendar import load as load_calendar

# A story yields the working day (counted back from today, 0 = today) of its next step; it does
# nothing before its first yield.
Story = Generator[int, None, None]
MINUTES_BETWEEN_STEPS = 7


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


def working_days_back(today: datetime.date, count: int) -> list[datetime.date]:
    """``count`` working days, today first: ``days[n]`` is the n-th working day before today."""
    calendar = load_calendar()
    days = [today]
    day = today
    while len(days) < count:
        day -= datetime.timedelta(days=1)
        if calendar.is_workday(day):
            days.append(day)
    return days


def play(stories: Sequence[Story], days: Sequence[datetime.date]) -> None:
    """Run the stories' steps in date order (in their given order within a day), each step as of
    its day ``days[n]``: from 09:00, a few minutes after the day's step before it; today's now."""
    queue = [(-next(story), index, story) for index, story in enumerate(stories)]
    heapq.heapify(queue)
    steps_on: dict[int, int] = {}
    while queue:
        back, index, story = heapq.heappop(queue)
        days_back = -back
        taken = steps_on.get(days_back, 0)
        steps_on[days_back] = taken + 1
        try:
            if days_back == 0:
                following = next(story)
            else:
                start = datetime.datetime.combine(days[days_back], datetime.time(9))
                moment = start + datetime.timedelta(minutes=MINUTES_BETWEEN_STEPS * taken)
                with as_of(django_timezone.make_aware(moment)):
                    following = next(story)
        except StopIteration:
            continue
        if following > days_back:
            raise ValueError(f"story {index} steps back from day {days_back} to {following}")
        heapq.heappush(queue, (-following, index, story))
