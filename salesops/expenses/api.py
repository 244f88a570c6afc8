"""REST API of expense requests (R3), special fees (R5, R6) and dealer collection permits (R2), under
``/api/expenses/``.

Answers: 401 without credentials, 403 for a role that may not call or act, 404 for a
document outside the caller's scope, 409 for a disallowed transition or a stale edit
(with the reason), 422 with ``extra.fields`` for bad input.
"""

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from salesops.core.api import ListQuery, Router
from salesops.core.policy import policy
from salesops.workflow.docapi import DocumentApi, DocumentOut

from . import selectors, services
from .models import (
    CollectionMethod,
    CollectionPermit,
    ExpenseCategory,
    ExpenseRequest,
    ExpenseState,
    PermitState,
    SpecialFee,
    SpecialFeeKind,
    SpecialFeeState,
)
from .permissions import PAYERS, PERMIT_READERS, RAISERS, READERS
from .workflows import EXPENSE_FLOW, PERMIT_FLOW, SPECIAL_FEE_FLOW

router = Router(tags=["expenses"])


# --- schemas ----------------------------------------------------------------------------------

Money = Decimal


class ExpenseOut(DocumentOut):
    category: str
    customer_id: int | None
    customer_name: str | None
    amount: Money
    planned_on: datetime.date
    purpose: str
    incurred_before_approval: bool
    incurred_on: datetime.date | None
    r3_breach_reason: str = Field(..., description="Why it breaches R3 (empty when it does not).")

    @staticmethod
    def resolve_customer_name(obj: ExpenseRequest) -> str | None:
        return obj.customer.name if obj.customer_id else None


class ExpenseIn(Schema):
    category: ExpenseCategory
    amount: Money = Field(..., gt=0, max_digits=14, decimal_places=2)
    planned_on: datetime.date
    purpose: str = Field(..., min_length=1, max_length=2000)
    customer_id: int | None = None
    incurred_on: datetime.date | None = Field(None, description="Set only for an expense already spent (R3 breach).")


class ListFilters(ListQuery):
    state: str | None = None
    owner: int | None = None
    branch: int | None = None


class ExpenseFilters(ListFilters):
    state: ExpenseState | None = None
    category: ExpenseCategory | None = None
    breach: bool | None = Field(None, description="Only those recorded as incurred before approval (R3).")


class SpecialFeeOut(DocumentOut):
    customer_id: int
    customer_name: str
    kind: str
    amount: Money
    reason: str
    paid_on: datetime.date | None
    payment_reference: str
    paid_by_id: int | None

    @staticmethod
    def resolve_customer_name(obj: SpecialFee) -> str:
        return obj.customer.name


class SpecialFeeIn(Schema):
    customer_id: int
    kind: SpecialFeeKind
    amount: Money = Field(..., gt=0, max_digits=14, decimal_places=2)
    reason: str = Field(..., min_length=1, max_length=2000)


class SpecialFeeFilters(ListFilters):
    state: SpecialFeeState | None = None
    kind: SpecialFeeKind | None = None


class PaymentIn(Schema):
    paid_on: datetime.date
    reference: str = Field(..., min_length=1, max_length=100)
    comment: str = Field("", max_length=4000)


# The sum of the amounts over every matching row, all pages.
TotalAmount = Annotated[Money, Field(description="Sum of `amount` over every matching row, all pages.")]


def _total_amount(rows) -> Decimal:
    return selectors.totals_of(rows)["amount"]


# Special-fee routes come first: "/fees/..." must not be read as an expense id.
SPECIAL_FEE_API = DocumentApi(
    name="special_fee",
    path="/fees",
    id_name="fee_id",
    flow=SPECIAL_FEE_FLOW,
    get_for=selectors.special_fee_get_for,
    rows=selectors.special_fee_list,
    listing=lambda user: selectors.special_fee_listing(user=user, with_scope_filters=False),
    readers=READERS,
    writers=RAISERS,
    out=SpecialFeeOut,
    filters=SpecialFeeFilters,
    create_in=SpecialFeeIn,
    create=services.special_fee_create,
    update=services.special_fee_update,
    doc_arg="fee",
    summaries={"total_amount": (TotalAmount, _total_amount)},
    docs={
        "list": "Special fees in the caller's scope, filtered, sorted and paged; ``total_amount`` sums the "
        "filtered set.",
        "create": "Propose a special fee for one of the caller's customers (R5). Honours ``Idempotency-Key``.",
        "update": "Edit a draft or rejected fee; ``version`` must be the one read (409 otherwise).",
    },
)
SPECIAL_FEE_API.mount(router, actions=False)


