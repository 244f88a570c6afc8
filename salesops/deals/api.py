"""REST API of deals (W2, W3, R4, R15) under ``/api/deals/``: inquiries and tenders, support
requests, quotations and their negotiation notes, contracts, phone and fax orders, the monthly
contract register and the pipeline.

Answers: 401 without credentials, 403 for a role that may not call or act, 404 for a document
outside the caller's scope, 409 for a disallowed transition or a stale edit (with the reason),
422 with ``extra.fields`` for bad input (``lines.0.quantity``, ``lines.1.unit_price``...).
Every write goes through the deals services, so the pages, the API and My tasks behave the same.
"""

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpResponse
from django.utils.translation import gettext_lazy
from ninja import Field, File, Form, Query, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from salesops.core.api import ListQuery, Router, idempotent, listing_page, page_schema, versioned_changes
from salesops.core.listing import Filter, Listing
from salesops.core.policy import policy
from salesops.org.roles import Role

from .choices import (
    ContractState,
    InquiryKind,
    InquirySource,
    InquiryState,
    OrderChannel,
    PaymentTerms,
    PhoneOrderState,
    QuotationState,
    SupportKind,
    SupportState,
)
from .lines import LineIn
from .models import Contract, Inquiry, NegotiationNote, PhoneOrder, Quotation, SupportRequest
from .selectors import contracts as contract_selectors
from .selectors import inquiries as inquiry_selectors
from .selectors import orders as order_selectors
from .selectors import pipeline as pipeline_selectors
from .selectors import quotations as quotation_selectors
from .selectors import register as register_selectors
from .services import contracts as contract_services
from .services import inquiries as inquiry_services
from .services import negotiations as negotiation_services
from .services import orders as order_services
from .services import quotations as quotation_services
from .services import register as register_services
from .services.inquiries import InquiryLineIn

router = Router(tags=["deals"])

# Who may call (the rows each sees come from ``visible_to``; the flows decide who may act).
SALES = (Role.SALESPERSON, Role.SALES_MANAGER, Role.BRANCH_MANAGER)
READERS = (*SALES, Role.BACK_OFFICE, Role.LEADERSHIP, Role.ADMIN)
# Technical and purchasing answer the support requests addressed to them (W2.3, W2.4).
SUPPORT_READERS = (*READERS, Role.TECHNICAL, Role.PURCHASING)
SUPPORT_WAIVERS = (Role.SALES_MANAGER, Role.BRANCH_MANAGER, Role.LEADERSHIP, Role.ADMIN)

Money = Decimal
TEXT = 4000


# --- schemas: lines and terms -------------------------------------------------------------------


class LineSchema(Schema):
    """A priced line: tax-inclusive unit price in yuan (2 decimals), quantity > 0 (3 decimals)."""

    product_id: int
    quantity: Decimal = Field(..., gt=0, max_digits=14, decimal_places=3)
    unit_price: Money = Field(..., ge=0, max_digits=14, decimal_places=2)


class InquiryLineSchema(Schema):
    product_id: int
    quantity: Decimal = Field(..., gt=0, max_digits=14, decimal_places=3)


class LineOut(Schema):
    id: int
    product_id: int
    product_code: str
    product_name: str
    product_model: str
    product_specification: str
    unit: str
    quantity: Decimal
    unit_price: Money
    tax_rate: Decimal
    amount: Money
    tax_amount: Money

    @staticmethod
    def resolve_product_code(obj) -> str:
        return obj.product.code

    @staticmethod
    def resolve_product_name(obj) -> str:
        return obj.product.name

    @staticmethod
    def resolve_product_model(obj) -> str:
        return obj.product.model

    @staticmethod
    def resolve_product_specification(obj) -> str:
        return obj.product.specification

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.product.unit


class InquiryLineOut(Schema):
    id: int
    product_id: int
    product_name: str
    unit: str
    quantity: Decimal

    @staticmethod
    def resolve_product_name(obj) -> str:
        return obj.product.name

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.product.unit


