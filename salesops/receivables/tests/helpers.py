"""Test data for the money documents: a delivered contract, and each step of W5 and W6 through the
services (approvals decided by whoever the kernel routed them to)."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from salesops.fulfilment.tests.helpers import Order, decide_all
from salesops.receivables import services
from salesops.receivables.models import InvoiceRequestState, PaymentRequestState
from salesops.workflow.registry import act_on

YEAR_PREFIX = f"{timezone.localdate().year % 100:02d}"
_serial = iter(range(1, 10**6))


def invoice_number() -> str:
    """A fresh 20-digit 数电 number of this year (province 37, channel 2, a 15-digit sequence)."""
    return f"{YEAR_PREFIX}372{next(_serial):015d}"


class Sale(Order):
    """A signed contract of ``owner``'s, delivered in full (pump × 10, valve × 10)."""

    def __init__(self, staff, owner=None, **kwargs: Any):
        super().__init__(staff, owner, **kwargs)
        self.delivered = self.outbound()

    def invoice_request(self, actor=None, lines=None, **extra: Any):
        from salesops.fulfilment.services import Pick

        ids = self.contract_line_ids()
        picks = None if lines is None else [Pick(ids[i], q) for i, q in lines]
        extra.setdefault("kind", "ordinary")
        return services.invoice_request_create(
            actor=actor or self.owner, contract_id=self.contract.pk, lines=picks, **extra
        )

    def approved_invoice_request(self, **kwargs: Any):
        request = self.invoice_request(**kwargs)
        request = act_on(request, "submit", actor=request.owner)
        return decide_all(request, InvoiceRequestState.APPROVED)

    def invoice(self, request=None, *, number: str | None = None, issued_on: datetime.date | None = None, **extra):
        request = request or self.approved_invoice_request()
        return services.invoice_record(
            actor=self.staff.finance,
            request=request,
            invoice_number=number or invoice_number(),
            issued_on=issued_on or timezone.localdate(),
            **extra,
        )

    def receipt(self, amount: str, **extra: Any):
        extra.setdefault("method", "transfer")
        extra.setdefault("received_on", timezone.localdate())
        return services.receipt_record(
            actor=self.staff.finance, customer_id=self.customer.pk, amount=Decimal(amount), **extra
        )

    def payment_request(self, invoice, amount: str | None = None):
        request = services.payment_request_create(
            actor=self.owner,
            customer_id=self.customer.pk,
            pay_by=timezone.localdate() + datetime.timedelta(days=7),
            lines=[
                services.Asked(amount=Decimal(amount) if amount else invoice.balance.open_amount, invoice_id=invoice.pk)
            ],
        )
        request = act_on(request, "submit", actor=self.owner)
        return decide_all(request, PaymentRequestState.APPROVED)
