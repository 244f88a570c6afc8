"""What invoicing takes from the sold lines (receivables asks; fulfilment owns the counter).

An invoice request takes ``invoiced`` on each sold line it bills, in one conditional UPDATE: within
what was delivered and not returned, or, for an advance invoice (预开票) the manager approves,
within the quantity sold. A cancelled request or a red invoice gives the quantity back.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from salesops.core import counters

from ..models import OrderLine
from .requisitions import deliverable_source, order_lines_of


def invoiceable_source(actor: Any, contract_id: int | None, phone_order_id: int | None) -> Any:
    """The signed contract or confirmed phone order an invoice request bills, as the actor sees it."""
    return deliverable_source(actor, contract_id, phone_order_id)


def sold_lines_for_invoicing(source: Any) -> list[OrderLine]:
    """The source's sold lines with their counters (made when first needed)."""
    return order_lines_of(source)


def lines_invoice(takes: Sequence[tuple[int, Decimal]], *, advance: bool) -> list[int]:
    """Take ``invoiced`` on each ``(sold line id, quantity)``; the ids refused (the caller raises and
    its transaction undoes the others)."""
    if advance:
        return counters.take_lines(OrderLine, takes, used="invoiced", within="quantity", minus=("returned",))
    return counters.take_lines(OrderLine, takes, used="invoiced", within="delivered", minus=("returned",))


def lines_uninvoice(gives: Sequence[tuple[int, Decimal]]) -> None:
    for pk, quantity in gives:
        counters.give_back(OrderLine, pk, used="invoiced", amount=quantity)