class TermsIn(Schema):
    payment_terms: PaymentTerms = PaymentTerms.ON_DELIVERY
    payment_terms_note: str = Field("", max_length=300)
    delivery_time: str = Field("", max_length=200)
    delivery_place: str = Field("", max_length=200)
    warranty: str = Field("", max_length=200)
    other_terms: str = Field("", max_length=TEXT)


class TermsPatch(Schema):
    version: int = Field(..., ge=1, description="The version read; a newer one on the server gives 409.")
    payment_terms: PaymentTerms | None = None
    payment_terms_note: str | None = Field(None, max_length=300)
    delivery_time: str | None = Field(None, max_length=200)
    delivery_place: str | None = Field(None, max_length=200)
    warranty: str | None = Field(None, max_length=200)
    other_terms: str | None = Field(None, max_length=TEXT)
    lines: list[LineSchema] | None = Field(None, description="When given, replaces every line.")


class DocumentOut(Schema):
    id: int
    number: str
    state: str
    state_label: str
    owner_id: int
    owner_name: str
    branch_id: int
    department_id: int | None
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_owner_name(obj) -> str:
        return str(obj.owner)


class PricedOut(DocumentOut):
    customer_id: int
    customer_name: str
    payment_terms: str
    payment_terms_note: str
    delivery_time: str
    delivery_place: str
    warranty: str
    other_terms: str
    total_amount: Money
    tax_amount: Money

    @staticmethod
    def resolve_customer_name(obj) -> str:
        return obj.customer.name


class ActionIn(Schema):
    comment: str = Field("", max_length=TEXT, description="The reason, for a decline, rejection or void.")


class ListFilters(ListQuery):
    """Search, sort and page of a deals list (page shape: ``core.api.page_of``)."""


def _lines(lines: list[LineSchema] | None) -> list[LineIn] | None:
    if lines is None:
        return None
    return [LineIn(product_id=line.product_id, quantity=line.quantity, unit_price=line.unit_price) for line in lines]


# --- inquiries and support requests (W2.1-W2.4) -------------------------------------------------


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


InquiryPage = page_schema(InquiryOut, "InquiryPage")


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


def _inquiry(request, pk: int) -> Inquiry:
    return inquiry_selectors.inquiry_get_for(user=request.auth, pk=pk)


def _support_request(request, pk: int) -> SupportRequest:
    return inquiry_selectors.support_request_get_for(user=request.auth, pk=pk)


@router.get("/inquiries", response=InquiryPage, operation_id="inquiry_list")
@policy(*READERS)
def inquiry_list(request, filters: Query[InquiryFilters]):
    """Inquiries and tenders in the caller's scope, searched, filtered, sorted and paged."""
    queryset = inquiry_selectors.inquiry_list(user=request.auth)
    return listing_page(inquiry_selectors.inquiry_listing(), queryset, filters)


@router.post("/inquiries", response={201: InquiryDetail}, operation_id="inquiry_create")
@policy(*SALES)
@idempotent(InquiryDetail)
def inquiry_create(request, payload: InquiryIn):
    """Record an inquiry or tender with the products asked for (W2.1); the manager is told at once."""
    fields = payload.model_dump(exclude={"lines"})
    lines = [InquiryLineIn(line.product_id, line.quantity) for line in payload.lines]
    inquiry = inquiry_services.inquiry_create(actor=request.auth, lines=lines, **fields)
    return Status(201, _inquiry(request, inquiry.pk))


@router.get("/inquiries/{int:inquiry_id}", response=InquiryDetail, operation_id="inquiry_get")
@policy(*READERS)
def inquiry_get(request, inquiry_id: int):
    return _inquiry(request, inquiry_id)


@router.patch("/inquiries/{int:inquiry_id}", response=InquiryDetail, operation_id="inquiry_update")
@policy(*SALES)
def inquiry_update(request, inquiry_id: int, payload: InquiryPatch):
    """Edit an open inquiry; ``lines``, when given, replace all lines; a stale ``version`` is a 409."""
    version, fields = versioned_changes(payload)
    lines = fields.pop("lines", None)
    if lines is not None:
        lines = [InquiryLineIn(line["product_id"], line["quantity"]) for line in lines]
    inquiry = inquiry_services.inquiry_update(
        inquiry=_inquiry(request, inquiry_id), actor=request.auth, version=version, lines=lines, **fields
    )
    return _inquiry(request, inquiry.pk)


