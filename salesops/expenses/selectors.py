"""Reads of expenses, always scoped by ``visible_to(user)``."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from salesops.core.errors import NotFound
from salesops.org.roles import Role
from salesops.workflow.inbox import TaskItem

from .models import ExpenseRequest, SpecialFee, SpecialFeeState


def expense_list(*, user) -> QuerySet[ExpenseRequest]:
    return ExpenseRequest.objects.visible_to(user).select_related("owner", "branch", "customer")


def expense_get_for(*, user, pk: int) -> ExpenseRequest:
    found = expense_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Document not found."))
    return found


def special_fee_list(*, user) -> QuerySet[SpecialFee]:
    return SpecialFee.objects.visible_to(user).select_related("owner", "branch", "customer", "paid_by")


def special_fee_get_for(*, user, pk: int) -> SpecialFee:
    found = special_fee_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Document not found."))
    return found


def payment_tasks(user) -> list[TaskItem]:
    """Finance's My tasks: instructed special fees waiting to be paid (R6)."""
    if Role.FINANCE not in user.roles:
        return []
    fees = special_fee_list(user=user).filter(state=SpecialFeeState.APPROVED).order_by("updated_at")[:100]
    return [
        TaskItem(
            kind="payment",
            title=_("Pay special fee %(number)s: %(customer)s, ¥%(amount)s")
            % {"number": fee.number, "customer": fee.customer, "amount": fee.amount},
            url=fee.get_absolute_url(),
            since=fee.updated_at,
            number=fee.number,
        )
        for fee in fees
    ]
