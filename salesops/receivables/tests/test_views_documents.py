"""The pages of the money documents as each person opens them: the lists and pages open for the
roles whose work is money and for no one else (the warehouse is refused at the door), a
salesperson sees only their own customers' documents, and the invoice and receipt pages show what
finance and the salesperson check: the lines as printed, the totals in capitals, the balance, the
allocations (a reversed one struck through with its reason) and the dispatch register."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from salesops.receivables import services
from salesops.receivables.models import Allocation, InvoiceDispatch

from .helpers import Sale

pytestmark = pytest.mark.django_db

LISTS = [
    "receivables:invoicerequest-list",
    "receivables:invoice-list",
    "receivables:receipt-list",
    "receivables:paymentrequest-list",
]


def numbers(response) -> set[str]:
    assert response.status_code == 200
    return set(re.findall(r'data-testid="row" data-number="([^"]+)"', response.content.decode()))


def part(response, block: str) -> str:
    """The HTML of the element with ``data-testid=block`` onwards (a page part to look into)."""
    html = response.content.decode()
    assert f'data-testid="{block}"' in html, block
    return html.split(f'data-testid="{block}"', 1)[1]


@pytest.fixture
def sold(staff):
    """sales_a's delivered contract, invoiced in full, paid in part, asked for the rest."""
    sale = Sale(staff)
    invoice = sale.invoice()
    receipt = sale.receipt("4000.00")
    payment = sale.payment_request(invoice, "11000.00")
    return sale, invoice, receipt, payment


@pytest.mark.parametrize("url_name", LISTS)
def test_the_lists_open_for_the_money_roles_and_refuse_the_others(staff, web_client, url_name):
    url = reverse(url_name)
    for user in (staff.sales_a, staff.manager1, staff.branch_mgr, staff.finance, staff.back_office, staff.boss):
        assert web_client(user).get(url).status_code == 200, user
    for user in (staff.warehouse, staff.technical, staff.purchasing):
        assert web_client(user).get(url).status_code == 403, user


def test_a_salesperson_sees_only_their_own_customers_money_documents(staff, web_client, sold):
    sale, invoice, receipt, payment = sold
    request = invoice.request
    documents = [request, invoice, receipt, payment]
    for doc, url_name in zip(documents, LISTS):
        # the owner, their manager, finance and the sales office see it, listed and opened
        for user in (staff.sales_a, staff.manager1, staff.finance, staff.back_office, staff.boss):
            assert doc.number in numbers(web_client(user).get(reverse(url_name))), (user, doc)
            assert web_client(user).get(doc.get_absolute_url()).status_code == 200, (user, doc)
        # another salesperson, another branch's manager: not listed, and its page is a 404
        for user in (staff.sales_b, staff.sales_c, staff.manager2):
            assert doc.number not in numbers(web_client(user).get(reverse(url_name))), (user, doc)
            assert web_client(user).get(doc.get_absolute_url()).status_code == 404, (user, doc)
        # the warehouse opens no money page at all
        assert web_client(staff.warehouse).get(doc.get_absolute_url()).status_code == 403


def test_the_lists_read_a_fixed_number_of_queries(staff, web_client, django_assert_max_num_queries, sold):
    Sale(staff).invoice()
    client = web_client(staff.finance)
    for url_name in LISTS:
        with django_assert_max_num_queries(10):
            assert client.get(reverse(url_name)).status_code == 200


def test_the_lists_search_and_filter(staff, web_client, sold):
    sale, invoice, receipt, payment = sold
    other = Sale(staff, staff.sales_b)
    other_receipt = other.receipt("10.00", method="cash")
    client = web_client(staff.finance)
    url = reverse("receivables:invoice-list")
    assert numbers(client.get(url, {"q": invoice.invoice_number})) == {invoice.number}
    receipts = reverse("receivables:receipt-list")
    assert numbers(client.get(receipts, {"method": "cash"})) == {other_receipt.number}
    assert numbers(client.get(receipts, {"q": sale.customer.name})) == {receipt.number}
    # the receipts' total over every matching row
    assert "¥4,010.00" in part(client.get(receipts), "received-total")