@router.get(
    "/inquiries/{int:inquiry_id}/support-requests",
    response=list[SupportRequestOut],
    operation_id="support_request_list_for_inquiry",
)
@policy(*SUPPORT_READERS)
def support_request_list_for_inquiry(request, inquiry_id: int):
    """The support requests of one inquiry the caller may see."""
    return list(inquiry_selectors.support_requests_for_inquiry(user=request.auth, inquiry_id=inquiry_id))


@router.post(
    "/inquiries/{int:inquiry_id}/support-requests",
    response={201: SupportRequestOut},
    operation_id="support_request_create",
)
@policy(*SALES)
def support_request_create(request, inquiry_id: int, payload: SupportRequestIn):
    """Ask technical (models and parameters, W2.3) or purchasing (material prices and lead times, W2.4)."""
    created = inquiry_services.support_request_create(
        actor=request.auth, inquiry=_inquiry(request, inquiry_id), **payload.model_dump()
    )
    return Status(201, _support_request(request, created.pk))


@router.post("/inquiries/{int:inquiry_id}/{action}", response=InquiryDetail, operation_id="inquiry_transition")
@policy(*READERS)
def inquiry_transition(
    request,
    inquiry_id: int,
    action: Literal["bid", "decline", "instruct", "overrule"],
    payload: ActionIn | None = None,
):
    """The bid decision (W2.1): the manager bids or declines (``comment`` is the reason), leadership
    instructs or overrules a major one. The flow decides who may (403) and when (409)."""
    comment = payload.comment if payload else ""
    inquiry = inquiry_services.inquiry_act(_inquiry(request, inquiry_id), action, actor=request.auth, comment=comment)
    return _inquiry(request, inquiry.pk)


class SupportFilters(Schema):
    state: SupportState | None = None


@router.get("/support-requests", response=list[SupportRequestOut], operation_id="support_request_list")
@policy(*SUPPORT_READERS)
def support_request_list(request, filters: Query[SupportFilters]):
    """Technical and purchasing: the requests addressed to their department; sales: those of their inquiries."""
    state = filters.state.value if filters.state else None
    return list(inquiry_selectors.support_request_list(user=request.auth, state=state))


@router.get(
    "/support-requests/{int:support_request_id}", response=SupportRequestOut, operation_id="support_request_get"
)
@policy(*SUPPORT_READERS)
def support_request_get(request, support_request_id: int):
    return _support_request(request, support_request_id)


@router.post(
    "/support-requests/{int:support_request_id}/answer",
    response=SupportRequestOut,
    operation_id="support_request_answer",
)
@policy(Role.TECHNICAL, Role.PURCHASING)
def support_request_answer(request, support_request_id: int, payload: AnswerIn):
    """The addressed department answers in writing."""
    answered = inquiry_services.support_request_answer(
        actor=request.auth, support_request=_support_request(request, support_request_id), answer=payload.answer
    )
    return _support_request(request, answered.pk)


@router.post(
    "/support-requests/{int:support_request_id}/waive",
    response=SupportRequestOut,
    operation_id="support_request_waive",
)
@policy(*SUPPORT_WAIVERS)
def support_request_waive(request, support_request_id: int, payload: ReasonIn):
    """The manager waives an open request, with the reason, so the quotation may go to review."""
    waived = inquiry_services.support_request_waive(
        actor=request.auth, support_request=_support_request(request, support_request_id), reason=payload.reason
    )
    return _support_request(request, waived.pk)


# --- quotations and negotiation notes (W2.5-W2.6, R4, W3.1-W3.2) --------------------------------


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


QuotationPage = page_schema(QuotationOut, "QuotationPage")


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


def _quotation(request, pk: int) -> Quotation:
    return quotation_selectors.quotation_get_for(user=request.auth, pk=pk)


