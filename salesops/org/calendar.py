"""Chinese working days (工作日): statutory holidays and 调休 days from ``chinesecalendar``,
with the company's ``CalendarOverride`` rows taking precedence.

For a year the package has no data for, Monday to Friday is used and a warning
is logged and shown to admins (``years_without_data``) until the admin enters
that year's holidays as overrides; nothing is guessed silently.
"""

import datetime
import logging
from collections.abc import Iterable

import chinese_calendar

logger = logging.getLogger("salesops.calendar")
_warned_years: set[int] = set()


def _overrides() -> dict[datetime.date, bool]:
    from .models import CalendarOverride

    return dict(CalendarOverride.objects.values_list("day", "is_workday"))


def statutory_data_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _statutory_workday(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            logger.warning(
                "no statutory holiday data for %s: counting Monday-Friday; enter that year's "
                "holidays and swapped days as calendar overrides",
                day.year,
            )
        return day.weekday() < 5


def is_workday(day: datetime.date, *, overrides: dict[datetime.date, bool] | None = None) -> bool:
    table = _overrides() if overrides is None else overrides
    if day in table:
        return table[day]
    return _statutory_workday(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted).

    ``add_working_days(d, 0)`` is ``d`` when it is a working day, else the next one.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    table = _overrides()
    day = start
    if days == 0:
        while not is_workday(day, overrides=table):
            day += datetime.timedelta(days=1)
        return day
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if is_workday(day, overrides=table):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in the interval (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    table = _overrides()
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_workday(day, overrides=table):
            count += 1
    return count


def years_without_data(years: Iterable[int]) -> list[int]:
    """Years with neither statutory data nor any override: shown as a warning to admins."""
    from .models import CalendarOverride

    covered_by_overrides = {d.year for d in CalendarOverride.objects.dates("day", "year")}
    return [y for y in years if not statutory_data_covers(y) and y not in covered_by_overrides]
