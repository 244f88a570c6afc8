"""Phone and fax orders (W3.6): an order without a formal contract, executable once confirmed."""

import datetime

from ninja import Field

from salesops.core.api import Router
from salesops.workflow.docapi import DocumentApi

from ..choices import OrderChannel, PhoneOrderState
from ..permissions import API_READERS, RAISERS
from ..selectors import orders as order_selectors
from ..services import orders as order_services
from ..workflows import PHONE_ORDER_FLOW
from .schemas import TEXT, LineOut, LineSchema, ListFilters, PricedOut, TermsIn, lines_in

router = Router()


class PhoneOrderOut(PricedOut):
    channel: str
    received_on: datetime.date
    reason_without_contract: str


class PhoneOrderDetail(PhoneOrderOut):
    lines: list[LineOut]


class PhoneOrderIn(TermsIn):
    customer_id: int
    channel: OrderChannel
    received_on: datetime.date
    reason_without_contract: str = Field(..., min_length=1, max_length=TEXT)
    lines: list[LineSchema] = Field(..., min_length=1)


class PhoneOrderFilters(ListFilters):
    state: PhoneOrderState | None = None
    channel: OrderChannel | None = None


PHONE_ORDER_API = DocumentApi(
    name="phone_order",
    path="/orders",
    id_name="order_id",
    flow=PHONE_ORDER_FLOW,
    get_for=order_selectors.phone_order_get_for,
    rows=order_selectors.phone_order_list,
    listing=lambda user: order_selectors.phone_order_listing(),
    readers=API_READERS,
    writers=RAISERS,
    out=PhoneOrderOut,
    detail=PhoneOrderDetail,
    filters=PhoneOrderFilters,
    create_in=PhoneOrderIn,
    create=order_services.phone_order_create,
    update=order_services.phone_order_update,
    doc_arg="order",
    inputs={"lines": lines_in},
    docs={
        "list": "Phone and fax orders in the caller's scope, searched, filtered, sorted and paged.",
        "create": "Record a phone or fax order without a formal contract (W3.6); executable once confirmed.",
        "update": "Edit a draft or rejected order; ``lines``, when given, replace all lines; stale ``version``: 409.",
        "transition": "Submit, confirm (the manager; leadership too when major), reject or cancel (W3.6).",
    },
)
PHONE_ORDER_API.mount(router)