@router.get("/quotations", response=QuotationPage, operation_id="quotation_list")
@policy(*READERS)
def quotation_list(request, filters: Query[QuotationFilters]):
    """Quotations and tender documents in the caller's scope, searched, filtered, sorted and paged."""
    queryset = quotation_selectors.quotation_list(user=request.auth)
    return listing_page(quotation_selectors.quotation_listing(), queryset, filters)


@router.post("/quotations", response={201: QuotationDetail}, operation_id="quotation_create")
@policy(*SALES)
@idempotent(QuotationDetail)
def quotation_create(request, payload: QuotationIn):
    """Draft a quotation from an inquiry in bidding or for a customer. Honours ``Idempotency-Key``."""
    fields = payload.model_dump(exclude={"lines"})
    quotation = quotation_services.quotation_create(actor=request.auth, lines=_lines(payload.lines), **fields)
    return Status(201, _quotation(request, quotation.pk))


@router.get("/quotations/{int:quotation_id}", response=QuotationDetail, operation_id="quotation_get")
@policy(*READERS)
def quotation_get(request, quotation_id: int):
    """The quotation with its lines and why it is non-standard (R4), if it is."""
    return _quotation(request, quotation_id)


@router.patch("/quotations/{int:quotation_id}", response=QuotationDetail, operation_id="quotation_update")
@policy(*SALES)
def quotation_update(request, quotation_id: int, payload: QuotationPatch):
    """Edit a draft or returned quotation; ``lines``, when given, replace all lines; stale ``version``: 409."""
    version, fields = versioned_changes(payload)
    fields.pop("lines", None)
    quotation = quotation_services.quotation_update(
        quotation=_quotation(request, quotation_id),
        actor=request.auth,
        version=version,
        lines=_lines(payload.lines),
        **fields,
    )
    return _quotation(request, quotation.pk)


@router.post("/quotations/{int:quotation_id}/revise", response={201: QuotationDetail}, operation_id="quotation_revise")
@policy(*SALES)
def quotation_revise(request, quotation_id: int, payload: ActionIn | None = None):
    """A new revision (a draft) supersedes this quotation, which stays readable."""
    comment = payload.comment if payload else ""
    revision = quotation_services.quotation_revise(
        quotation=_quotation(request, quotation_id), actor=request.auth, comment=comment
    )
    return Status(201, _quotation(request, revision.pk))


@router.post("/quotations/{int:quotation_id}/won", response=QuotationDetail, operation_id="quotation_won")
@policy(*SALES)
def quotation_won(request, quotation_id: int, payload: WonIn):
    quotation = quotation_services.quotation_record_won(
        quotation=_quotation(request, quotation_id), actor=request.auth, note=payload.note
    )
    return _quotation(request, quotation.pk)


@router.post("/quotations/{int:quotation_id}/lost", response=QuotationDetail, operation_id="quotation_lost")
@policy(*SALES)
def quotation_lost(request, quotation_id: int, payload: LostIn):
    """Lost, with the winning competitor and price when known (recorded as market intelligence, R1)."""
    quotation = quotation_services.quotation_record_lost(
        quotation=_quotation(request, quotation_id), actor=request.auth, **payload.model_dump()
    )
    return _quotation(request, quotation.pk)


@router.post("/quotations/{int:quotation_id}/withdraw", response=QuotationDetail, operation_id="quotation_withdraw")
@policy(*SALES)
def quotation_withdraw(request, quotation_id: int, payload: WithdrawIn):
    quotation = quotation_services.quotation_withdraw(
        quotation=_quotation(request, quotation_id), actor=request.auth, note=payload.note
    )
    return _quotation(request, quotation.pk)


@router.get(
    "/quotations/{int:quotation_id}/notes", response=list[NegotiationNoteOut], operation_id="negotiation_note_list"
)
@policy(*READERS)
def negotiation_note_list(request, quotation_id: int):
    """The negotiation rounds of the quotation, in date order (W3.1)."""
    quotation = _quotation(request, quotation_id)
    return list(quotation_selectors.negotiation_notes_for(user=request.auth, quotation=quotation))


