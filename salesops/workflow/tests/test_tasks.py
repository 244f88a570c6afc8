"""The approval reminder job: who is reminded, when (in working days), and never twice."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from salesops.expenses import services as expenses
from salesops.org.models import CalendarOverride
from salesops.org.roles import Role
from salesops.org.tests.factories import make_user
from salesops.workflow import tasks
from salesops.workflow.models import ApprovalStep, Notification, StepStatus

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _pending_expense(owner, *, amount="800.00"):
    expense = expenses.expense_create(
        actor=owner,
        category="travel",
        amount=Decimal(amount),
        planned_on=timezone.localdate() + datetime.timedelta(days=7),
        purpose="拜访客户",
    )
    return expenses.expense_transition(expense=expense, action="submit", actor=owner)


def _pending_step(expense) -> ApprovalStep:
    return ApprovalStep.objects.get(
        object_id=expense.pk, status=StepStatus.PENDING, content_type__model="expenserequest"
    )


def _set_pending_since(step: ApprovalStep, *, year, month, day, hour=10) -> None:
    at = datetime.datetime(year, month, day, hour, 0, tzinfo=SHANGHAI)
    ApprovalStep.objects.filter(pk=step.pk).update(pending_since=at)


def _reminders(step: ApprovalStep):
    return Notification.objects.filter(dedupe_key__startswith=f"remind-step-{step.pk}-")


def test_step_pending_two_working_days_gets_one_reminder_even_when_the_job_runs_twice(staff):
    # given a request submitted on Monday 2026-11-16, waiting for manager1
    step = _pending_step(_pending_expense(staff.sales_a))
    _set_pending_since(step, year=2026, month=11, day=16)
    today = datetime.date(2026, 11, 18)  # Wednesday: Tuesday passed without a decision

    # when the job runs twice on the same day
    first = tasks.remind_waiting_approvers(today=today)
    second = tasks.remind_waiting_approvers(today=today)

    # then manager1 got exactly one reminder
    assert (first, second) == (1, 0)
    reminder = _reminders(step).get()
    assert reminder.user == staff.manager1
    assert reminder.dedupe_key == f"remind-step-{step.pk}-2026-11-18"
    assert reminder.url == reverse("expenses:expense-detail", args=[step.object_id])


def test_reminder_repeats_on_the_next_working_day_but_once(staff):
    step = _pending_step(_pending_expense(staff.sales_a))
    _set_pending_since(step, year=2026, month=11, day=16)

    for today in [datetime.date(2026, 11, 18), datetime.date(2026, 11, 19), datetime.date(2026, 11, 19)]:
        tasks.remind_waiting_approvers(today=today)

    assert _reminders(step).count() == 2


def test_step_pending_since_this_morning_or_yesterday_gets_none(staff):
    this_morning = _pending_step(_pending_expense(staff.sales_a))
    _set_pending_since(this_morning, year=2026, month=11, day=18, hour=8)
    yesterday = _pending_step(_pending_expense(staff.sales_b))
    _set_pending_since(yesterday, year=2026, month=11, day=17, hour=9)

    sent = tasks.remind_waiting_approvers(today=datetime.date(2026, 11, 18))

    assert sent == 0
    assert not Notification.objects.filter(dedupe_key__startswith="remind-step-").exists()


def test_step_just_submitted_gets_none_today(staff):
    step = _pending_step(_pending_expense(staff.sales_a))

    assert tasks.remind_waiting_approvers() == 0
    assert not _reminders(step).exists()


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 10, 5), 0),  # National Day holiday: nobody is reminded
        (datetime.date(2026, 10, 8), 0),  # first working day after the holiday: one working day waited
        (datetime.date(2026, 10, 9), 1),  # second working day: reminded
    ],
)
def test_waiting_over_the_national_day_holiday_counts_working_days(staff, today, expected):
    # given a request that became pending on Wednesday 2026-09-30, the eve of National Day
    step = _pending_step(_pending_expense(staff.sales_a))
    _set_pending_since(step, year=2026, month=9, day=30, hour=16)

    assert tasks.remind_waiting_approvers(today=today) == expected
    assert _reminders(step).count() == expected


def test_swapped_saturday_counts_as_a_working_day(staff):
    # Friday 2026-10-09 -> Saturday 10-10 is a 调休 working day, so Monday 10-12 is the second one
    step = _pending_step(_pending_expense(staff.sales_a))
    _set_pending_since(step, year=2026, month=10, day=9)

    assert tasks.remind_waiting_approvers(today=datetime.date(2026, 10, 12)) == 1


def test_ordinary_weekend_is_not_counted(staff):
    step = _pending_step(_pending_expense(staff.sales_a))
    _set_pending_since(step, year=2026, month=10, day=16)  # Friday

    assert tasks.remind_waiting_approvers(today=datetime.date(2026, 10, 19)) == 0  # Monday: one day
    assert tasks.remind_waiting_approvers(today=datetime.date(2026, 10, 20)) == 1  # Tuesday: two


def test_company_override_counts(staff):
    # the company closes on Tuesday 2026-11-17: Wednesday is only the first working day after Monday
    CalendarOverride.objects.create(day=datetime.date(2026, 11, 17), is_workday=False, note="公司活动")
    step = _pending_step(_pending_expense(staff.sales_a))
    _set_pending_since(step, year=2026, month=11, day=16)

    assert tasks.remind_waiting_approvers(today=datetime.date(2026, 11, 18)) == 0
    assert tasks.remind_waiting_approvers(today=datetime.date(2026, 11, 19)) == 1


def test_role_step_reminds_everyone_with_the_role(staff):
    # given a major request the manager approved on Monday, now waiting for leadership (no named approver)
    expense = _pending_expense(staff.sales_a, amount="9000.00")
    expenses.expense_transition(expense=expense, action="approve", actor=staff.manager1)
    step = _pending_step(expense)
    assert step.role == "leadership" and step.approver_id is None
    _set_pending_since(step, year=2026, month=11, day=16)

    assert tasks.remind_waiting_approvers(today=datetime.date(2026, 11, 18)) == 1
    assert list(_reminders(step).values_list("user__username", flat=True)) == ["boss"]


def test_decided_steps_are_not_reminded(staff):
    expense = _pending_expense(staff.sales_a)
    step = _pending_step(expense)
    _set_pending_since(step, year=2026, month=11, day=16)
    expenses.expense_transition(expense=expense, action="approve", actor=staff.manager1)

    assert tasks.remind_waiting_approvers(today=datetime.date(2026, 11, 18)) == 0


def test_disabled_named_approver_is_skipped(staff):
    step = _pending_step(_pending_expense(staff.sales_a))
    _set_pending_since(step, year=2026, month=11, day=16)
    staff.manager1.is_active = False
    staff.manager1.save(update_fields=["is_active"])

    assert tasks.remind_waiting_approvers(today=datetime.date(2026, 11, 18)) == 0


@pytest.mark.parametrize(("hour", "expected"), [(7, 0), (9, 1), (18, 0)])
def test_periodic_task_sends_in_office_hours_only(staff, monkeypatch, hour, expected):
    step = _pending_step(_pending_expense(staff.sales_a))
    _set_pending_since(step, year=2026, month=11, day=16)
    monkeypatch.setattr(tasks, "_local_now", lambda: datetime.datetime(2026, 11, 18, hour, 5, tzinfo=SHANGHAI))

    # SALESOPS_TESTING runs Huey in immediate mode: calling the task runs it now
    tasks.remind_waiting_approvers_task()

    assert _reminders(step).count() == expected


def test_an_open_step_is_not_reminded_to_a_holder_who_may_not_decide_it(staff):
    # given a leader who is also the administrator and corrected a major expense before it was
    # submitted (whoever wrote part of a document never decides it), now waiting for leadership
    deputy = make_user("deputy", Role.LEADERSHIP, Role.ADMIN, branch=staff.boss.branch)
    draft = expenses.expense_create(
        actor=staff.sales_a,
        category="travel",
        amount=Decimal("9000.00"),
        planned_on=timezone.localdate() + datetime.timedelta(days=7),
        purpose="拜访客户",
    )
    draft = expenses.expense_update(expense=draft, actor=deputy, version=draft.version, purpose="拜访客户（更正）")
    expense = expenses.expense_transition(expense=draft, action="submit", actor=staff.sales_a)
    expenses.expense_transition(expense=expense, action="approve", actor=staff.manager1)
    step = _pending_step(expense)
    assert step.role == "leadership" and step.approver_id is None
    _set_pending_since(step, year=2026, month=11, day=16)
    # when the reminder job runs two working days later
    tasks.remind_waiting_approvers(today=datetime.date(2026, 11, 18))
    # then only the leader who may decide it is reminded (the same one My tasks shows it to)
    assert list(_reminders(step).values_list("user__username", flat=True)) == ["boss"]


def test_a_step_past_the_allowed_working_days_is_escalated_once_to_the_approvers_manager(staff):
    # given sales_a's request waiting for manager1 since Monday 2026-11-16; manager1 reports to the boss
    staff.manager1.manager = staff.boss
    staff.manager1.save()
    step = _pending_step(_pending_expense(staff.sales_a))
    _set_pending_since(step, year=2026, month=11, day=16)

    # when the job runs on Wednesday (2 working days: not past the company's 2) and Thursday (3)
    tasks.remind_waiting_approvers(today=datetime.date(2026, 11, 18))
    assert not Notification.objects.filter(dedupe_key=tasks.escalation_key(step)).exists()
    tasks.remind_waiting_approvers(today=datetime.date(2026, 11, 19))
    tasks.remind_waiting_approvers(today=datetime.date(2026, 11, 20))

    # then the boss was told once (D7), and only the boss
    escalated = Notification.objects.filter(dedupe_key=tasks.escalation_key(step))
    assert [n.user for n in escalated] == [staff.boss]
    assert "D7" in escalated[0].text


def test_an_approver_without_a_manager_is_escalated_to_leadership(staff):
    step = _pending_step(_pending_expense(staff.sales_a))  # manager1 has no manager
    _set_pending_since(step, year=2026, month=11, day=16)

    tasks.remind_waiting_approvers(today=datetime.date(2026, 11, 19))

    assert [n.user for n in Notification.objects.filter(dedupe_key=tasks.escalation_key(step))] == [staff.boss]
