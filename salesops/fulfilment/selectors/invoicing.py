"""What invoicing reads of deliveries: the sold lines a return brought goods back to."""

from collections import defaultdict
from decimal import Decimal

from ..models import ReturnLine


def returned_by_order_line(return_request_id: int) -> dict[int, Decimal]:
    """Sold line id → quantity the return claims of it (lines delivered from requisitions; an
    exchange's replacement goods were never sold lines of their own)."""
    found: dict[int, Decimal] = defaultdict(Decimal)
    rows = ReturnLine.objects.filter(
        request_id=return_request_id, outbound_line__note_line__requisition_line__isnull=False
    ).values_list("outbound_line__note_line__requisition_line__order_line_id", "quantity")
    for order_line_id, quantity in rows:
        found[order_line_id] += quantity
    return dict(found)
