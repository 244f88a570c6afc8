"""REST API of expense requests (R3) and special fees (R5, R6), under ``/api/expenses/``.

Answers: 401 without credentials, 403 for a role that may not call or act, 404 for a
document outside the caller's scope, 409 for a disallowed transition or a stale edit
(with the reason), 422 with ``extra.fields`` for bad input.
"""

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Query, Schema
from ninja.responses import Status

from salesops.core.api import ListQuery, Router, idempotent, listing_page, page_schema, versioned_changes
from salesops.core.policy import policy
from salesops.workflow.registry import act_on

from . import selectors, services
from .models import ExpenseCategory, ExpenseRequest, ExpenseState, SpecialFee, SpecialFeeKind, SpecialFeeState
from .permissions import PAYERS, RAISERS, READERS
from .workflows import EXPENSE_FLOW, SPECIAL_FEE_FLOW

router = Router(tags=["expenses"])


# --- schemas ----------------------------------------------------------------------------------

Money = Decimal


class Problem(Schema):
    message: str
    code: str
    extra: dict


ERRORS = {401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}


class ExpenseOut(Schema):
    id: int
    number: str
    state: str
    state_label: str
    category: str
    customer_id: int | None
    customer_name: str | None
    amount: Money
    planned_on: datetime.date
    purpose: str
    incurred_before_approval: bool
    incurred_on: datetime.date | None
    r3_breach_reason: str = Field(..., description="Why it breaches R3 (empty when it does not).")
    owner_id: int
    owner_name: str
    branch_id: int
    department_id: int | None
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_state_label(obj: ExpenseRequest) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_customer_name(obj: ExpenseRequest) -> str | None:
        return obj.customer.name if obj.customer_id else None

    @staticmethod
    def resolve_owner_name(obj: ExpenseRequest) -> str:
        return str(obj.owner)


class ExpenseIn(Schema):
    category: ExpenseCategory
    amount: Money = Field(..., gt=0, max_digits=14, decimal_places=2)
    planned_on: datetime.date
    purpose: str = Field(..., min_length=1, max_length=2000)
    customer_id: int | None = None
    incurred_on: datetime.date | None = Field(None, description="Set only for an expense already spent (R3 breach).")


class ExpensePatch(Schema):
    version: int = Field(..., ge=1, description="The version read; a newer one on the server gives 409.")
    category: ExpenseCategory | None = None
    amount: Money | None = Field(None, gt=0, max_digits=14, decimal_places=2)
    planned_on: datetime.date | None = None
    purpose: str | None = Field(None, min_length=1, max_length=2000)
    customer_id: int | None = None
    incurred_on: datetime.date | None = None


class ListFilters(ListQuery):
    state: str | None = None
    owner: int | None = None
    branch: int | None = None


class ExpenseFilters(ListFilters):
    state: ExpenseState | None = None
    category: ExpenseCategory | None = None
    breach: bool | None = Field(None, description="Only those recorded as incurred before approval (R3).")


# The sum of the amounts over every matching row, all pages.
TotalAmount = Annotated[Money, Field(description="Sum of `amount` over every matching row, all pages.")]
ExpensePage = page_schema(ExpenseOut, "ExpensePage", total_amount=TotalAmount)


class ActionIn(Schema):
    comment: str = Field("", max_length=4000)


class SpecialFeeOut(Schema):
    id: int
    number: str
    state: str
    state_label: str
    customer_id: int
    customer_name: str
    kind: str
    amount: Money
    reason: str
    paid_on: datetime.date | None
    payment_reference: str
    paid_by_id: int | None
    owner_id: int
    owner_name: str
    branch_id: int
    department_id: int | None
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_state_label(obj: SpecialFee) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_customer_name(obj: SpecialFee) -> str:
        return obj.customer.name

    @staticmethod
    def resolve_owner_name(obj: SpecialFee) -> str:
        return str(obj.owner)


class SpecialFeeIn(Schema):
    customer_id: int
    kind: SpecialFeeKind
    amount: Money = Field(..., gt=0, max_digits=14, decimal_places=2)
    reason: str = Field(..., min_length=1, max_length=2000)


class SpecialFeePatch(Schema):
    version: int = Field(..., ge=1)
    customer_id: int | None = None
    kind: SpecialFeeKind | None = None
    amount: Money | None = Field(None, gt=0, max_digits=14, decimal_places=2)
    reason: str | None = Field(None, min_length=1, max_length=2000)


class SpecialFeeFilters(ListFilters):
    state: SpecialFeeState | None = None
    kind: SpecialFeeKind | None = None


SpecialFeePage = page_schema(SpecialFeeOut, "SpecialFeePage", total_amount=TotalAmount)


class PaymentIn(Schema):
    paid_on: datetime.date
    reference: str = Field(..., min_length=1, max_length=100)
    comment: str = Field("", max_length=4000)


def _total_amount(rows) -> Decimal:
    return selectors.totals_of(rows)["amount"]


def _expense(request, pk: int) -> ExpenseRequest:
    return selectors.expense_get_for(user=request.auth, pk=pk)


def _fee(request, pk: int) -> SpecialFee:
    return selectors.special_fee_get_for(user=request.auth, pk=pk)


# --- expense requests -------------------------------------------------------------------------
# Special-fee routes come first: "/fees/..." must not be read as an expense id.


