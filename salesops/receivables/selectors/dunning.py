"""The dunning list (催款, W5.1): each salesperson's overdue open invoices, oldest due first, with how
many days they are overdue and the last payment request (付款申请表) that asked for them — its
state and when it went to the customer — so the salesperson knows whom to chase and how.

A salesperson sees their own customers' invoices; a sales manager their team's, grouped by
salesperson; a branch manager their branch's; finance, the sales office and leadership everyone's.
One query whatever the number of invoices.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from ..models import PaymentRequestLine
from .balances import OPEN, open_balances


@dataclass(frozen=True)
class DunningRow:
    invoice: Any
    open: Decimal
    days_overdue: int
    request_id: int | None
    request_number: str
    request_state: str
    request_sent_at: datetime.datetime | None

    @property
    def customer(self) -> Any:
        return self.invoice.customer

    @property
    def salesperson(self) -> Any:
        return self.invoice.customer.owner


def dunning_list(
    *,
    user,
    today: datetime.date | None = None,
    salesperson_id: int | None = None,
    branch_id: int | None = None,
) -> list[DunningRow]:
    """Overdue open invoices of the customers ``user`` sees, by salesperson, oldest due first."""
    from salesops.customers.models import Customer

    today = today or timezone.localdate()
    customers = Customer.objects.visible_to(user)
    if salesperson_id:
        customers = customers.filter(owner_id=salesperson_id)
    if branch_id:
        customers = customers.filter(branch_id=branch_id)
    last = PaymentRequestLine.objects.filter(invoice=OuterRef("invoice_id")).order_by(
        "-request__created_at", "-request_id"
    )
    balances = (
        open_balances()
        .filter(invoice__due_on__lt=today, invoice__customer__in=customers)
        .select_related("invoice__customer__owner", "invoice__customer__branch")
        .annotate(
            open_now=OPEN,
            request_id=Subquery(last.values("request_id")[:1]),
            request_number=Subquery(last.values("request__number")[:1]),
            request_state=Subquery(last.values("request__state")[:1]),
            request_sent_at=Subquery(last.values("request__sent_at")[:1]),
        )
        .order_by("invoice__customer__owner__username", "invoice__due_on", "invoice__issued_on", "invoice_id")
    )
    return [
        DunningRow(
            invoice=balance.invoice,
            open=balance.open_now,
            days_overdue=(today - balance.invoice.due_on).days,
            request_id=balance.request_id,
            request_number=balance.request_number or "",
            request_state=balance.request_state or "",
            request_sent_at=balance.request_sent_at,
        )
        for balance in balances
    ]


def dunning_groups(rows: list[DunningRow]) -> list[dict[str, Any]]:
    """The rows grouped by salesperson (in the list's order), each with its total open and count."""
    groups: list[dict[str, Any]] = []
    for row in rows:
        if not groups or groups[-1]["salesperson"].pk != row.salesperson.pk:
            groups.append({"salesperson": row.salesperson, "rows": [], "total": Decimal("0")})
        groups[-1]["rows"].append(row)
        groups[-1]["total"] += row.open
    return groups
