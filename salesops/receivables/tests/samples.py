"""Sample money documents for the kernel's generated tests (``workflow/tests/kit.py``), each made
through the services for ``owner``'s own delivered contract: an invoice request and a payment
request just before their chains start, and the documents without a chain (the invoice finance
records, a receipt) as recorded.

``MAKERS`` writes many of one type at once, straight into the tables (a few statements), for the
tests of lists past their first page: owned by sales_a, numbered in a month no real document
reaches, each complete enough for its page and its API row."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from salesops.deals.tests import contract_factories as cf
from salesops.receivables import services
from salesops.receivables.models import (
    Invoice,
    InvoiceBalance,
    InvoiceRequest,
    PaymentRequest,
    Receipt,
    ReceiptBalance,
)
from salesops.workflow.tests.kit import Sample

from .helpers import Sale
from .samples_instruments import SAMPLES as INSTRUMENT_SAMPLES

PERIOD = "209901"


def invoice_request(staff, owner) -> Sample:
    return Sample(Sale(staff, owner).invoice_request(), "submit", owner)


def invoice(staff, owner) -> Sample:
    return Sample(Sale(staff, owner).invoice(), "", staff.finance)


def receipt(staff, owner) -> Sample:
    return Sample(Sale(staff, owner).receipt("1000.00"), "", staff.finance)


def payment_request(staff, owner) -> Sample:
    sale = Sale(staff, owner)
    invoice = sale.invoice()
    found = services.payment_request_create(
        actor=owner,
        customer_id=sale.customer.pk,
        pay_by=timezone.localdate() + datetime.timedelta(days=7),
        lines=[services.Asked(amount=invoice.total_amount, invoice_id=invoice.pk)],
    )
    return Sample(found, "submit", owner)


def red_form(staff, owner) -> Sample:
    """A draft red-invoice form finance raised against ``owner``'s customer's invoice."""
    blue = Sale(staff, owner).invoice()
    return Sample(services.red_form_create(actor=staff.finance, blue_id=blue.pk, reason="mistake"), "", staff.finance)


def statement(staff, owner) -> Sample:
    """A prepared statement of ``owner``'s customer, to send."""
    from salesops.receivables.models import Statement, StatementRun

    sale = Sale(staff, owner)
    sale.invoice()
    run = StatementRun.objects.filter(period_end=timezone.localdate()).first() or services.statement_run_create(
        actor=staff.finance, period_end=timezone.localdate()
    )
    found = services.statement_prepare(actor=staff.finance, run=run, customer_id=sale.customer.pk)
    return Sample(Statement.objects.get(pk=found.pk), "", staff.finance)


SAMPLES = {
    "receivables.invoicerequest": invoice_request,
    "receivables.invoice": invoice,
    "receivables.receipt": receipt,
    "receivables.paymentrequest": payment_request,
    "receivables.redinvoiceform": red_form,
    "receivables.statement": statement,
    **INSTRUMENT_SAMPLES,
}


# --- many at once ------------------------------------------------------------------------------


def _head(model: Any, n: int, owner, state: str) -> dict[str, Any]:
    return {
        "number": f"{model.NUMBER_PREFIX}{PERIOD}{n:04d}",
        "state": state,
        "owner": owner,
        "branch_id": owner.branch_id,
        "department_id": owner.department_id,
    }


def _make(model: Any, count: int, owner, state: str, **fields: Any) -> list[Any]:
    return model.objects.bulk_create(model(**_head(model, n, owner, state), **fields) for n in range(1, count + 1))


def invoice_requests(staff, count: int, owner=None) -> list[InvoiceRequest]:
    contract = cf.signed_contract(staff, cf.Deal(staff, owner or staff.sales_a))
    return _make(
        InvoiceRequest,
        count,
        contract.owner,
        "draft",
        contract=contract,
        customer_id=contract.customer_id,
        kind="ordinary",
        buyer_title="潍坊农机有限公司",
        total_amount=Decimal("1130.00"),
    )


