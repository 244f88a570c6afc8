"""Contracts (W3.3-W3.5): drafted from an issued quotation, deviations re-confirmed, signed, archived."""

import datetime
from typing import Any

from ninja import Field, File, Form, Query, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from salesops.core.api import Router, idempotent, listing_page, page_schema, versioned_changes
from salesops.core.policy import policy
from salesops.workflow.registry import act_on

from ..choices import ContractState
from ..models import Contract
from ..permissions import API_READERS, RAISERS
from ..selectors import contracts as contract_selectors
from ..services import contracts as contract_services
from ..workflows import CONTRACT_FLOW
from .quotations import quotation_of
from .schemas import ActionIn, LineOut, ListFilters, PricedOut, TermsPatch, line_inputs

router = Router()


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


def contract_of(request, pk: int) -> Contract:
    return contract_selectors.contract_get_for(user=request.auth, pk=pk)


@router.get("/contracts", response=ContractPage, operation_id="contract_list")
@policy(*API_READERS)
def contract_list(request, filters: Query[ContractFilters]):
    """Contracts in the caller's scope, searched, filtered, sorted and paged."""
    return listing_page(
        contract_selectors.contract_listing(), contract_selectors.contract_list(user=request.auth), filters
    )


@router.post("/contracts", response={201: ContractDetail}, operation_id="contract_create")
@policy(*RAISERS)
@idempotent(ContractDetail)
def contract_create(request, payload: ContractIn):
    """Draft the contract from an issued quotation (W3.3), its lines and terms copied."""
    quotation = quotation_of(request, payload.quotation_id)
    contract = contract_services.contract_draft_from_quotation(actor=request.auth, quotation=quotation)
    return Status(201, contract_of(request, contract.pk))


@router.get("/contracts/{int:contract_id}", response=ContractDetail, operation_id="contract_get")
@policy(*API_READERS)
def contract_get(request, contract_id: int):
    """The contract with its lines and its deviations from the quotation (W3.3)."""
    return contract_of(request, contract_id)


@router.patch("/contracts/{int:contract_id}", response=ContractDetail, operation_id="contract_update")
@policy(*RAISERS)
def contract_update(request, contract_id: int, payload: TermsPatch):
    """Edit a draft or returned contract; deviations are computed again; stale ``version``: 409."""
    version, fields = versioned_changes(payload)
    fields.pop("lines", None)
    contract = contract_services.contract_update(
        actor=request.auth,
        contract=contract_of(request, contract_id),
        version=version,
        lines=line_inputs(payload.lines),
        **fields,
    )
    return contract_of(request, contract.pk)


@router.post("/contracts/{int:contract_id}/sign", response=ContractDetail, operation_id="contract_sign")
@policy(*RAISERS)
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
        actor=request.auth, contract=contract_of(request, contract_id), signed_on=signed_on, scan=scan, comment=comment
    )
    return contract_of(request, contract.pk)


@router.post("/contracts/{int:contract_id}/{action}", response=ContractDetail, operation_id="contract_transition")
@policy(*API_READERS)
def contract_transition(
    request,
    contract_id: int,
    action: CONTRACT_FLOW.action_choices,  # type: ignore[valid-type]
    payload: ActionIn | None = None,
):
    """Submit, re-confirm or reject deviations, archive (the sales office) or void (with the reason
    in ``comment``; the number is kept, R15)."""
    comment = payload.comment if payload else ""
    contract = act_on(contract_of(request, contract_id), action, actor=request.auth, comment=comment)
    return contract_of(request, contract.pk)
