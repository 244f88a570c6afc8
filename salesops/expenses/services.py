"""Writers of expense requests and special fees; every one checks the actor and runs atomically."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput, NotFound
from salesops.core.policy import require
from salesops.customers.models import Customer
from salesops.org.models import User
from salesops.org.roles import Role
from salesops.workflow.services import document_create, document_update, transition

from .models import ExpenseRequest, SpecialFee
from .workflows import EXPENSE_FLOW, SPECIAL_FEE_FLOW

RAISERS = (Role.SALESPERSON, Role.SALES_MANAGER, Role.BRANCH_MANAGER)


def _customer_for(actor: User, customer_id: int | None, *, required: bool) -> Customer | None:
    if customer_id is None:
        if required:
            raise InvalidInput(_("Choose a customer."), fields={"customer": [_("This field is required.")]})
        return None
    customer = Customer.objects.visible_to(actor).filter(pk=customer_id).first()
    if customer is None:
        raise InvalidInput(_("Unknown customer."), fields={"customer": [_("Choose one of your customers.")]})
    return customer


def _check_amount(amount: Decimal) -> None:
    if amount is None or amount <= 0 or amount.as_tuple().exponent < -2:
        raise InvalidInput(
            _("The amount is not valid."), fields={"amount": [_("A positive amount in yuan with at most two decimals.")]}
        )


@transaction.atomic
def expense_create(
    *,
    actor: User,
    category: str,
    amount: Decimal,
    planned_on: datetime.date,
    purpose: str,
    customer_id: int | None = None,
    incurred_on: datetime.date | None = None,
) -> ExpenseRequest:
    """Raise an expense request (R3). ``incurred_on`` records one already spent: allowed, flagged as an R3 breach."""
    require(actor, *RAISERS)
    _check_amount(amount)
    if incurred_on is not None and incurred_on > timezone.localdate():
        raise InvalidInput(_("The date is in the future."), fields={"incurred_on": [_("Not in the future.")]})
    return document_create(
        ExpenseRequest,
        flow=EXPENSE_FLOW,
        actor=actor,
        owner=actor,
        category=category,
        amount=amount,
        planned_on=planned_on,
        purpose=purpose,
        customer=_customer_for(actor, customer_id, required=False),
        incurred_before_approval=incurred_on is not None,
        incurred_on=incurred_on,
    )


@transaction.atomic
def expense_update(*, expense: ExpenseRequest, actor: User, version: int, **fields) -> ExpenseRequest:
    if "amount" in fields:
        _check_amount(fields["amount"])
    if "customer_id" in fields:
        fields["customer"] = _customer_for(actor, fields.pop("customer_id"), required=False)
    return document_update(expense, flow=EXPENSE_FLOW, actor=actor, version=version, fields=fields)


def expense_transition(*, expense: ExpenseRequest, action: str, actor: User, comment: str = "") -> ExpenseRequest:
    return transition(EXPENSE_FLOW, expense, action, actor=actor, comment=comment)


@transaction.atomic
def special_fee_create(
    *, actor: User, customer_id: int | None, kind: str, amount: Decimal, reason: str
) -> SpecialFee:
    """Propose a special fee for a customer (R5); it is paid only after leadership's instruction (R6)."""
    require(actor, *RAISERS)
    _check_amount(amount)
    return document_create(
        SpecialFee,
        flow=SPECIAL_FEE_FLOW,
        actor=actor,
        owner=actor,
        customer=_customer_for(actor, customer_id, required=True),
        kind=kind,
        amount=amount,
        reason=reason,
    )


@transaction.atomic
def special_fee_update(*, fee: SpecialFee, actor: User, version: int, **fields) -> SpecialFee:
    if "amount" in fields:
        _check_amount(fields["amount"])
    if "customer_id" in fields:
        fields["customer"] = _customer_for(actor, fields.pop("customer_id"), required=True)
    return document_update(fee, flow=SPECIAL_FEE_FLOW, actor=actor, version=version, fields=fields)


def special_fee_transition(*, fee: SpecialFee, action: str, actor: User, comment: str = "") -> SpecialFee:
    if action == "pay":
        raise InvalidInput(_("Use the payment form."), fields={"action": [_("Record the payment instead.")]})
    return transition(SPECIAL_FEE_FLOW, fee, action, actor=actor, comment=comment)


@transaction.atomic
def special_fee_record_payment(
    *, fee: SpecialFee, actor: User, paid_on: datetime.date, reference: str, comment: str = ""
) -> SpecialFee:
    """Finance records the payment of an instructed special fee (R6)."""
    require(actor, Role.FINANCE)
    if not reference.strip():
        raise InvalidInput(_("Give the payment reference."), fields={"reference": [_("This field is required.")]})
    if paid_on > timezone.localdate():
        raise InvalidInput(_("The date is in the future."), fields={"paid_on": [_("Not in the future.")]})
    fee = transition(SPECIAL_FEE_FLOW, fee, "pay", actor=actor, comment=comment)
    updated = SpecialFee.objects.filter(pk=fee.pk).update(paid_on=paid_on, payment_reference=reference.strip(),
                                                           paid_by=actor)
    if updated != 1:
        raise NotFound(_("Document not found."))
    fee.refresh_from_db()
    return fee
