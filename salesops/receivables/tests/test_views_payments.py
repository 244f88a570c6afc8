"""The W5.2-5.4 forms through the pages: the salesperson's payment request on a customer's open
invoices, and, once confirmed, the record of its sending. Each refusal is shown on its field or row
with nothing written; other people's customers are 404, other roles 403."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from salesops.receivables import services
from salesops.receivables.models import PaymentRequest, PaymentRequestState
from salesops.workflow.registry import act_on

from .helpers import Sale
from .samples import field_errors, money_world

pytestmark = pytest.mark.django_db

CREATE = "receivables:paymentrequest-create"


@pytest.fixture
def invoiced(staff):
    sale = Sale(staff)
    invoice = sale.invoice()
    sale.receipt("3000.00")  # 12,000.00 left open
    return sale, invoice


def request_data(invoice, amount="12000.00", **extra) -> dict:
    data = {
        "customer": invoice.customer_id,
        "pay_by": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "note": "",
        f"amount_{invoice.pk}": amount,
    }
    data.update(extra)
    return data


def test_the_customer_picker_lists_the_salespersons_customers_who_owe(staff, web_client, invoiced):
    sale, invoice = invoiced
    paid_up = Sale(staff)  # delivered, not invoiced: owes nothing on an invoice
    html = web_client(staff.sales_a).get(reverse(CREATE)).content.decode()
    assert sale.customer.name in html and paid_up.customer.name not in html
    assert sale.customer.name not in web_client(staff.sales_b).get(reverse(CREATE)).content.decode()


def test_a_salesperson_asks_a_customer_for_what_is_open(staff, web_client, invoiced):
    sale, invoice = invoiced
    client = web_client(staff.sales_a)
    url = reverse(CREATE) + f"?customer={sale.customer.pk}"
    # the form lists the open invoice with what is open, asked in full by default
    html = client.get(url).content.decode()
    row = html.split('data-testid="row-0"', 1)[1].split("</tr>", 1)[0]
    assert invoice.invoice_number in row and "12,000.00" in row and 'value="12000.00"' in row
    response = client.post(url, request_data(invoice, "5000.00", note="请尽快安排付款"))
    request = PaymentRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    assert (request.state, request.total_amount, request.owner) == (
        PaymentRequestState.DRAFT,
        Decimal("5000.00"),
        staff.sales_a,
    )
    line = request.lines.get()
    assert (line.invoice, line.amount, line.due_on) == (invoice, Decimal("5000.00"), invoice.due_on)


def test_asking_more_than_is_open_is_refused_on_the_row(staff, web_client, invoiced):
    sale, invoice = invoiced
    before = money_world()
    url = reverse(CREATE) + f"?customer={sale.customer.pk}"
    response = web_client(staff.sales_a).post(url, request_data(invoice, "12000.01"))
    assert response.status_code == 422
    assert list(field_errors(response)) == [f"amount_{invoice.pk}"]
    assert money_world() == before


def test_a_pay_by_date_in_the_past_is_refused_on_its_field(staff, web_client, invoiced):
    sale, invoice = invoiced
    before = money_world()
    url = reverse(CREATE) + f"?customer={sale.customer.pk}"
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = web_client(staff.sales_a).post(url, request_data(invoice, pay_by=yesterday))
    assert response.status_code == 422 and list(field_errors(response)) == ["pay_by"]
    assert money_world() == before


def test_another_salespersons_customer_is_not_found_and_other_roles_are_refused(staff, web_client, invoiced):
    sale, invoice = invoiced
    url = reverse(CREATE) + f"?customer={sale.customer.pk}"
    before = money_world()
    assert web_client(staff.sales_b).get(url).status_code == 404
    assert web_client(staff.sales_b).post(url, request_data(invoice)).status_code == 404
    for user in (staff.finance, staff.back_office, staff.warehouse):
        assert web_client(user).post(url, request_data(invoice)).status_code == 403
    assert money_world() == before


# --- sending (W5.4) -------------------------------------------------------------------------------


def send_url(request) -> str:
    return reverse("receivables:paymentrequest-send", args=[request.pk])


def test_the_salesperson_records_the_sending_of_a_confirmed_request(staff, web_client, invoiced):
    sale, invoice = invoiced
    request = sale.payment_request(invoice, "12000.00")
    client = web_client(staff.sales_a)
    assert 'data-testid="send"' in client.get(request.get_absolute_url()).content.decode()
    response = client.post(send_url(request), {"method": "email", "sent_to": "cw@example.cn"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.state, request.sent_by, request.sent_to) == (PaymentRequestState.SENT, "email", "cw@example.cn")
    assert request.sent_at is not None


def test_a_sending_without_whom_or_by_a_tax_account_is_refused(staff, web_client, invoiced):
    sale, invoice = invoiced
    request = sale.payment_request(invoice, "12000.00")
    before = money_world()
    client = web_client(staff.sales_a)
    response = client.post(send_url(request), {"method": "email", "sent_to": ""})
    assert response.status_code == 422 and list(field_errors(response)) == ["sent_to"]
    response = client.post(send_url(request), {"method": "tax_account", "sent_to": "cw@example.cn"})
    assert response.status_code == 422 and list(field_errors(response)) == ["method"]
    assert money_world() == before


def test_a_request_not_confirmed_is_not_sent_and_not_by_others(staff, web_client, invoiced):
    sale, invoice = invoiced
    draft = services.payment_request_create(
        actor=staff.sales_a,
        customer_id=sale.customer.pk,
        pay_by=timezone.localdate(),
        lines=[services.Asked(amount=Decimal("100.00"), invoice_id=invoice.pk)],
    )
    response = web_client(staff.sales_a).get(send_url(draft))
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    body = {"method": "email", "sent_to": "cw@example.cn"}
    assert web_client(staff.sales_a).post(send_url(draft), body).status_code == 409
    confirmed = act_on(draft, "submit", actor=staff.sales_a)
    from salesops.fulfilment.tests.helpers import decide_all

    confirmed = decide_all(confirmed, PaymentRequestState.APPROVED)
    before = money_world()
    assert web_client(staff.sales_b).post(send_url(confirmed), body).status_code == 404
    assert web_client(staff.finance).post(send_url(confirmed), body).status_code == 403
    assert money_world() == before
    # the sales office may send it for the salesperson
    assert web_client(staff.back_office).post(send_url(confirmed), body).status_code == 302
