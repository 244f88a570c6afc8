"""Inquiries and tenders (W2.1), with the support requests asked about each (W2.3-W2.4)."""

import datetime
from decimal import Decimal

from ninja import Field, Schema
from ninja.responses import Status

from salesops.core.api import Router
from salesops.core.policy import policy
from salesops.workflow.docapi import DocumentApi

from ..choices import InquiryKind, InquirySource, InquiryState
from ..models import Inquiry
from ..permissions import API_READERS, API_SUPPORT_READERS, RAISERS
from ..selectors import inquiries as inquiry_selectors
from ..services import inquiries as inquiry_services
from ..services.inquiries import InquiryLineIn
from ..workflows import INQUIRY_FLOW
from .schemas import TEXT, DocumentOut, InquiryLineOut, InquiryLineSchema, ListFilters, Money
from .support_requests import SupportRequestIn, SupportRequestOut, support_request_of

router = Router()


class InquiryOut(DocumentOut):
    kind: str
    source: str
    customer_id: int
    customer_name: str
    title: str
    description: str
    deadline_on: datetime.date | None
    estimated_amount: Money
    is_flagged_major: bool
    decline_reason: str

    @staticmethod
    def resolve_customer_name(obj: Inquiry) -> str:
        return obj.customer.name


class InquiryDetail(InquiryOut):
    lines: list[InquiryLineOut]


class InquiryIn(Schema):
    customer_id: int
    kind: InquiryKind = InquiryKind.INQUIRY
    source: InquirySource
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=TEXT)
    deadline_on: datetime.date | None = None
    estimated_amount: Money = Field(Decimal("0"), ge=0, max_digits=14, decimal_places=2)
    is_flagged_major: bool = False
    lines: list[InquiryLineSchema] = Field(default_factory=list)
    received_on: datetime.date | None = Field(None, description="When the customer's inquiry arrived (default today).")


class InquiryPatch(Schema):
    version: int = Field(..., ge=1, description="The version read; a newer one on the server gives 409.")
    customer_id: int | None = None
    kind: InquiryKind | None = None
    source: InquirySource | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=TEXT)
    deadline_on: datetime.date | None = None
    estimated_amount: Money | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    is_flagged_major: bool | None = None
    lines: list[InquiryLineSchema] | None = None


class InquiryFilters(ListFilters):
    state: InquiryState | None = None
    kind: InquiryKind | None = None
    source: InquirySource | None = None
    major: bool | None = None


INQUIRY_API = DocumentApi(
    name="inquiry",
    path="/inquiries",
    flow=INQUIRY_FLOW,
    get_for=inquiry_selectors.inquiry_get_for,
    rows=inquiry_selectors.inquiry_list,
    listing=lambda user: inquiry_selectors.inquiry_listing(),
    readers=API_READERS,
    writers=RAISERS,
    out=InquiryOut,
    detail=InquiryDetail,
    filters=InquiryFilters,
    create_in=InquiryIn,
    patch_in=InquiryPatch,
    create=inquiry_services.inquiry_create,
    update=inquiry_services.inquiry_update,
    doc_arg="inquiry",
    inputs={"lines": lambda rows: [InquiryLineIn(**row) for row in rows]},
    docs={
        "list": "Inquiries and tenders in the caller's scope, searched, filtered, sorted and paged.",
        "create": "Record an inquiry or tender with the products asked for (W2.1); the manager is told at once.",
        "update": "Edit an open inquiry; ``lines``, when given, replace all lines; a stale ``version`` is a 409.",
        "transition": "The bid decision (W2.1): the manager bids or declines (``comment`` is the reason), "
        "leadership\ninstructs or overrules a major one. The flow decides who may (403) and when (409).",
    },
)
INQUIRY_API.mount(router, actions=False)
inquiry_of = INQUIRY_API.load


@router.get(
    "/inquiries/{int:inquiry_id}/support-requests",
    response=list[SupportRequestOut],
    operation_id="support_request_list_for_inquiry",
)
@policy(*API_SUPPORT_READERS)
def support_request_list_for_inquiry(request, inquiry_id: int):
    """The support requests of one inquiry the caller may see."""
    return list(inquiry_selectors.support_requests_for_inquiry(user=request.auth, inquiry_id=inquiry_id))


@router.post(
    "/inquiries/{int:inquiry_id}/support-requests",
    response={201: SupportRequestOut},
    operation_id="support_request_create",
)
@policy(*RAISERS)
def support_request_create(request, inquiry_id: int, payload: SupportRequestIn):
    """Ask technical (models and parameters, W2.3) or purchasing (material prices and lead times, W2.4)."""
    created = inquiry_services.support_request_create(
        actor=request.auth, inquiry=inquiry_of(request, inquiry_id), **payload.model_dump()
    )
    return Status(201, support_request_of(request, created.pk))


INQUIRY_API.mount_actions(router)
