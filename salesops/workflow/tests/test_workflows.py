"""The kernel's transition(): allowed moves change state and append one event; refused ones
say why and change nothing (state, version, events, approval steps)."""

import pytest
from django.contrib.contenttypes.models import ContentType

from salesops.core.errors import Forbidden, InvalidInput, NotFound, TransitionNotAllowed
from salesops.expenses.models import ExpenseRequest, ExpenseState
from salesops.expenses.services import expense_transition
from salesops.expenses.workflows import EXPENSE_FLOW
from salesops.workflow.models import ApprovalStep, DocumentEvent

from .factories import expense, submitted_expense

pytestmark = pytest.mark.django_db


def snapshot(doc):
    doc = ExpenseRequest.objects.get(pk=doc.pk)
    content_type = ContentType.objects.get_for_model(doc)
    return (
        doc.state,
        doc.version,
        DocumentEvent.objects.filter(content_type=content_type, object_id=doc.pk).count(),
        list(ApprovalStep.objects.filter(content_type=content_type, object_id=doc.pk).values_list("status", flat=True)),
    )


def test_every_change_appends_exactly_one_event(staff):
    doc = expense(staff.sales_a)
    doc = expense_transition(expense=doc, action="submit", actor=staff.sales_a)
    doc = expense_transition(expense=doc, action="reject", actor=staff.manager1, comment="请补充行程")
    doc = expense_transition(expense=doc, action="submit", actor=staff.sales_a)
    doc = expense_transition(expense=doc, action="approve", actor=staff.manager1)
    events = DocumentEvent.objects.filter(number=doc.number).order_by("at", "pk")
    assert [(e.action, e.from_state, e.to_state, e.actor.username) for e in events] == [
        ("create", "", "draft", "sales_a"),
        ("submit", "draft", "pending", "sales_a"),
        ("reject", "pending", "rejected", "manager1"),
        ("submit", "rejected", "pending", "sales_a"),
        ("approve", "pending", "approved", "manager1"),
    ]
    assert doc.version == 5
    assert events[2].comment == "请补充行程"


# Every (state, action) pair the flow does not declare, reached for real.
def _reach(state, staff):
    if state == ExpenseState.DRAFT:
        return expense(staff.sales_a)
    doc = submitted_expense(staff.sales_a)
    if state == ExpenseState.PENDING:
        return doc
    if state == ExpenseState.APPROVED:
        return expense_transition(expense=doc, action="approve", actor=staff.manager1)
    if state == ExpenseState.REJECTED:
        return expense_transition(expense=doc, action="reject", actor=staff.manager1, comment="no")
    rejected = expense_transition(expense=doc, action="reject", actor=staff.manager1, comment="no")
    return expense_transition(expense=rejected, action="cancel", actor=staff.sales_a)


DISALLOWED = [
    (state, action)
    for state in ExpenseState.values
    for action, t in EXPENSE_FLOW.transitions.items()
    if state not in t.sources
]


@pytest.mark.parametrize(("state", "action"), DISALLOWED)
def test_disallowed_transition_is_refused_with_a_reason_and_changes_nothing(staff, state, action):
    doc = _reach(state, staff)
    before = snapshot(doc)
    actor = staff.manager1 if EXPENSE_FLOW.transitions[action].approval in ("approve", "reject") else staff.sales_a
    with pytest.raises(TransitionNotAllowed) as refused:
        expense_transition(expense=doc, action=action, actor=actor, comment="x")
    assert refused.value.message
    assert snapshot(doc) == before


def test_unknown_action_is_refused(staff):
    doc = expense(staff.sales_a)
    before = snapshot(doc)
    with pytest.raises(TransitionNotAllowed):
        expense_transition(expense=doc, action="teleport", actor=staff.sales_a)
    assert snapshot(doc) == before


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("sales_b", NotFound),  # same department, not the owner: cannot even see it
        ("manager1", Forbidden),  # sees it, but only the owner submits
        ("finance", Forbidden),  # finance sees expenses, may not submit them
        ("warehouse", NotFound),
    ],
)
def test_submit_by_anyone_but_the_owner_is_refused(staff, who, error):
    doc = expense(staff.sales_a)
    before = snapshot(doc)
    with pytest.raises(error):
        expense_transition(expense=doc, action="submit", actor=getattr(staff, who))
    assert snapshot(doc) == before


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("sales_a", Forbidden),  # the owner cannot approve their own request
        ("manager2", NotFound),  # another department's manager does not see it
        ("boss", Forbidden),  # leadership is not the pending step (below the major threshold)
        ("branch_mgr", NotFound),
    ],
)
def test_approval_by_anyone_but_the_pending_approver_is_refused(staff, who, error):
    doc = submitted_expense(staff.sales_a)
    before = snapshot(doc)
    with pytest.raises(error):
        expense_transition(expense=doc, action="approve", actor=getattr(staff, who))
    assert snapshot(doc) == before


def test_reject_without_a_reason_is_refused(staff):
    doc = submitted_expense(staff.sales_a)
    before = snapshot(doc)
    with pytest.raises(InvalidInput) as refused:
        expense_transition(expense=doc, action="reject", actor=staff.manager1, comment="  ")
    assert "comment" in refused.value.extra["fields"]
    assert snapshot(doc) == before


def test_inactive_user_cannot_act(staff):
    doc = expense(staff.sales_a)
    staff.sales_a.is_active = False
    staff.sales_a.save()
    before = snapshot(doc)
    with pytest.raises(NotFound):
        expense_transition(expense=doc, action="submit", actor=staff.sales_a)
    assert snapshot(doc) == before


def test_actions_offered_match_what_the_service_allows(staff):
    doc = submitted_expense(staff.sales_a)
    from salesops.workflow.approvals import current_step

    step = current_step(doc)
    assert [name for name, _ in EXPENSE_FLOW.actions_for(doc, staff.manager1, pending_step=step)] == [
        "approve",
        "reject",
    ]
    assert EXPENSE_FLOW.actions_for(doc, staff.sales_a, pending_step=step) == []
