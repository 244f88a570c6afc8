"""Invoice requests (W6.1-6.2) and the 数电 invoices finance records from them (W6.3)."""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Query, Schema, Status

from salesops.core.api import Router, idempotent
from salesops.core.policy import policy
from salesops.fulfilment.services import Pick
from salesops.workflow.docapi import DocumentApi

from .. import selectors, services, taxmath
from ..models import InvoiceKind, InvoiceRequestState, InvoiceState
from ..permissions import FINANCE, READERS, REQUESTERS
from ..selectors.open_items import allocations_of, invoicing_lines
from ..workflows import INVOICE_FLOW, INVOICE_REQUEST_FLOW
from .schemas import MAX_LINES, AllocationOut, CustomerDocOut, DocumentFilters, Id, number_of

router = Router()

Quantity = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=3)]


class ProductFields(Schema):
    product_id: int
    product_code: str
    product_name: str
    product_model: str
    product_specification: str
    unit: str

    @staticmethod
    def resolve_product_code(obj: Any) -> str:
        return obj.product.code

    @staticmethod
    def resolve_product_name(obj: Any) -> str:
        return obj.product.name

    @staticmethod
    def resolve_product_model(obj: Any) -> str:
        return obj.product.model

    @staticmethod
    def resolve_product_specification(obj: Any) -> str:
        return obj.product.specification

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return obj.product.unit


class InvoicingLineOut(ProductFields):
    """A sold line as invoicing counts it."""

    line_id: int = Field(..., description="The contract's or order's line id: what a request's lines name.")
    quantity: Decimal = Field(..., description="Sold.")
    unit_price: Decimal = Field(..., description="The sale's unit price, tax included.")
    delivered: Decimal
    returned: Decimal
    invoiced: Decimal = Field(..., description="On invoice requests.")
    open_quantity: Decimal = Field(..., description="Delivered, not returned, not yet on a request.")
    open_in_advance: Decimal = Field(..., description="What an advance invoice (预开票) may still take.")

    @staticmethod
    def resolve_line_id(obj: Any) -> int:
        return obj.source_line_id

    @staticmethod
    def resolve_open_quantity(obj: Any) -> Decimal:
        return obj.invoiceable

    @staticmethod
    def resolve_open_in_advance(obj: Any) -> Decimal:
        return max(obj.quantity - obj.returned - obj.invoiced, Decimal("0"))


class SourceQuery(Schema):
    contract_id: Id | None = Field(None, description="A signed contract.")
    phone_order_id: Id | None = Field(None, description="Or a confirmed phone or fax order.")


@router.get("/invoicing-lines", response=list[InvoicingLineOut], operation_id="invoicing_line_list")
@policy(*READERS)
def invoicing_line_list(request, source: Query[SourceQuery]):
    """What a new invoice request may bill from a signed contract or a confirmed phone order (one
    of ``contract_id`` and ``phone_order_id``): each line's quantity, delivered, returned and
    invoiced. 404 for a contract outside the caller's scope, 409 for one not signed."""
    return invoicing_lines(user=request.auth, **source.model_dump())


class InvoiceRequestOut(CustomerDocOut):
    contract_id: int | None
    contract_number: str | None
    phone_order_id: int | None
    phone_order_number: str | None
    kind: str
    advance: bool = Field(..., description="An advance invoice (预开票), before delivery.")
    remark: str
    total_amount: Decimal
    buyer_title: str
    buyer_tax_id: str
    buyer_address_phone: str
    buyer_bank_account: str
    buyer_email: str
    buyer_phone: str
    archived_at: datetime.datetime | None

    @staticmethod
    def resolve_contract_number(obj: Any) -> str | None:
        return number_of(obj.contract)

    @staticmethod
    def resolve_phone_order_number(obj: Any) -> str | None:
        return number_of(obj.phone_order)


