"""The invoicing section of a signed contract's and a confirmed phone order's page (W6): each sold
line's delivered and invoiced quantities, the invoice requests raised from it, and the button to
request an invoice for whoever raises them."""

from typing import Any

from salesops.workflow.related import register_section

from ..models import InvoiceRequest
from ..permissions import REQUESTERS

TEMPLATE = "receivables/sections/invoicing.html"


def invoicing_section(doc: Any, user: Any) -> dict[str, Any] | None:
    from salesops.deals.choices import ContractState, PhoneOrderState
    from salesops.fulfilment.services.requisitions import sold_lines

    is_contract = doc._meta.model_name == "contract"
    if doc.state not in (
        (ContractState.SIGNED, ContractState.ARCHIVED) if is_contract else (PhoneOrderState.CONFIRMED,)
    ):
        return None
    requests = list(
        InvoiceRequest.objects.visible_to(user)
        .filter(**({"contract": doc} if is_contract else {"phone_order": doc}))
        .order_by("-created_at", "-pk")[:20]
    )
    may_request = user.has_role(*REQUESTERS)
    if not requests and not may_request:
        return None
    lines = sold_lines(doc)
    return {
        "lines": lines,
        "requests": requests,
        "source_param": f"{'contract' if is_contract else 'phone_order'}={doc.pk}",
        "may_request": may_request and any(line.quantity - line.returned - line.invoiced > 0 for line in lines),
    }


def register() -> None:
    register_section("deals.contract", TEMPLATE, invoicing_section)
    register_section("deals.phoneorder", TEMPLATE, invoicing_section)
