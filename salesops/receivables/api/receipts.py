"""Receipts (W5.5), their allocation to invoices or orders and its reversal, and a customer's open
invoices (what a receipt is allocated to and a payment request asks for)."""

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Schema

from salesops.core.api import Router
from salesops.core.errors import InvalidInput
from salesops.core.policy import policy
from salesops.org.models import User
from salesops.org.roles import Role
from salesops.workflow.docapi import DocumentApi

from .. import selectors, services
from ..models import ReceiptMethod, ReceiptState
from ..permissions import FINANCE, READERS
from ..selectors.open_items import allocations_of, open_invoices
from ..workflows import RECEIPT_FLOW
from .schemas import MAX_LINES, AllocationOut, CustomerDocOut, DocumentFilters, Id, Money

router = Router()


class OpenInvoiceOut(Schema):
    invoice_id: int
    number: str
    invoice_number: str
    issued_on: datetime.date
    due_on: datetime.date
    total: Decimal
    reversed: Decimal = Field(..., description="Red-invoiced.")
    paid: Decimal
    open_amount: Decimal

    @staticmethod
    def resolve_number(obj: Any) -> str:
        return obj.invoice.number

    @staticmethod
    def resolve_invoice_number(obj: Any) -> str:
        return obj.invoice.invoice_number

    @staticmethod
    def resolve_issued_on(obj: Any) -> datetime.date:
        return obj.invoice.issued_on

    @staticmethod
    def resolve_due_on(obj: Any) -> datetime.date:
        return obj.invoice.due_on

    @staticmethod
    def resolve_paid(obj: Any) -> Decimal:
        return obj.allocated


class CustomerQuery(Schema):
    customer_id: Id


@router.get("/open-invoices", response=list[OpenInvoiceOut], operation_id="open_invoice_list")
@policy(*READERS)
def open_invoice_list(request, query: Query[CustomerQuery]):
    """A customer's invoices with something open, earliest due first (at most 200): what finance
    allocates to and a payment request asks for. 404 for a customer outside the caller's scope."""
    return open_invoices(user=request.auth, customer_id=query.customer_id)


class ReceiptOut(CustomerDocOut):
    received_on: datetime.date
    method: str
    amount: Decimal
    payer: str
    reference: str
    note: str
    collected_by_id: int | None = Field(..., description="R2: the salesperson who collected it.")
    collected_on: datetime.date | None
    recorded_by_id: int
    allocated: Decimal
    unallocated: Decimal = Field(..., description="The customer's credit, to allocate.")
    void_reason: str

    @staticmethod
    def resolve_allocated(obj: Any) -> Decimal:
        return obj.balance.allocated

    @staticmethod
    def resolve_unallocated(obj: Any) -> Decimal:
        return obj.balance.unallocated


class ReceiptDetail(ReceiptOut):
    allocations: list[AllocationOut]

    @staticmethod
    def resolve_allocations(obj: Any) -> list[Any]:
        return allocations_of(receipt=obj)


class TargetIn(Schema):
    """Where part of a receipt goes: one invoice, or one contract or phone order (a prepayment)."""

    amount: Money
    invoice_id: Id | None = None
    contract_id: Id | None = None
    phone_order_id: Id | None = None


def targets_in(value: Any) -> Any:
    """``"oldest"``, ``"none"`` or the targets as the service takes them."""
    if isinstance(value, str):
        return value
    return [services.Target(**row) for row in value]


def collector_in(value: int) -> int:
    """R2: the person named as having collected the money is an active salesperson (an unknown id
    is a 422 naming the field, as the form's choice of salespeople is)."""
    if not User.objects.filter(pk=value, is_active=True, role_links__role=Role.SALESPERSON).exists():
        message = _("Choose an active salesperson.")
        raise InvalidInput(message, fields={"collected_by_id": [message]})
    return value


class ReceiptIn(Schema):
    customer_id: Id
    received_on: datetime.date
    method: ReceiptMethod
    amount: Money
    payer: str = Field("", max_length=200)
    reference: str = Field("", max_length=100)
    note: str = Field("", max_length=300)
    collected_by_id: Id | None = Field(None, description="R2: money a salesperson collected (with ``collected_on``).")
    collected_on: datetime.date | None = None
    allocate: Literal["oldest", "none"] | list[TargetIn] = Field(
        "oldest", description="Oldest open invoice first, none (left unallocated), or the targets chosen."
    )


class ReceiptFilters(DocumentFilters):
    state: ReceiptState | None = None
    method: ReceiptMethod | None = None


RECEIPT_API = DocumentApi(
    name="receipt",
    path="/receipts",
    flow=RECEIPT_FLOW,
    get_for=selectors.receipt_get_for,
    rows=selectors.receipt_list,
    listing=lambda user: selectors.receipt_listing(user=user),
    readers=READERS,
    writers=FINANCE,
    out=ReceiptOut,
    detail=ReceiptDetail,
    filters=ReceiptFilters,
    create_in=ReceiptIn,
    create=services.receipt_record,
    inputs={"allocate": targets_in, "collected_by_id": collector_in},
    docs={
        "list": "Receipts in the caller's scope (a salesperson's own customers'), searched, filtered, sorted and "
        "paged as the list page.",
        "create": "Finance records money received (W5.5), allocated oldest invoice first, left unallocated, or "
        "to the targets given (422 naming ``targets.<i>.amount`` above what is open). Honours ``Idempotency-Key``.",
        "get": "The receipt with what is allocated and left, and each allocation (reversed ones too).",
        "transition": "Finance voids a receipt recorded in error, nothing of it allocated (the reason in ``comment``).",
    },
)
RECEIPT_API.mount(router, actions=False)


class AllocateIn(Schema):
    targets: list[TargetIn] | None = Field(
        None, min_length=1, max_length=MAX_LINES, description="Omitted: the open invoices, oldest first."
    )


@router.post("/receipts/{int:receipt_id}/allocate", response=ReceiptDetail, operation_id="receipt_allocate")
@policy(*FINANCE)
def receipt_allocate(request, receipt_id: int, payload: AllocateIn):
    """Allocate what is left of a receipt: to the customer's open invoices oldest first, or to the
    targets given. 422 naming ``targets.<i>.amount`` for more than an invoice has open, or
    ``targets`` for more than the receipt has left."""
    receipt = RECEIPT_API.load(request, receipt_id)
    targets = None if payload.targets is None else targets_in([t.model_dump() for t in payload.targets])
    services.receipt_allocate(actor=request.auth, receipt=receipt, targets=targets)
    return RECEIPT_API.load(request, receipt.pk)


class ReverseIn(Schema):
    reason: str = Field(..., max_length=300, description="Why the allocation was wrong (kept with it).")


@router.post("/allocations/{int:allocation_id}/reverse", response=ReceiptDetail, operation_id="allocation_reverse")
@policy(*FINANCE)
def allocation_reverse(request, allocation_id: int, payload: ReverseIn):
    """Undo an allocation with the reason (it stays, struck through): its amount is open again on the
    invoice or order and unallocated on the receipt. 404 out of scope, 409 when already reversed,
    422 without a reason. Answers the receipt."""
    allocation = services.allocation_reverse(actor=request.auth, allocation_id=allocation_id, reason=payload.reason)
    return RECEIPT_API.load(request, allocation.receipt_id)


RECEIPT_API.mount_actions(router)
