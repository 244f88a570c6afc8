"""D7 as a rule: an approval pending longer than the company allows (``Company.
approval_overdue_working_days``) is counted against the person it waits for, by the compliance
engine. Only steps named to a person count (a step open to every holder of a role waits for no
one person; the reminder job and the stuck-approvals page deal with those)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesops.org.calendar import working_days_between
from salesops.org.models import Company

from .models import ApprovalStep, StepStatus
from .rules import Breach, CheckWindow, RuleCheck, Severity


def _pending_named_steps(before: datetime.date):
    start = timezone.make_aware(datetime.datetime.combine(before, datetime.time.min))
    return (
        ApprovalStep.objects.filter(status=StepStatus.PENDING, approver__isnull=False, pending_since__lt=start)
        .select_related("content_type")
        .order_by("pk")
    )


def _overdue(window: CheckWindow, *, on: datetime.date):
    """Steps that have waited more than the allowed working days by ``on``."""
    allowed = Company.current().approval_overdue_working_days
    waited_by_day: dict[datetime.date, int] = {}
    for step in _pending_named_steps(on):
        day = timezone.localtime(step.pending_since).date()
        if day not in waited_by_day:
            waited_by_day[day] = working_days_between(day, on, data=window.calendar)
        if waited_by_day[day] > allowed:
            overdue_on, provisional = window.deadline(day, allowed + 1)
            yield step, overdue_on, provisional, waited_by_day[day]


def approvals_overdue(window: CheckWindow):
    for step, overdue_on, provisional, waited in _overdue(window, on=window.today):
        if step.approver_id is None:
            continue
        yield Breach(
            person_id=step.approver_id,
            occurred_on=overdue_on,
            subject_model=step.content_type.model_class(),
            subject_id=step.object_id,
            # Per step and approver: a step handed to someone else counts again if it waits on them.
            period=f"step{step.pk}-u{step.approver_id}",
            detail=_("Approval waiting %(days)s working days") % {"days": waited},
            provisional=provisional,
        )


def approvals_about_to_be_overdue(window: CheckWindow):
    """Steps not overdue today that will be by the horizon."""
    today = {step.pk for step, *_rest in _overdue(window, on=window.today)}
    for step, overdue_on, provisional, _waited in _overdue(window, on=window.horizon):
        if step.pk in today or step.approver_id is None:
            continue
        yield Breach(
            person_id=step.approver_id,
            occurred_on=overdue_on,
            subject_model=step.content_type.model_class(),
            subject_id=step.object_id,
            period=f"step{step.pk}-u{step.approver_id}",
            detail=_("Approval waiting since %(day)s") % {"day": timezone.localtime(step.pending_since).date()},
            provisional=provisional,
        )


D7 = RuleCheck(
    code="D7",
    title=gettext_lazy("Problems are handled promptly: no approval is left waiting"),
    text_zh="严格负责部门工作,及时处理工作中出现的问题,协调与各部门的工作关系,重大问题及时向公司主管领导汇报。",
    severity=Severity.MINOR,
    find=approvals_overdue,
    at_risk=approvals_about_to_be_overdue,
)
