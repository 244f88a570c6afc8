"""Quotations and tender documents (W2.5-W2.6, R4) and their negotiation notes (W3.1-W3.2)."""

import datetime
from typing import Any

from ninja import Field, Schema
from ninja.responses import Status

from salesops.core.api import Router
from salesops.core.policy import policy
from salesops.workflow.docapi import ActionIn, DocumentApi

from ..choices import PaymentTerms, QuotationState
from ..models import NegotiationNote
from ..permissions import API_READERS, RAISERS
from ..selectors import quotations as quotation_selectors
from ..services import negotiations as negotiation_services
from ..services import quotations as quotation_services
from ..workflows import QUOTATION_FLOW
from .schemas import (
    TEXT,
    LineOut,
    LineSchema,
    ListFilters,
    Money,
    PricedOut,
    TermsIn,
    TermsPatch,
    lines_in,
)

router = Router()


class QuotationOut(PricedOut):
    inquiry_id: int | None
    revision: int
    previous_id: int | None
    valid_until: datetime.date
    is_non_standard: bool
    issued_at: datetime.datetime | None
    lost_to_id: int | None
    lost_price: Money | None
    outcome_note: str


class QuotationDetail(QuotationOut):
    lines: list[LineOut]
    non_standard_reasons: list[Any]


class QuotationIn(TermsIn):
    inquiry_id: int | None = Field(None, description="From an inquiry in bidding; or give ``customer_id``.")
    customer_id: int | None = None
    valid_until: datetime.date
    lines: list[LineSchema] = Field(..., min_length=1)


class QuotationPatch(TermsPatch):
    customer_id: int | None = None
    valid_until: datetime.date | None = None


class QuotationFilters(ListFilters):
    state: QuotationState | None = None
    payment_terms: PaymentTerms | None = None
    non_standard: bool | None = None


class WonIn(Schema):
    note: str = Field("", max_length=TEXT)


class LostIn(Schema):
    note: str = Field(..., min_length=1, max_length=TEXT)
    competitor_id: int | None = Field(None, description="The winner, when known (market intelligence, R1).")
    winning_price: Money | None = Field(None, ge=0, max_digits=14, decimal_places=2)


class WithdrawIn(Schema):
    note: str = Field(..., min_length=1, max_length=TEXT)


class NegotiationNoteOut(Schema):
    id: int
    quotation_id: int
    happened_on: datetime.date
    note: str
    asks_instruction: bool
    author_id: int
    author_name: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_author_name(obj: NegotiationNote) -> str:
        return str(obj.author)


class NegotiationNoteIn(Schema):
    happened_on: datetime.date
    note: str = Field(..., min_length=1, max_length=TEXT)


QUOTATION_API = DocumentApi(
    name="quotation",
    path="/quotations",
    flow=QUOTATION_FLOW,
    get_for=quotation_selectors.quotation_get_for,
    rows=quotation_selectors.quotation_list,
    listing=lambda user: quotation_selectors.quotation_listing(),
    readers=API_READERS,
    writers=RAISERS,
    out=QuotationOut,
    detail=QuotationDetail,
    filters=QuotationFilters,
    create_in=QuotationIn,
    patch_in=QuotationPatch,
    create=quotation_services.quotation_create,
    update=quotation_services.quotation_update,
    doc_arg="quotation",
    inputs={"lines": lines_in},
    docs={
        "list": "Quotations and tender documents in the caller's scope, searched, filtered, sorted and paged.",
        "create": "Draft a quotation from an inquiry in bidding or for a customer. Honours ``Idempotency-Key``.",
        "get": "The quotation with its lines and why it is non-standard (R4), if it is.",
        "update": "Edit a draft or returned quotation; ``lines``, when given, replace all lines; stale "
        "``version``: 409.",
        "transition": "Review and issue (W2.5-W2.6, R4); ``comment`` is the reason of a rejection. The flow "
        "decides\nwho may (403) and when (409: e.g. issuing before approval).",
    },
)
QUOTATION_API.mount(router, actions=False)
quotation_of = QUOTATION_API.load


@router.post("/quotations/{int:quotation_id}/revise", response={201: QuotationDetail}, operation_id="quotation_revise")
@policy(*RAISERS)
def quotation_revise(request, quotation_id: int, payload: ActionIn | None = None):
    """A new revision (a draft) supersedes this quotation, which stays readable."""
    comment = payload.comment if payload else ""
    revision = quotation_services.quotation_revise(
        quotation=quotation_of(request, quotation_id), actor=request.auth, comment=comment
    )
    return Status(201, quotation_of(request, revision.pk))


@router.post("/quotations/{int:quotation_id}/won", response=QuotationDetail, operation_id="quotation_won")
@policy(*RAISERS)
def quotation_won(request, quotation_id: int, payload: WonIn):
    quotation = quotation_services.quotation_record_won(
        quotation=quotation_of(request, quotation_id), actor=request.auth, note=payload.note
    )
    return quotation_of(request, quotation.pk)


@router.post("/quotations/{int:quotation_id}/lost", response=QuotationDetail, operation_id="quotation_lost")
@policy(*RAISERS)
def quotation_lost(request, quotation_id: int, payload: LostIn):
    """Lost, with the winning competitor and price when known (recorded as market intelligence, R1)."""
    quotation = quotation_services.quotation_record_lost(
        quotation=quotation_of(request, quotation_id), actor=request.auth, **payload.model_dump()
    )
    return quotation_of(request, quotation.pk)


@router.post("/quotations/{int:quotation_id}/withdraw", response=QuotationDetail, operation_id="quotation_withdraw")
@policy(*RAISERS)
def quotation_withdraw(request, quotation_id: int, payload: WithdrawIn):
    quotation = quotation_services.quotation_withdraw(
        quotation=quotation_of(request, quotation_id), actor=request.auth, note=payload.note
    )
    return quotation_of(request, quotation.pk)


@router.get(
    "/quotations/{int:quotation_id}/notes", response=list[NegotiationNoteOut], operation_id="negotiation_note_list"
)
@policy(*API_READERS)
def negotiation_note_list(request, quotation_id: int):
    """The negotiation rounds of the quotation, in date order (W3.1)."""
    quotation = quotation_of(request, quotation_id)
    return list(quotation_selectors.negotiation_notes_for(user=request.auth, quotation=quotation))


@router.post(
    "/quotations/{int:quotation_id}/notes", response={201: NegotiationNoteOut}, operation_id="negotiation_note_add"
)
@policy(*RAISERS)
def negotiation_note_add(request, quotation_id: int, payload: NegotiationNoteIn):
    """Record a negotiation round; the manager is told, leadership asked on a major deal (W3.2)."""
    note = negotiation_services.negotiation_note_add(
        actor=request.auth, quotation=quotation_of(request, quotation_id), **payload.model_dump()
    )
    return Status(201, note)


QUOTATION_API.mount_actions(router)
