"""The monthly contract register (R15): every number of the month in order, compiled and submitted."""

import datetime
from typing import Any, Literal

from ninja import Schema

from salesops.core.api import Router
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
@policy(*REGISTER_READERS)
def register_export(request, period: str):
    """The month's register as an Excel sheet."""
    register_selectors.parse_period(period)
    content = register_selectors.register_xlsx(user=request.auth, period=period)
    return xlsx_response(content, f"contract-register-{period}.xlsx")


@router.get("/register/{period}", response=RegisterOut, operation_id="register_get")
@policy(*REGISTER_READERS)
def register_get(request, period: str):
    """Every contract number of the month (``YYYYMM``) in order, with its state; voided ones with the reason."""
    return _register(request, period)


@router.post("/register/{period}/{action}", response=RegisterOut, operation_id="register_transition")
@policy(*REGISTER_KEEPERS)
def register_transition(request, action: Literal["compile", "submit"], period: str):
    """The sales office compiles, then submits, a closed month's register (R15: by the 5th)."""
    if action == "compile":
        register_services.register_compile(actor=request.auth, period=period)
    else:
        register_services.register_submit(actor=request.auth, period=period)
    return _register(request, period)
