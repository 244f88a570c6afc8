"""One customer's account page (W5.1): the account by contract, by delivery and by invoice, and what
was delivered and not invoiced, or invoiced and not delivered, line by line.

Delivered value is what the customer keeps (delivered − returned) at the sold line's unit price
(fulfilment's ``OrderLine``, read only). Invoiced quantities are those of the invoices issued (a red
invoice's lines count back); quantities asked on requests not yet invoiced do not count. Whoever
sees the customer sees their whole account: the deliveries and invoices are read for the customer,
not through each document's own scope. A fixed number of queries whatever the account holds.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, F, Q, Sum, When
from django.db.models.functions import Abs
from django.utils import timezone

from ..models import Invoice, OrderAccount
from ..taxmath import to_fen
from .balances import QUANTITY, CustomerAccount, customer_account

ZERO = Decimal("0.00")


@dataclass
class SourceRow:
    """A contract or phone order of the customer: what it is worth, what was delivered, invoiced and paid."""

    source: Any
    total: Decimal = ZERO
    delivered_value: Decimal = ZERO
    invoiced: Decimal = ZERO  # blue invoices less red ones
    paid_on_invoices: Decimal = ZERO
    prepaid: Decimal = ZERO

    @property
    def paid(self) -> Decimal:
        """Paid on its invoices and on the order itself before invoicing (prepayments)."""
        return self.paid_on_invoices + self.prepaid

    @property
    def open(self) -> Decimal:
        """Invoiced and not paid (negative: paid ahead of the invoices)."""
        return self.invoiced - self.paid


@dataclass(frozen=True)
class DeliveryRow:
    """An outbound (positive) or a red outbound note (negative) with its value at the sold prices."""

    document: Any
    on: datetime.date | None
    is_red: bool
    is_exchange: bool
    counts: bool  # a red note counts once the warehouse received the goods
    value: Decimal


@dataclass(frozen=True)
class InvoiceRow:
    invoice: Any
    total: Decimal
    reversed: Decimal
    paid: Decimal
    days_overdue: int

    @property
    def open(self) -> Decimal:
        return self.total - self.reversed - self.paid


@dataclass(frozen=True)
class LineGap:
    """A sold line whose kept quantity and invoiced quantity differ; ``quantity`` is the difference."""

    line: Any
    kept: Decimal
    invoiced: Decimal
    quantity: Decimal
    value: Decimal


@dataclass
class AccountDetail:
    customer: Any
    account: CustomerAccount
    overdue: Decimal
    sources: list[SourceRow] = field(default_factory=list)
    deliveries: list[DeliveryRow] = field(default_factory=list)
    invoices: list[InvoiceRow] = field(default_factory=list)
    not_invoiced: list[LineGap] = field(default_factory=list)
    not_delivered: list[LineGap] = field(default_factory=list)

    @property
    def delivered_value(self) -> Decimal:
        return sum((row.value for row in self.deliveries if row.counts), ZERO)

    @property
    def not_invoiced_value(self) -> Decimal:
        return sum((gap.value for gap in self.not_invoiced), ZERO)

    @property
    def not_delivered_value(self) -> Decimal:
        return sum((gap.value for gap in self.not_delivered), ZERO)


def _key(contract_id: int | None, phone_order_id: int | None) -> tuple[str, int]:
    return ("contract", contract_id) if contract_id is not None else ("phone_order", phone_order_id or 0)


def account_detail(*, user, customer_id: Any, today: datetime.date | None = None) -> AccountDetail:
    """The account of one customer ``user`` sees (NotFound otherwise)."""
    from salesops.customers.selectors import customer_get_for

    today = today or timezone.localdate()
    customer = customer_get_for(user=user, pk=customer_id)
    account = customer_account(user=user, customer_id=customer.pk)
    detail = AccountDetail(customer=customer, account=account, overdue=ZERO)
    lines = _sold_lines(customer.pk)
    invoices = list(
        Invoice.objects.filter(customer=customer)
        .select_related("balance", "contract", "phone_order")
        .order_by("due_on", "issued_on", "pk")
    )
    detail.sources = _sources(
        lines, invoices, OrderAccount.objects.filter(customer=customer).select_related("contract", "phone_order")
    )
    detail.invoices = _invoice_rows(invoices, today)
    detail.overdue = sum((row.open for row in detail.invoices if row.days_overdue > 0), ZERO)
    detail.deliveries = _deliveries(customer.pk)
    invoiced = _invoiced_quantities(customer.pk)
    for line in lines:
        billed = invoiced.get(line.pk, ZERO)
        if line.kept > billed:
            detail.not_invoiced.append(_gap(line, billed, line.kept - billed))
        elif billed > line.kept:
            detail.not_delivered.append(_gap(line, billed, billed - line.kept))
    return detail


def _sold_lines(customer_id: int) -> list[Any]:
    from salesops.fulfilment.models import OrderLine

    return list(
        OrderLine.objects.filter(Q(contract__customer_id=customer_id) | Q(phone_order__customer_id=customer_id))
        .select_related("product", "contract", "phone_order")
        .order_by("contract_id", "phone_order_id", "pk")
    )


def _sources(lines: list[Any], invoices: list[Invoice], accounts: Iterable[OrderAccount]) -> list[SourceRow]:
    rows: dict[tuple[str, int], SourceRow] = {}

    def row_of(contract_id: int | None, phone_order_id: int | None, source: Any) -> SourceRow:
        key = _key(contract_id, phone_order_id)
        if key not in rows:
            rows[key] = SourceRow(source=source, total=source.total_amount)
        return rows[key]

    for line in lines:
        row = row_of(line.contract_id, line.phone_order_id, line.contract or line.phone_order)
        row.delivered_value += to_fen(line.kept * line.unit_price)
    for invoice in invoices:
        row = row_of(invoice.contract_id, invoice.phone_order_id, invoice.contract or invoice.phone_order)
        row.invoiced += invoice.total_amount
        if not invoice.is_red:
            row.paid_on_invoices += invoice.balance.allocated
    for account in accounts:
        row_of(account.contract_id, account.phone_order_id, account.source).prepaid += account.prepaid
    return sorted(rows.values(), key=lambda row: (row.source.created_at, row.source.pk))


def _invoice_rows(invoices: list[Invoice], today: datetime.date) -> list[InvoiceRow]:
    rows = []
    for invoice in invoices:
        if invoice.is_red:
            continue
        balance = invoice.balance
        open_amount = balance.total - balance.reversed - balance.allocated
        days = (today - invoice.due_on).days if open_amount > 0 else 0
        rows.append(
            InvoiceRow(
                invoice=invoice,
                total=balance.total,
                reversed=balance.reversed,
                paid=balance.allocated,
                days_overdue=max(days, 0),
            )
        )
    return rows


def _price_of(outbound_line: Any) -> Decimal | None:
    """The sold unit price of a delivered line: through its requisition, or for an exchange through the
    line the exchanged goods were first delivered on."""
    note_line = outbound_line.note_line
    if note_line.requisition_line_id is not None:
        return note_line.requisition_line.order_line.unit_price
    if note_line.return_line_id is not None:
        original = note_line.return_line.outbound_line.note_line
        if original.requisition_line_id is not None:
            return original.requisition_line.order_line.unit_price
    return None


OUTBOUND_LINE_PATH = (
    "note_line__requisition_line__order_line",
    "note_line__return_line__outbound_line__note_line__requisition_line__order_line",
)


def _value(lines: Iterable[tuple[Decimal, Any]]) -> Decimal:
    return sum((to_fen(quantity * (_price_of(delivered) or ZERO)) for quantity, delivered in lines), ZERO)


def _deliveries(customer_id: int) -> list[DeliveryRow]:
    """The customer's outbounds and red outbound notes (not voided), in date order. Two queries."""
    from salesops.fulfilment.models import OutboundLine, RedNoteLine, RedNoteState, ReturnKind

    by_outbound: dict[int, list] = defaultdict(list)
    outbounds = {}
    for line in OutboundLine.objects.filter(outbound__customer_id=customer_id).select_related(
        "outbound__note", *OUTBOUND_LINE_PATH
    ):
        outbounds[line.outbound_id] = line.outbound
        by_outbound[line.outbound_id].append((line.quantity, line))
    rows = [
        DeliveryRow(
            document=outbound,
            on=outbound.shipped_on,
            is_red=False,
            is_exchange=outbound.note.return_request_id is not None,
            counts=True,
            value=_value(by_outbound[pk]),
        )
        for pk, outbound in outbounds.items()
    ]
    by_note: dict[int, list] = defaultdict(list)
    notes = {}
    red_lines = (
        RedNoteLine.objects.filter(red_note__customer_id=customer_id)
        .exclude(red_note__state=RedNoteState.VOIDED)
        .select_related("red_note__return_request", *(f"outbound_line__{path}" for path in OUTBOUND_LINE_PATH))
    )
    for red_line in red_lines:
        notes[red_line.red_note_id] = red_line.red_note
        by_note[red_line.red_note_id].append((red_line.quantity, red_line.outbound_line))
    for pk, note in notes.items():
        received = note.state == RedNoteState.RECEIVED
        rows.append(
            DeliveryRow(
                document=note,
                on=timezone.localdate(note.received_at) if note.received_at else None,
                is_red=True,
                is_exchange=note.return_request.kind == ReturnKind.EXCHANGE,
                counts=received,
                value=-_value(by_note[pk]),
            )
        )
    far = datetime.date.max
    return sorted(rows, key=lambda row: (row.on or far, row.document.created_at, row.document.pk))


def _invoiced_quantities(customer_id: int) -> dict[int, Decimal]:
    """Quantity invoiced per sold line: blue invoice lines less red ones (whatever sign a red line
    carries). One query."""
    from ..models import InvoiceLine

    signed = Case(
        When(invoice__red_of__isnull=True, then=F("quantity")),
        default=-Abs(F("quantity")),
        output_field=QUANTITY,
    )
    rows = (
        InvoiceLine.objects.filter(invoice__customer_id=customer_id, order_line__isnull=False, quantity__isnull=False)
        .order_by()
        .values("order_line")
        .annotate(q=Sum(signed))
    )
    return {row["order_line"]: row["q"] or ZERO for row in rows}


def _gap(line: Any, billed: Decimal, quantity: Decimal) -> LineGap:
    value = to_fen(quantity * line.unit_price)
    return LineGap(line=line, kept=line.kept, invoiced=billed, quantity=quantity, value=value)