def test_the_invoice_page_shows_its_lines_totals_in_capitals_and_balance(staff, web_client, sold):
    sale, invoice, receipt, payment = sold
    response = web_client(staff.sales_a).get(invoice.get_absolute_url())
    html = response.content.decode()
    lines = list(invoice.lines.order_by("pk"))
    assert len(lines) == 2
    table = part(response, "lines").split("</table>", 1)[0]
    for line in lines:
        assert line.name in table and f"{line.tax:,.2f}" in table and f"{line.amount:,.2f}" in table
    assert "13%" in table
    # 15,000.00 including tax, in figures and in capitals
    assert invoice.total_amount == Decimal("15000.00")
    assert "壹万伍仟元整" in part(response, "total-upper")
    assert "¥15,000.00" in part(response, "total-amount")
    # the balance: paid 4,000.00 by the receipt, 11,000.00 open
    assert "¥4,000.00" in part(response, "balance-paid")
    assert "¥11,000.00" in part(response, "open-amount")
    assert receipt.number in part(response, "allocations")
    assert invoice.invoice_number in html


def test_a_reversed_allocation_is_struck_through_with_its_reason(staff, web_client, sold):
    sale, invoice, receipt, payment = sold
    allocation = Allocation.objects.get(receipt=receipt)
    services.allocation_reverse(actor=staff.finance, allocation_id=allocation.pk, reason="款项属于另一合同")
    for page in (invoice.get_absolute_url(), receipt.get_absolute_url()):
        response = web_client(staff.sales_a).get(page)
        row = part(response, "allocations").split('data-testid="allocation"', 1)[1].split("</tr>", 1)[0]
        assert 'data-reversed="1"' in row and "<del>" in row and "款项属于另一合同" in row
    assert "¥15,000.00" in part(web_client(staff.sales_a).get(invoice.get_absolute_url()), "open-amount")


def test_the_invoice_page_lists_its_dispatches(staff, web_client, sold):
    sale, invoice, receipt, payment = sold
    InvoiceDispatch.objects.create(
        invoice=invoice, method="email", sent_to="cw@example.cn", sent_at=timezone.now(), recorded_by=staff.finance
    )
    assert "cw@example.cn" in part(web_client(staff.sales_a).get(invoice.get_absolute_url()), "dispatches")


def test_finance_gets_the_allocation_and_reverse_forms_on_a_receipt_and_the_salesperson_does_not(
    staff, web_client, sold
):
    sale, invoice, receipt, payment = sold
    extra = sale.receipt("20000.00", allocate="none")
    finance = web_client(staff.finance).get(extra.get_absolute_url()).content.decode()
    assert 'data-testid="allocate-form"' in finance and 'data-testid="allocate-oldest"' in finance
    assert invoice.invoice_number in finance
    assert 'data-testid="reverse"' in web_client(staff.finance).get(receipt.get_absolute_url()).content.decode()
    own = web_client(staff.sales_a).get(extra.get_absolute_url()).content.decode()
    assert 'data-testid="allocate-form"' not in own and 'data-testid="reverse"' not in own
    assert "¥20,000.00" in own.split('data-testid="unallocated"', 1)[1]


def test_the_detail_pages_read_a_fixed_number_of_queries(staff, web_client, django_assert_max_num_queries, sold):
    sale, invoice, receipt, payment = sold
    client = web_client(staff.finance)
    for doc in (invoice.request, invoice, receipt, payment):
        with django_assert_max_num_queries(20):
            assert client.get(doc.get_absolute_url()).status_code == 200


def test_the_invoice_request_page_offers_finance_to_record_the_invoice_once_reviewed(staff, web_client):
    sale = Sale(staff)
    request = sale.approved_invoice_request()
    html = web_client(staff.finance).get(request.get_absolute_url()).content.decode()
    assert 'data-testid="record-invoice"' in html
    own = web_client(staff.sales_a).get(request.get_absolute_url()).content.decode()
    assert 'data-testid="record-invoice"' not in own


def test_the_menu_shows_receivables_to_the_money_roles_only(staff, web_client):
    home = reverse("workflow:my-tasks")
    for user in (staff.sales_a, staff.finance, staff.back_office):
        assert reverse("receivables:invoice-list") in web_client(user).get(home).content.decode(), user
    assert reverse("receivables:invoice-list") not in web_client(staff.warehouse).get(home).content.decode()


def test_a_delivered_contract_offers_its_owner_an_invoice_request(staff, web_client):
    sale = Sale(staff)
    response = web_client(staff.sales_a).get(sale.contract.get_absolute_url())
    section = part(response, "invoicing")
    assert f"?contract={sale.contract.pk}" in section and 'data-testid="request-invoice"' in section
    # once all of it is requested, the section lists the request and offers no more
    request = sale.invoice_request()
    section = part(web_client(staff.sales_a).get(sale.contract.get_absolute_url()), "invoicing")
    assert request.number in section and 'data-testid="request-invoice"' not in section
    # the sales office sees the requests, and is offered none
    section = part(web_client(staff.back_office).get(sale.contract.get_absolute_url()), "invoicing")
    assert request.number in section and 'data-testid="request-invoice"' not in section