@router.get("/fees", response={200: SpecialFeePage, **ERRORS}, operation_id="special_fee_list")
@policy(*READERS)
def special_fee_list(request, filters: Query[SpecialFeeFilters]):
    """Special fees in the caller's scope, filtered, sorted and paged; ``total_amount`` sums the filtered set."""
    listing = selectors.special_fee_listing(user=request.auth, with_scope_filters=False)
    return listing_page(listing, selectors.special_fee_list(user=request.auth), filters, total_amount=_total_amount)


@router.post("/fees", response={201: SpecialFeeOut, **ERRORS}, operation_id="special_fee_create")
@policy(*RAISERS)
@idempotent(SpecialFeeOut)
def special_fee_create(request, payload: SpecialFeeIn):
    """Propose a special fee for one of the caller's customers (R5). Honours ``Idempotency-Key``."""
    fee = services.special_fee_create(actor=request.auth, **payload.model_dump())
    # a (status, body) tuple: what core.api.idempotent stores and replays
    return Status(201, _fee(request, fee.pk))


@router.get("/fees/{int:fee_id}", response={200: SpecialFeeOut, **ERRORS}, operation_id="special_fee_get")
@policy(*READERS)
def special_fee_get(request, fee_id: int):
    return _fee(request, fee_id)


@router.patch("/fees/{int:fee_id}", response={200: SpecialFeeOut, **ERRORS}, operation_id="special_fee_update")
@policy(*RAISERS)
def special_fee_update(request, fee_id: int, payload: SpecialFeePatch):
    """Edit a draft or rejected fee; ``version`` must be the one read (409 otherwise)."""
    version, fields = versioned_changes(payload)
    fee = services.special_fee_update(fee=_fee(request, fee_id), actor=request.auth, version=version, **fields)
    return _fee(request, fee.pk)


@router.post("/fees/{int:fee_id}/pay", response={200: SpecialFeeOut, **ERRORS}, operation_id="special_fee_pay")
@policy(*PAYERS)
def special_fee_pay(request, fee_id: int, payload: PaymentIn):
    """Finance records the payment of a fee leadership has instructed (R6); 409 before that."""
    fee = services.special_fee_record_payment(fee=_fee(request, fee_id), actor=request.auth, **payload.model_dump())
    return _fee(request, fee.pk)


@router.post(
    "/fees/{int:fee_id}/{action}", response={200: SpecialFeeOut, **ERRORS}, operation_id="special_fee_transition"
)
@policy(*READERS)
def special_fee_transition(
    request,
    fee_id: int,
    action: SPECIAL_FEE_FLOW.action_choices,  # type: ignore[valid-type]
    payload: ActionIn | None = None,
):
    """Take a workflow action; the flow decides whether the caller may (403) and whether it is possible now (409)."""
    comment = payload.comment if payload else ""
    fee = act_on(_fee(request, fee_id), action, actor=request.auth, comment=comment)
    return _fee(request, fee.pk)


@router.get("/", response={200: ExpensePage, **ERRORS}, operation_id="expense_list")
@policy(*READERS)
def expense_list(request, filters: Query[ExpenseFilters]):
    """Expense requests in the caller's scope, filtered, sorted and paged; ``total_amount`` sums the filtered set."""
    listing = selectors.expense_listing(user=request.auth, with_scope_filters=False)
    return listing_page(listing, selectors.expense_list(user=request.auth), filters, total_amount=_total_amount)


@router.post("/", response={201: ExpenseOut, **ERRORS}, operation_id="expense_create")
@policy(*RAISERS)
@idempotent(ExpenseOut)
def expense_create(request, payload: ExpenseIn):
    """Raise an expense request (R3); ``incurred_on`` records one already spent. Honours ``Idempotency-Key``."""
    expense = services.expense_create(actor=request.auth, **payload.model_dump())
    # a (status, body) tuple: what core.api.idempotent stores and replays
    return Status(201, _expense(request, expense.pk))


@router.get("/{int:expense_id}", response={200: ExpenseOut, **ERRORS}, operation_id="expense_get")
@policy(*READERS)
def expense_get(request, expense_id: int):
    return _expense(request, expense_id)


@router.patch("/{int:expense_id}", response={200: ExpenseOut, **ERRORS}, operation_id="expense_update")
@policy(*RAISERS)
def expense_update(request, expense_id: int, payload: ExpensePatch):
    """Edit a draft or rejected request; ``version`` must be the one read (409 otherwise)."""
    version, fields = versioned_changes(payload)
    expense = services.expense_update(
        expense=_expense(request, expense_id), actor=request.auth, version=version, **fields
    )
    return _expense(request, expense.pk)


@router.post("/{int:expense_id}/{action}", response={200: ExpenseOut, **ERRORS}, operation_id="expense_transition")
@policy(*READERS)
def expense_transition(
    request,
    expense_id: int,
    action: EXPENSE_FLOW.action_choices,  # type: ignore[valid-type]
    payload: ActionIn | None = None,
):
    """Take a workflow action; the flow decides whether the caller may (403) and whether it is possible now (409)."""
    comment = payload.comment if payload else ""
    expense = act_on(_expense(request, expense_id), action, actor=request.auth, comment=comment)
    return _expense(request, expense.pk)