@router.post("/fees/{int:fee_id}/pay", response=SpecialFeeOut, operation_id="special_fee_pay")
@policy(*PAYERS)
def special_fee_pay(request, fee_id: int, payload: PaymentIn):
    """Finance records the payment of a fee leadership has instructed (R6); 409 before that."""
    fee = SPECIAL_FEE_API.load(request, fee_id)
    fee = services.special_fee_record_payment(fee=fee, actor=request.auth, **payload.model_dump())
    return SPECIAL_FEE_API.load(request, fee.pk)


SPECIAL_FEE_API.mount_actions(router)


class PermitOut(DocumentOut):
    customer_id: int
    customer_name: str
    limit_amount: Money
    method: str
    reason: str
    valid_from: datetime.date
    valid_until: datetime.date
    remit_working_days: int = Field(..., description="Money collected under it is remitted within these working days.")
    approved_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    is_expired: bool = Field(..., description="Approved, and its last valid day has passed.")

    @staticmethod
    def resolve_customer_name(obj: CollectionPermit) -> str:
        return obj.customer.name


class PermitIn(Schema):
    customer_id: int = Field(..., description="One of the caller's dealers.")
    limit_amount: Money = Field(..., gt=0, max_digits=14, decimal_places=2)
    method: CollectionMethod
    reason: str = Field(..., min_length=1, max_length=2000, description="The special case (R2).")
    valid_from: datetime.date = Field(..., description="Today or later.")
    valid_until: datetime.date = Field(..., description="On or after valid_from, within the longest permit.")


class PermitFilters(ListFilters):
    state: PermitState | None = None
    customer: int | None = Field(None, description="The dealer's id.")
    method: CollectionMethod | None = None
    valid_on: datetime.date | None = Field(None, description="Only permits valid on this day.")


def _total_limit(rows) -> Decimal:
    return selectors.permit_totals(rows)["amount"]


PERMIT_API = DocumentApi(
    name="permit",
    path="/permits",
    flow=PERMIT_FLOW,
    get_for=selectors.permit_get_for,
    rows=selectors.permit_list,
    listing=lambda user: selectors.permit_listing(user=user, with_scope_filters=False),
    readers=PERMIT_READERS,
    writers=RAISERS,
    out=PermitOut,
    filters=PermitFilters,
    create_in=PermitIn,
    create=services.permit_create,
    update=services.permit_update,
    doc_arg="permit",
    summaries={
        "total_limit_amount": (
            Annotated[Money, Field(description="Sum of `limit_amount` over every matching row, all pages.")],
            _total_limit,
        )
    },
    docs={
        "list": "Dealer collection permits in the caller's scope, filtered (``valid_on``: valid that day), sorted "
        "and paged.",
        "create": "Ask leave to collect money from one of the caller's dealers (R2). Honours ``Idempotency-Key``.",
        "update": "Edit a draft or rejected permit; ``version`` must be the one read (409 otherwise).",
        "transition": "submit, approve, reject (with a comment), close or cancel; 403 for who may not, 409 when "
        "not possible now.",
    },
)
PERMIT_API.mount(router)

EXPENSE_API = DocumentApi(
    name="expense",
    path="",
    flow=EXPENSE_FLOW,
    get_for=selectors.expense_get_for,
    rows=selectors.expense_list,
    listing=lambda user: selectors.expense_listing(user=user, with_scope_filters=False),
    readers=READERS,
    writers=RAISERS,
    out=ExpenseOut,
    filters=ExpenseFilters,
    create_in=ExpenseIn,
    create=services.expense_create,
    update=services.expense_update,
    doc_arg="expense",
    summaries={"total_amount": (TotalAmount, _total_amount)},
    docs={
        "list": "Expense requests in the caller's scope, filtered, sorted and paged; ``total_amount`` sums the "
        "filtered set.",
        "create": "Raise an expense request (R3); ``incurred_on`` records one already spent. Honours "
        "``Idempotency-Key``.",
        "update": "Edit a draft or rejected request; ``version`` must be the one read (409 otherwise).",
    },
)
EXPENSE_API.mount(router)
