"""R3 cannot be dodged by a past date (issue 6, defect 7): an expense request submitted when its
planned date has already passed is flagged as incurred before approval, with the reason."""

import datetime

import pytest
from django.utils import timezone

from salesops.core.errors import Forbidden
from salesops.expenses import services
from salesops.expenses.models import ExpenseRequest, ExpenseState
from salesops.expenses.tests.factories import events_of, expense, snapshot
from salesops.workflow.inbox import my_tasks
from salesops.workflow.models import DocumentEvent

pytestmark = pytest.mark.django_db


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def test_submitting_after_the_planned_date_flags_the_r3_breach_with_its_reason(staff):
    # given a draft planned for yesterday, not recorded as incurred
    doc = expense(staff.sales_a, planned_on=_days(-1))
    assert doc.incurred_before_approval is False
    # when it is submitted
    doc = services.expense_transition(expense=doc, action="submit", actor=staff.sales_a)
    # then it waits for the manager flagged as incurred before approval, saying why
    doc = ExpenseRequest.objects.get(pk=doc.pk)
    assert doc.state == ExpenseState.PENDING
    assert doc.incurred_before_approval is True and doc.breaches_r3
    assert _days(-1).isoformat() in doc.r3_breach_reason
    assert "R3" in doc.r3_breach_reason
    # and the approver sees the reason in My tasks
    [task] = [t for t in my_tasks(staff.manager1) if t.number == doc.number]
    assert doc.r3_breach_reason in task.detail
    # and the flag is on the submission's own audit event, not a second one
    assert events_of(doc) == ["create", "submit"]
    submit = DocumentEvent.objects.get(object_id=doc.pk, number=doc.number, action="submit")
    assert submit.actor == staff.sales_a and submit.changes == {"incurred_before_approval": [False, True]}


@pytest.mark.parametrize("days", [0, 3])
def test_submitting_on_or_before_the_planned_date_is_no_breach(staff, days):
    doc = expense(staff.sales_a, planned_on=_days(days))
    doc = services.expense_transition(expense=doc, action="submit", actor=staff.sales_a)
    doc = ExpenseRequest.objects.get(pk=doc.pk)
    assert doc.state == ExpenseState.PENDING and doc.incurred_before_approval is False
    assert doc.r3_breach_reason == ""
    assert events_of(doc) == ["create", "submit"]


def test_a_refused_submission_leaves_no_flag(staff):
    # given a past-dated draft of sales_a
    doc = expense(staff.sales_a, planned_on=_days(-2))
    before = snapshot(doc)
    # when the manager (not the owner) tries to submit it
    with pytest.raises(Forbidden):
        services.expense_transition(expense=doc, action="submit", actor=staff.manager1)
    # then nothing changed: no flag, no event
    assert snapshot(doc) == before
    assert ExpenseRequest.objects.get(pk=doc.pk).incurred_before_approval is False


def test_the_flag_stays_when_the_returned_request_is_moved_to_a_later_date(staff):
    # given a past-dated request, flagged at submission and then rejected
    doc = expense(staff.sales_a, planned_on=_days(-1))
    doc = services.expense_transition(expense=doc, action="submit", actor=staff.sales_a)
    doc = services.expense_transition(expense=doc, action="reject", actor=staff.manager1, comment="日期不对")
    # when the salesperson edits it as the form sends it (no incurred date) to a future date
    doc = services.expense_update(
        expense=doc, actor=staff.sales_a, version=doc.version, planned_on=_days(5), incurred_on=None
    )
    # then the breach stays on the document
    assert doc.incurred_before_approval is True
    assert ExpenseRequest.objects.get(pk=doc.pk).breaches_r3


def test_an_expense_recorded_as_incurred_gives_its_date_as_the_reason(staff):
    doc = expense(staff.sales_a, planned_on=_days(-3), incurred_on=_days(-3))
    doc = services.expense_transition(expense=doc, action="submit", actor=staff.sales_a)
    doc = ExpenseRequest.objects.get(pk=doc.pk)
    assert doc.incurred_before_approval and _days(-3).isoformat() in doc.r3_breach_reason
    # recorded at creation: the submission changes nothing more
    assert events_of(doc) == ["create", "submit"]
    assert DocumentEvent.objects.get(object_id=doc.pk, number=doc.number, action="submit").changes == {}
