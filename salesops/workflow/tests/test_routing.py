"""Defect 2 of the document kit: no document waits for nobody. A manager's own document goes to the
owner's own manager by reporting line, else to leadership; an approval that waits too long is
listed for leadership and the administrator, who can hand it to someone else (audited)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from salesops.core.errors import Forbidden, InvalidInput
from salesops.expenses import services as expenses
from salesops.expenses.tests import factories as ef
from salesops.org.roles import Role
from salesops.org.tests.factories import make_user
from salesops.workflow.models import ApprovalStep, DocumentEvent, Notification
from salesops.workflow.services import step_reroute
from salesops.workflow.tests.kit import fresh, pending_step, snapshot

pytestmark = pytest.mark.django_db


def _submitted_expense(owner, amount="800.00"):
    doc = ef.expense(owner, amount, planned_on=timezone.localdate() + datetime.timedelta(days=3))
    return expenses.expense_transition(expense=doc, action="submit", actor=owner)


def test_a_sales_managers_own_expense_goes_to_leadership_when_nobody_is_above(staff, web_client):
    # given manager1 (head of 销售一部, no manager above) submits an expense
    expense = _submitted_expense(staff.manager1)
    step = pending_step(expense)
    # then the step is not left to "any sales manager" (manager2 cannot see it): leadership decides
    assert step.role == Role.LEADERSHIP and step.approver is None
    assert expense.number in web_client(staff.boss).get(reverse("workflow:my-tasks")).content.decode()
    assert expense.number not in web_client(staff.manager2).get(reverse("workflow:my-tasks")).content.decode()
    # and leadership approves it
    approved = expenses.expense_transition(expense=expense, action="approve", actor=staff.boss)
    assert approved.state == "approved"


def test_a_managers_own_document_goes_to_their_manager_by_reporting_line(staff):
    # given manager1 reports to a regional director who is a sales manager above them
    director = make_user("director", Role.SALES_MANAGER, branch=staff.head_office)
    staff.manager1.manager = director
    staff.manager1.save(update_fields=["manager"])
    # when manager1 submits an expense
    expense = _submitted_expense(staff.manager1)
    # then the director is its named approver and decides it
    assert pending_step(expense).approver == director
    assert expenses.expense_transition(expense=expense, action="approve", actor=director).state == "approved"


def test_the_owner_never_decides_their_own_step_even_holding_the_role(staff):
    expense = _submitted_expense(staff.manager1)
    before = snapshot(expense)
    with pytest.raises(Forbidden):
        expenses.expense_transition(expense=expense, action="approve", actor=staff.manager1)
    assert snapshot(expense) == before


def test_a_branch_managers_own_special_fee_reaches_leadership_once(staff):
    fee = ef.special_fee(staff.branch_mgr, ef.customer(staff, staff.branch_mgr))
    fee = expenses.special_fee_transition(fee=fee, action="submit", actor=staff.branch_mgr)
    steps = list(ApprovalStep.objects.filter(object_id=fee.pk, content_type__model="specialfee"))
    # the manager's consent (R5) escalates to leadership, which also instructs (R6): one step, not two
    assert [(s.role, s.approver_id) for s in steps] == [(Role.LEADERSHIP, None)]
    fee = expenses.special_fee_transition(fee=fee, action="approve", actor=staff.boss)
    assert fee.state == "approved"


def _waiting_since(step, days_ago: int) -> None:
    ApprovalStep.objects.filter(pk=step.pk).update(pending_since=timezone.now() - datetime.timedelta(days=days_ago))


def test_the_waiting_approvals_page_lists_old_steps_for_admin_only(staff, web_client):
    old = _submitted_expense(staff.sales_a)
    _waiting_since(pending_step(old), 20)
    new = _submitted_expense(staff.sales_b)
    url = reverse("workflow:stuck-steps") + "?days=2"
    page = web_client(staff.admin).get(url).content.decode()
    assert old.number in page and new.number not in page
    for refused in (staff.sales_a, staff.manager1, staff.finance):
        assert web_client(refused).get(url).status_code in (403, 404)


def test_handing_a_step_over_is_audited_and_the_new_approver_decides(staff, web_client):
    expense = _submitted_expense(staff.sales_a)
    step = pending_step(expense)
    _waiting_since(step, 20)
    director = make_user("director2", Role.LEADERSHIP, branch=staff.head_office)
    # when the administrator hands the step to another leader, with a reason
    response = web_client(staff.admin).post(
        reverse("workflow:stuck-steps") + "?days=2",
        {"step": step.pk, "approver": director.pk, "reason": "经理休假"},
    )
    assert response.status_code == 302
    # then the step waits for that person, the history says who and why, and they are told
    assert fresh(step).approver == director
    event = DocumentEvent.objects.filter(object_id=expense.pk, action="reassign").get()
    assert event.actor == staff.admin and event.comment == "经理休假"
    assert Notification.objects.filter(user=director, text__contains=expense.number).exists()
    assert expenses.expense_transition(expense=expense, action="approve", actor=director).state == "approved"


def test_a_step_cannot_be_handed_to_the_owner_or_someone_who_cannot_see_it(staff):
    expense = _submitted_expense(staff.sales_a)
    step = pending_step(expense)
    before = snapshot(expense)
    for person in (staff.sales_a, staff.sales_c):
        with pytest.raises(InvalidInput):
            step_reroute(step_id=step.pk, actor=staff.admin, approver_id=person.pk, reason="试")
    with pytest.raises(Forbidden):
        step_reroute(step_id=step.pk, actor=staff.manager1, approver_id=staff.boss.pk, reason="试")
    assert snapshot(expense) == before


def test_the_approver_is_told_what_waits_in_one_line(staff):
    expense = _submitted_expense(staff.sales_a, amount="1234.00")
    note = Notification.objects.filter(user=staff.manager1, text__contains=expense.number).get()
    assert "¥1,234.00" in note.text


def test_a_step_goes_only_to_someone_who_may_decide_it_and_never_to_the_one_handing_it(staff):
    # given a sales manager's step on sales_a's expense
    expense = _submitted_expense(staff.sales_a)
    step = pending_step(expense)
    before = snapshot(expense)
    # finance sees the expense but holds no manager or leadership role; admin is the one handing it
    for person in (staff.finance, staff.admin):
        with pytest.raises(InvalidInput):
            step_reroute(step_id=step.pk, actor=staff.admin, approver_id=person.pk, reason="试")
    with pytest.raises(InvalidInput):
        step_reroute(step_id=step.pk, actor=staff.boss, approver_id=staff.boss.pk, reason="我自己批")
    assert snapshot(expense) == before


def test_whoever_edited_a_document_does_not_decide_it(staff):
    from salesops.expenses.workflows import EXPENSE_FLOW
    from salesops.org.models import UserRole
    from salesops.workflow.services import document_update

    # given the administrator (here also a sales manager) corrects sales_a's draft
    UserRole.objects.create(user=staff.admin, role=Role.SALES_MANAGER)
    expense = ef.expense(staff.sales_a, planned_on=timezone.localdate() + datetime.timedelta(days=3))
    document_update(
        expense, flow=EXPENSE_FLOW, actor=staff.admin, version=expense.version, fields={"purpose": "拜访客户（更正）"}
    )
    expense = expenses.expense_transition(expense=fresh(expense), action="submit", actor=staff.sales_a)
    step = pending_step(expense)
    # then the step cannot be handed to the administrator, who wrote part of it
    with pytest.raises(InvalidInput):
        step_reroute(step_id=step.pk, actor=staff.boss, approver_id=staff.admin.pk, reason="转交")
    assert pending_step(expense).approver == staff.manager1
