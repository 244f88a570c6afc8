"""The declared flows: which actions each state offers to whom (the buttons), and that the services enforce them."""

import pytest
from django.contrib.auth.models import AnonymousUser

from salesops.core.errors import ApplicationError
from salesops.expenses import services
from salesops.expenses.tests.factories import expense, instructed_special_fee, snapshot, submitted_expense
from salesops.expenses.workflows import EXPENSE_FLOW, SPECIAL_FEE_FLOW
from salesops.workflow.approvals import current_step

pytestmark = pytest.mark.django_db


def test_expense_flow_declares_its_transitions():
    assert {name: (t.sources, t.target) for name, t in EXPENSE_FLOW.transitions.items()} == {
        "submit": (("draft", "rejected"), "pending"),
        "approve": (("pending",), "approved"),
        "reject": (("pending",), "rejected"),
        "cancel": (("draft", "rejected"), "cancelled"),
    }
    assert EXPENSE_FLOW.transitions["reject"].needs_comment
    assert tuple(EXPENSE_FLOW.editable_states) == ("draft", "rejected")


def test_special_fee_flow_pays_only_from_instructed():
    pay = SPECIAL_FEE_FLOW.transitions["pay"]
    assert (pay.sources, pay.target, pay.by) == (("approved",), "paid", ("finance",))
    assert pay.guard is not None


@pytest.mark.parametrize(
    ("state", "user_name", "actions"),
    [
        ("draft", "sales_a", {"submit", "cancel"}),
        ("draft", "manager1", set()),
        ("pending", "sales_a", set()),
        ("pending", "manager1", {"approve", "reject"}),
        ("pending", "boss", set()),
        ("pending", "finance", set()),
    ],
)
def test_buttons_offered_per_state_and_user(staff, state, user_name, actions):
    doc = expense(staff.sales_a) if state == "draft" else submitted_expense(staff.sales_a)
    offered = EXPENSE_FLOW.actions_for(doc, getattr(staff, user_name), pending_step=current_step(doc))
    assert {name for name, _t in offered} == actions


# Each transition: the right role in scope, the right role out of scope, a wrong role, anonymous.
CASES = [
    ("submit", "sales_a", True),
    ("submit", "sales_c", False),  # a salesperson elsewhere: not his document
    ("submit", "manager1", False),  # the manager may see it, but only the owner submits
    ("submit", None, False),
    ("cancel", "sales_a", True),
    ("cancel", "sales_b", False),
    ("cancel", "boss", False),
    ("cancel", None, False),
    ("approve", "manager1", True),
    ("approve", "manager2", False),
    ("approve", "sales_a", False),
    ("approve", None, False),
    ("reject", "manager1", True),
    ("reject", "manager2", False),
    ("reject", "finance", False),
    ("reject", None, False),
]


@pytest.mark.parametrize(("action", "user_name", "allowed"), CASES)
def test_each_expense_transition_by_actor(staff, action, user_name, allowed):
    # given a document in the action's source state
    doc = submitted_expense(staff.sales_a) if action in ("approve", "reject") else expense(staff.sales_a)
    actor = getattr(staff, user_name) if user_name else AnonymousUser()
    before = snapshot(doc)
    # when / then
    if allowed:
        doc = services.expense_transition(expense=doc, action=action, actor=actor, comment="理由")
        assert doc.state == EXPENSE_FLOW.transitions[action].target
    else:
        with pytest.raises(ApplicationError):
            services.expense_transition(expense=doc, action=action, actor=actor, comment="理由")
        assert snapshot(doc) == before


@pytest.mark.parametrize(
    ("user_name", "allowed"), [("finance", True), ("sales_a", False), ("boss", False), (None, False)]
)
def test_special_fee_payment_by_actor(staff, cust_a, user_name, allowed):
    import datetime

    fee = instructed_special_fee(staff, cust_a)
    actor = getattr(staff, user_name) if user_name else AnonymousUser()
    before = snapshot(fee)
    pay = {"paid_on": datetime.date(2026, 1, 5), "reference": "BANK-7"}
    if allowed:
        assert services.special_fee_record_payment(fee=fee, actor=actor, **pay).state == "paid"
    else:
        with pytest.raises(ApplicationError):
            services.special_fee_record_payment(fee=fee, actor=actor, **pay)
        assert snapshot(fee) == before
