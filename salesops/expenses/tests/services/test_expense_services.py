"""expense_create / expense_update / expense_transition (R3)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from salesops.core.errors import Forbidden, InvalidInput, NotFound, StaleEdit, TransitionNotAllowed
from salesops.expenses import services
from salesops.expenses.models import ExpenseState
from salesops.expenses.tests.factories import events_of, expense, snapshot, submitted_expense
from salesops.workflow.approvals import steps_of

pytestmark = pytest.mark.django_db


def test_create_gives_a_numbered_draft_owned_by_the_actor(staff, cust_a):
    # given / when
    doc = expense(staff.sales_a, "800.00", customer_id=cust_a.pk)
    # then
    assert doc.number.startswith("FY") and len(doc.number) == len("FY2026120001")
    assert doc.state == ExpenseState.DRAFT
    assert (doc.owner, doc.branch, doc.department) == (staff.sales_a, staff.head_office, staff.hq_sales)
    assert doc.amount == Decimal("800.00") and doc.customer == cust_a
    assert doc.incurred_before_approval is False
    assert events_of(doc) == ["create"]


@pytest.mark.parametrize("role_user", ["warehouse", "finance", "boss", "technical"])
def test_create_is_refused_to_roles_that_do_not_raise_expenses(staff, role_user):
    with pytest.raises(Forbidden):
        expense(getattr(staff, role_user))


def test_create_refuses_someone_elses_customer(staff):
    from salesops.expenses.tests.factories import customer

    # given a customer of sales_c (another branch)
    other = customer(staff, staff.sales_c)
    # when / then
    with pytest.raises(InvalidInput) as caught:
        expense(staff.sales_a, customer_id=other.pk)
    assert "customer" in caught.value.extra["fields"]


@pytest.mark.parametrize("amount", ["0", "-5", "10.001"])
def test_create_refuses_a_bad_amount(staff, amount):
    with pytest.raises(InvalidInput) as caught:
        expense(staff.sales_a, amount)
    assert list(caught.value.extra["fields"]) == ["amount"]


def test_create_refuses_an_unknown_category_as_a_field_error(staff):
    with pytest.raises(InvalidInput) as caught:
        expense(staff.sales_a, category="yacht")
    assert "category" in caught.value.extra["fields"]


def test_recording_an_expense_already_incurred_flags_the_r3_breach(staff):
    # given an expense spent yesterday, before any approval
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    # when
    doc = expense(staff.sales_a, incurred_on=yesterday)
    # then it is accepted, but carries the breach
    assert doc.incurred_before_approval is True and doc.breaches_r3
    assert doc.incurred_on == yesterday
    assert doc.state == ExpenseState.DRAFT


def test_an_incurred_date_in_the_future_is_refused(staff):
    with pytest.raises(InvalidInput) as caught:
        expense(staff.sales_a, incurred_on=timezone.localdate() + datetime.timedelta(days=2))
    assert list(caught.value.extra["fields"]) == ["incurred_on"]


def test_submit_starts_the_managers_approval(staff):
    # given a draft
    doc = expense(staff.sales_a, "800.00")
    # when
    doc = services.expense_transition(expense=doc, action="submit", actor=staff.sales_a)
    # then one step, for sales_a's manager
    assert doc.state == ExpenseState.PENDING
    steps = steps_of(doc)
    assert [(s.role, s.approver, s.status) for s in steps] == [("sales_manager", staff.manager1, "pending")]


def test_the_right_manager_approves(staff):
    # given a submitted expense below the major threshold
    doc = submitted_expense(staff.sales_a, "4999.99")
    # when its manager approves
    doc = services.expense_transition(expense=doc, action="approve", actor=staff.manager1, comment="同意")
    # then it is approved without leadership
    assert doc.state == ExpenseState.APPROVED
    assert [s.role for s in steps_of(doc)] == ["sales_manager"]
    assert events_of(doc) == ["create", "submit", "approve"]


def test_a_major_expense_needs_leadership_after_the_manager(staff):
    # given an expense at the threshold (5000 is major: amount >= threshold)
    doc = submitted_expense(staff.sales_a, "5000.00")
    assert [s.role for s in steps_of(doc)] == ["sales_manager", "leadership"]
    # when the manager approves
    doc = services.expense_transition(expense=doc, action="approve", actor=staff.manager1)
    # then it still waits, for leadership
    assert doc.state == ExpenseState.PENDING
    assert [s.status for s in steps_of(doc)] == ["approved", "pending"]
    # when leadership approves
    doc = services.expense_transition(expense=doc, action="approve", actor=staff.boss)
    # then
    assert doc.state == ExpenseState.APPROVED


def test_leadership_cannot_approve_before_the_manager(staff):
    # given a major expense waiting for the manager
    doc = submitted_expense(staff.sales_a, "8000.00")
    before = snapshot(doc)
    # when / then
    with pytest.raises(Forbidden):
        services.expense_transition(expense=doc, action="approve", actor=staff.boss)
    assert snapshot(doc) == before


def test_reject_needs_a_reason(staff):
    # given
    doc = submitted_expense(staff.sales_a)
    before = snapshot(doc)
    # when / then
    with pytest.raises(InvalidInput) as caught:
        services.expense_transition(expense=doc, action="reject", actor=staff.manager1, comment="  ")
    assert "comment" in caught.value.extra["fields"]
    assert snapshot(doc) == before


def test_reject_with_a_reason_returns_it_to_the_owner_who_may_resubmit(staff):
    # given
    doc = submitted_expense(staff.sales_a)
    # when
    doc = services.expense_transition(expense=doc, action="reject", actor=staff.manager1, comment="金额过高")
    # then
    assert doc.state == ExpenseState.REJECTED
    doc = services.expense_update(expense=doc, actor=staff.sales_a, version=doc.version, amount=Decimal("500.00"))
    doc = services.expense_transition(expense=doc, action="submit", actor=staff.sales_a)
    assert doc.state == ExpenseState.PENDING
    assert [(s.round, s.status) for s in steps_of(doc)] == [(1, "rejected"), (2, "pending")]


@pytest.mark.parametrize(
    ("actor_name", "error"),
    [
        ("manager2", NotFound),  # another department's manager: the document is outside his scope
        ("branch_mgr", NotFound),  # another branch's manager
        ("sales_b", NotFound),  # a colleague sees only his own
        ("sales_a", Forbidden),  # the owner cannot approve his own request
        ("finance", Forbidden),  # sees every expense, approves none
    ],
)
def test_only_the_owners_manager_may_approve(staff, actor_name, error):
    # given
    doc = submitted_expense(staff.sales_a)
    before = snapshot(doc)
    # when / then
    with pytest.raises(error):
        services.expense_transition(expense=doc, action="approve", actor=getattr(staff, actor_name))
    assert snapshot(doc) == before


def test_anonymous_cannot_act(staff):
    doc = submitted_expense(staff.sales_a)
    before = snapshot(doc)
    with pytest.raises(NotFound):
        services.expense_transition(expense=doc, action="approve", actor=AnonymousUser())
    assert snapshot(doc) == before


def test_an_approved_expense_cannot_be_submitted_or_cancelled(staff):
    # given
    doc = submitted_expense(staff.sales_a)
    doc = services.expense_transition(expense=doc, action="approve", actor=staff.manager1)
    before = snapshot(doc)
    # when / then
    for action in ("submit", "cancel", "approve"):
        with pytest.raises(TransitionNotAllowed):
            services.expense_transition(expense=doc, action=action, actor=staff.sales_a)
    assert snapshot(doc) == before


def test_only_the_owner_submits(staff):
    doc = expense(staff.sales_a)
    before = snapshot(doc)
    with pytest.raises(Forbidden):
        services.expense_transition(expense=doc, action="submit", actor=staff.manager1)
    assert snapshot(doc) == before


def test_update_changes_fields_and_bumps_the_version(staff):
    # given
    doc = expense(staff.sales_a, "800.00")
    # when
    doc = services.expense_update(expense=doc, actor=staff.sales_a, version=1, amount=Decimal("900.50"), purpose="新")
    # then
    assert (doc.amount, doc.purpose, doc.version) == (Decimal("900.50"), "新", 2)
    assert events_of(doc) == ["create", "edit"]


def test_a_stale_update_is_refused_and_changes_nothing(staff):
    # given two editors read version 1; the first saves
    doc = expense(staff.sales_a, "800.00")
    services.expense_update(expense=doc, actor=staff.sales_a, version=1, amount=Decimal("900.00"))
    before = snapshot(doc)
    # when the second saves with version 1
    with pytest.raises(StaleEdit):
        services.expense_update(expense=doc, actor=staff.sales_a, version=1, amount=Decimal("100.00"))
    # then
    assert snapshot(doc) == before
    doc.refresh_from_db()
    assert doc.amount == Decimal("900.00")


def test_update_is_refused_once_submitted(staff):
    doc = submitted_expense(staff.sales_a)
    before = snapshot(doc)
    with pytest.raises(TransitionNotAllowed):
        services.expense_update(expense=doc, actor=staff.sales_a, version=doc.version, amount=Decimal("1.00"))
    assert snapshot(doc) == before


def test_the_manager_cannot_edit_his_reports_expense(staff):
    doc = expense(staff.sales_a)
    before = snapshot(doc)
    with pytest.raises(Forbidden):
        services.expense_update(expense=doc, actor=staff.manager1, version=1, amount=Decimal("1.00"))
    assert snapshot(doc) == before


def test_update_refuses_kernel_fields(staff):
    doc = expense(staff.sales_a)
    before = snapshot(doc)
    with pytest.raises(InvalidInput) as caught:
        services.expense_update(expense=doc, actor=staff.sales_a, version=1, state="approved", owner_id=1)
    assert set(caught.value.extra["fields"]) == {"state", "owner_id"}
    assert snapshot(doc) == before


def test_editing_in_an_incurred_date_flags_the_breach_and_it_cannot_be_removed(staff):
    # given a planned expense, then recorded as already spent
    doc = expense(staff.sales_a)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    doc = services.expense_update(expense=doc, actor=staff.sales_a, version=1, incurred_on=yesterday)
    assert doc.incurred_before_approval is True
    before = snapshot(doc)
    # when the owner tries to clear it
    with pytest.raises(InvalidInput) as caught:
        services.expense_update(expense=doc, actor=staff.sales_a, version=doc.version, incurred_on=None)
    # then
    assert list(caught.value.extra["fields"]) == ["incurred_on"]
    assert snapshot(doc) == before
