"""The customer's signed confirmations (W4.6): recorded with the signed scan and any discrepancy,
followed up, archived by the sales office."""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, File, Form, Schema, Status
from ninja.files import UploadedFile
from pydantic import TypeAdapter, ValidationError

from salesops.core.api import Router
from salesops.core.errors import InvalidInput
from salesops.core.policy import policy
from salesops.workflow.docapi import DocumentApi

from .. import selectors, services
from ..models import ConfirmationState, SignKind
from ..permissions import CONFIRMERS
from ..workflows import CONFIRMATION_FLOW
from .schemas import MAX_LINES, READERS, TEXT, CustomerDocOut, DocumentFilters, Id, ProductLineOut

router = Router()

Discrepant = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=3)]


class ConfirmationOut(CustomerDocOut):
    outbound_id: int
    outbound_number: str
    signed_by: str
    signed_on: datetime.date
    sign_kind: str
    has_discrepancies: bool
    follow_up_open: bool = Field(..., description="A discrepancy waits for a return request or a resolution.")
    follow_up: str
    archived_at: datetime.datetime | None

    @staticmethod
    def resolve_outbound_number(obj: Any) -> str:
        return obj.outbound.number


class DiscrepancyOut(ProductLineOut):
    outbound_line_id: int
    short: Decimal
    damaged: Decimal
    remark: str


class ConfirmationDetail(ConfirmationOut):
    lines: list[DiscrepancyOut] = Field(..., description="The discrepancies the customer noted, per shipped line.")


class DiscrepancyIn(Schema):
    outbound_line_id: Id
    short: Discrepant = Decimal(0)
    damaged: Discrepant = Decimal(0)
    remark: str = Field("", max_length=300)


class ConfirmationIn(Schema):
    outbound_id: Id
    signed_by: str = Field(..., min_length=1, max_length=60)
    signed_on: datetime.date
    sign_kind: SignKind
    # JSON in one form field: a multipart form has no nested rows. Read by ``_discrepancies``.
    discrepancies: str = Field(
        "[]",
        max_length=100_000,
        description='The discrepancies per shipped line, as a JSON array: ``[{"outbound_line_id": 1, "short": "1", '
        '"damaged": "0", "remark": "少一台"}]``; an error names ``discrepancies.<i>.<field>``.',
        json_schema_extra={
            "contentMediaType": "application/json",
            "contentSchema": {"type": "array", "maxItems": MAX_LINES, "items": DiscrepancyIn.model_json_schema()},
        },
    )


DISCREPANCIES = TypeAdapter(Annotated[list[DiscrepancyIn], Field(max_length=MAX_LINES)])


def _discrepancies(text: str) -> list[services.Discrepancy]:
    """The form's JSON array as the service takes it, or 422 naming the bad row and field."""
    try:
        rows = DISCREPANCIES.validate_json(text or "[]")
    except ValidationError as exc:
        fields: dict[str, list[str]] = {}
        for error in exc.errors():
            fields.setdefault(".".join(["discrepancies", *map(str, error["loc"])]), []).append(error["msg"])
        raise InvalidInput(_("Please correct the errors below."), fields=fields) from None
    return [services.Discrepancy(**row.model_dump()) for row in rows]


class ResolveIn(Schema):
    resolution: str = Field(..., min_length=1, max_length=TEXT, description="What was done (re-sent, claim agreed).")


class ConfirmationFilters(DocumentFilters):
    state: ConfirmationState | None = None


CONFIRMATION_API = DocumentApi(
    name="confirmation",
    path="/confirmations",
    flow=CONFIRMATION_FLOW,
    get_for=selectors.confirmation_get_for,
    rows=selectors.confirmation_list,
    listing=lambda user: selectors.confirmation_listing(user=user),
    readers=READERS,
    out=ConfirmationOut,
    detail=ConfirmationDetail,
    filters=ConfirmationFilters,
    docs={
        "list": "Customer confirmations in the caller's scope, searched, filtered, sorted and paged as the list page.",
        "get": "The confirmation with the discrepancies the customer noted.",
        "transition": "The sales office archives the confirmation (W4.6).",
    },
)
CONFIRMATION_API.mount(router, actions=False)


@router.post("/confirmations", response={201: ConfirmationDetail}, operation_id="confirmation_create")
@policy(*CONFIRMERS)
def confirmation_create(request, payload: Form[ConfirmationIn], scan: File[UploadedFile]):
    """Record the customer's signed confirmation of an outbound (multipart: the fields and ``scan``,
    the signed form as PDF, PNG or JPG, required). A discrepancy opens a follow-up for the
    salesperson. An outbound takes one confirmation: a repeated upload is a 409."""
    fields = payload.model_dump()
    found = _discrepancies(fields.pop("discrepancies"))
    confirmation = services.confirmation_record(actor=request.auth, scan=scan, discrepancies=found, **fields)
    return Status(201, CONFIRMATION_API.load(request, confirmation.pk))


@router.post(
    "/confirmations/{int:confirmation_id}/resolve", response=ConfirmationDetail, operation_id="confirmation_resolve"
)
@policy(*CONFIRMERS)
def confirmation_resolve(request, confirmation_id: int, payload: ResolveIn):
    """Close a confirmation's follow-up with what was done (409 when none is open)."""
    confirmation = services.confirmation_resolve(
        confirmation=CONFIRMATION_API.load(request, confirmation_id), actor=request.auth, **payload.model_dump()
    )
    return CONFIRMATION_API.load(request, confirmation.pk)


CONFIRMATION_API.mount_actions(router)
