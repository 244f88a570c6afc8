"""Chinese working days (工作日): statutory holidays and 调休 days, never guessed silently.

Where a day's answer comes from, first match wins:
1. the company's ``CalendarOverride`` rows (the admin's own days, and the official arrangement
   entered on the calendar page, ``org.services.calendar_year_enter``);
2. ``chinesecalendar``, for the years it knows;
3. for a year it lacks (and the admin has not entered): a **provisional** calendar of weekends plus
   the statutory holiday dates known ahead (``PROVISIONAL_HOLIDAYS``; for a year not listed there,
   the fixed-date ones: 元旦, 劳动节, 国庆). It has no 调休 make-up days, so it is marked
   provisional: every deadline computed over it says so (``Deadline.provisional``, 预计 on pages).

A year the admin entered as official (``CalendarYear``) is weekends plus its overrides.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import chinese_calendar
from django.db.models import BooleanField, DateField, IntegerField, Value

logger = logging.getLogger("salesops.calendar")
_warned_years: set[int] = set()

D = datetime.date


def _span(first: D, last: D) -> list[D]:
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


# Statutory holiday dates published or fixed by law ahead of the State Council's arrangement (the
# 2025 rules: 元旦 1, 春节 4, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3 days). The arrangement adds
# bridging days and 调休 Saturdays, which nobody can know before it is published.
PROVISIONAL_HOLIDAYS: dict[int, frozenset[D]] = {
    2027: frozenset(
        [
            D(2027, 1, 1),
            *_span(D(2027, 2, 5), D(2027, 2, 8)),
            D(2027, 4, 5),
            *_span(D(2027, 5, 1), D(2027, 5, 2)),
            D(2027, 6, 9),
            D(2027, 9, 15),
            *_span(D(2027, 10, 1), D(2027, 10, 3)),
        ]
    ),
}


def _fixed_holidays(year: int) -> frozenset[D]:
    """The holidays on fixed solar dates (the lunar ones need the year's table above)."""
    return frozenset([D(year, 1, 1), D(year, 5, 1), D(year, 5, 2), D(year, 10, 1), D(year, 10, 2), D(year, 10, 3)])


def statutory_data_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(D(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@dataclass(frozen=True)
class CalendarData:
    """What the database says, read once per computation: overrides and the years entered."""

    overrides: dict[D, bool]
    official_years: frozenset[int]

    def is_provisional(self, day: D) -> bool:
        return day.year not in self.official_years and not statutory_data_covers(day.year)

    def is_workday(self, day: D) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in self.official_years:
            try:
                return chinese_calendar.is_workday(day)
            except NotImplementedError:
                return day.weekday() < 5
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            _warn_provisional(day.year)
            holidays = PROVISIONAL_HOLIDAYS.get(day.year) or _fixed_holidays(day.year)
            return day.weekday() < 5 and day not in holidays


def _warn_provisional(year: int) -> None:
    if year not in _warned_years:
        _warned_years.add(year)
        logger.warning(
            "no official holiday arrangement for %s: deadlines there are provisional (weekends and the "
            "statutory holiday dates); enter the arrangement on the calendar page",
            year,
        )


def load() -> CalendarData:
    from .models import CalendarOverride, CalendarYear

    # One statement: the overrides (day, is_workday, NULL) and the official years (NULL, NULL, year).
    days = CalendarOverride.objects.annotate(entered=Value(None, output_field=IntegerField()))
    years = CalendarYear.objects.annotate(
        on=Value(None, output_field=DateField()), workday=Value(None, output_field=BooleanField())
    )
    rows = (
        days.order_by()
        .values_list("day", "is_workday", "entered")
        .union(years.order_by().values_list("on", "workday", "year"), all=True)
    )
    overrides: dict = {}
    official: set[int] = set()
    for day, workday, year in rows:
        if year is None:
            overrides[day] = workday
        else:
            official.add(year)
    return CalendarData(overrides=overrides, official_years=frozenset(official))


def is_workday(day: D, *, overrides: dict[D, bool] | None = None) -> bool:
    """``overrides={}`` asks the statutory (or provisional) calendar alone."""
    if overrides is not None:
        return CalendarData(overrides=overrides, official_years=frozenset()).is_workday(day)
    return load().is_workday(day)


def is_provisional(day: D) -> bool:
    return load().is_provisional(day)


@dataclass(frozen=True)
class Deadline:
    """A day computed in working days, and whether a provisional year was counted over."""

    day: D
    provisional: bool = False


def working_day_deadline(start: D, days: int, *, data: CalendarData | None = None) -> Deadline:
    """The date ``days`` working days after ``start`` (``start`` not counted); ``days=0`` is
    ``start`` when it is a working day, else the next one. Provisional when any day counted over
    lies in a provisional year."""
    if days < 0:
        raise ValueError("days must not be negative")
    data = data or load()
    day = start
    provisional = data.is_provisional(day)
    if days == 0:
        while not data.is_workday(day):
            day += datetime.timedelta(days=1)
            provisional = provisional or data.is_provisional(day)
        return Deadline(day, provisional)
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        provisional = provisional or data.is_provisional(day)
        if data.is_workday(day):
            remaining -= 1
    return Deadline(day, provisional)


def add_working_days(start: D, days: int) -> D:
    """The date ``days`` working days after ``start`` (see ``working_day_deadline``)."""
    return working_day_deadline(start, days).day


def working_days_between(start: D, end: D, *, data: CalendarData | None = None) -> int:
    """Working days in the interval (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start, data=data)
    data = data or load()
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if data.is_workday(day):
            count += 1
    return count


def provisional_years(years: Iterable[int]) -> list[int]:
    """Of ``years``, those counted on the provisional calendar (no package data, not entered): one
    query, and none when the package covers them all."""
    from .models import CalendarYear

    lacking = [y for y in years if not statutory_data_covers(y)]
    if not lacking:
        return []
    entered = set(CalendarYear.objects.filter(year__in=lacking).values_list("year", flat=True))
    return [y for y in lacking if y not in entered]


def years_needing_entry(today: D) -> list[int]:
    """The years the admin should enter now: this year when it is provisional, and from
    1 December the next one too (shown to admin and managers until entered)."""
    years = [today.year, today.year + 1] if today.month == 12 else [today.year]
    return provisional_years(years)
