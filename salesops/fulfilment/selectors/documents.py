"""Reads of the delivery documents, each scoped by ``visible_to(user)``: the salesperson sees their
own, a manager their department or branch, the sales office and the warehouse every delivery
document (quantities and customers only: no document here carries a price).

Each type's list, get and listing (search, filters, sort) come from one declaration
(``DocumentReads``), the same for the page, the export and the API.
"""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy

from salesops.core.listing import Filter
from salesops.workflow.reads import BASE_SEARCH, DocumentReads

from ..models import (
    Confirmation,
    ConfirmationState,
    DelayState,
    DeliveryNote,
    NoteState,
    Outbound,
    OutboundState,
    RedNote,
    RedNoteState,
    Requisition,
    RequisitionState,
    ReturnKind,
    ReturnRequest,
    ReturnState,
    ShipmentDelay,
)

REQUISITIONS = DocumentReads(
    Requisition,
    gettext_lazy("Goods requisition not found."),
    related=("owner", "branch", "customer", "contract", "phone_order", "warehouse"),
    line_related=("product", "order_line"),
    search_fields=(*BASE_SEARCH, "contract__number", "phone_order__number", "consignee"),
    states=list(RequisitionState.choices),
)
NOTES = DocumentReads(
    DeliveryNote,
    gettext_lazy("Delivery note not found."),
    related=("owner", "branch", "customer", "warehouse", "requisition", "return_request", "issued_by", "replaces"),
    line_related=("product", "requisition_line"),
    search_fields=(*BASE_SEARCH, "requisition__number", "consignee", "address"),
    states=list(NoteState.choices),
)
OUTBOUNDS = DocumentReads(
    Outbound,
    gettext_lazy("Outbound not found."),
    related=("owner", "branch", "customer", "warehouse", "note", "booked_by"),
    line_related=("product", "note_line"),
    search_fields=(*BASE_SEARCH, "note__number", "carrier"),
    states=list(OutboundState.choices),
)
CONFIRMATIONS = DocumentReads(
    Confirmation,
    gettext_lazy("Customer confirmation not found."),
    related=("owner", "branch", "customer", "outbound"),
    line_related=("product", "outbound_line"),
    search_fields=(*BASE_SEARCH, "outbound__number", "signed_by"),
    states=list(ConfirmationState.choices),
)
RETURNS = DocumentReads(
    ReturnRequest,
    gettext_lazy("Return request not found."),
    related=("owner", "branch", "customer", "confirmation", "verified_by"),
    line_related=("product", "outbound_line__outbound"),
    search_fields=(*BASE_SEARCH, "reason"),
    states=list(ReturnState.choices),
    filters=(Filter("kind", "kind", gettext_lazy("Kind"), list(ReturnKind.choices)),),
)
RED_NOTES = DocumentReads(
    RedNote,
    gettext_lazy("Red note not found."),
    related=("owner", "branch", "customer", "warehouse", "return_request", "issued_by"),
    line_related=("product", "outbound_line__outbound", "outbound_line__note_line__note"),
    search_fields=(*BASE_SEARCH, "return_request__number"),
    states=list(RedNoteState.choices),
)
DELAYS = DocumentReads(
    ShipmentDelay,
    gettext_lazy("Shipment delay not found."),
    related=("owner", "branch", "contract", "contract__customer"),
    lines="",
    search_fields=("number", "contract__number", "contract__customer__name", "owner__username", "detail"),
    states=list(DelayState.choices),
    customer_name="contract__customer__name",
)


def _named(reads: DocumentReads) -> tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]]:
    return reads.list, reads.get_for, reads.listing


requisition_list, requisition_get_for, requisition_listing = _named(REQUISITIONS)
note_list, note_get_for, note_listing = _named(NOTES)
outbound_list, outbound_get_for, outbound_listing = _named(OUTBOUNDS)
confirmation_list, confirmation_get_for, confirmation_listing = _named(CONFIRMATIONS)
return_list, return_get_for, return_listing = _named(RETURNS)
red_note_list, red_note_get_for, red_note_listing = _named(RED_NOTES)
delay_list, delay_get_for, delay_listing = _named(DELAYS)


def open_sold_lines(*, user, contract_id: int | None = None, phone_order_id: int | None = None) -> list[Any]:
    """What a new requisition may take: each sold line of a signed contract or confirmed phone order
    with its quantity, requested, delivered and returned (made the first time it is asked)."""
    from ..services.requisitions import deliverable_source, sold_lines

    return sold_lines(deliverable_source(user, contract_id, phone_order_id))
