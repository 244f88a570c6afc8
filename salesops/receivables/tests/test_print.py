"""The printed money forms, read back from real WeasyPrint PDFs: the payment request (付款申请表)
with its invoices and due dates, the total in capitals and the company's bank account, stamped
once confirmed and a draft under the watermark before; the invoice request (发票申请表) with its
buyer and lines. Nobody prints another salesperson's request."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from .helpers import Sale

pytestmark = pytest.mark.django_db


def print_url(doc) -> str:
    return reverse("workflow:document-print", args=[doc._meta.label_lower, doc.pk])


def printed(client, doc) -> str:
    response = client.get(print_url(doc))
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.fixture
def company(staff):
    staff.company.bank_account = "中国工商银行济南高新支行 1602 0012 0920 0123 456"
    staff.company.tax_number = "91370100MA3C5XXXXA"
    staff.company.save()
    return staff.company


def test_a_confirmed_payment_request_prints_its_invoices_amount_in_capitals_and_bank_account(
    staff, web_client, company
):
    sale = Sale(staff)
    invoice = sale.invoice()
    request = sale.payment_request(invoice, "12345.60")

    text = printed(web_client(staff.sales_a), request)

    assert "付款申请表" in text and request.number in text and sale.customer.name in text
    assert invoice.invoice_number in text and invoice.due_on.isoformat() in text
    assert "壹万贰仟叁佰肆拾伍元陆角" in text and "12345.60" in text
    assert "".join(company.bank_account.split()) in text
    assert "草稿" not in text  # confirmed: stamped, no draft watermark


def test_a_payment_request_not_yet_confirmed_prints_as_a_draft(staff, web_client, company):
    from decimal import Decimal

    from django.utils import timezone

    from salesops.receivables import services

    sale = Sale(staff)
    invoice = sale.invoice()
    draft = services.payment_request_create(
        actor=staff.sales_a,
        customer_id=sale.customer.pk,
        pay_by=timezone.localdate(),
        lines=[services.Asked(amount=Decimal("100.00"), invoice_id=invoice.pk)],
    )
    text = printed(web_client(staff.sales_a), draft)
    assert draft.number in text and "壹佰元整" in text
    assert "草稿·未经审批·不得外发" in text


def test_the_invoice_request_prints_its_buyer_lines_and_total_in_capitals(staff, web_client):
    sale = Sale(staff)
    request = sale.approved_invoice_request()

    text = printed(web_client(staff.finance), request)

    assert "发票申请表" in text and request.number in text and sale.contract.number in text
    assert request.buyer_title in text and "水泵" in text and "阀门" in text
    assert "壹万伍仟元整" in text and "13%" in text
    assert "销售经理" in text  # its review


def test_nobody_prints_another_salespersons_request_and_the_warehouse_nothing(staff, web_client):
    sale = Sale(staff)
    request = sale.approved_invoice_request()
    assert web_client(staff.sales_b).get(print_url(request)).status_code == 404
    assert web_client(staff.warehouse).get(print_url(request)).status_code == 404
