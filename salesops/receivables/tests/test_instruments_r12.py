"""R12 as the compliance engine runs it, and finance's reminders of what to sign and what falls due.

R12: an instrument received is signed for by finance by the end of the working day it was
received on (one received on a day off: the next working day), else it is a violation of the
salesperson who received it. The calendar is the org's (调休 and holidays; a year without the
official arrangement counted provisionally)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from salesops.compliance import services as compliance
from salesops.compliance.selectors import rules_at_risk
from salesops.compliance.tests.helpers import acknowledge_everyone, of_rule
from salesops.org.calendar import working_day_deadline
from salesops.receivables.models.instruments import Instrument, InstrumentState
from salesops.receivables.rules_instruments import R12
from salesops.receivables.selectors import instruments as selectors
from salesops.receivables.services import instruments as services
from salesops.workflow.registry import act_on
from salesops.workflow.tests.kit import fresh

from .samples_instruments import bill, cheque

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)
WEDNESDAY, THURSDAY, FRIDAY = D(2026, 11, 18), D(2026, 11, 19), D(2026, 11, 20)
SATURDAY, MONDAY, TUESDAY = D(2026, 11, 21), D(2026, 11, 23), D(2026, 11, 24)


@pytest.fixture(autouse=True)
def _rules(staff):
    acknowledge_everyone()


def at(day: D, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """That day and time in the company's zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def received(staff, moment: datetime.datetime, owner=None, **extra) -> Instrument:
    """A bill registered through the service, dated as received at ``moment`` (the register's own
    date, moved here as the R7/R8 tests move theirs: the service refuses a future date)."""
    found = bill(staff, owner, issued_on=D(2026, 1, 5), due_on=D(2026, 6, 30), **extra)
    Instrument.objects.filter(pk=found.pk).update(received_at=moment)
    return fresh(found)


def signed_at(staff, instrument: Instrument, moment: datetime.datetime) -> Instrument:
    services.instrument_sign(instrument=instrument, actor=staff.finance)
    Instrument.objects.filter(pk=instrument.pk).update(signed_at=moment)
    return fresh(instrument)


def r12(today: D) -> int:
    return compliance.sweep(today=today, codes=["R12"])["R12"]


# -- the day boundary ------------------------------------------------------------------------------


def test_signed_before_midnight_of_the_day_received_is_no_violation(staff):
    signed_at(staff, received(staff, at(WEDNESDAY, 9)), at(WEDNESDAY, 23, 59))

    assert r12(THURSDAY) == 0
    assert r12(WEDNESDAY + 10 * DAY) == 0
    assert not of_rule("R12")


def test_signed_just_after_midnight_is_one_violation_of_the_salesperson_who_received_it(staff):
    found = signed_at(staff, received(staff, at(WEDNESDAY, 17)), at(THURSDAY, 0, 1))

    assert r12(WEDNESDAY) == 0
    assert r12(THURSDAY) == 1
    assert r12(FRIDAY) == 0  # run again: nothing twice

    [violation] = of_rule("R12")
    assert (violation.owner, violation.subject_number, violation.occurred_on) == (
        staff.sales_a,
        found.number,
        THURSDAY,
    )
    assert violation.subject_type == ContentType.objects.get_for_model(Instrument)
    assert violation.subject_id == found.pk
    assert str(WEDNESDAY) in violation.detail and str(THURSDAY) in violation.detail
    assert not violation.provisional


def test_not_signed_at_all_is_late_from_the_next_day(staff):
    found = received(staff, at(WEDNESDAY, 16))

    assert r12(WEDNESDAY) == 0
    assert r12(THURSDAY) == 1
    [violation] = of_rule("R12")
    assert violation.subject_number == found.number and "2026-11-18" in violation.detail


def test_received_on_friday_and_signed_on_monday_is_late(staff):
    signed_at(staff, received(staff, at(FRIDAY, 18)), at(MONDAY, 9))
    waiting = received(staff, at(FRIDAY, 18), staff.sales_b)

    assert r12(FRIDAY) == 0
    assert r12(SATURDAY) == 2  # both late from Saturday: one not signed yet, one signed on Monday
    assert r12(MONDAY) == 0
    assert sorted((v.owner.username, v.occurred_on) for v in of_rule("R12")) == [
        ("sales_a", SATURDAY),
        ("sales_b", SATURDAY),
    ]
    assert waiting.state == InstrumentState.PENDING_SIGN


def test_received_on_a_day_off_is_due_by_the_end_of_the_next_working_day(staff):
    signed_at(staff, received(staff, at(SATURDAY, 11)), at(MONDAY, 17))
    late = signed_at(staff, received(staff, at(SATURDAY, 11), staff.sales_b), at(TUESDAY, 9))
    holiday = signed_at(staff, received(staff, at(D(2026, 10, 3), 11), staff.sales_c), at(D(2026, 10, 8), 9))

    assert r12(TUESDAY + DAY) == 1
    [violation] = of_rule("R12")
    assert (violation.subject_number, violation.occurred_on) == (late.number, TUESDAY)
    assert holiday.state == InstrumentState.SIGNED


