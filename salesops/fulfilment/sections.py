"""The delivery section of a signed contract's and a confirmed phone order's page (W4): each sold
line's quantity, requested, delivered and returned; the requisitions raised from it; for a
contract, its R7 ship-by date (预计 on a provisional calendar)."""

from typing import Any

from salesops.workflow.related import register_section

from .deadlines import ship_by
from .models import Requisition
from .permissions import CONFIRMERS, REQUESTERS

TEMPLATE = "fulfilment/sections/delivery.html"


def delivery_section(doc: Any, user: Any) -> dict[str, Any] | None:
    from salesops.deals.choices import ContractState, PhoneOrderState

    from .services.requisitions import sold_lines

    is_contract = doc._meta.model_name == "contract"
    if doc.state not in (
        (ContractState.SIGNED, ContractState.ARCHIVED) if is_contract else (PhoneOrderState.CONFIRMED,)
    ):
        return None
    lines = sold_lines(doc)
    source = {"contract": doc} if is_contract else {"phone_order": doc}
    requisitions = list(
        Requisition.objects.visible_to(user)
        .filter(**source)
        .select_related("owner")
        .order_by("-created_at", "-pk")[:20]
    )
    return {
        "lines": lines,
        "requisitions": requisitions,
        "ship_by": ship_by(doc.signed_on) if is_contract and doc.signed_on else None,
        "source_param": f"{'contract' if is_contract else 'phone_order'}={doc.pk}",
        "may_raise": user.has_role(*REQUESTERS) and any(line.open_quantity > 0 for line in lines),
        "may_delay": is_contract and user.has_role(*CONFIRMERS),
    }


def register() -> None:
    register_section("deals.contract", TEMPLATE, delivery_section)
    register_section("deals.phoneorder", TEMPLATE, delivery_section)
