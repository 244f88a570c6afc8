"""My tasks on the money side, as each person finds them: finance the reviewed invoice requests to
invoice and the receipts with something left to allocate; the sales office the invoiced requests to
archive (R10); the salesperson the confirmed payment requests to send, and the requests returned to
fix. Each task goes once it is done, and the page reads a fixed number of queries."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from salesops.receivables import services
from salesops.receivables.models import Allocation, InvoiceRequestState
from salesops.workflow.inbox import my_tasks
from salesops.workflow.registry import act_on
from salesops.workflow.tests.kit import deciders, pending_step

from .helpers import Sale, invoice_number

pytestmark = pytest.mark.django_db


def kinds(user) -> dict[str, str]:
    """number -> kind of each of the user's tasks."""
    return {task.number: task.kind for task in my_tasks(user)}


def on_page(client) -> set[str]:
    html = client.get(reverse("workflow:my-tasks")).content.decode()
    return set(re.findall(r'data-testid="task" data-number="([^"]+)"', html))


def test_finance_invoices_reviewed_requests_and_the_office_archives_them(staff, web_client):
    sale = Sale(staff)
    request = sale.approved_invoice_request()
    assert kinds(staff.finance).get(request.number) == "invoice"
    assert request.number in on_page(web_client(staff.finance))
    assert request.number not in kinds(staff.back_office)
    # once finance records the invoice, the request waits for the sales office to archive it (R10)
    sale.invoice(request)
    assert request.number not in kinds(staff.finance)
    assert kinds(staff.back_office).get(request.number) == "archive"
    act_on(request, "archive", actor=staff.back_office)
    assert request.number not in kinds(staff.back_office)


def test_finance_is_asked_to_allocate_a_receipt_until_nothing_is_left(staff):
    sale = Sale(staff)
    receipt = sale.receipt("500.00", allocate="none")
    assert kinds(staff.finance).get(receipt.number) == "allocate"
    sale.invoice()
    services.receipt_allocate(actor=staff.finance, receipt=receipt)
    assert receipt.number not in kinds(staff.finance)
    # a reversal leaves the money to allocate again
    allocation = Allocation.objects.get(receipt=receipt)
    services.allocation_reverse(actor=staff.finance, allocation_id=allocation.pk, reason="分配错误")
    assert kinds(staff.finance).get(receipt.number) == "allocate"
    assert receipt.number not in kinds(staff.sales_a)


def test_the_salesperson_sends_confirmed_payment_requests(staff, web_client):
    sale = Sale(staff)
    invoice = sale.invoice()
    request = sale.payment_request(invoice)
    assert kinds(staff.sales_a).get(request.number) == "send"
    assert request.number in on_page(web_client(staff.sales_a))
    assert request.number not in kinds(staff.sales_b)
    services.payment_request_send(request=request, actor=staff.sales_a, method="wechat", sent_to="王会计")
    assert request.number not in kinds(staff.sales_a)


def test_a_request_returned_by_the_manager_waits_for_its_owner_to_fix(staff):
    sale = Sale(staff)
    request = act_on(sale.invoice_request(), "submit", actor=staff.sales_a)
    step = pending_step(request)
    act_on(request, "reject", actor=deciders(request, step)[0], comment="开票抬头有误")
    assert kinds(staff.sales_a).get(request.number) == "returned"
    # resubmitted, it is the manager's to review again
    request = act_on(type(request).objects.get(pk=request.pk), "submit", actor=staff.sales_a)
    assert request.state == InvoiceRequestState.PENDING
    assert request.number not in kinds(staff.sales_a)


def test_the_warehouse_has_no_money_tasks(staff):
    sale = Sale(staff)
    sale.approved_invoice_request()
    sale.receipt("100.00", allocate="none")
    assert kinds(staff.warehouse) == {}


def test_my_tasks_reads_a_fixed_number_of_queries(staff, web_client, django_assert_max_num_queries):
    for _ in range(3):
        sale = Sale(staff)
        request = sale.approved_invoice_request(lines=[(0, "1")])
        services.invoice_record(
            actor=staff.finance, request=request, invoice_number=invoice_number(), issued_on=timezone.localdate()
        )
        sale.approved_invoice_request(lines=[(1, "1")])
        sale.receipt("100000.00")
    for user in (staff.finance, staff.back_office, staff.sales_a):
        client = web_client(user)
        with django_assert_max_num_queries(40):
            assert client.get(reverse("workflow:my-tasks")).status_code == 200