class InvoiceRequestLineOut(ProductFields):
    id: int
    line_id: int = Field(..., description="The contract's or order's line it bills.")
    quantity: Decimal
    unit_price: Decimal = Field(..., description="Tax included.")
    amount: Decimal = Field(..., description="Tax included.")
    tax_rate: Decimal

    @staticmethod
    def resolve_line_id(obj: Any) -> int:
        return obj.order_line.source_line_id


class InvoiceRequestDetail(InvoiceRequestOut):
    lines: list[InvoiceRequestLineOut]


class PickIn(Schema):
    line_id: Id = Field(..., description="A line of the contract or order (``GET /invoicing-lines``).")
    quantity: Quantity


class InvoiceRequestIn(Schema):
    contract_id: Id | None = Field(None, description="A signed contract (or ``phone_order_id``).")
    phone_order_id: Id | None = Field(None, description="A confirmed phone or fax order (or ``contract_id``).")
    lines: list[PickIn] | None = Field(
        None, min_length=1, max_length=MAX_LINES, description="Omitted: all delivered and not yet invoiced."
    )
    kind: InvoiceKind | None = Field(None, description="Default: special when the customer has a tax ID.")
    advance: bool = False
    remark: str = Field("", max_length=200, description="Printed on the invoice.")


def picks_in(rows: list[dict[str, Any]]) -> list[Pick]:
    return [Pick(row["line_id"], row["quantity"]) for row in rows]


class InvoiceRequestFilters(DocumentFilters):
    state: InvoiceRequestState | None = None
    kind: InvoiceKind | None = None
    advance: bool | None = None


INVOICE_REQUEST_API = DocumentApi(
    name="invoice_request",
    path="/invoice-requests",
    flow=INVOICE_REQUEST_FLOW,
    get_for=selectors.invoice_request_get_for,
    rows=selectors.invoice_request_list,
    listing=lambda user: selectors.invoice_request_listing(user=user),
    readers=READERS,
    writers=REQUESTERS,
    out=InvoiceRequestOut,
    detail=InvoiceRequestDetail,
    filters=InvoiceRequestFilters,
    create_in=InvoiceRequestIn,
    create=services.invoice_request_create,
    inputs={"lines": picks_in},
    docs={
        "list": "Invoice requests in the caller's scope (finance and the sales office see all), searched, filtered, "
        "sorted and paged as the list page.",
        "create": "Raise a draft invoice request from a signed contract or a confirmed phone order (W6.1): what was "
        "delivered and not yet invoiced, or, with ``advance``, what was sold (422 naming ``lines.<i>.quantity``). "
        "Honours ``Idempotency-Key``.",
        "get": "The request with its lines, at the sale's prices including tax.",
        "transition": "Submit (the owner), approve or return (the sales manager, W6.2), archive (the sales office, "
        "R10) or cancel (the reason in ``comment``; its quantities are open for invoicing again).",
    },
)
INVOICE_REQUEST_API.mount(router, actions=False)


class TaxedLineIn(Schema):
    """A line as the platform's file gives it (amounts excluding tax, the tax apart)."""

    quantity: Decimal | None = Field(None, max_digits=14, decimal_places=3)
    unit_price: Decimal | None = Field(None, max_digits=24, decimal_places=8)
    amount: Decimal = Field(..., max_digits=14, decimal_places=2)
    tax_rate: Decimal = Field(..., ge=0, le=1, max_digits=5, decimal_places=4)
    tax: Decimal = Field(..., max_digits=14, decimal_places=2)


class InvoiceRecordIn(Schema):
    invoice_number: str = Field(..., max_length=40, description="The 20 digits the platform gave.")
    issued_on: datetime.date
    lines: list[TaxedLineIn] | None = Field(
        None, min_length=1, max_length=MAX_LINES, description="As issued, one per request line; omitted: computed."
    )


class BalanceOut(Schema):
    total: Decimal
    reversed: Decimal = Field(..., description="Red-invoiced.")
    paid: Decimal
    open_amount: Decimal

    @staticmethod
    def resolve_paid(obj: Any) -> Decimal:
        return obj.allocated


