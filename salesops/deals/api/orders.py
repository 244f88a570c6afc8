"""Phone and fax orders (W3.6): an order without a formal contract, executable once confirmed."""

import datetime

from ninja import Field, Query
from ninja.responses import Status

from salesops.core.api import Router, idempotent, listing_page, page_schema, versioned_changes
from salesops.core.policy import policy
from salesops.workflow.registry import act_on

from ..choices import OrderChannel, PhoneOrderState
from ..models import PhoneOrder
from ..permissions import API_READERS, RAISERS
from ..selectors import orders as order_selectors
from ..services import orders as order_services
from ..workflows import PHONE_ORDER_FLOW
from .schemas import TEXT, ActionIn, LineOut, LineSchema, ListFilters, PricedOut, TermsIn, TermsPatch, line_inputs

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


class PhoneOrderPatch(TermsPatch):
    customer_id: int | None = None
    channel: OrderChannel | None = None
    received_on: datetime.date | None = None
    reason_without_contract: str | None = Field(None, min_length=1, max_length=TEXT)


class PhoneOrderFilters(ListFilters):
    state: PhoneOrderState | None = None
    channel: OrderChannel | None = None


PhoneOrderPage = page_schema(PhoneOrderOut, "PhoneOrderPage")


def order_of(request, pk: int) -> PhoneOrder:
    return order_selectors.phone_order_get_for(user=request.auth, pk=pk)


@router.get("/orders", response=PhoneOrderPage, operation_id="phone_order_list")
@policy(*API_READERS)
def phone_order_list(request, filters: Query[PhoneOrderFilters]):
    """Phone and fax orders in the caller's scope, searched, filtered, sorted and paged."""
    return listing_page(
        order_selectors.phone_order_listing(), order_selectors.phone_order_list(user=request.auth), filters
    )


@router.post("/orders", response={201: PhoneOrderDetail}, operation_id="phone_order_create")
@policy(*RAISERS)
@idempotent(PhoneOrderDetail)
def phone_order_create(request, payload: PhoneOrderIn):
    """Record a phone or fax order without a formal contract (W3.6); executable once confirmed."""
    fields = payload.model_dump(exclude={"lines"})
    order = order_services.phone_order_create(actor=request.auth, lines=line_inputs(payload.lines), **fields)
    return Status(201, order_of(request, order.pk))


@router.get("/orders/{int:order_id}", response=PhoneOrderDetail, operation_id="phone_order_get")
@policy(*API_READERS)
def phone_order_get(request, order_id: int):
    return order_of(request, order_id)


@router.patch("/orders/{int:order_id}", response=PhoneOrderDetail, operation_id="phone_order_update")
@policy(*RAISERS)
def phone_order_update(request, order_id: int, payload: PhoneOrderPatch):
    """Edit a draft or rejected order; ``lines``, when given, replace all lines; stale ``version``: 409."""
    version, fields = versioned_changes(payload)
    fields.pop("lines", None)
    order = order_services.phone_order_update(
        actor=request.auth,
        order=order_of(request, order_id),
        version=version,
        lines=line_inputs(payload.lines),
        **fields,
    )
    return order_of(request, order.pk)


@router.post("/orders/{int:order_id}/{action}", response=PhoneOrderDetail, operation_id="phone_order_transition")
@policy(*API_READERS)
def phone_order_transition(
    request,
    order_id: int,
    action: PHONE_ORDER_FLOW.action_choices,  # type: ignore[valid-type]
    payload: ActionIn | None = None,
):
    """Submit, confirm (the manager; leadership too when major), reject or cancel (W3.6)."""
    comment = payload.comment if payload else ""
    order = act_on(order_of(request, order_id), action, actor=request.auth, comment=comment)
    return order_of(request, order.pk)
