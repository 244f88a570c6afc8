"""Working days (工作日) on the Chinese calendar: statutory holidays, 调休 days, company overrides,
and years the statutory data does not cover."""

import datetime
import logging

import pytest

from salesops.org import calendar
from salesops.org.models import CalendarOverride

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def fresh_warnings(monkeypatch):
    """The 'no data for year' warning is logged once per process; start each test with none given."""
    monkeypatch.setattr(calendar, "_warned_years", set())


@pytest.mark.parametrize("day", [D(2026, 10, d) for d in range(1, 8)])
def test_national_day_week_2026_is_a_holiday(day):
    assert not calendar.is_workday(day)


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 9, 20),  # Sunday, swapped working day (调休) for National Day
        D(2026, 10, 10),  # Saturday, swapped working day for National Day
        D(2026, 9, 30),  # the ordinary Wednesday before
        D(2026, 10, 8),  # the first Thursday after
    ],
)
def test_national_day_2026_working_days(day):
    assert calendar.is_workday(day)


@pytest.mark.parametrize("day", [D(2026, 2, d) for d in range(15, 24)])
def test_spring_festival_2026_is_a_holiday(day):
    assert not calendar.is_workday(day)


@pytest.mark.parametrize("day", [D(2026, 2, 14), D(2026, 2, 28), D(2026, 2, 24)])
def test_spring_festival_2026_swapped_saturdays_are_working_days(day):
    assert calendar.is_workday(day)


def test_ordinary_weekend_is_not_a_working_day():
    assert not calendar.is_workday(D(2026, 11, 14))  # Saturday
    assert not calendar.is_workday(D(2026, 11, 15))  # Sunday
    assert calendar.is_workday(D(2026, 11, 16))  # Monday


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2026, 9, 30), 1, D(2026, 10, 8)),  # over the whole National Day week
        (D(2026, 9, 30), 2, D(2026, 10, 9)),
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # the swapped Saturday counts
        (D(2026, 9, 30), 4, D(2026, 10, 12)),
        (D(2026, 9, 19), 1, D(2026, 9, 20)),  # Saturday -> the swapped Sunday
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # Friday -> the swapped Saturday before Spring Festival
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # over Spring Festival 15-23 Feb
        (D(2026, 2, 27), 1, D(2026, 2, 28)),  # Friday -> the swapped Saturday after
        (D(2026, 2, 28), 1, D(2026, 3, 2)),
        (D(2026, 11, 13), 1, D(2026, 11, 16)),  # an ordinary weekend
    ],
)
def test_add_working_days(start, days, expected):
    assert calendar.add_working_days(start, days) == expected


def test_add_zero_working_days_is_the_day_itself_or_the_next_working_day():
    assert calendar.add_working_days(D(2026, 9, 30), 0) == D(2026, 9, 30)
    assert calendar.add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 8)


def test_add_negative_working_days_is_refused():
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2026, 9, 30), -1)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 9, 30), D(2026, 9, 30), 0),
        (D(2026, 9, 30), D(2026, 10, 7), 0),  # all holiday
        (D(2026, 9, 30), D(2026, 10, 8), 1),
        (D(2026, 9, 30), D(2026, 10, 11), 3),  # 8, 9 and the swapped Saturday 10
        (D(2026, 9, 18), D(2026, 9, 21), 2),  # the swapped Sunday 20 and Monday 21
        (D(2026, 2, 13), D(2026, 3, 1), 6),  # 14 (swapped), 24, 25, 26, 27, 28 (swapped)
        (D(2026, 10, 8), D(2026, 9, 30), -1),  # reversed interval is negative
    ],
)
def test_working_days_between(start, end, expected):
    assert calendar.working_days_between(start, end) == expected


def test_mid_autumn_2026_closes_a_long_weekend():
    assert not calendar.is_workday(D(2026, 9, 25))  # Friday, Mid-Autumn Festival
    assert calendar.add_working_days(D(2026, 9, 24), 1) == D(2026, 9, 28)


def test_working_days_between_agrees_with_add_working_days():
    # from a working day, through Mid-Autumn, the swapped Sunday and National Day week
    start = D(2026, 9, 18)
    assert calendar.is_workday(start)
    for days in range(0, 20):
        assert calendar.working_days_between(start, calendar.add_working_days(start, days)) == days


def test_override_wins_over_the_statutory_calendar():
    # given the company works on National Day 3 Oct and closes on the swapped Saturday 10 Oct
    CalendarOverride.objects.create(day=D(2026, 10, 3), is_workday=True, note="赶工")
    CalendarOverride.objects.create(day=D(2026, 10, 10), is_workday=False, note="公司放假")

    assert calendar.is_workday(D(2026, 10, 3))
    assert not calendar.is_workday(D(2026, 10, 10))
    assert calendar.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 3)
    assert calendar.add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 12)
    assert calendar.working_days_between(D(2026, 9, 30), D(2026, 10, 11)) == 3  # 3, 8, 9


def test_year_without_statutory_data_is_provisional_with_its_holidays_and_warns(fresh_warnings, caplog):
    with caplog.at_level(logging.WARNING, logger="salesops.calendar"):
        assert not calendar.is_workday(D(2027, 1, 1))  # 元旦, a Friday: not silently a working day
        assert calendar.is_workday(D(2027, 1, 4))  # Monday
        assert not calendar.is_workday(D(2027, 1, 2))  # Saturday
        assert not calendar.is_workday(D(2027, 2, 8))  # 春节 5-8 Feb
        assert calendar.is_workday(D(2027, 2, 9))
        assert calendar.add_working_days(D(2027, 1, 1), 5) == D(2027, 1, 8)
        assert calendar.working_days_between(D(2027, 1, 1), D(2027, 1, 31)) == 20

    warnings = [r for r in caplog.records if r.name == "salesops.calendar" and r.levelno == logging.WARNING]
    assert len(warnings) == 1  # once per year, not once per day
    assert "2027" in warnings[0].getMessage()


