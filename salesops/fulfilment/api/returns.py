"""Returns and exchanges (W8): the return request through the manager, the salesperson's check and
the technical verification; the red sales outbound note the warehouse receives back into stock."""

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from salesops.core.api import Router
from salesops.core.policy import policy
from salesops.org.roles import Role
from salesops.workflow.docapi import DocumentApi

from .. import selectors, services
from ..models import RedNoteState, ReturnKind, ReturnState
from ..permissions import OFFICE, REQUESTERS
from ..workflows import RED_NOTE_FLOW, RETURN_FLOW
from .schemas import (
    MAX_LINES,
    READERS,
    TEXT,
    CustomerDocOut,
    DocumentFilters,
    Id,
    PickIn,
    ProductLineOut,
    lines_field,
    picks_in,
)

router = Router()


class ReturnOut(CustomerDocOut):
    kind: str
    reason: str
    confirmation_id: int | None
    checked_at: datetime.datetime | None
    verified_by_id: int | None
    verification: str = Field(..., description="The technical department's notes.")


class ReturnLineOut(ProductLineOut):
    outbound_line_id: int
    outbound_id: int
    outbound_number: str
    quantity: Decimal
    name_ok: bool | None = Field(..., description="The salesperson's check (W8.2); null until checked.")
    spec_ok: bool | None
    quantity_ok: bool | None
    noted: Decimal = Field(..., description="An exchange: on new delivery notes.")

    @staticmethod
    def resolve_outbound_id(obj: Any) -> int:
        return obj.outbound_line.outbound_id

    @staticmethod
    def resolve_outbound_number(obj: Any) -> str:
        return obj.outbound_line.outbound.number


class ReturnDetail(ReturnOut):
    lines: list[ReturnLineOut]


class ReturnIn(Schema):
    customer_id: Id
    kind: ReturnKind
    reason: str = Field(..., min_length=1, max_length=TEXT)
    confirmation_id: Id | None = Field(None, description="The confirmation whose discrepancy this follows up.")
    lines: list[PickIn] = lines_field("customer's outbounds (outbound line ids)", optional=False)


class LineCheckIn(Schema):
    line_id: Id = Field(..., description="A line of this return request.")
    name_ok: bool
    spec_ok: bool
    quantity_ok: bool


class CheckIn(Schema):
    checks: list[LineCheckIn] = Field(..., min_length=1, max_length=MAX_LINES, description="Every line, once.")
    comment: str = Field("", max_length=TEXT)


class VerifyIn(Schema):
    passed: bool = Field(..., description="Genuine; false ends the return (``notes`` required).")
    notes: str = Field("", max_length=TEXT)


class ReturnFilters(DocumentFilters):
    state: ReturnState | None = None
    kind: ReturnKind | None = None


RETURN_API = DocumentApi(
    name="return",
    path="/returns",
    flow=RETURN_FLOW,
    get_for=selectors.return_get_for,
    rows=selectors.return_list,
    listing=lambda user: selectors.return_listing(user=user),
    readers=READERS,
    writers=REQUESTERS,
    out=ReturnOut,
    detail=ReturnDetail,
    filters=ReturnFilters,
    create_in=ReturnIn,
    create=services.return_create,
    inputs={"lines": picks_in},
    docs={
        "list": "Return and exchange requests in the caller's scope, searched, filtered, sorted and paged.",
        "create": "Request a return or exchange of delivered lines (W8.1): never more than delivered minus what "
        "other requests claimed (422 naming ``lines.<i>.quantity``). Honours ``Idempotency-Key``.",
        "get": "The request with its lines, each naming the outbound it came on, and the salesperson's check.",
        "transition": "Submit or cancel (the owner), confirm or return it (the manager), confirm the verified "
        "detail in red (a manager other than the owner, W8.4).",
    },
)
RETURN_API.mount(router, actions=False)


@router.post("/returns/{int:return_id}/check", response=ReturnDetail, operation_id="return_check")
@policy(*REQUESTERS)
def return_check(request, return_id: int, payload: CheckIn):
    """W8.2: the salesperson records, for every line, whether name, specification and quantity match
    what was delivered. A mismatch stops here (422): correct or cancel the request."""
    checks = {row.line_id: (row.name_ok, row.spec_ok, row.quantity_ok) for row in payload.checks}
    done = services.return_check(
        request=RETURN_API.load(request, return_id), actor=request.auth, checks=checks, comment=payload.comment
    )
    return RETURN_API.load(request, done.pk)


@router.post("/returns/{int:return_id}/verify", response=ReturnDetail, operation_id="return_verify")
@policy(Role.TECHNICAL)
def return_verify(request, return_id: int, payload: VerifyIn):
    """W8.3: the technical department verifies the goods are genuine; a failure, with notes, ends the
    return and frees what it claimed."""
    done = services.return_verify(
        request=RETURN_API.load(request, return_id), actor=request.auth, **payload.model_dump()
    )
    return RETURN_API.load(request, done.pk)


RETURN_API.mount_actions(router)


class RedNoteOut(CustomerDocOut):
    return_request_id: int
    return_request_number: str
    warehouse_id: int
    warehouse_name: str
    issued_by_id: int
    received_at: datetime.datetime | None
    void_reason: str

    @staticmethod
    def resolve_return_request_number(obj: Any) -> str:
        return obj.return_request.number

    @staticmethod
    def resolve_warehouse_name(obj: Any) -> str:
        return obj.warehouse.name


class RedNoteLineOut(ProductLineOut):
    return_line_id: int
    outbound_line_id: int = Field(..., description="The original delivered line it takes back.")
    original_note_id: int
    original_note_number: str
    quantity: Decimal = Field(..., description="Returned (in red).")

    @staticmethod
    def resolve_original_note_id(obj: Any) -> int:
        return obj.outbound_line.note_line.note_id

    @staticmethod
    def resolve_original_note_number(obj: Any) -> str:
        return obj.outbound_line.note_line.note.number


class RedNoteDetail(RedNoteOut):
    lines: list[RedNoteLineOut]


class RedNoteIn(Schema):
    return_id: Id = Field(..., description="A return request the manager confirmed in red.")
    warehouse_id: Id | None = Field(None, description="Receive into; default: the warehouse it shipped from.")


class RedNoteFilters(DocumentFilters):
    state: RedNoteState | None = None


RED_NOTE_API = DocumentApi(
    name="red_note",
    path="/red-notes",
    flow=RED_NOTE_FLOW,
    get_for=selectors.red_note_get_for,
    rows=selectors.red_note_list,
    listing=lambda user: selectors.red_note_listing(user=user),
    readers=READERS,
    writers=OFFICE,
    out=RedNoteOut,
    detail=RedNoteDetail,
    filters=RedNoteFilters,
    create_in=RedNoteIn,
    create=services.red_note_issue,
    docs={
        "list": "Red sales outbound notes in the caller's scope, searched, filtered, sorted and paged.",
        "create": "The sales office issues the red sales outbound note (红字销售出库单) of a return confirmed in red "
        "(W8.5). Honours ``Idempotency-Key``.",
        "get": "The red note with its lines, each naming the original delivery note.",
        "transition": "The warehouse receives the goods back into stock; the sales office voids a wrong red note "
        "(the reason in ``comment``).",
    },
)
RED_NOTE_API.mount(router)
