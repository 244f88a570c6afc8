"""Payment requests (付款申请表, W5.2-5.4): asked by the salesperson, confirmed by the sales manager
and finance, sent to the customer."""

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from salesops.core.api import Router
from salesops.core.policy import policy
from salesops.workflow.docapi import DocumentApi

from .. import selectors, services
from ..models import PaymentRequestState, SendMethod
from ..permissions import OFFICE, READERS, REQUESTERS
from ..workflows import PAYMENT_REQUEST_FLOW
from .schemas import MAX_LINES, TEXT, CustomerDocOut, DocumentFilters, Id, Money

router = Router()


class PaymentRequestOut(CustomerDocOut):
    pay_by: datetime.date
    note: str
    total_amount: Decimal
    sent_by: str
    sent_to: str
    sent_at: datetime.datetime | None


class PaymentRequestLineOut(Schema):
    id: int
    invoice_id: int | None
    invoice_number: str | None
    order_id: int | None = Field(..., description="An order's prepayment.")
    amount: Decimal
    due_on: datetime.date | None

    @staticmethod
    def resolve_invoice_number(obj: Any) -> str | None:
        return obj.invoice.invoice_number if obj.invoice_id else None


class PaymentRequestDetail(PaymentRequestOut):
    lines: list[PaymentRequestLineOut]


class AskedIn(Schema):
    """One amount asked: on an open invoice (``GET /open-invoices``), or on an order's account."""

    amount: Money
    invoice_id: Id | None = None
    order_id: Id | None = None


def asked_in(rows: list[dict[str, Any]]) -> list[services.Asked]:
    return [services.Asked(**row) for row in rows]


class PaymentRequestIn(Schema):
    customer_id: Id
    pay_by: datetime.date
    lines: list[AskedIn] = Field(..., min_length=1, max_length=MAX_LINES)
    note: str = Field("", max_length=TEXT)


class PaymentRequestFilters(DocumentFilters):
    state: PaymentRequestState | None = None


PAYMENT_REQUEST_API = DocumentApi(
    name="payment_request",
    path="/payment-requests",
    flow=PAYMENT_REQUEST_FLOW,
    get_for=selectors.payment_request_get_for,
    rows=selectors.payment_request_list,
    listing=lambda user: selectors.payment_request_listing(user=user),
    readers=READERS,
    writers=REQUESTERS,
    out=PaymentRequestOut,
    detail=PaymentRequestDetail,
    filters=PaymentRequestFilters,
    create_in=PaymentRequestIn,
    create=services.payment_request_create,
    inputs={"lines": asked_in},
    docs={
        "list": "Payment requests in the caller's scope, searched, filtered, sorted and paged as the list page.",
        "create": "Ask a customer for amounts open on their invoices (W5.2): never more than is open now (422 "
        "naming ``lines.<i>.amount``). Honours ``Idempotency-Key``.",
        "get": "The request with its lines: each invoice, its due date, the amount asked.",
        "transition": "Submit or cancel (the owner, the reason in ``comment``); confirm or return (the sales "
        "manager, then finance, W5.3).",
    },
)
PAYMENT_REQUEST_API.mount(router, actions=False)


class SendIn(Schema):
    method: SendMethod
    sent_to: str = Field(..., max_length=200, description="A name, an e-mail address or a number.")


@router.post(
    "/payment-requests/{int:payment_request_id}/send",
    response=PaymentRequestDetail,
    operation_id="payment_request_send",
)
@policy(*REQUESTERS, *OFFICE)
def payment_request_send(request, payment_request_id: int, payload: SendIn):
    """Record that the confirmed request went to the customer (W5.4): how and to whom (the owner or
    the sales office). 409 before it is confirmed or once sent; 422 naming ``method`` or
    ``sent_to``."""
    done = services.payment_request_send(
        request=PAYMENT_REQUEST_API.load(request, payment_request_id), actor=request.auth, **payload.model_dump()
    )
    return PAYMENT_REQUEST_API.load(request, done.pk)


PAYMENT_REQUEST_API.mount_actions(router)
