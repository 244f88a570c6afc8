"""Contracts (W3.3-W3.5): drafted from an issued quotation, deviations re-confirmed, signed, archived."""

import datetime
from typing import Any

from ninja import Field, File, Form, Schema
from ninja.files import UploadedFile

from salesops.core.api import Router
from salesops.core.policy import policy
from salesops.workflow.docapi import DocumentApi

from ..choices import ContractState
from ..models import Contract
from ..permissions import API_READERS, RAISERS
from ..selectors import contracts as contract_selectors
from ..selectors import quotations as quotation_selectors
from ..services import contracts as contract_services
from ..workflows import CONTRACT_FLOW
from .schemas import LineOut, ListFilters, PricedOut, TermsPatch, lines_in

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


def _draft(*, actor, quotation_id: int) -> Contract:
    quotation = quotation_selectors.quotation_get_for(user=actor, pk=quotation_id)
    return contract_services.contract_draft_from_quotation(actor=actor, quotation=quotation)


CONTRACT_API = DocumentApi(
    name="contract",
    path="/contracts",
    flow=CONTRACT_FLOW,
    get_for=contract_selectors.contract_get_for,
    rows=contract_selectors.contract_list,
    listing=lambda user: contract_selectors.contract_listing(),
    readers=API_READERS,
    writers=RAISERS,
    out=ContractOut,
    detail=ContractDetail,
    filters=ContractFilters,
    create_in=ContractIn,
    patch_in=TermsPatch,
    create=_draft,
    update=contract_services.contract_update,
    doc_arg="contract",
    inputs={"lines": lines_in},
    docs={
        "list": "Contracts in the caller's scope, searched, filtered, sorted and paged.",
        "create": "Draft the contract from an issued quotation (W3.3), its lines and terms copied.",
        "get": "The contract with its lines and its deviations from the quotation (W3.3).",
        "update": "Edit a draft or returned contract; deviations are computed again; stale ``version``: 409.",
        "transition": "Submit, re-confirm or reject deviations, archive (the sales office) or void (with the "
        "reason\nin ``comment``; the number is kept, R15).",
    },
)
CONTRACT_API.mount(router, actions=False)
contract_of = CONTRACT_API.load


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


CONTRACT_API.mount_actions(router)
