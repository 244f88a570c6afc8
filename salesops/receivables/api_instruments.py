"""REST API of the instruments register (R9, R12): ``/instruments`` under the router's mount point
(``/api/receivables/instruments``).

Answers: 401 without credentials, 403 for a role that may not call or act (a salesperson signing
for), 404 for an instrument outside the caller's scope, 409 for a step not possible now (acting on a
split bill, endorsing one not transferable), 422 with ``extra.fields`` for bad input.
"""

import datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from salesops.core.api import ListQuery, Router
from salesops.core.policy import policy
from salesops.workflow.docapi import DocumentApi, DocumentOut

from . import billranges
from .models.instruments import Instrument, InstrumentKind, InstrumentMedium, InstrumentState
from .selectors import instruments as selectors
from .services import instruments as services
from .workflows_instruments import INSTRUMENT_FLOW, READERS, REGISTRARS, SIGNERS

router = Router(tags=["receivables"])

Money = Decimal


class InstrumentOut(DocumentOut):
    kind: str
    medium: str
    customer_id: int
    customer_name: str
    package_number: str
    range_start: int | None
    range_end: int | None
    is_splittable: bool = Field(..., description="False for paper and for a 0–0 range (moves only whole).")
    instrument_number: str
    amount: Money
    issuer: str
    acceptor: str
    payee: str
    previous_holder: str
    issued_on: datetime.date
    due_on: datetime.date | None
    term_too_long: bool = Field(..., description="A bill due more than six months after issue (a warning).")
    is_transferable: bool
    received_by_id: int
    received_at: datetime.datetime
    signed_by_id: int | None
    signed_at: datetime.datetime | None
    parent_id: int | None = Field(..., description="The bill this part was split from.")
    receipt_id: int | None
    settled_on: datetime.date | None = Field(..., description="Endorsed, discounted, collected or dishonoured on.")
    counterparty: str = Field(..., description="The endorsee, or the discounting or collecting bank.")
    proceeds_amount: Money | None
    dishonour_reason: str
    note: str
    void_reason: str

    @staticmethod
    def resolve_customer_name(obj: Instrument) -> str:
        return obj.customer.name


class PartOut(Schema):
    id: int
    number: str
    state: str
    range_start: int | None
    range_end: int | None
    amount: Money


class InstrumentDetailOut(InstrumentOut):
    children: list[PartOut] = Field(..., description="The two parts it was split into (empty unless split).")

    @staticmethod
    def resolve_children(obj: Instrument) -> list[Any]:
        return list(obj.children.order_by("pk")) if obj.state == InstrumentState.SPLIT else []


class InstrumentIn(Schema):
    kind: InstrumentKind
    medium: InstrumentMedium
    customer_id: int
    issued_on: datetime.date
    issuer: str = Field(..., min_length=1, max_length=200)
    acceptor: str = Field(..., min_length=1, max_length=200)
    due_on: datetime.date | None = Field(None, description="Required for acceptance bills.")
    package_number: str = Field("", max_length=30, description="Electronic bills: 30 digits.")
    range_start: int | None = Field(
        None, description="Electronic bills: 0 and 0 when it cannot be split.", ge=0, le=billranges.MAX_END
    )
    range_end: int | None = Field(None, ge=0, le=billranges.MAX_END)
    amount: Money | None = Field(
        None, gt=0, max_digits=12, decimal_places=2, description="Paper, and electronic bills that cannot be split."
    )
    instrument_number: str = Field("", max_length=40, description="Paper instruments.")
    payee: str = Field("", max_length=200)
    previous_holder: str = Field("", max_length=200)
    is_transferable: bool = True
    received_at: datetime.datetime | None = Field(None, description="Default: now.")
    received_by_id: int | None = Field(None, description="The sales office names the salesperson who received it.")
    note: str = Field("", max_length=300)


class InstrumentFilters(ListQuery):
    state: InstrumentState | None = None
    kind: InstrumentKind | None = None
    medium: InstrumentMedium | None = None
    due: Literal["7", "15", "30", "60"] | None = Field(None, description="Due within this many days from today.")