def test_a_working_saturday_counts_as_a_working_day(staff):
    # 2026-10-10 is a Saturday worked (调休) after National Day
    signed_at(staff, received(staff, at(D(2026, 10, 10), 10)), at(D(2026, 10, 11), 9))

    assert r12(D(2026, 10, 12)) == 1
    assert of_rule("R12")[0].occurred_on == D(2026, 10, 11)


def test_a_provisional_calendar_marks_the_violation(staff):
    friday = D(2027, 3, 5)  # a Friday in a year without the official arrangement
    received(staff, at(friday, 15))

    due = working_day_deadline(friday, 0)
    assert due.provisional and due.day == friday
    assert r12(D(2027, 3, 8)) == 1
    assert of_rule("R12")[0].provisional


def test_the_office_registering_for_a_salesperson_makes_it_that_salespersons(staff):
    found = bill(staff, staff.sales_b, actor=staff.back_office, issued_on=D(2026, 1, 5), due_on=D(2026, 6, 30))
    Instrument.objects.filter(pk=found.pk).update(received_at=at(WEDNESDAY))

    assert r12(THURSDAY) == 1
    assert of_rule("R12")[0].owner == staff.sales_b


def test_parts_of_a_bill_signed_late_are_not_counted_again_nor_a_voided_registration(staff):
    late = signed_at(staff, received(staff, at(WEDNESDAY)), at(FRIDAY, 9))
    services.instrument_endorse(
        instrument=late, actor=staff.finance, endorsee="甲公司", endorsed_on=timezone.localdate(), amount="1.00"
    )
    voided = received(staff, at(WEDNESDAY), staff.sales_b)
    act_on(voided, "void", actor=staff.back_office, comment="重复登记")

    assert r12(FRIDAY) == 1
    assert [v.subject_number for v in of_rule("R12")] == [late.number]


# -- found when it happens ---------------------------------------------------------------------------


def test_a_late_registration_is_found_when_it_is_made(staff, django_capture_on_commit_callbacks):
    long_ago = timezone.now() - 20 * DAY
    with django_capture_on_commit_callbacks(execute=True):
        found = bill(staff, issued_on=timezone.localdate() - 30 * DAY, received_at=long_ago)

    [violation] = of_rule("R12")
    assert (violation.found_by, violation.subject_number) == ("event", found.number)


def test_the_usual_same_day_signature_runs_no_check(staff, django_capture_on_commit_callbacks):
    found = bill(staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        held = services.instrument_sign(instrument=found, actor=staff.finance)

    assert not R12.suspect(held)
    assert not of_rule("R12")
    assert callbacks == []  # nothing was queued for the compliance engine


def test_at_risk_lists_what_waits_to_be_signed_today(staff):
    waiting = received(staff, at(WEDNESDAY, 9))
    signed_at(staff, received(staff, at(WEDNESDAY, 9), staff.sales_b), at(WEDNESDAY, 11))

    risk = rules_at_risk(user=staff.manager1, today=WEDNESDAY)

    rows = [(r.code, r.breach.subject_number, r.today) for r in risk["upcoming"] if r.code == "R12"]
    assert rows == [("R12", waiting.number, True)]


# -- finance's tasks ---------------------------------------------------------------------------------


def _due(staff, due_on: D) -> Instrument:
    issued = min(due_on, timezone.localdate()) - 60 * DAY
    return services.instrument_sign(instrument=bill(staff, issued_on=issued, due_on=due_on), actor=staff.finance)


def test_finance_is_reminded_of_bills_falling_due_within_the_working_days_set(staff):
    today = timezone.localdate()
    cutoff = selectors.maturity_cutoff(today)
    assert cutoff == working_day_deadline(today, 5).day
    soon = _due(staff, cutoff)
    overdue = _due(staff, today - DAY)
    later = _due(staff, cutoff + DAY)
    moved = _due(staff, today)
    services.instrument_collect(instrument=moved, actor=staff.finance, collected_on=today)
    waiting = cheque(staff)

    tasks = selectors.instrument_tasks(staff.finance)

    assert [(t.kind, t.number) for t in tasks] == [
        ("sign_instrument", waiting.number),
        ("maturity", overdue.number),
        ("maturity", soon.number),
    ]
    assert later.number not in {t.number for t in tasks}
    assert all(t.url == Instrument.objects.get(number=t.number).get_absolute_url() for t in tasks)
    # the administrator shortens the reminder: only what is due by today remains
    services.instrument_settings_update(actor=staff.admin, reminder_working_days=0)
    assert [t.number for t in selectors.instrument_tasks(staff.finance) if t.kind == "maturity"] == [overdue.number]


def test_only_finance_gets_these_tasks_and_in_a_bounded_number_of_queries(
    staff, web_client, django_assert_max_num_queries
):
    today = timezone.localdate()
    for n in range(6):
        _due(staff, today + n * DAY)
        cheque(staff)
    for user in (staff.sales_a, staff.back_office, staff.manager1, staff.warehouse):
        assert selectors.instrument_tasks(user) == []
    with django_assert_max_num_queries(6):
        tasks = selectors.instrument_tasks(staff.finance)
    assert len([t for t in tasks if t.kind == "sign_instrument"]) == 6

    page = web_client(staff.finance).get(reverse("workflow:my-tasks")).content.decode()
    assert all(t.number in page for t in tasks)
