"""Expense documents made through the services, for kernel tests (the kernel's first real user)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from salesops.expenses import services


def expense(actor, amount="800.00", **extra):
    return services.expense_create(
        actor=actor,
        category=extra.pop("category", "travel"),
        amount=Decimal(amount),
        planned_on=extra.pop("planned_on", timezone.localdate() + datetime.timedelta(days=7)),
        purpose=extra.pop("purpose", "拜访客户"),
        **extra,
    )


def submitted_expense(actor, amount="800.00", **extra):
    doc = expense(actor, amount, **extra)
    return services.expense_transition(expense=doc, action="submit", actor=actor)
