"""The warehouse's outbounds (W4.5): what left against a delivery note, how and with whom."""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from salesops.core.api import Router
from salesops.workflow.docapi import DocumentApi

from .. import selectors, services
from ..models import FreightPayer, Outbound, OutboundState, ShippingMethod
from ..permissions import WAREHOUSE
from ..services.shipping import MAX_TRACKING
from ..workflows import OUTBOUND_FLOW
from .schemas import READERS, TEXT, CustomerDocOut, DocumentFilters, Id, PickIn, ProductLineOut, lines_field, picks_in

router = Router()


class OutboundOut(CustomerDocOut):
    note_id: int
    note_number: str
    warehouse_id: int
    warehouse_name: str
    shipped_on: datetime.date
    method: str
    carrier: str
    tracking_numbers: list[str]
    consignee_phone: str
    vehicle: str
    driver: str
    freight_payer: str
    packages: int
    weight_kg: Decimal | None
    short_reason: str = Field(..., description="Why less than the note left (the rest stays open).")
    booked_by_id: int

    @staticmethod
    def resolve_note_number(obj: Any) -> str:
        return obj.note.number

    @staticmethod
    def resolve_warehouse_name(obj: Any) -> str:
        return obj.warehouse.name


class OutboundLineOut(ProductLineOut):
    note_line_id: int
    quantity: Decimal = Field(..., description="Shipped.")
    claimed: Decimal = Field(..., description="Claimed by return requests (returned included).")
    returned: Decimal = Field(..., description="Back in stock through red notes.")
    returnable: Decimal = Field(..., description="What a new return request may still claim.")

    @staticmethod
    def resolve_returnable(obj: Any) -> Decimal:
        return obj.quantity - obj.claimed


class OutboundDetail(OutboundOut):
    lines: list[OutboundLineOut]


class OutboundIn(Schema):
    note_id: Id
    method: ShippingMethod
    consignee_phone: str = Field(..., min_length=1, max_length=30)
    freight_payer: FreightPayer
    shipped_on: datetime.date | None = Field(None, description="Default: today.")
    carrier: str = Field("", max_length=100, description="Required for a courier or a freight carrier.")
    tracking_numbers: list[Annotated[str, Field(max_length=40)]] = Field(
        default_factory=list, max_length=MAX_TRACKING, description="At least one for a courier or a freight carrier."
    )
    vehicle: str = Field("", max_length=20, description="Required for the company's own vehicle.")
    driver: str = Field("", max_length=60, description="Required for the company's own vehicle.")
    packages: int = Field(1, ge=1, le=100000)
    weight_kg: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    lines: list[PickIn] | None = lines_field("delivery note")
    short_reason: str = Field("", max_length=TEXT, description="Required when less than the note leaves.")


class OutboundFilters(DocumentFilters):
    state: OutboundState | None = None


def _book(*, actor, note_id: int, lines, short_reason: str, **shipment: Any) -> Outbound:
    return services.outbound_book(
        actor=actor, note_id=note_id, shipment=services.Shipment(**shipment), lines=lines, short_reason=short_reason
    )


OUTBOUND_API = DocumentApi(
    name="outbound",
    path="/outbounds",
    flow=OUTBOUND_FLOW,
    get_for=selectors.outbound_get_for,
    rows=selectors.outbound_list,
    listing=lambda user: selectors.outbound_listing(user=user),
    readers=READERS,
    writers=WAREHOUSE,
    out=OutboundOut,
    detail=OutboundDetail,
    filters=OutboundFilters,
    create_in=OutboundIn,
    create=_book,
    inputs={"lines": picks_in},
    docs={
        "list": "Outbounds in the caller's scope, searched, filtered, sorted and paged as the list page.",
        "create": "The warehouse books what left against a delivery note (W4.5), taking it out of stock: never more "
        "than the note has open nor than is on hand (422 naming ``lines.<i>.quantity``); less leaves the rest open "
        "and needs ``short_reason``. Honours ``Idempotency-Key``.",
        "get": "The outbound with its lines: shipped, claimed for return, returned.",
    },
)
# The outbound's one step, the customer's confirmation, is recorded by POST /confirmations.
OUTBOUND_API.mount(router, actions=False)
