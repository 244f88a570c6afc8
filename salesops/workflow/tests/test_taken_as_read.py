"""The kernel's cheaper write path: a transition takes the row its caller read (and falls back to
the locked read whenever that row would decide differently), a decision takes the pending step its
caller read, events of one service go in one INSERT, and a query's people are told in one INSERT.
Each is checked for the outcome a user sees and for the statements it saves."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from salesops.core.errors import Forbidden, NotFound, TransitionNotAllowed
from salesops.expenses.models import ExpenseRequest, ExpenseState
from salesops.expenses.services import expense_transition
from salesops.org.models import User
from salesops.workflow.approvals import current_step, with_pending_step
from salesops.workflow.models import ApprovalStep, DocumentEvent, Notification, StepStatus
from salesops.workflow.services import events_together, notify, record_event, step_reroute

from .factories import expense, submitted_expense

pytestmark = pytest.mark.django_db


def snapshot(doc):
    doc = ExpenseRequest.objects.get(pk=doc.pk)
    of_doc = {"content_type": ContentType.objects.get_for_model(doc), "object_id": doc.pk}
    return (
        doc.state,
        doc.version,
        list(DocumentEvent.objects.filter(**of_doc).values_list("action", flat=True)),
        list(ApprovalStep.objects.filter(**of_doc).values_list("status", flat=True)),
    )


def statements(captured, table: str, verb: str) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith(verb) and f'"{table}"' in q["sql"]]


def test_the_row_as_read_is_moved_without_being_read_again(staff):
    doc = submitted_expense(staff.sales_a)
    with CaptureQueriesContext(connection) as captured:
        moved = expense_transition(expense=doc, action="approve", actor=staff.manager1)
    assert moved.state == ExpenseState.APPROVED and moved.version == 3
    assert statements(captured, "expenses_expenserequest", "SELECT") == []
    # The one write names the version it was read at.
    [update] = statements(captured, "expenses_expenserequest", "UPDATE")
    assert '"version"' in update.split("WHERE", 1)[1]
    assert snapshot(doc)[:3] == (ExpenseState.APPROVED, 3, ["create", "submit", "approve"])
    assert doc.state == ExpenseState.PENDING  # the caller's object is left as it was


def test_a_stale_row_gets_the_outcome_of_the_current_one(staff):
    # given a row read while in draft, submitted since through another read
    stale = expense(staff.sales_a)
    expense_transition(expense=ExpenseRequest.objects.get(pk=stale.pk), action="submit", actor=staff.sales_a)
    # when the manager approves with the stale row
    approved = expense_transition(expense=stale, action="approve", actor=staff.manager1)
    # then the current row was approved, once
    assert approved.state == ExpenseState.APPROVED
    assert snapshot(stale)[:3] == (ExpenseState.APPROVED, 3, ["create", "submit", "approve"])


def test_a_stale_row_is_refused_as_the_current_one_is(staff):
    stale = expense(staff.sales_a)
    expense_transition(expense=ExpenseRequest.objects.get(pk=stale.pk), action="submit", actor=staff.sales_a)
    before = snapshot(stale)
    with pytest.raises(TransitionNotAllowed) as refused:
        expense_transition(expense=stale, action="submit", actor=staff.sales_a)
    # the reason names the state the document is in now, not the one the caller read
    assert str(ExpenseState.PENDING.label) in refused.value.message
    assert snapshot(stale) == before


def test_a_row_outside_the_actors_scope_is_not_found_even_as_read(staff):
    doc = expense(staff.sales_a)
    before = snapshot(doc)
    with pytest.raises(NotFound):
        expense_transition(expense=doc, action="cancel", actor=staff.sales_c)
    assert snapshot(doc) == before


def test_a_decision_on_the_step_the_caller_read_reads_no_step(staff):
    doc = submitted_expense(staff.sales_a)
    step = current_step(doc)
    assert step is not None and step.last_in_round
    with CaptureQueriesContext(connection) as captured:
        decided = expense_transition(expense=with_pending_step(doc, step), action="approve", actor=staff.manager1)
    assert decided.state == ExpenseState.APPROVED
    assert statements(captured, "workflow_approvalstep", "SELECT") == []
    step.refresh_from_db()
    assert (step.status, step.decided_by_id) == (StepStatus.APPROVED, staff.manager1.pk)


def test_a_step_handed_over_after_it_was_read_is_not_decided_by_the_reader(staff):
    # given the manager's task, read, then handed to leadership
    doc = submitted_expense(staff.sales_a)
    step = current_step(doc)
    step_reroute(step_id=step.pk, actor=staff.admin, approver_id=staff.boss.pk, reason="出差")
    before = snapshot(doc)
    # when the manager decides the step as read
    with pytest.raises(Forbidden) as refused:
        expense_transition(expense=with_pending_step(doc, step), action="approve", actor=staff.manager1)
    assert refused.value.message == "此审批应由他人处理。"
    # then nothing changed: the step waits for leadership
    assert snapshot(doc) == before
    assert ApprovalStep.objects.get(pk=step.pk).approver_id == staff.boss.pk


def test_the_events_of_one_service_go_in_one_insert_and_a_read_sees_them(staff):
    doc = expense(staff.sales_a)
    with CaptureQueriesContext(connection) as captured, transaction.atomic(), events_together():
        doc = expense_transition(expense=doc, action="submit", actor=staff.sales_a)
        record_event(doc, "note", actor=staff.sales_a, from_state=doc.state, to_state=doc.state, comment="a")
        inserts_so_far = len(statements(captured, "workflow_documentevent", "INSERT"))
        seen = list(DocumentEvent.objects.filter(number=doc.number).values_list("action", flat=True))
        record_event(doc, "note", actor=staff.sales_a, from_state=doc.state, to_state=doc.state, comment="b")
    assert inserts_so_far == 0
    assert seen == ["create", "submit", "note"]  # the read wrote what was held first
    assert len(statements(captured, "workflow_documentevent", "INSERT")) == 2
    events = DocumentEvent.objects.filter(number=doc.number).order_by("at", "pk")
    assert [(e.action, e.comment) for e in events] == [("create", ""), ("submit", ""), ("note", "a"), ("note", "b")]


def test_events_held_for_a_refused_service_are_never_written(staff):
    doc = expense(staff.sales_a)
    before = snapshot(doc)
    with pytest.raises(TransitionNotAllowed), transaction.atomic(), events_together():
        record_event(doc, "note", actor=staff.sales_a, from_state=doc.state, to_state=doc.state, comment="held")
        expense_transition(expense=doc, action="approve", actor=staff.manager1)
    assert snapshot(doc) == before


def test_the_people_a_query_chooses_are_told_in_one_statement_once_each(staff):
    chosen = User.objects.filter(pk__in=[staff.sales_a.pk, staff.sales_b.pk]).order_by("username")
    with CaptureQueriesContext(connection) as captured:
        notify(chosen, "盘点提醒", url="/x/", dedupe_key="stock-check-1")
        notify(chosen, "盘点提醒", url="/x/", dedupe_key="stock-check-1")
    assert len(captured.captured_queries) == 2  # one INSERT … SELECT each, no read
    told = Notification.objects.filter(dedupe_key="stock-check-1")
    assert sorted(told.values_list("user__username", "text", "url")) == [
        ("sales_a", "盘点提醒", "/x/"),
        ("sales_b", "盘点提醒", "/x/"),
    ]
    assert all(n.read_at is None and n.created_at is not None for n in told)
