"""What receivables reads of deliveries: the sold lines a return brought goods back to, and the
customer's deliveries valued for a statement of account."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

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
    at its sold lines' tax-inclusive prices (an exchange's replacement at the returned line's). Two
    queries."""
    from django.db.models import DecimalField, ExpressionWrapper, F, Sum
    from django.db.models.functions import Coalesce

    from ..models import OutboundLine, RedNoteLine, RedNoteState

    value = ExpressionWrapper(
        F("quantity") * Coalesce(F(_PRICE), F(_EXCHANGED_PRICE)),
        output_field=DecimalField(max_digits=20, decimal_places=5),
    )
    shipped = OutboundLine.objects.filter(outbound__customer_id=customer_id, outbound__shipped_on__lte=until)
    if since is not None:
        shipped = shipped.filter(outbound__shipped_on__gte=since)
    entries = [
        DeliveryEntry(row["outbound__shipped_on"], row["outbound__number"], "outbound", _fen(row["value"]))
        for row in shipped.values("outbound__shipped_on", "outbound__number")
        .annotate(value=Sum(value))
        .order_by("outbound__shipped_on", "outbound__number")
    ]
    red_value = ExpressionWrapper(
        F("quantity") * Coalesce(F(f"outbound_line__{_PRICE}"), F(f"outbound_line__{_EXCHANGED_PRICE}")),
        output_field=DecimalField(max_digits=20, decimal_places=5),
    )
    returned = RedNoteLine.objects.filter(
        red_note__customer_id=customer_id, red_note__state=RedNoteState.RECEIVED, red_note__received_at__isnull=False
    )
    for row in returned.values("red_note__received_at", "red_note__number").annotate(value=Sum(red_value)):
        day = timezone.localtime(row["red_note__received_at"]).date()
        if day <= until and (since is None or day >= since):
            entries.append(DeliveryEntry(day, row["red_note__number"], "red_note", -_fen(row["value"])))
    return sorted(entries, key=lambda entry: (entry.day, entry.number))


def _fen(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def customers_delivered_to(*, until: datetime.date) -> set[int]:
    """Customers with an outbound booked up to ``until``."""
    from ..models import Outbound

    return set(Outbound.objects.filter(shipped_on__lte=until).values_list("customer_id", flat=True).distinct())
