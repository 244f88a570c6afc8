"""What receivables reads of deliveries: the sold lines a return brought goods back to, and the
customer's deliveries valued for a statement of account."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

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


@dataclass(frozen=True)
class DeliveryEntry:
    """An outbound (positive) or a received red note (negative) valued at the sold lines' prices."""

    day: datetime.date
    number: str
    kind: str  # "outbound" or "red_note"
    amount: Decimal


_PRICE = "note_line__requisition_line__order_line__unit_price"
_EXCHANGED_PRICE = "note_line__return_line__outbound_line__note_line__requisition_line__order_line__unit_price"


def delivery_entries(
    customer_id: int, *, until: datetime.date, since: datetime.date | None = None
) -> list[DeliveryEntry]:
    """The customer's outbounds and received red notes up to ``until`` (from ``since``), each valued
    at its sold lines' tax-inclusive prices (an exchange's replacement at the returned line's), each
    line rounded to the fen half up as invoicing rounds it. Two queries."""
    from django.db.models.functions import Coalesce

    from ..models import OutboundLine, RedNoteLine, RedNoteState

    totals: dict[tuple[datetime.date, str, str], Decimal] = defaultdict(Decimal)
    shipped = OutboundLine.objects.filter(outbound__customer_id=customer_id, outbound__shipped_on__lte=until)
    if since is not None:
        shipped = shipped.filter(outbound__shipped_on__gte=since)
    for day, number, quantity, price in shipped.annotate(price=Coalesce(_PRICE, _EXCHANGED_PRICE)).values_list(
        "outbound__shipped_on", "outbound__number", "quantity", "price"
    ):
        totals[(day, number, "outbound")] += _fen(quantity * (price or 0))
    returned = RedNoteLine.objects.filter(
        red_note__customer_id=customer_id, red_note__state=RedNoteState.RECEIVED, red_note__received_at__isnull=False
    ).annotate(price=Coalesce(f"outbound_line__{_PRICE}", f"outbound_line__{_EXCHANGED_PRICE}"))
    for at, number, quantity, price in returned.values_list(
        "red_note__received_at", "red_note__number", "quantity", "price"
    ):
        day = timezone.localtime(at).date()
        if day <= until and (since is None or day >= since):
            totals[(day, number, "red_note")] -= _fen(quantity * (price or 0))
    entries = [DeliveryEntry(day, number, kind, amount) for (day, number, kind), amount in totals.items()]
    return sorted(entries, key=lambda entry: (entry.day, entry.number))


def _fen(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def customers_delivered_to(*, until: datetime.date) -> set[int]:
    """Customers with an outbound booked up to ``until``."""
    from ..models import Outbound

    return set(Outbound.objects.filter(shipped_on__lte=until).values_list("customer_id", flat=True).distinct())