class PartIn(Schema):
    amount: Money | None = Field(
        None, gt=0, max_digits=12, decimal_places=2, description="A part of an electronic bill; empty: the whole."
    )
    take: Literal["low", "high"] = Field("low", description="Which end of the range the part is taken from.")
    comment: str = Field("", max_length=2000)


class EndorseIn(PartIn):
    endorsee: str = Field(..., min_length=1, max_length=200)
    endorsed_on: datetime.date


class DiscountIn(PartIn):
    bank: str = Field(..., min_length=1, max_length=200)
    discounted_on: datetime.date
    proceeds_amount: Money | None = Field(None, gt=0, max_digits=12, decimal_places=2)


class CollectIn(Schema):
    collected_on: datetime.date
    bank: str = Field("", max_length=200)
    comment: str = Field("", max_length=2000)


class LinkReceiptIn(Schema):
    receipt_id: int


INSTRUMENT_API = DocumentApi(
    name="instrument",
    path="/instruments",
    flow=INSTRUMENT_FLOW,
    get_for=selectors.instrument_get_for,
    rows=selectors.instrument_list,
    listing=lambda user: selectors.instrument_listing(user=user),
    readers=READERS,
    writers=REGISTRARS,
    out=InstrumentOut,
    detail=InstrumentDetailOut,
    filters=InstrumentFilters,
    create_in=InstrumentIn,
    create=services.instrument_register,
    summaries={"total_amount": (Money, lambda rows: selectors.totals_of(rows)["amount"])},
    docs={
        "list": "The register in the caller's scope, searched, filtered (``due``: within N days) and paged; "
        "``total_amount`` sums the filtered set.",
        "create": "Register an instrument received (R9); finance signs for it the same day (R12). Honours "
        "``Idempotency-Key``.",
        "transition": "``sign`` (finance), ``dishonour`` (finance, with the reason as ``comment``), ``void`` "
        "(sales office or finance, a registration in error).",
    },
)
INSTRUMENT_API.mount(router, actions=False)


def _answer(request: Any, acted: Instrument) -> Any:
    return INSTRUMENT_API.load(request, acted.pk)


@router.post(
    "/instruments/{int:instrument_id}/endorse", response=InstrumentDetailOut, operation_id="instrument_endorse"
)
@policy(*SIGNERS)
def instrument_endorse(request, instrument_id: int, payload: EndorseIn):
    """Endorse on, whole or a part (which splits the bill); answers the instrument endorsed."""
    instrument = INSTRUMENT_API.load(request, instrument_id)
    return _answer(
        request, services.instrument_endorse(instrument=instrument, actor=request.auth, **payload.model_dump())
    )


@router.post(
    "/instruments/{int:instrument_id}/discount", response=InstrumentDetailOut, operation_id="instrument_discount"
)
@policy(*SIGNERS)
def instrument_discount(request, instrument_id: int, payload: DiscountIn):
    """Discount at a bank, whole or a part; answers the instrument discounted."""
    instrument = INSTRUMENT_API.load(request, instrument_id)
    return _answer(
        request, services.instrument_discount(instrument=instrument, actor=request.auth, **payload.model_dump())
    )


@router.post(
    "/instruments/{int:instrument_id}/collect", response=InstrumentDetailOut, operation_id="instrument_collect"
)
@policy(*SIGNERS)
def instrument_collect(request, instrument_id: int, payload: CollectIn):
    """Record its collection (a bill on or after its due date)."""
    instrument = INSTRUMENT_API.load(request, instrument_id)
    return _answer(
        request, services.instrument_collect(instrument=instrument, actor=request.auth, **payload.model_dump())
    )


@router.post(
    "/instruments/{int:instrument_id}/link-receipt",
    response=InstrumentDetailOut,
    operation_id="instrument_link_receipt",
)
@policy(*SIGNERS)
def instrument_link_receipt(request, instrument_id: int, payload: LinkReceiptIn):
    """Name the receipt finance recorded for the payment it made."""
    instrument = INSTRUMENT_API.load(request, instrument_id)
    return _answer(
        request, services.instrument_link_receipt(instrument=instrument, actor=request.auth, **payload.model_dump())
    )


INSTRUMENT_API.mount_actions(router)
