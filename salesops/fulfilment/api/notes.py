"""Sales delivery notes (W4.4, R8): issued by the sales office, voided and reissued, closed short."""

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema, Status

from salesops.core.api import Router, idempotent
from salesops.core.policy import policy
from salesops.workflow.docapi import DocumentApi

from .. import selectors, services
from ..models import NoteState
from ..permissions import OFFICE
from ..workflows import NOTE_FLOW
from .schemas import (
    READERS,
    TEXT,
    CustomerDocOut,
    DocumentFilters,
    Id,
    PickIn,
    ProductLineOut,
    lines_field,
    number_of,
    picks_in,
)

router = Router()


class NoteOut(CustomerDocOut):
    requisition_id: int | None
    requisition_number: str | None
    return_request_id: int | None = Field(..., description="The exchange this note sends new goods for.")
    return_request_number: str | None
    warehouse_id: int
    warehouse_name: str
    address: str
    consignee: str
    consignee_phone: str
    ship_by: datetime.date | None
    note: str
    issued_by_id: int
    replaces_id: int | None = Field(..., description="The voided note this one corrects (R8).")
    replaces_number: str | None
    close_reason: str
    void_reason: str

    @staticmethod
    def resolve_requisition_number(obj: Any) -> str | None:
        return number_of(obj.requisition)

    @staticmethod
    def resolve_return_request_number(obj: Any) -> str | None:
        return number_of(obj.return_request)

    @staticmethod
    def resolve_warehouse_name(obj: Any) -> str:
        return obj.warehouse.name

    @staticmethod
    def resolve_replaces_number(obj: Any) -> str | None:
        return number_of(obj.replaces)


class NoteLineOut(ProductLineOut):
    requisition_line_id: int | None
    return_line_id: int | None
    quantity: Decimal
    shipped: Decimal
    closed: Decimal = Field(..., description="Closed short: will not ship on this note.")
    open_quantity: Decimal = Field(..., description="Still to ship.")


class NoteDetail(NoteOut):
    lines: list[NoteLineOut]


class NoteIn(Schema):
    requisition_id: Id | None = Field(None, description="An approved requisition (or ``return_id``).")
    return_id: Id | None = Field(None, description="An exchange whose red note is issued (or ``requisition_id``).")
    lines: list[PickIn] | None = lines_field("requisition (or the exchange's return lines)")
    address: str | None = Field(None, min_length=1, max_length=300, description="Default: the requisition's.")
    consignee: str | None = Field(None, min_length=1, max_length=60)
    consignee_phone: str | None = Field(None, min_length=1, max_length=30)
    note: str = Field("", max_length=TEXT)


class ReissueIn(Schema):
    reason: str = Field(..., min_length=1, max_length=TEXT, description="Why the issued note was wrong (R8).")
    lines: list[PickIn] | None = lines_field("requisition; omitted: the voided note's quantities")
    address: str | None = Field(None, min_length=1, max_length=300, description="Default: the voided note's.")
    consignee: str | None = Field(None, min_length=1, max_length=60)
    consignee_phone: str | None = Field(None, min_length=1, max_length=30)
    remark: str | None = Field(None, max_length=TEXT, description="The note's remark; default: the voided note's.")


class NoteFilters(DocumentFilters):
    state: NoteState | None = None


NOTE_API = DocumentApi(
    name="note",
    path="/notes",
    flow=NOTE_FLOW,
    get_for=selectors.note_get_for,
    rows=selectors.note_list,
    listing=lambda user: selectors.note_listing(user=user),
    readers=READERS,
    writers=OFFICE,
    out=NoteOut,
    detail=NoteDetail,
    filters=NoteFilters,
    create_in=NoteIn,
    create=services.note_issue,
    inputs={"lines": picks_in},
    docs={
        "list": "Sales delivery notes in the caller's scope (the sales office and the warehouse see all), searched, "
        "filtered, sorted and paged as the list page.",
        "create": "The sales office issues a note from an approved requisition, or an exchange's new goods (W4.4): "
        "never more than a line has open (422 naming ``lines.<i>.quantity``). Honours ``Idempotency-Key``.",
        "get": "The note with its lines: quantity, shipped, closed short, still to ship.",
        "transition": "The sales office voids a note nothing shipped on, or closes the rest short; the reason in "
        "``comment``. The quantities are open again on the requisition.",
    },
)
NOTE_API.mount(router, actions=False)


@router.post("/notes/{int:note_id}/reissue", response={201: NoteDetail}, operation_id="note_reissue")
@policy(*OFFICE)
@idempotent(NoteDetail)
def note_reissue(request, note_id: int, payload: ReissueIn):
    """Correct an issued note (R8): it is voided with the reason, its number kept, and the corrected
    note issued in its place, naming it. 409 once goods left on it. Honours ``Idempotency-Key``."""
    fields = payload.model_dump()
    lines = fields.pop("lines")
    note = services.note_reissue(
        note=NOTE_API.load(request, note_id),
        actor=request.auth,
        lines=None if lines is None else picks_in(lines),
        **fields,
    )
    return Status(201, NOTE_API.load(request, note.pk))


NOTE_API.mount_actions(router)
