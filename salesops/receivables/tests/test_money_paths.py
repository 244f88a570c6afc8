"""W5 and W6 end to end through the services, as the regulation's users take them."""

from decimal import Decimal

import pytest

from salesops.fulfilment.models import OrderLine
from salesops.receivables import services
from salesops.receivables.models import (
    Allocation,
    InvoiceBalance,
    InvoiceRequestState,
    PaymentRequestState,
    ReceiptBalance,
)
from salesops.receivables.selectors import customer_account
from salesops.receivables.taxmath import line_problems
from salesops.workflow.models import ApprovalStep

from .helpers import Sale

pytestmark = pytest.mark.django_db


def test_delivered_contract_is_invoiced_requested_paid_and_allocated(staff):
    sale = Sale(staff)
    # the salesperson asks for an invoice of everything delivered; the sales manager reviews it
    request = sale.approved_invoice_request()
    assert request.state == InvoiceRequestState.APPROVED
    assert _roles(request) == ["sales_manager"]
    assert all(line.invoiced == line.quantity for line in sale.order_lines())
    # finance records the invoice the platform issued
    invoice = sale.invoice(request)
    request.refresh_from_db()
    assert request.state == InvoiceRequestState.INVOICED
    assert invoice.total_amount == request.total_amount == sum(line.amount for line in request.lines.all())
    assert invoice.total_net + invoice.total_tax == invoice.total_amount
    for line in invoice.lines.all():
        assert line.amount + line.tax == line.request_line.amount
        assert not line_problems(_taxed(line))
    # the salesperson asks the customer to pay; the sales manager then finance confirm
    payment = sale.payment_request(invoice)
    assert payment.state == PaymentRequestState.APPROVED
    assert _roles(payment) == ["sales_manager", "finance"]
    sent = services.payment_request_send(request=payment, actor=sale.owner, method="email", sent_to="cw@example.cn")
    assert sent.state == PaymentRequestState.SENT
    # the customer pays in two transfers; finance records them, allocated oldest first
    account = customer_account(user=staff.finance, customer_id=sale.customer.pk)
    assert account.balance == invoice.total_amount
    first = sale.receipt("1000.00")
    sale.receipt(str(invoice.total_amount - Decimal("1000.00")))
    balance = InvoiceBalance.objects.get(pk=invoice.pk)
    assert balance.allocated == invoice.total_amount and balance.open_amount == 0
    assert customer_account(user=sale.owner, customer_id=sale.customer.pk).balance == 0
    # a wrong allocation is reversed with its reason, never deleted
    allocation = Allocation.objects.get(receipt=first)
    services.allocation_reverse(actor=staff.finance, allocation_id=allocation.pk, reason="应为另一合同的款")
    allocation.refresh_from_db()
    assert allocation.is_reversed and allocation.reverse_reason
    assert ReceiptBalance.objects.get(pk=first.pk).allocated == 0
    assert customer_account(user=staff.finance, customer_id=sale.customer.pk).balance == Decimal("1000.00")
    assert Allocation.objects.filter(receipt=first).count() == 1


def test_a_receipt_above_the_open_invoices_stays_unallocated_as_credit(staff):
    sale = Sale(staff)
    invoice = sale.invoice()
    receipt = sale.receipt(str(invoice.total_amount + Decimal("500.00")))
    assert ReceiptBalance.objects.get(pk=receipt.pk).unallocated == Decimal("500.00")
    account = customer_account(user=staff.finance, customer_id=sale.customer.pk)
    assert account.balance == 0 and account.unallocated == Decimal("500.00")


def test_cancelled_request_gives_its_quantities_back(staff):
    sale = Sale(staff)
    request = sale.invoice_request(lines=[(0, "4")])
    services.invoice_request_cancel(request=request, actor=sale.owner, reason="数量有误")
    assert [line.invoiced for line in sale.order_lines()] == [0, 0]
    again = sale.invoice_request(lines=[(0, "10")])
    assert again.lines.get().quantity == 10


