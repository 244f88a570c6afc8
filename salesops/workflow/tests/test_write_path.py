"""The kernel's one write path: a transition saves the fields that go with the state change in the
same write and the same audit event; one versioned writer serves documents and master data."""

import datetime

import pytest
from django.utils import timezone

from salesops.core.errors import StaleEdit
from salesops.deals.models import SupportRequest
from salesops.deals.services.inquiries import support_request_create
from salesops.deals.tests.factories import deal
from salesops.expenses.tests import factories as ef
from salesops.expenses.workflows import EXPENSE_FLOW
from salesops.workflow.models import DocumentEvent
from salesops.workflow.services import document_update, transition
from salesops.workflow.tests.kit import events_of, fresh, snapshot

pytestmark = pytest.mark.django_db


def _expense(owner):
    return ef.expense(owner, planned_on=timezone.localdate() + datetime.timedelta(days=3))


def test_a_transition_saves_its_values_with_the_state_in_one_event(staff):
    expense = _expense(staff.sales_a)
    done = transition(
        EXPENSE_FLOW, expense, "cancel", actor=staff.sales_a, comment="客户取消拜访", values={"purpose": "已取消的拜访"}
    )
    assert fresh(done).state == "cancelled" and fresh(done).purpose == "已取消的拜访"
    event = DocumentEvent.objects.filter(object_id=expense.pk, action="cancel").get()
    assert event.changes == {"purpose": ["拜访客户", "已取消的拜访"]}
    assert (event.from_state, event.to_state) == ("draft", "cancelled")


def test_a_refused_transition_writes_none_of_its_values(staff):
    expense = _expense(staff.sales_a)
    before = snapshot(expense)
    with pytest.raises(Exception):  # noqa: B017 - any refusal; what matters is that nothing changed
        transition(EXPENSE_FLOW, expense, "approve", actor=staff.manager1, values={"purpose": "改"})
    assert snapshot(expense) == before and fresh(expense).purpose == "拜访客户"


def test_an_edit_and_the_callers_extra_changes_are_one_event(staff):
    expense = _expense(staff.sales_a)
    document_update(
        expense,
        flow=EXPENSE_FLOW,
        actor=staff.sales_a,
        version=expense.version,
        fields={"purpose": "拜访新客户"},
        more_changes={"lines": (["a"], ["b"])},
    )
    assert events_of(expense) == ["create", "edit"]
    event = DocumentEvent.objects.filter(object_id=expense.pk, action="edit").get()
    assert set(event.changes) == {"purpose", "lines"}
    assert (event.from_state, event.to_state) == ("draft", "draft")


def test_a_stale_edit_is_refused_and_changes_nothing(staff):
    expense = _expense(staff.sales_a)
    document_update(expense, flow=EXPENSE_FLOW, actor=staff.sales_a, version=1, fields={"purpose": "一"})
    before = snapshot(expense)
    with pytest.raises(StaleEdit):
        document_update(expense, flow=EXPENSE_FLOW, actor=staff.sales_a, version=1, fields={"purpose": "二"})
    assert snapshot(expense) == before and fresh(expense).purpose == "一"


def test_a_document_saved_beside_the_kernel_is_refused_and_unchanged(staff):
    # given a draft expense
    expense = _expense(staff.sales_a)
    before = snapshot(expense)
    # when something other than the kernel saves it (a service, a job, an admin hook)
    expense.purpose = "绕过内核改写"
    with pytest.raises(RuntimeError, match="only through workflow.services"):
        expense.save(update_fields=["purpose"])
    with pytest.raises(RuntimeError):
        expense.save()
    # then nothing was written and no event is missing: the row is as the kernel left it
    assert snapshot(expense) == before and fresh(expense).purpose == "拜访客户"


def test_a_flow_record_saved_beside_the_kernel_is_refused(staff):
    the_deal = deal(staff)
    request = support_request_create(
        actor=staff.sales_a,
        inquiry=the_deal.inquiry,
        kind="technical",
        question="参数？",
        due_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    request.answer = "直接改"
    with pytest.raises(RuntimeError):
        request.save(update_fields=["answer"])
    assert SupportRequest.objects.get(pk=request.pk).answer == ""
