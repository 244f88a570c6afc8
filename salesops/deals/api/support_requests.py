"""Support requests (W2.3-W2.4): technical and purchasing answer what sales asked about an inquiry."""

import datetime

from ninja import Field, Query, Schema
from ninja.pagination import paginate

from salesops.core.api import Pages, Router
from salesops.core.policy import policy

from ..choices import SupportKind, SupportState
from ..models import SupportRequest
from ..permissions import ANSWERERS, API_SUPPORT_READERS, SUPPORT_WAIVERS
from ..selectors import inquiries as inquiry_selectors
from ..services import inquiries as inquiry_services
from .schemas import TEXT

router = Router()


class SupportRequestOut(Schema):
    id: int
    inquiry_id: int
    inquiry_number: str
    inquiry_title: str
    kind: str
    kind_label: str
    question: str
    due_on: datetime.date
    state: str
    state_label: str
    answer: str
    answered_by_id: int | None
    answered_at: datetime.datetime | None
    waive_reason: str
    requested_by_id: int
    created_at: datetime.datetime

    @staticmethod
    def resolve_inquiry_number(obj: SupportRequest) -> str:
        return obj.inquiry.number

    @staticmethod
    def resolve_inquiry_title(obj: SupportRequest) -> str:
        return obj.inquiry.title

    @staticmethod
    def resolve_kind_label(obj: SupportRequest) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_state_label(obj: SupportRequest) -> str:
        return str(obj.get_state_display())


class SupportRequestIn(Schema):
    kind: SupportKind
    question: str = Field(..., min_length=1, max_length=TEXT)
    due_on: datetime.date


class AnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=TEXT)


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=TEXT)


def support_request_of(request, pk: int) -> SupportRequest:
    return inquiry_selectors.support_request_get_for(user=request.auth, pk=pk)


class SupportFilters(Schema):
    state: SupportState | None = None


@router.get("/support-requests", response=list[SupportRequestOut], operation_id="support_request_list")
@policy(*API_SUPPORT_READERS)
@paginate(Pages)
def support_request_list(request, filters: Query[SupportFilters]):
    """Technical and purchasing: the requests addressed to their department; sales: those of their inquiries.
    Earliest due first, paged like every list."""
    state = filters.state.value if filters.state else None
    return inquiry_selectors.support_request_list(user=request.auth, state=state)


@router.get(
    "/support-requests/{int:support_request_id}", response=SupportRequestOut, operation_id="support_request_get"
)
@policy(*API_SUPPORT_READERS)
def support_request_get(request, support_request_id: int):
    return support_request_of(request, support_request_id)


@router.post(
    "/support-requests/{int:support_request_id}/answer",
    response=SupportRequestOut,
    operation_id="support_request_answer",
)
@policy(*ANSWERERS)
def support_request_answer(request, support_request_id: int, payload: AnswerIn):
    """The addressed department answers in writing."""
    answered = inquiry_services.support_request_answer(
        actor=request.auth, support_request=support_request_of(request, support_request_id), answer=payload.answer
    )
    return support_request_of(request, answered.pk)


@router.post(
    "/support-requests/{int:support_request_id}/waive",
    response=SupportRequestOut,
    operation_id="support_request_waive",
)
@policy(*SUPPORT_WAIVERS)
def support_request_waive(request, support_request_id: int, payload: ReasonIn):
    """The manager waives an open request, with the reason, so the quotation may go to review."""
    waived = inquiry_services.support_request_waive(
        actor=request.auth, support_request=support_request_of(request, support_request_id), reason=payload.reason
    )
    return support_request_of(request, waived.pk)
