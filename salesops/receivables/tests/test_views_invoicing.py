"""The W6 forms through the pages: the salesperson's invoice request from a delivered contract
(whole, part, or in advance), and the invoice finance records on the reviewed request. For each:
the happy path, a refusal of the service shown on its field (or row) with nothing written, and the
roles and people refused at the door."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from salesops.fulfilment.tests.helpers import Order
from salesops.receivables.models import Invoice, InvoiceRequest, InvoiceRequestState

from .helpers import Sale, invoice_number
from .samples import field_errors, money_world

pytestmark = pytest.mark.django_db

CREATE = "receivables:invoicerequest-create"


def request_data(sale, quantities=("10", "10"), **extra) -> dict:
    ids = sale.contract_line_ids()
    data = {"kind": "ordinary", "remark": "", f"qty_{ids[0]}": quantities[0], f"qty_{ids[1]}": quantities[1]}
    data.update(extra)
    return data


def counts(html: str, row: int) -> list[str]:
    part = html.split(f'data-testid="row-{row}"', 1)[1].split("</tr>", 1)[0]
    return re.findall(r'data-testid="count">([^<]*)<', part)


def test_the_source_picker_lists_what_is_left_to_invoice(staff, web_client):
    open_sale, done_sale = Sale(staff), Sale(staff)
    done_sale.invoice_request()
    html = web_client(staff.sales_a).get(reverse(CREATE)).content.decode()
    assert open_sale.contract.number in html and done_sale.contract.number not in html
    assert open_sale.contract.number not in web_client(staff.sales_b).get(reverse(CREATE)).content.decode()


def test_a_salesperson_requests_an_invoice_for_part_of_a_delivered_contract(staff, web_client):
    # given sales_a's delivered contract (pump × 10 at 1,000.00, valve × 10 at 500.00), 3 pumps already asked
    sale = Sale(staff)
    sale.invoice_request(lines=[(0, "3")])
    client = web_client(staff.sales_a)
    url = reverse(CREATE) + f"?contract={sale.contract.pk}"
    # the form shows each line: sold, delivered, returned, invoiced, open, and starts at what is open
    html = client.get(url).content.decode()
    assert counts(html, 0) == ["10", "10", "0", "3", "7"]
    assert 'value="7"' in html.split('data-testid="row-0"', 1)[1].split("</tr>", 1)[0]
    # when 4 pumps and no valves are asked, on an ordinary invoice with a remark
    response = client.post(url, request_data(sale, ("4", "0"), remark="项目编号 2024-17"))
    # then a draft request of 4,000.00 opens, owned by the salesperson
    request = InvoiceRequest.objects.exclude(lines__quantity=3).get()
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    assert (request.state, request.owner, request.kind, request.remark) == (
        InvoiceRequestState.DRAFT,
        staff.sales_a,
        "ordinary",
        "项目编号 2024-17",
    )
    assert request.total_amount == Decimal("4000.00")
    assert [line.invoiced for line in sale.order_lines()] == [Decimal("7"), Decimal("0")]
    assert 'data-testid="act-submit"' in client.get(request.get_absolute_url()).content.decode()


def test_a_request_above_what_is_open_is_refused_on_its_row_and_nothing_is_written(staff, web_client):
    sale = Sale(staff)
    sale.invoice_request(lines=[(0, "3")])
    before = money_world()
    url = reverse(CREATE) + f"?contract={sale.contract.pk}"
    response = web_client(staff.sales_a).post(url, request_data(sale, ("8", "10")))
    pump = f"qty_{sale.contract_line_ids()[0]}"
    errors = field_errors(response)
    assert response.status_code == 422
    assert list(errors) == [pump] and "7" in errors[pump][0]
    assert money_world() == before


def test_a_special_invoice_for_a_customer_without_a_tax_id_is_refused_on_the_kind(staff, web_client):
    sale = Sale(staff)
    before = money_world()
    url = reverse(CREATE) + f"?contract={sale.contract.pk}"
    response = web_client(staff.sales_a).post(url, request_data(sale, kind="special"))
    assert response.status_code == 422
    assert list(field_errors(response)) == ["kind"]
    assert money_world() == before


def test_an_advance_invoice_takes_what_is_sold_but_not_delivered(staff, web_client):
    # given a signed contract nothing of which is delivered yet
    order = Order(staff)
    client = web_client(staff.sales_a)
    url = reverse(CREATE) + f"?contract={order.contract.pk}"
    ids = order.contract_line_ids()
    data = {"kind": "ordinary", f"qty_{ids[0]}": "5", f"qty_{ids[1]}": ""}
    # an ordinary request is refused: nothing is delivered
    refused = client.post(url, data)
    assert refused.status_code == 422 and list(field_errors(refused)) == [f"qty_{ids[0]}"]
    assert not InvoiceRequest.objects.exists()
    # an advance request takes it, flagged for the manager
    response = client.post(url, {**data, "advance": "on"})
    request = InvoiceRequest.objects.get()
    assert response.status_code == 302 and request.advance
    assert 'data-testid="advance"' in client.get(request.get_absolute_url()).content.decode()


def test_the_request_form_is_refused_to_other_roles_and_other_peoples_contracts(staff, web_client):
    sale = Sale(staff)
    url = reverse(CREATE) + f"?contract={sale.contract.pk}"
    before = money_world()
    for user in (staff.warehouse, staff.finance, staff.back_office):
        assert web_client(user).post(url, request_data(sale)).status_code == 403, user
    assert web_client(staff.sales_b).get(url).status_code == 404
    assert web_client(staff.sales_b).post(url, request_data(sale)).status_code == 404
    assert money_world() == before


# --- the invoice (W6.3) ---------------------------------------------------------------------------


def record_url(request) -> str:
    return reverse("receivables:invoice-record", args=[request.pk])


def test_finance_records_the_invoice_of_a_reviewed_request(staff, web_client):
    sale = Sale(staff)
    request = sale.approved_invoice_request()
    client = web_client(staff.finance)
    # the page shows the lines to issue, split into amount and tax, and the total in capitals
    html = client.get(record_url(request)).content.decode()
    assert "壹万伍仟元整" in html.split('data-testid="gross-upper"', 1)[1]
    assert "8,849.56" in html.split('data-testid="computed-lines"', 1)[1]  # 10,000.00 / 1.13
    number = invoice_number()
    response = client.post(record_url(request), {"invoice_number": number, "issued_on": timezone.localdate()})
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and response["Location"] == invoice.get_absolute_url()
    assert (invoice.invoice_number, invoice.total_amount, invoice.owner) == (number, Decimal("15000.00"), sale.owner)
    request.refresh_from_db()
    assert request.state == InvoiceRequestState.INVOICED
    assert invoice.balance.open_amount == Decimal("15000.00")


@pytest.mark.parametrize(
    "number",
    ["1234567890", "99" + "3" * 18],  # not 20 digits; 20 digits of another year
)
def test_a_wrong_invoice_number_is_refused_on_its_field_and_nothing_is_written(staff, web_client, number):
    sale = Sale(staff)
    request = sale.approved_invoice_request()
    before = money_world()
    response = web_client(staff.finance).post(
        record_url(request), {"invoice_number": number, "issued_on": timezone.localdate()}
    )
    assert response.status_code == 422
    assert list(field_errors(response)) == ["invoice_number"]
    assert money_world() == before


def test_an_invoice_number_already_recorded_is_refused(staff, web_client):
    sale = Sale(staff)
    first = sale.invoice()
    request = Sale(staff).approved_invoice_request()
    before = money_world()
    response = web_client(staff.finance).post(
        record_url(request), {"invoice_number": first.invoice_number, "issued_on": timezone.localdate()}
    )
    assert response.status_code == 422 and list(field_errors(response)) == ["invoice_number"]
    assert money_world() == before


def test_only_finance_records_an_invoice_and_only_on_a_reviewed_request(staff, web_client):
    sale = Sale(staff)
    draft = sale.invoice_request(lines=[(0, "1")])
    approved = sale.approved_invoice_request(lines=[(1, "1")])
    body = {"invoice_number": invoice_number(), "issued_on": timezone.localdate()}
    before = money_world()
    for user in (staff.sales_a, staff.back_office, staff.manager1, staff.warehouse):
        assert web_client(user).post(record_url(approved), body).status_code == 403, user
    # a draft goes back to its page with the reason
    response = web_client(staff.finance).get(record_url(draft))
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    # and a post on it is refused by the flow (409), nothing written
    assert web_client(staff.finance).post(record_url(draft), body).status_code == 409
    assert money_world() == before