@router.post(
    "/quotations/{int:quotation_id}/notes", response={201: NegotiationNoteOut}, operation_id="negotiation_note_add"
)
@policy(*SALES)
def negotiation_note_add(request, quotation_id: int, payload: NegotiationNoteIn):
    """Record a negotiation round; the manager is told, leadership asked on a major deal (W3.2)."""
    note = negotiation_services.negotiation_note_add(
        actor=request.auth, quotation=_quotation(request, quotation_id), **payload.model_dump()
    )
    return Status(201, note)


@router.post("/quotations/{int:quotation_id}/{action}", response=QuotationDetail, operation_id="quotation_transition")
@policy(*READERS)
def quotation_transition(
    request,
    quotation_id: int,
    action: Literal["submit", "approve", "reject", "issue"],
    payload: ActionIn | None = None,
):
    """Review and issue (W2.5-W2.6, R4); ``comment`` is the reason of a rejection. The flow decides
    who may (403) and when (409: e.g. issuing before approval)."""
    comment = payload.comment if payload else ""
    quotation = quotation_services.quotation_act(
        _quotation(request, quotation_id), action, actor=request.auth, comment=comment
    )
    return _quotation(request, quotation.pk)


# --- contracts (W3.3-W3.5) ----------------------------------------------------------------------


class ContractOut(PricedOut):
    quotation_id: int
    quotation_number: str
    signed_on: datetime.date | None
    archived_at: datetime.datetime | None
    archived_late: bool
    has_deviations: bool

    @staticmethod
    def resolve_quotation_number(obj: Contract) -> str:
        return obj.quotation.number

    @staticmethod
    def resolve_has_deviations(obj: Contract) -> bool:
        return bool(obj.deviations)


class ContractDetail(ContractOut):
    lines: list[LineOut]
    deviations: list[Any]


class ContractIn(Schema):
    quotation_id: int = Field(..., description="An issued quotation, still valid.")


class ContractFilters(ListFilters):
    state: ContractState | None = None


ContractPage = page_schema(ContractOut, "ContractPage")

CONTRACT_LISTING = Listing(
    search_fields=("number", "customer__name", "quotation__number", "owner__username", "owner__display_name"),
    orderings={
        "number": "number",
        "created": "created_at",
        "signed": "signed_on",
        "amount": "total_amount",
        "state": "state",
    },
    default_ordering="-created",
    filters=(Filter("state", "state", gettext_lazy("State"), list(ContractState.choices)),),
)


def _contract(request, pk: int) -> Contract:
    return contract_selectors.contract_get_for(user=request.auth, pk=pk)


@router.get("/contracts", response=ContractPage, operation_id="contract_list")
@policy(*READERS)
def contract_list(request, filters: Query[ContractFilters]):
    """Contracts in the caller's scope, searched, filtered, sorted and paged."""
    return listing_page(CONTRACT_LISTING, contract_selectors.contract_list(user=request.auth), filters)


@router.post("/contracts", response={201: ContractDetail}, operation_id="contract_create")
@policy(*SALES)
@idempotent(ContractDetail)
def contract_create(request, payload: ContractIn):
    """Draft the contract from an issued quotation (W3.3), its lines and terms copied."""
    quotation = _quotation(request, payload.quotation_id)
    contract = contract_services.contract_draft_from_quotation(actor=request.auth, quotation=quotation)
    return Status(201, _contract(request, contract.pk))


@router.get("/contracts/{int:contract_id}", response=ContractDetail, operation_id="contract_get")
@policy(*READERS)
def contract_get(request, contract_id: int):
    """The contract with its lines and its deviations from the quotation (W3.3)."""
    return _contract(request, contract_id)


@router.patch("/contracts/{int:contract_id}", response=ContractDetail, operation_id="contract_update")
@policy(*SALES)
def contract_update(request, contract_id: int, payload: TermsPatch):
    """Edit a draft or returned contract; deviations are computed again; stale ``version``: 409."""
    version, fields = versioned_changes(payload)
    fields.pop("lines", None)
    contract = contract_services.contract_update(
        actor=request.auth,
        contract=_contract(request, contract_id),
        version=version,
        lines=_lines(payload.lines),
        **fields,
    )
    return _contract(request, contract.pk)


