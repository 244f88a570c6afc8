"""Goods requisitions (W4.1-4.3) and the sold lines they take from."""

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Query, Schema

from salesops.core.api import Router
from salesops.core.policy import policy
from salesops.workflow.docapi import DocumentApi

from .. import selectors, services
from ..models import RequisitionState
from ..permissions import OFFICE, REQUESTERS
from ..workflows import REQUISITION_FLOW
from .schemas import (
    READERS,
    TEXT,
    CustomerDocOut,
    DocumentFilters,
    Id,
    PickIn,
    ProductFields,
    ProductLineOut,
    lines_field,
    number_of,
    picks_in,
)

router = Router()


class SoldLineOut(ProductFields):
    """A line of a signed contract or confirmed phone order, as delivery counts it (no price)."""

    line_id: int = Field(..., description="The contract's or order's line id: what a requisition's lines name.")
    quantity: Decimal = Field(..., description="Sold.")
    requested: Decimal = Field(..., description="On requisitions.")
    delivered: Decimal = Field(..., description="Shipped.")
    returned: Decimal = Field(..., description="Brought back by red notes.")
    open_quantity: Decimal = Field(..., description="Still free for a new requisition.")

    @staticmethod
    def resolve_line_id(obj: Any) -> int:
        return obj.source_line_id


class SoldLinesQuery(Schema):
    contract_id: int | None = Field(None, ge=1, le=2**63 - 1, description="A signed contract.")
    phone_order_id: int | None = Field(None, ge=1, le=2**63 - 1, description="Or a confirmed phone or fax order.")


@router.get("/sold-lines", response=list[SoldLineOut], operation_id="sold_line_list")
@policy(*REQUESTERS, *OFFICE)
def sold_line_list(request, source: Query[SoldLinesQuery]):
    """What a new requisition may take from a signed contract or a confirmed phone order (one of
    ``contract_id`` and ``phone_order_id``): each line's quantity and how much is requested,
    delivered and returned. 404 for a contract outside the caller's scope, 409 for one not signed."""
    return selectors.open_sold_lines(user=request.auth, **source.model_dump())


class RequisitionOut(CustomerDocOut):
    contract_id: int | None
    contract_number: str | None
    phone_order_id: int | None
    phone_order_number: str | None
    warehouse_id: int
    warehouse_name: str
    from_branch: bool
    wanted_on: datetime.date | None
    address: str
    consignee: str
    consignee_phone: str
    note: str
    ship_by: datetime.date | None = Field(..., description="R7: the first working day after signing.")
    ship_by_provisional: bool
    approved_at: datetime.datetime | None
    archived_at: datetime.datetime | None

    @staticmethod
    def resolve_contract_number(obj: Any) -> str | None:
        return number_of(obj.contract)

    @staticmethod
    def resolve_phone_order_number(obj: Any) -> str | None:
        return number_of(obj.phone_order)

    @staticmethod
    def resolve_warehouse_name(obj: Any) -> str:
        return obj.warehouse.name


class RequisitionLineOut(ProductLineOut):
    line_id: int = Field(..., description="The contract's or order's line it takes from.")
    quantity: Decimal = Field(..., description="Requested.")
    noted: Decimal = Field(..., description="On delivery notes.")
    open_quantity: Decimal = Field(..., description="Not yet on a delivery note.")

    @staticmethod
    def resolve_line_id(obj: Any) -> int:
        return obj.order_line.source_line_id

    @staticmethod
    def resolve_open_quantity(obj: Any) -> Decimal:
        return obj.quantity - obj.noted


class RequisitionDetail(RequisitionOut):
    lines: list[RequisitionLineOut]


class RequisitionIn(Schema):
    contract_id: Id | None = Field(None, description="A signed contract (or ``phone_order_id``).")
    phone_order_id: Id | None = Field(None, description="A confirmed phone or fax order (or ``contract_id``).")
    warehouse_id: Id
    address: str = Field(..., min_length=1, max_length=300)
    consignee: str = Field(..., min_length=1, max_length=60)
    consignee_phone: str = Field(..., min_length=1, max_length=30)
    wanted_on: datetime.date | None = None
    note: str = Field("", max_length=TEXT)
    lines: list[PickIn] | None = lines_field("contract or order (``GET /sold-lines``: ``line_id``)")


class RequisitionFilters(DocumentFilters):
    state: RequisitionState | None = None


REQUISITION_API = DocumentApi(
    name="requisition",
    path="/requisitions",
    flow=REQUISITION_FLOW,
    get_for=selectors.requisition_get_for,
    rows=selectors.requisition_list,
    listing=lambda user: selectors.requisition_listing(user=user),
    readers=READERS,
    writers=REQUESTERS,
    out=RequisitionOut,
    detail=RequisitionDetail,
    filters=RequisitionFilters,
    create_in=RequisitionIn,
    create=services.requisition_create,
    inputs={"lines": picks_in},
    docs={
        "list": "Goods requisitions in the caller's scope, searched, filtered, sorted and paged as the list page.",
        "create": "Raise a draft requisition from a signed contract or a confirmed phone order (W4.1), whole or in "
        "part: never more than a line still has open (422 naming ``lines.<i>.quantity``). Honours "
        "``Idempotency-Key``.",
        "get": "The requisition with its lines: requested, on delivery notes, still open.",
        "transition": "Submit (the owner), approve or return (whoever the approval chain waits for: a branch's "
        "branch manager, then the sales manager, W4.2-4.3), archive (the sales office, R10) or cancel (with the "
        "reason in ``comment``).",
    },
)
REQUISITION_API.mount(router)
