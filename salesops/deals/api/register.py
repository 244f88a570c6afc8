"""The monthly contract register (R15): every number of the month in order, compiled and submitted."""

import datetime
from typing import Any, Literal

from ninja import Query, Schema

from salesops.core.api import PageIn, PageOut, Router, page_answer
from salesops.core.api_jobs import refuse_large_export
from salesops.core.excel import xlsx_response
from salesops.core.policy import policy

from ..permissions import REGISTER_KEEPERS, REGISTER_READERS
from ..selectors import register as register_selectors
from ..services import register as register_services
from .schemas import Money

router = Router()


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


class VoidOut(Schema):
    number: str
    reason: str


class RegisterOut(PageOut):
    """The month's summary (counts, gaps, every void with its reason) and one page of its rows."""

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
    voided: list[VoidOut]
    items: list[RegisterRowOut]


def _register(request, period: str, paging: PageIn) -> dict[str, Any]:
    sheet = register_selectors.register_page_for(
        user=request.auth, period=period, page=paging.page, per_page=paging.page_size
    )
    register = sheet.register
    summary = {
        "period": sheet.period,
        "status": sheet.status,
        "status_label": sheet.status_label,
        "due_on": sheet.due_on,
        "compiled_at": register.compiled_at if register else None,
        "submitted_at": register.submitted_at if register else None,
        "submitted_late": sheet.submitted_late,
        "contract_count": sheet.contract_count,
        "voided_count": sheet.voided_count,
        "gaps": sheet.gaps,
        "voided": [{"number": void.number, "reason": void.reason} for void in sheet.voided],
    }
    return page_answer(sheet.rows, paging, count=sheet.contract_count, **summary)


@router.get("/register/{period}/export.xlsx", operation_id="register_export")
@policy(*REGISTER_READERS)
def register_export(request, period: str):
    """The month's register as an Excel sheet; a month longer than one request writes is a 422: ask
    for it with ``POST /api/jobs/exports``."""
    register_selectors.parse_period(period)
    refuse_large_export(register_selectors.register_export_rows(user=request.auth, period=period))
    content = register_selectors.register_xlsx(user=request.auth, period=period)
    return xlsx_response(content, f"contract-register-{period}.xlsx")


@router.get("/register/{period}", response=RegisterOut, operation_id="register_get")
@policy(*REGISTER_READERS)
def register_get(request, period: str, paging: Query[PageIn]):
    """The month's (``YYYYMM``) contract numbers in order, a page at a time, with their states; on top,
    the count, the gaps and every voided number with its reason."""
    return _register(request, period, paging)


@router.post("/register/{period}/{action}", response=RegisterOut, operation_id="register_transition")
@policy(*REGISTER_KEEPERS)
def register_transition(request, action: Literal["compile", "submit"], period: str, paging: Query[PageIn]):
    """The sales office compiles, then submits, a closed month's register (R15: by the 5th)."""
    if action == "compile":
        register_services.register_compile(actor=request.auth, period=period)
    else:
        register_services.register_submit(actor=request.auth, period=period)
    return _register(request, period, paging)