@router.post("/contracts/{int:contract_id}/sign", response=ContractDetail, operation_id="contract_sign")
@policy(*SALES)
def contract_sign(
    request,
    contract_id: int,
    signed_on: Form[datetime.date],
    scan: File[UploadedFile],
    comment: Form[str] = "",
):
    """Record the signing (multipart: ``signed_on``, ``scan`` PDF/PNG/JPG); the sales office is told
    to archive it today (W3.4-W3.5)."""
    contract = contract_services.contract_sign(
        actor=request.auth, contract=_contract(request, contract_id), signed_on=signed_on, scan=scan, comment=comment
    )
    return _contract(request, contract.pk)


@router.post("/contracts/{int:contract_id}/{action}", response=ContractDetail, operation_id="contract_transition")
@policy(*READERS)
def contract_transition(
    request,
    contract_id: int,
    action: Literal["submit", "confirm", "reject", "archive", "void"],
    payload: ActionIn | None = None,
):
    """Submit, re-confirm or reject deviations, archive (the sales office) or void (with the reason
    in ``comment``; the number is kept, R15)."""
    comment = payload.comment if payload else ""
    contract = contract_services.contract_act(
        _contract(request, contract_id), action, actor=request.auth, comment=comment
    )
    return _contract(request, contract.pk)


# --- phone and fax orders (W3.6) ----------------------------------------------------------------


class PhoneOrderOut(PricedOut):
    channel: str
    received_on: datetime.date
    reason_without_contract: str


class PhoneOrderDetail(PhoneOrderOut):
    lines: list[LineOut]


class PhoneOrderIn(TermsIn):
    customer_id: int
    channel: OrderChannel
    received_on: datetime.date
    reason_without_contract: str = Field(..., min_length=1, max_length=TEXT)
    lines: list[LineSchema] = Field(..., min_length=1)


class PhoneOrderPatch(TermsPatch):
    customer_id: int | None = None
    channel: OrderChannel | None = None
    received_on: datetime.date | None = None
    reason_without_contract: str | None = Field(None, min_length=1, max_length=TEXT)


class PhoneOrderFilters(ListFilters):
    state: PhoneOrderState | None = None
    channel: OrderChannel | None = None


PhoneOrderPage = page_schema(PhoneOrderOut, "PhoneOrderPage")

PHONE_ORDER_LISTING = Listing(
    search_fields=("number", "customer__name", "owner__username", "owner__display_name"),
    orderings={
        "number": "number",
        "created": "created_at",
        "received": "received_on",
        "amount": "total_amount",
        "state": "state",
    },
    default_ordering="-created",
    filters=(
        Filter("state", "state", gettext_lazy("State"), list(PhoneOrderState.choices)),
        Filter("channel", "channel", gettext_lazy("Channel"), list(OrderChannel.choices)),
    ),
)


def _order(request, pk: int) -> PhoneOrder:
    return order_selectors.phone_order_get_for(user=request.auth, pk=pk)


@router.get("/orders", response=PhoneOrderPage, operation_id="phone_order_list")
@policy(*READERS)
def phone_order_list(request, filters: Query[PhoneOrderFilters]):
    """Phone and fax orders in the caller's scope, searched, filtered, sorted and paged."""
    return listing_page(PHONE_ORDER_LISTING, order_selectors.phone_order_list(user=request.auth), filters)


@router.post("/orders", response={201: PhoneOrderDetail}, operation_id="phone_order_create")
@policy(*SALES)
@idempotent(PhoneOrderDetail)
def phone_order_create(request, payload: PhoneOrderIn):
    """Record a phone or fax order without a formal contract (W3.6); executable once confirmed."""
    fields = payload.model_dump(exclude={"lines"})
    order = order_services.phone_order_create(actor=request.auth, lines=_lines(payload.lines), **fields)
    return Status(201, _order(request, order.pk))


@router.get("/orders/{int:order_id}", response=PhoneOrderDetail, operation_id="phone_order_get")
@policy(*READERS)
def phone_order_get(request, order_id: int):
    return _order(request, order_id)


