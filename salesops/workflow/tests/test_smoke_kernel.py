from decimal import Decimal

import pytest

from salesops.expenses import services
from salesops.expenses.models import ExpenseState
from salesops.workflow.models import DocumentEvent

pytestmark = pytest.mark.django_db


def test_expense_goes_through_manager_approval(staff):
    expense = services.expense_create(
        actor=staff.sales_a, category="travel", amount=Decimal("800.00"), planned_on="2026-12-01",
        purpose="拜访客户",
    )
    services.expense_transition(expense=expense, action="submit", actor=staff.sales_a)
    expense = services.expense_transition(expense=expense, action="approve", actor=staff.manager1)
    assert expense.state == ExpenseState.APPROVED
    assert list(DocumentEvent.objects.filter(number=expense.number).values_list("action", flat=True)) == [
        "create", "submit", "approve",
    ]
