"""Writers of expense requests and special fees; every one checks the actor and runs atomically."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput, field_errors
from salesops.core.policy import require
from salesops.customers.models import Customer
from salesops.org.models import User
from salesops.workflow.services import document_create, document_update, joined_atomic, transition

from .models import ExpenseRequest, SpecialFee
from .permissions import PAYERS, RAISERS
from .workflows import EXPENSE_FLOW, SPECIAL_FEE_FLOW

EXPENSE_EDITABLE = ("category", "amount", "planned_on", "purpose", "customer_id", "incurred_on")
SPECIAL_FEE_EDITABLE = ("customer_id", "kind", "amount", "reason")


def _customer_for(actor: User, customer_id: int | None, *, required: bool) -> Customer | None:
    if customer_id is None:
        if required:
            raise InvalidInput(_("Choose a customer."), fields={"customer": [_("This field is required.")]})
        return None
    customer = Customer.objects.visible_to(actor).filter(pk=customer_id).first()
    if customer is None:
        raise InvalidInput(_("Unknown customer."), fields={"customer": [_("Choose one of your customers.")]})
    return customer


def _check_amount(amount: Decimal | None) -> None:
    if (
        not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0 or amount.as_tuple().exponent < -2  # type: ignore[operator]
    ):
        raise InvalidInput(
            _("The amount is not valid."),
            fields={"amount": [_("A positive amount in yuan with at most two decimals.")]},
        )


def _check_incurred_on(incurred_on: datetime.date | None) -> None:
    if incurred_on is not None and incurred_on > timezone.localdate():
        raise InvalidInput(_("The date is in the future."), fields={"incurred_on": [_("Not in the future.")]})


def _only(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    # Mass assignment (RELIABILITY c.13): state, number, owner, branch are never edited here.
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InvalidInput(
            _("These fields cannot be changed."), fields={name: [_("Not editable.")] for name in unknown}
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
    _check_incurred_on(incurred_on)
    customer = _customer_for(actor, customer_id, required=False)
    with field_errors():
        return document_create(
            ExpenseRequest,
            flow=EXPENSE_FLOW,
            actor=actor,
            owner=actor,
            category=category,
            amount=amount,
            planned_on=planned_on,
            purpose=purpose,
            customer=customer,
            incurred_before_approval=incurred_on is not None,
            incurred_on=incurred_on,
        )


@transaction.atomic
def expense_update(*, expense: ExpenseRequest, actor: User, version: int, **fields: Any) -> ExpenseRequest:
    """Edit a draft or rejected expense request. Recording it as incurred flags R3; the flag is never cleared."""
    _only(fields, EXPENSE_EDITABLE)
    if "amount" in fields:
        _check_amount(fields["amount"])
    if "customer_id" in fields:
        fields["customer"] = _customer_for(actor, fields.pop("customer_id"), required=False)
    if "incurred_on" in fields:
        incurred_on = fields["incurred_on"]
        _check_incurred_on(incurred_on)
        if incurred_on is None and expense.incurred_on is not None:
            # R3: a breach once recorded stays on the document (the audit trail shows when it was spent).
            raise InvalidInput(
                _("This expense was recorded as already incurred; that cannot be undone."),
                fields={"incurred_on": [_("An expense already incurred keeps its date.")]},
            )
        # Never cleared: also not the flag of a request submitted after its planned date.
        fields["incurred_before_approval"] = expense.incurred_before_approval or incurred_on is not None
    with field_errors():
        return document_update(expense, flow=EXPENSE_FLOW, actor=actor, version=version, fields=fields)


def expense_transition(*, expense: ExpenseRequest, action: str, actor: User, comment: str = "") -> ExpenseRequest:
    """Submit, approve, reject or cancel (EXPENSE_FLOW): the manager, and leadership when major (R3).

    A request submitted when its planned date has already passed cannot have been agreed
    beforehand: the submission flags it as incurred before approval (R3), in the same write and
    audit event as the state change; ``r3_breach_reason`` then says why.
    """
    with joined_atomic():  # the caller's transaction, or one: the lock below lasts until the commit
        values = _r3_flag_at_submission(expense) if action == "submit" else None
        return transition(EXPENSE_FLOW, expense, action, actor=actor, comment=comment, values=values)


def _r3_flag_at_submission(expense: ExpenseRequest) -> dict[str, Any] | None:
    # Locked until the submission commits: the planned date read is the one submitted.
    current = (
        ExpenseRequest.objects.select_for_update()
        .filter(pk=expense.pk)
        .values("planned_on", "incurred_before_approval")
        .first()
    )
    if current is None or current["incurred_before_approval"] or current["planned_on"] >= timezone.localdate():
        return None
    return {"incurred_before_approval": True}


@transaction.atomic
def special_fee_create(*, actor: User, customer_id: int | None, kind: str, amount: Decimal, reason: str) -> SpecialFee:
    """Propose a special fee for a customer (R5); it is paid only after leadership's instruction (R6)."""
    require(actor, *RAISERS)
    _check_amount(amount)
    customer = _customer_for(actor, customer_id, required=True)
    with field_errors():
        return document_create(
            SpecialFee,
            flow=SPECIAL_FEE_FLOW,
            actor=actor,
            owner=actor,
            customer=customer,
            kind=kind,
            amount=amount,
            reason=reason,
        )


@transaction.atomic
def special_fee_update(*, fee: SpecialFee, actor: User, version: int, **fields: Any) -> SpecialFee:
    _only(fields, SPECIAL_FEE_EDITABLE)
    if "amount" in fields:
        _check_amount(fields["amount"])
    if "customer_id" in fields:
        fields["customer"] = _customer_for(actor, fields.pop("customer_id"), required=True)
    with field_errors():
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
    require(actor, *PAYERS)
    reference = (reference or "").strip()
    if not reference:
        raise InvalidInput(_("Give the payment reference."), fields={"reference": [_("This field is required.")]})
    if len(reference) > 100:
        raise InvalidInput(
            _("The payment reference is too long."), fields={"reference": [_("At most 100 characters.")]}
        )
    if paid_on is None:
        raise InvalidInput(_("Give the payment date."), fields={"paid_on": [_("This field is required.")]})
    if paid_on > timezone.localdate():
        raise InvalidInput(_("The date is in the future."), fields={"paid_on": [_("Not in the future.")]})
    # The payment fields go with the state change, in one write and one event (the "paid needs a
    # date" CHECK holds); a refused transition writes none of them.
    return transition(
        SPECIAL_FEE_FLOW,
        fee,
        "pay",
        actor=actor,
        comment=comment,
        values={"paid_on": paid_on, "payment_reference": reference, "paid_by": actor},
    )
