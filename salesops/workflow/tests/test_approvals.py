"""Approval chains from database policies: amount against the major threshold, flags, branch,
the named approver from the reporting line, and policy changes leaving requests in flight alone."""

from decimal import Decimal

import pytest

from salesops.expenses.models import ExpenseState
from salesops.expenses.services import expense_transition
from salesops.org.models import MajorThreshold
from salesops.workflow.approvals import plan_chain, steps_of
from salesops.workflow.models import ApprovalRule, StepCondition, StepStatus

from .factories import expense, submitted_expense

pytestmark = pytest.mark.django_db


@pytest.fixture
def threshold(staff):
    MajorThreshold.objects.update_or_create(
        company=staff.company, doc_type="expenses.expenserequest", defaults={"amount": Decimal("5000.00")}
    )
    # The migration seeds the default policy on the first company; tests use one company.
    return Decimal("5000.00")


@pytest.mark.parametrize(
    ("amount", "chain"),
    [
        ("4999.99", ["sales_manager"]),
        ("5000.00", ["sales_manager", "leadership"]),
        ("5000.01", ["sales_manager", "leadership"]),
    ],
)
def test_amount_against_the_major_threshold_decides_the_chain(staff, threshold, amount, chain):
    doc = submitted_expense(staff.sales_a, amount)
    assert [s.role for s in steps_of(doc)] == chain


def test_the_manager_step_names_the_owners_manager(staff, threshold):
    doc = submitted_expense(staff.sales_c, "100.00")
    (step,) = steps_of(doc)
    assert step.approver == staff.manager2
    assert step.status == StepStatus.PENDING


def test_major_request_moves_only_when_the_last_step_approves(staff, threshold):
    doc = submitted_expense(staff.sales_a, "8000.00")
    doc = expense_transition(expense=doc, action="approve", actor=staff.manager1)
    assert doc.state == ExpenseState.PENDING
    assert [s.status for s in steps_of(doc)] == [StepStatus.APPROVED, StepStatus.PENDING]
    doc = expense_transition(expense=doc, action="approve", actor=staff.boss)
    assert doc.state == ExpenseState.APPROVED
    assert [s.decided_by for s in steps_of(doc)] == [staff.manager1, staff.boss]


def test_rejection_cancels_the_rest_of_the_chain(staff, threshold):
    doc = submitted_expense(staff.sales_a, "8000.00")
    doc = expense_transition(expense=doc, action="reject", actor=staff.manager1, comment="超预算")
    assert doc.state == ExpenseState.REJECTED
    assert [s.status for s in steps_of(doc)] == [StepStatus.REJECTED, StepStatus.CANCELLED]


def test_resubmission_starts_a_new_round_from_the_current_policy(staff, threshold):
    doc = submitted_expense(staff.sales_a, "100.00")
    doc = expense_transition(expense=doc, action="reject", actor=staff.manager1, comment="no")
    doc = expense_transition(expense=doc, action="submit", actor=staff.sales_a)
    rounds = [(s.round, s.status) for s in steps_of(doc)]
    assert rounds == [(1, StepStatus.REJECTED), (2, StepStatus.PENDING)]


def test_policy_change_does_not_alter_requests_in_flight(staff, threshold):
    # given a request waiting for its manager under the default policy
    in_flight = submitted_expense(staff.sales_a, "100.00")
    # when the admin adds a finance step for every expense request
    ApprovalRule.objects.create(doc_type="expenses.expenserequest", sequence=30, role="finance")
    # then the request in flight keeps its one-step chain and is approved by the manager alone
    done = expense_transition(expense=in_flight, action="approve", actor=staff.manager1)
    assert done.state == ExpenseState.APPROVED
    assert [s.role for s in steps_of(done)] == ["sales_manager"]
    # and a new request gets the new chain
    assert [s.role for s in steps_of(submitted_expense(staff.sales_a, "100.00"))] == ["sales_manager", "finance"]


def test_flag_and_branch_conditions(staff, threshold):
    ApprovalRule.objects.create(
        doc_type="expenses.expenserequest", sequence=5, role="branch_manager", branch=staff.branch
    )
    ApprovalRule.objects.create(
        doc_type="expenses.expenserequest", sequence=40, role="finance", condition=StepCondition.FLAG, flag="odd"
    )
    branch_doc = expense(staff.sales_c, "100.00")
    head_office_doc = expense(staff.sales_a, "100.00")
    assert [p.role for p in plan_chain(branch_doc)] == ["branch_manager", "sales_manager"]
    assert [p.role for p in plan_chain(head_office_doc)] == ["sales_manager"]
    head_office_doc.approval_flags = lambda: {"odd"}
    assert [p.role for p in plan_chain(head_office_doc)] == ["sales_manager", "finance"]


def test_empty_chain_approves_at_once(staff, threshold):
    ApprovalRule.objects.filter(doc_type="expenses.expenserequest").update(is_active=False)
    doc = submitted_expense(staff.sales_a, "100.00")
    assert doc.state == ExpenseState.APPROVED
    assert steps_of(doc) == []


def test_approver_is_notified_and_owner_learns_the_outcome(staff, threshold):
    doc = submitted_expense(staff.sales_a, "100.00")
    assert staff.manager1.notifications.filter(text__contains=doc.number).count() == 1
    expense_transition(expense=doc, action="approve", actor=staff.manager1)
    assert staff.sales_a.notifications.filter(text__contains=doc.number).count() == 1