@pytest.mark.parametrize(
    ("start", "expected", "provisional"),
    [
        (D(2025, 12, 31), D(2026, 1, 4), False),  # a working Sunday (调休)
        (D(2026, 9, 30), D(2026, 10, 8), False),
        (D(2026, 12, 31), D(2027, 1, 4), True),  # over 元旦 2027, provisional, no crash
        (D(2027, 4, 30), D(2027, 5, 3), True),  # 劳动节 1-2 May is a weekend in 2027
        (D(2027, 9, 30), D(2027, 10, 4), True),
    ],
)
def test_deadline_says_when_it_counted_over_a_provisional_year(start, expected, provisional):
    deadline = calendar.working_day_deadline(start, 1)

    assert deadline == calendar.Deadline(expected, provisional)


def test_a_year_past_the_known_tables_keeps_its_fixed_date_holidays():
    assert not calendar.is_workday(D(2029, 10, 1))  # Monday, 国庆
    assert not calendar.is_workday(D(2029, 5, 1))  # Tuesday, 劳动节
    assert calendar.is_workday(D(2029, 10, 8))
    assert calendar.is_provisional(D(2029, 10, 1))


def test_entering_the_arrangement_makes_the_year_official_and_moves_deadlines(staff):
    from salesops.org.services import CalendarDay, calendar_year_enter

    before = calendar.working_day_deadline(D(2027, 2, 4), 1)
    assert before == calendar.Deadline(D(2027, 2, 9), True)

    # the published arrangement (as it might read): 春节 4-11 Feb, worked on Sunday 7 Feb... here
    # 5-11 Feb off and Saturday 20 Feb worked
    calendar_year_enter(
        actor=staff.admin,
        year=2027,
        holidays=[CalendarDay(D(2027, 1, 1), "元旦")] + [CalendarDay(D(2027, 2, d), "春节") for d in range(5, 12)],
        workdays=[CalendarDay(D(2027, 2, 20), "春节调休")],
        source="国务院办公厅通知",
    )

    assert calendar.working_day_deadline(D(2027, 2, 4), 1) == calendar.Deadline(D(2027, 2, 12), False)
    assert calendar.is_workday(D(2027, 2, 20))
    assert not calendar.is_provisional(D(2027, 6, 1))
    assert calendar.is_workday(D(2027, 6, 9))  # the provisional 端午 is not assumed once entered
    assert calendar.provisional_years([2026, 2027, 2028]) == [2028]


def test_entering_again_replaces_what_the_arrangement_wrote_and_keeps_company_days(staff):
    from salesops.org.services import CalendarDay, calendar_year_enter

    CalendarOverride.objects.create(day=D(2027, 3, 1), is_workday=False, note="公司庆典")
    calendar_year_enter(actor=staff.admin, year=2027, holidays=[CalendarDay(D(2027, 2, 12), "错")], workdays=[])
    calendar_year_enter(actor=staff.admin, year=2027, holidays=[CalendarDay(D(2027, 1, 1), "元旦")], workdays=[])

    assert calendar.is_workday(D(2027, 2, 12))
    assert not calendar.is_workday(D(2027, 1, 1))
    assert not calendar.is_workday(D(2027, 3, 1))


def test_entering_a_bad_arrangement_changes_nothing(staff):
    from salesops.core.errors import InvalidInput
    from salesops.org.models import CalendarYear
    from salesops.org.services import CalendarDay, calendar_year_enter

    with pytest.raises(InvalidInput) as refused:
        calendar_year_enter(
            actor=staff.admin,
            year=2027,
            holidays=[CalendarDay(D(2028, 1, 1), "元旦")],
            workdays=[CalendarDay(D(2027, 2, 20), "")],
        )

    assert "holidays" in refused.value.extra["fields"]
    assert not CalendarYear.objects.exists()
    assert not CalendarOverride.objects.exists()


def test_only_the_admin_enters_an_arrangement(staff):
    from salesops.core.errors import Forbidden
    from salesops.org.services import CalendarDay, calendar_year_enter

    with pytest.raises(Forbidden):
        calendar_year_enter(actor=staff.manager1, year=2027, holidays=[CalendarDay(D(2027, 1, 1), "")], workdays=[])


def test_years_needing_entry_from_the_first_of_december():
    assert calendar.years_needing_entry(D(2026, 11, 30)) == []
    assert calendar.years_needing_entry(D(2026, 12, 1)) == [2027]
    assert calendar.years_needing_entry(D(2027, 3, 1)) == [2027]


def test_year_without_data_still_honours_overrides(fresh_warnings):
    CalendarOverride.objects.create(day=D(2027, 1, 1), is_workday=False, note="元旦")
    CalendarOverride.objects.create(day=D(2027, 1, 2), is_workday=True, note="调休")

    assert not calendar.is_workday(D(2027, 1, 1))
    assert calendar.is_workday(D(2027, 1, 2))


def test_statutory_data_covers():
    assert calendar.statutory_data_covers(2004)
    assert calendar.statutory_data_covers(2026)
    assert not calendar.statutory_data_covers(2027)


def test_provisional_years():
    assert calendar.provisional_years([2025, 2026, 2027, 2028]) == [2027, 2028]