def invoices(staff, count: int, owner=None) -> list[Invoice]:
    owner = owner or staff.sales_a
    customer = cf.customer(staff, owner)
    today = timezone.localdate()
    rows = [
        Invoice(
            **_head(Invoice, n, owner, "issued"),
            customer=customer,
            kind="ordinary",
            invoice_number=f"{today.year % 100:02d}3729{n:014d}",
            issued_on=today,
            due_on=today + datetime.timedelta(days=30),
            seller_title="测试机械有限公司",
            buyer_title=customer.name,
            total_net=Decimal("1000.00"),
            total_tax=Decimal("130.00"),
            total_amount=Decimal("1130.00"),
            recorded_by=staff.finance,
        )
        for n in range(1, count + 1)
    ]
    made = Invoice.objects.bulk_create(rows)
    InvoiceBalance.objects.bulk_create(InvoiceBalance(invoice=row, total=row.total_amount) for row in made)
    return made


def receipts(staff, count: int, owner=None) -> list[Receipt]:
    owner = owner or staff.sales_a
    customer = cf.customer(staff, owner)
    made = _make(
        Receipt,
        count,
        owner,
        "recorded",
        customer=customer,
        received_on=timezone.localdate(),
        method="transfer",
        amount=Decimal("500.00"),
        payer=customer.name,
        recorded_by=staff.finance,
    )
    ReceiptBalance.objects.bulk_create(ReceiptBalance(receipt=row, amount=row.amount) for row in made)
    return made


def payment_requests(staff, count: int, owner=None) -> list[PaymentRequest]:
    owner = owner or staff.sales_a
    return _make(
        PaymentRequest,
        count,
        owner,
        "draft",
        customer=cf.customer(staff, owner),
        pay_by=timezone.localdate() + datetime.timedelta(days=7),
        total_amount=Decimal("1130.00"),
    )


# list name -> how to make ``count`` documents of sales_a's
MAKERS: dict[str, Callable[..., list[Any]]] = {
    "invoicerequest": invoice_requests,
    "invoice": invoices,
    "receipt": receipts,
    "paymentrequest": payment_requests,
}


# --- what the page and API tests share ---------------------------------------------------------


def money_world() -> tuple:
    """Everything a money form or call could write: the documents and their states, their lines,
    the counters on the sold lines, invoices and receipts, the allocations, the audit events."""
    from salesops.fulfilment.models import OrderLine
    from salesops.receivables.models import Allocation, InvoiceRequestLine, PaymentRequestLine
    from salesops.workflow.models import DocumentEvent

    return (
        list(InvoiceRequest.objects.order_by("pk").values_list("pk", "state", "total_amount")),
        InvoiceRequestLine.objects.count(),
        list(OrderLine.objects.order_by("pk").values_list("invoiced", flat=True)),
        list(Invoice.objects.order_by("pk").values_list("pk", "state", "invoice_number")),
        list(InvoiceBalance.objects.order_by("pk").values_list("reversed", "allocated")),
        list(Receipt.objects.order_by("pk").values_list("pk", "state", "amount")),
        list(ReceiptBalance.objects.order_by("pk").values_list("allocated", flat=True)),
        list(Allocation.objects.order_by("pk").values_list("pk", "amount", "reversed_at", "reverse_reason")),
        list(PaymentRequest.objects.order_by("pk").values_list("pk", "state", "total_amount", "sent_to")),
        PaymentRequestLine.objects.count(),
        DocumentEvent.objects.count(),
    )


def field_errors(response) -> dict[str, list[str]]:
    """The errors shown under each field of a page's form, by the field's name."""
    import re

    found: dict[str, list[str]] = {}
    for name, text in re.findall(r'data-field-error="([^"]+)">([^<]*)<', response.content.decode()):
        found.setdefault(name, []).append(text)
    return found
