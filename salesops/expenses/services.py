"""Writers of expense requests, special fees and dealer collection permits; every one checks the actor
and runs atomically."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesops.core.errors import InvalidInput, field_errors
from salesops.core.policy import require
from salesops.customers.models import Customer, CustomerKind
from salesops.org.models import User
from salesops.org.roles import Role
from salesops.workflow.masterdata import save_edit
from salesops.workflow.services import document_create, document_update, joined_atomic, transition

from .models import CollectionPermit, CollectionSettings, ExpenseRequest, SpecialFee
from .permissions import PAYERS, RAISERS
from .workflows import EXPENSE_FLOW, PERMIT_FLOW, SPECIAL_FEE_FLOW

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


def _amount_is_valid(amount: Decimal | None) -> bool:
    return (
        isinstance(amount, Decimal) and amount.is_finite() and amount > 0 and amount.as_tuple().exponent >= -2  # type: ignore[operator]
    )


def _check_amount(amount: Decimal | None) -> None:
    if not _amount_is_valid(amount):
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


# --- dealer collection permits (经销商收款许可, R2) ---------------------------------------------

PERMIT_EDITABLE = ("customer_id", "limit_amount", "method", "reason", "valid_from", "valid_until")


def _dealer_errors(actor: User, customer_id: int | None) -> tuple[Customer | None, list[str]]:
    """The dealer a permit is for: one of the actor's own (visible) active customers, of the dealer
    kind; money from an end user is not collected under a permit. With the refusal, if any."""
    if customer_id is None:
        return None, [_("This field is required.")]
    customer = Customer.objects.visible_to(actor).filter(pk=customer_id).first()
    if customer is None:
        return None, [_("Choose one of your customers.")]
    if customer.kind != CustomerKind.DEALER:
        return None, [_("Choose a dealer: a permit is for collecting a dealer's money (R2).")]
    if not customer.is_active:
        return None, [_("This dealer is no longer active.")]
    return customer, []


def _validity_errors(valid_from: Any, valid_until: Any, *, from_changed: bool, longest: int) -> dict[str, list[str]]:
    """A permit is asked for before the money is collected (R2 "未经允许"), so it starts today or
    later; it ends on or after its first day and runs at most ``longest`` days, both ends counted."""
    errors: dict[str, list[str]] = {}
    if not isinstance(valid_from, datetime.date):
        errors["valid_from"] = [_("Enter a valid date.")]
    if not isinstance(valid_until, datetime.date):
        errors["valid_until"] = [_("Enter a valid date.")]
    if errors:
        return errors
    if from_changed and valid_from < timezone.localdate():
        errors["valid_from"] = [_("Not in the past: permission comes before the collection (R2).")]
    if valid_until < valid_from:
        errors["valid_until"] = [_("On or after the first valid day.")]
    elif (valid_until - valid_from).days + 1 > longest:
        errors["valid_until"] = [_("A permit runs at most %(days)s days.") % {"days": longest}]
    return errors


def _refuse_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise InvalidInput(_("Please correct the errors below."), fields=errors)


@transaction.atomic
def permit_create(
    *,
    actor: User,
    customer_id: int | None,
    limit_amount: Decimal,
    method: str,
    reason: str,
    valid_from: datetime.date,
    valid_until: datetime.date,
) -> CollectionPermit:
    """Ask leave to collect up to ``limit_amount`` from one of the actor's dealers between two dates
    (R2); the company's remit days are copied onto it. Every bad field is named at once."""
    require(actor, *RAISERS)
    settings = CollectionSettings.current()
    errors = _validity_errors(valid_from, valid_until, from_changed=True, longest=settings.max_validity_days)
    if not _amount_is_valid(limit_amount):
        errors["limit_amount"] = [_("A positive amount in yuan with at most two decimals.")]
    customer, refused = _dealer_errors(actor, customer_id)
    if refused:
        errors["customer"] = refused
    _refuse_if(errors)
    with field_errors():
        return document_create(
            CollectionPermit,
            flow=PERMIT_FLOW,
            actor=actor,
            owner=actor,
            customer=customer,
            limit_amount=limit_amount,
            method=method,
            reason=reason,
            valid_from=valid_from,
            valid_until=valid_until,
            remit_working_days=settings.remit_working_days,
        )


@transaction.atomic
def permit_update(*, permit: CollectionPermit, actor: User, version: int, **fields: Any) -> CollectionPermit:
    """Edit a draft or rejected permit (the owner only; a stale ``version`` is refused). Dates are
    checked together, the one not sent as stored; a first day left as it was may have passed."""
    require(actor, *RAISERS)
    _only(fields, PERMIT_EDITABLE)
    errors: dict[str, list[str]] = {}
    if "valid_from" in fields or "valid_until" in fields:
        errors = _validity_errors(
            fields.get("valid_from", permit.valid_from),
            fields.get("valid_until", permit.valid_until),
            from_changed="valid_from" in fields,
            longest=CollectionSettings.current().max_validity_days,
        )
    if "limit_amount" in fields and not _amount_is_valid(fields["limit_amount"]):
        errors["limit_amount"] = [_("A positive amount in yuan with at most two decimals.")]
    if "customer_id" in fields:
        customer, refused = _dealer_errors(actor, fields.pop("customer_id"))
        if refused:
            errors["customer"] = refused
        fields["customer"] = customer
    _refuse_if(errors)
    with field_errors():
        return document_update(permit, flow=PERMIT_FLOW, actor=actor, version=version, fields=fields)


def _remit_terms(locked: CollectionPermit) -> dict[str, Any]:
    # The terms the manager approves: the company's remit days as they are at submission.
    return {"remit_working_days": CollectionSettings.current().remit_working_days}


def _closed_now(locked: CollectionPermit) -> dict[str, Any]:
    return {"closed_at": timezone.now()}


PERMIT_ACTION_VALUES = {"submit": _remit_terms, "close": _closed_now}


def permit_transition(*, permit: CollectionPermit, action: str, actor: User, comment: str = "") -> CollectionPermit:
    """Submit, approve, reject, close or cancel (PERMIT_FLOW): the sales manager approves through the
    kernel's chain; the owner, finance or the sales office closes an approved permit when done.
    Submitting copies the current remit days onto the permit, closing stamps ``closed_at``, each in
    the same write and audit event as the state."""
    return transition(
        PERMIT_FLOW, permit, action, actor=actor, comment=comment, values=PERMIT_ACTION_VALUES.get(action)
    )


SETTINGS_LIMITS = {"remit_working_days": (0, 30), "max_validity_days": (1, 366)}


@transaction.atomic
def collection_settings_update(*, actor: User, **fields: Any) -> CollectionSettings:
    """The administrator sets the company's remit days (R2 "及时汇回") and the longest permit; new and
    resubmitted permits take them, permits already submitted keep the terms they were approved on."""
    require(actor, Role.ADMIN)
    errors: dict[str, list[str]] = {name: [_("Not editable.")] for name in sorted(set(fields) - set(SETTINGS_LIMITS))}
    for name, (lowest, highest) in SETTINGS_LIMITS.items():
        value = fields.get(name)
        if name in fields and not (isinstance(value, int) and lowest <= value <= highest):
            errors[name] = [
                _("A whole number from %(lowest)s to %(highest)s.") % {"lowest": lowest, "highest": highest}
            ]
    _refuse_if(errors)
    current = CollectionSettings.objects.select_for_update().filter(pk=CollectionSettings.current().pk).get()
    return save_edit(current, dict(fields), actor=actor)