class InvoiceOut(CustomerDocOut):
    request_id: int | None
    request_number: str | None
    red_of_id: int | None = Field(..., description="A red invoice: the blue one it reverses.")
    kind: str
    invoice_number: str
    issued_on: datetime.date
    due_on: datetime.date
    seller_title: str
    seller_tax_id: str
    buyer_title: str
    buyer_tax_id: str
    remark: str
    total_net: Decimal
    total_tax: Decimal
    total_amount: Decimal
    use_confirmed: bool
    recorded_by_id: int
    balance: BalanceOut | None = Field(..., description="A blue invoice's total, red-invoiced, paid and open.")

    @staticmethod
    def resolve_request_number(obj: Any) -> str | None:
        return number_of(obj.request)

    @staticmethod
    def resolve_balance(obj: Any) -> Any:
        return None if obj.is_red else obj.balance


class InvoiceLineOut(Schema):
    id: int
    name: str = Field(..., description="项目名称: *简称*名称 as printed.")
    tax_code: str
    specification: str
    unit: str
    quantity: Decimal | None
    unit_price: Decimal | None = Field(..., description="Excluding tax.")
    amount: Decimal = Field(..., description="Excluding tax.")
    tax_rate: Decimal
    tax: Decimal


class DispatchOut(Schema):
    method: str
    sent_to: str
    sent_at: datetime.datetime
    signed_by: str


class InvoiceDetail(InvoiceOut):
    lines: list[InvoiceLineOut]
    allocations: list[AllocationOut]
    dispatches: list[DispatchOut]

    @staticmethod
    def resolve_allocations(obj: Any) -> list[Any]:
        return [] if obj.is_red else allocations_of(invoice=obj)

    @staticmethod
    def resolve_dispatches(obj: Any) -> list[Any]:
        return list(obj.dispatches.order_by("sent_at", "pk"))


class InvoiceFilters(DocumentFilters):
    state: InvoiceState | None = None
    kind: InvoiceKind | None = None


INVOICE_API = DocumentApi(
    name="invoice",
    path="/invoices",
    flow=INVOICE_FLOW,
    get_for=selectors.invoice_get_for,
    rows=selectors.invoice_list,
    listing=lambda user: selectors.invoice_listing(user=user),
    readers=READERS,
    out=InvoiceOut,
    detail=InvoiceDetail,
    filters=InvoiceFilters,
    docs={
        "list": "数电 invoices in the caller's scope (a salesperson's own customers'), with each one's balance, "
        "searched, filtered, sorted and paged as the list page.",
        "get": "The invoice with its lines as printed, its balance, its allocations (reversed ones too) and where "
        "it was sent (R9).",
        "transition": "Finance records that the buyer confirmed the invoice's use (用途确认).",
    },
)
INVOICE_API.mount(router)


@router.post(
    "/invoice-requests/{int:invoice_request_id}/invoice", response={201: InvoiceDetail}, operation_id="invoice_record"
)
@policy(*FINANCE)
@idempotent(InvoiceDetail)
def invoice_record(request, invoice_request_id: int, payload: InvoiceRecordIn):
    """Finance records the invoice the platform issued for a reviewed request (W6.3): its 20-digit
    number (its first two digits the issue year) and the day; the lines computed from the request,
    or as the platform's file gives them (within the bureau's tolerances, 422 naming
    ``lines.<i>.tax``). 409 for a request not waiting for its invoice. Honours ``Idempotency-Key``."""
    lines = None
    if payload.lines is not None:
        lines = [taxmath.TaxedLine(**line.model_dump()) for line in payload.lines]
    invoice = services.invoice_record(
        actor=request.auth,
        request=INVOICE_REQUEST_API.load(request, invoice_request_id),
        invoice_number=payload.invoice_number,
        issued_on=payload.issued_on,
        lines=lines,
    )
    return Status(201, INVOICE_API.load(request, invoice.pk))


INVOICE_REQUEST_API.mount_actions(router)