@router.patch("/orders/{int:order_id}", response=PhoneOrderDetail, operation_id="phone_order_update")
@policy(*SALES)
def phone_order_update(request, order_id: int, payload: PhoneOrderPatch):
    """Edit a draft or rejected order; ``lines``, when given, replace all lines; stale ``version``: 409."""
    version, fields = versioned_changes(payload)
    fields.pop("lines", None)
    order = order_services.phone_order_update(
        actor=request.auth, order=_order(request, order_id), version=version, lines=_lines(payload.lines), **fields
    )
    return _order(request, order.pk)


@router.post("/orders/{int:order_id}/{action}", response=PhoneOrderDetail, operation_id="phone_order_transition")
@policy(*READERS)
def phone_order_transition(
    request,
    order_id: int,
    action: Literal["submit", "confirm", "reject", "cancel"],
    payload: ActionIn | None = None,
):
    """Submit, confirm (the manager; leadership too when major), reject or cancel (W3.6)."""
    comment = payload.comment if payload else ""
    order = order_services.phone_order_act(_order(request, order_id), action, actor=request.auth, comment=comment)
    return _order(request, order.pk)


# --- contract register (R15) and pipeline -------------------------------------------------------


class RegisterRowOut(Schema):
    number: str
    sequence: int
    state: str
    state_label: str
    customer: str
    owner: str
    total_amount: Money
    signed_on: datetime.date | None
    void_reason: str


class RegisterOut(Schema):
    period: str
    status: str
    status_label: str
    due_on: datetime.date
    compiled_at: datetime.datetime | None
    submitted_at: datetime.datetime | None
    submitted_late: bool
    contract_count: int
    voided_count: int
    gaps: list[str]
    rows: list[RegisterRowOut]


def _register(request, period: str) -> dict[str, Any]:
    sheet = register_selectors.register_get_for(user=request.auth, period=period)
    register = sheet.register
    return {
        "period": sheet.period,
        "status": sheet.status,
        "status_label": sheet.status_label,
        "due_on": sheet.due_on,
        "compiled_at": register.compiled_at if register else None,
        "submitted_at": register.submitted_at if register else None,
        "submitted_late": sheet.submitted_late,
        "contract_count": len(sheet.rows),
        "voided_count": sheet.voided_count,
        "gaps": sheet.gaps,
        "rows": sheet.rows,
    }


@router.get("/register/{period}/export.xlsx", operation_id="register_export")
@policy(*register_selectors.REGISTER_READERS)
def register_export(request, period: str):
    """The month's register as an Excel sheet."""
    register_selectors.parse_period(period)
    content = register_selectors.register_xlsx(user=request.auth, period=period)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="contract-register-{period}.xlsx"'
    return response


@router.get("/register/{period}", response=RegisterOut, operation_id="register_get")
@policy(*register_selectors.REGISTER_READERS)
def register_get(request, period: str):
    """Every contract number of the month (``YYYYMM``) in order, with its state; voided ones with the reason."""
    return _register(request, period)


@router.post("/register/{period}/{action}", response=RegisterOut, operation_id="register_transition")
@policy(*register_selectors.REGISTER_KEEPERS)
def register_transition(request, action: Literal["compile", "submit"], period: str):
    """The sales office compiles, then submits, a closed month's register (R15: by the 5th)."""
    if action == "compile":
        register_services.register_compile(actor=request.auth, period=period)
    else:
        register_services.register_submit(actor=request.auth, period=period)
    return _register(request, period)


class StageOut(Schema):
    key: str
    group: str
    label: str
    count: int
    amount: Money


class PipelineFilters(Schema):
    salesperson: int | None = None
    branch: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


@router.get("/pipeline", response=list[StageOut], operation_id="pipeline_get")
@policy(*READERS)
def pipeline_get(request, filters: Query[PipelineFilters]):
    """Counts and amounts per stage, inquiry → bid → quotation → negotiation → contract, within scope."""
    return pipeline_selectors.pipeline(
        user=request.auth,
        salesperson_id=filters.salesperson,
        branch_id=filters.branch,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