def _roles(doc) -> list[str]:
    from django.contrib.contenttypes.models import ContentType

    steps = ApprovalStep.objects.filter(content_type=ContentType.objects.get_for_model(doc), object_id=doc.pk)
    return list(steps.order_by("sequence").values_list("role", flat=True))


def _taxed(line):
    from salesops.receivables.taxmath import TaxedLine

    return TaxedLine(line.quantity, line.unit_price, line.amount, line.tax_rate, line.tax)


def test_nothing_delivered_is_invoiced_only_in_advance(staff):
    from salesops.fulfilment.tests.helpers import Order

    order = Order(staff)
    with pytest.raises(Exception) as refused:
        services.invoice_request_create(actor=order.owner, contract_id=order.contract.pk, kind="ordinary")
    assert "lines" in refused.value.extra["fields"]
    request = services.invoice_request_create(
        actor=order.owner, contract_id=order.contract.pk, kind="ordinary", advance=True
    )
    assert request.advance and request.lines.count() == 2
    assert [line.invoiced for line in OrderLine.objects.filter(contract=order.contract)] == [10, 10]


def test_the_dispatch_register_records_how_each_invoice_went(staff):
    from salesops.core.errors import InvalidInput
    from salesops.receivables.models import InvoiceDispatch

    sale = Sale(staff)
    invoice = sale.invoice()
    services.invoice_dispatch_record(
        actor=staff.finance, invoice=invoice, method="tax_account", sent_to="买方税务数字账户"
    )
    with pytest.raises(InvalidInput) as refused:
        services.invoice_dispatch_record(actor=staff.back_office, invoice=invoice, method="hand", sent_to="王经理")
    assert set(refused.value.extra["fields"]) == {"signed_by"}
    services.invoice_dispatch_record(
        actor=staff.back_office, invoice=invoice, method="hand", sent_to="王经理", signed_by="王建国"
    )
    assert list(InvoiceDispatch.objects.filter(invoice=invoice).values_list("method", flat=True)) == [
        "hand",
        "tax_account",
    ]


def test_the_dispatch_register_page_lists_what_each_reader_sees(staff, web_client):
    from django.urls import reverse

    sale = Sale(staff)
    invoice = sale.invoice()
    services.invoice_dispatch_record(actor=staff.finance, invoice=invoice, method="email", sent_to="cw@example.cn")
    url = reverse("receivables:dispatch-list")
    assert web_client(staff.finance).get(url).content.decode().count('data-testid="dispatch-row"') == 1
    assert web_client(sale.owner).get(url).content.decode().count('data-testid="dispatch-row"') == 1
    assert web_client(staff.sales_b).get(url).content.decode().count('data-testid="dispatch-row"') == 0
    assert web_client(staff.warehouse).get(url).status_code == 403


def test_a_prepayment_on_the_contract_pays_its_invoice_when_it_is_recorded(staff):
    from salesops.receivables.models import OrderAccount

    sale = Sale(staff)
    receipt = sale.receipt("5000.00", allocate="none")
    services.receipt_allocate(
        actor=staff.finance, receipt=receipt, targets=[services.Target(amount="5000.00", contract_id=sale.contract.pk)]
    )
    invoice = sale.invoice(sale.approved_invoice_request(lines=[(0, "2")]))  # less than the prepayment
    balance = InvoiceBalance.objects.get(pk=invoice.pk)
    assert balance.open_amount == 0 and balance.allocated == invoice.total_amount
    account = OrderAccount.objects.get(contract=sale.contract)
    assert account.prepaid == Decimal("5000.00") - invoice.total_amount
    assert customer_account(user=staff.finance, customer_id=sale.customer.pk).balance == -account.prepaid
    moved = Allocation.objects.filter(receipt=receipt).exclude(reversed_at=None).get()
    assert moved.order_id == account.pk and moved.reverse_reason
