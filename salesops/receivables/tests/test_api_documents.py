"""The money documents' REST API (``/api/receivables/``): W6 and W5 end to end as each person would
call it, and the refusals in the API's shape (422 naming the field, 403 for a role, 404 out of
scope, 409 for a state) leaving everything as it was. Every answer is also checked against the
OpenAPI document (schemathesis' own validation), as fulfilment's API tests do."""

from decimal import Decimal

import pytest
import requests
import schemathesis
from django.utils import timezone

from salesops.api import api
from salesops.receivables.models import Allocation, Invoice, InvoiceRequest, PaymentRequest, Receipt
from salesops.workflow.tests.kit import deciders, fresh, pending_step

from .helpers import Sale, invoice_number
from .samples import money_world

pytestmark = pytest.mark.django_db

BASE = "/api/receivables"
JSON = "application/json"
DOCUMENT = schemathesis.openapi.from_dict(api.get_openapi_schema())


def conforming(response, method: str, path: str):
    """``response``, once schemathesis found it to be what the OpenAPI document declares."""
    operation = DOCUMENT.find_operation_by_path(method, path)
    assert operation is not None, (method, path)
    answer = schemathesis.Response(
        response.status_code,
        {name: [value] for name, value in response.headers.items()},
        response.content,
        requests.Request(method, f"http://testserver{path}").prepare(),
        0.0,
        True,
    )
    operation.validate_response(answer)
    return response


def post(client, url, body=None):
    return conforming(client.post(f"{BASE}{url}", body or {}, content_type=JSON), "POST", f"{BASE}{url}")


def get(client, url, params=None):
    return conforming(client.get(f"{BASE}{url}", params or {}), "GET", f"{BASE}{url}")


def approve_all(client_for, kind: str, doc) -> dict:
    """Each pending step approved through the API by whoever it waits for."""
    body = {}
    while (step := pending_step(fresh(doc))) is not None:
        approver = deciders(fresh(doc), step)[0]
        response = post(client_for(approver), f"/{kind}/{doc.pk}/approve", {"comment": "同意"})
        assert response.status_code == 200, response.content
        body = response.json()
    return body


def test_an_invoice_is_requested_reviewed_and_recorded_through_the_api(staff, api_client):
    sale = Sale(staff)
    sales = api_client(staff.sales_a)
    # the salesperson reads what is open to invoice and asks for all of it
    lines = get(sales, "/invoicing-lines", {"contract_id": sale.contract.pk}).json()
    assert [(row["quantity"], row["open_quantity"]) for row in lines] == [("10.000", "10.000")] * 2
    created = post(sales, "/invoice-requests", {"contract_id": sale.contract.pk, "kind": "ordinary"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["state"], body["total_amount"], len(body["lines"])) == ("draft", "15000.00", 2)
    pk = body["id"]
    assert post(sales, f"/invoice-requests/{pk}/submit").json()["state"] == "pending"
    request = InvoiceRequest.objects.get(pk=pk)
    assert approve_all(api_client, "invoice-requests", request)["state"] == "approved"
    # finance records the invoice the platform issued
    number = invoice_number()
    recorded = post(
        api_client(staff.finance),
        f"/invoice-requests/{pk}/invoice",
        {"invoice_number": number, "issued_on": timezone.localdate().isoformat()},
    )
    assert recorded.status_code == 201, recorded.content
    invoice = recorded.json()
    assert invoice["invoice_number"] == number and invoice["total_amount"] == "15000.00"
    assert invoice["balance"] == {"total": "15000.00", "reversed": "0.00", "paid": "0.00", "open_amount": "15000.00"}
    assert Decimal(invoice["total_net"]) + Decimal(invoice["total_tax"]) == Decimal("15000.00")
    assert len(invoice["lines"]) == 2 and invoice["lines"][0]["tax_rate"] == "0.1300"
    # the salesperson finds it in the list and reads it; the request is invoiced, for the office to archive
    page = get(sales, "/invoices", {"q": number}).json()
    assert [row["invoice_number"] for row in page["items"]] == [number]
    assert get(sales, f"/invoice-requests/{pk}").json()["state"] == "invoiced"
    office = api_client(staff.back_office)
    assert post(office, f"/invoice-requests/{pk}/archive").json()["state"] == "archived"


def test_a_receipt_is_recorded_allocated_and_a_wrong_allocation_reversed(staff, api_client):
    sale = Sale(staff)
    invoice = sale.invoice()
    finance = api_client(staff.finance)
    body = {
        "customer_id": sale.customer.pk,
        "received_on": timezone.localdate().isoformat(),
        "method": "transfer",
        "amount": "6000.00",
        "payer": sale.customer.name,
        "allocate": "none",
    }
    created = post(finance, "/receipts", body)
    assert created.status_code == 201, created.content
    receipt = created.json()
    assert (receipt["unallocated"], receipt["allocations"]) == ("6000.00", [])
    # the customer's open invoices, and an allocation to the one chosen
    open_rows = get(finance, "/open-invoices", {"customer_id": sale.customer.pk}).json()
    assert [(row["invoice_id"], row["open_amount"]) for row in open_rows] == [(invoice.pk, "15000.00")]
    targets = {"targets": [{"invoice_id": invoice.pk, "amount": "6000.00"}]}
    allocated = post(finance, f"/receipts/{receipt['id']}/allocate", targets).json()
    assert allocated["unallocated"] == "0.00" and allocated["allocations"][0]["amount"] == "6000.00"
    assert get(api_client(staff.sales_a), f"/invoices/{invoice.pk}").json()["balance"]["open_amount"] == "9000.00"
    # a wrong allocation is reversed with its reason, and stays on the receipt
    allocation = allocated["allocations"][0]["id"]
    reversed_ = post(finance, f"/allocations/{allocation}/reverse", {"reason": "汇款人填错合同号"}).json()
    assert reversed_["unallocated"] == "6000.00"
    assert reversed_["allocations"][0]["reverse_reason"] == "汇款人填错合同号"
    assert reversed_["allocations"][0]["reversed_at"] is not None
    # allocated again oldest first
    assert post(finance, f"/receipts/{receipt['id']}/allocate", {}).json()["unallocated"] == "0.00"
    assert Allocation.objects.filter(receipt_id=receipt["id"]).count() == 2


def test_a_payment_request_is_asked_confirmed_and_sent_through_the_api(staff, api_client):
    sale = Sale(staff)
    invoice = sale.invoice()
    sales = api_client(staff.sales_a)
    body = {
        "customer_id": sale.customer.pk,
        "pay_by": timezone.localdate().isoformat(),
        "lines": [{"invoice_id": invoice.pk, "amount": "15000.00"}],
        "note": "请于月底前付款",
    }
    created = post(sales, "/payment-requests", body)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["lines"][0]["invoice_number"] == invoice.invoice_number
    post(sales, f"/payment-requests/{pk}/submit")
    assert approve_all(api_client, "payment-requests", PaymentRequest.objects.get(pk=pk))["state"] == "approved"
    sent = post(sales, f"/payment-requests/{pk}/send", {"method": "email", "sent_to": "cw@example.cn"}).json()
    assert (sent["state"], sent["sent_by"], sent["sent_to"]) == ("sent", "email", "cw@example.cn")


# --- refusals -------------------------------------------------------------------------------------


@pytest.fixture
def world(staff):
    sale = Sale(staff)
    invoice = sale.invoice()
    receipt = sale.receipt("1000.00")
    payment = sale.payment_request(invoice, "14000.00")
    return sale, invoice, receipt, payment


PATHS = {
    "invoice-requests": lambda w: w[1].request_id,
    "invoices": lambda w: w[1].pk,
    "receipts": lambda w: w[2].pk,
    "payment-requests": lambda w: w[3].pk,
}


@pytest.mark.parametrize("path", sorted(PATHS))
def test_the_warehouse_reads_nothing_and_another_salesperson_not_this_customers(staff, api_client, world, path):
    pk = PATHS[path](world)
    warehouse = api_client(staff.warehouse)
    assert get(warehouse, f"/{path}").status_code == 403
    assert get(warehouse, f"/{path}/{pk}").status_code == 403
    other = api_client(staff.sales_b)
    assert get(other, f"/{path}").json()["count"] == 0
    assert get(other, f"/{path}/{pk}").status_code == 404
    assert get(api_client(staff.sales_a), f"/{path}/{pk}").status_code == 200


def test_the_open_invoices_of_a_customer_out_of_scope_are_not_found(staff, api_client, world):
    sale = world[0]
    assert get(api_client(staff.sales_b), "/open-invoices", {"customer_id": sale.customer.pk}).status_code == 404
    assert get(api_client(staff.warehouse), "/open-invoices", {"customer_id": sale.customer.pk}).status_code == 403


def test_a_wrong_invoice_number_is_a_422_naming_it_and_changes_nothing(staff, api_client):
    sale = Sale(staff)
    request = sale.approved_invoice_request()
    before = money_world()
    body = {"invoice_number": "12345", "issued_on": timezone.localdate().isoformat()}
    response = post(api_client(staff.finance), f"/invoice-requests/{request.pk}/invoice", body)
    assert response.status_code == 422 and "invoice_number" in response.json()["extra"]["fields"]
    assert money_world() == before


def test_recording_an_invoice_on_a_draft_is_a_409_and_by_others_a_403(staff, api_client):
    sale = Sale(staff)
    draft = sale.invoice_request()
    before = money_world()
    body = {"invoice_number": invoice_number(), "issued_on": timezone.localdate().isoformat()}
    assert post(api_client(staff.finance), f"/invoice-requests/{draft.pk}/invoice", body).status_code == 409
    assert post(api_client(staff.sales_a), f"/invoice-requests/{draft.pk}/invoice", body).status_code == 403
    assert post(api_client(staff.finance), "/invoice-requests", {"contract_id": sale.contract.pk}).status_code == 403
    assert money_world() == before


def test_an_allocation_above_what_is_open_is_a_422_naming_the_target(staff, api_client, world):
    sale, invoice, receipt, payment = world
    extra = sale.receipt("20000.00", allocate="none")
    before = money_world()
    body = {"targets": [{"invoice_id": invoice.pk, "amount": "14000.01"}]}
    response = post(api_client(staff.finance), f"/receipts/{extra.pk}/allocate", body)
    assert response.status_code == 422 and "targets.0.amount" in response.json()["extra"]["fields"]
    # and not finance's: 403
    assert post(api_client(staff.sales_a), f"/receipts/{extra.pk}/allocate", {}).status_code == 403
    assert money_world() == before


def test_a_reversal_needs_a_reason_and_happens_once(staff, api_client, world):
    sale, invoice, receipt, payment = world
    allocation = Allocation.objects.get(receipt=receipt)
    finance = api_client(staff.finance)
    before = money_world()
    response = post(finance, f"/allocations/{allocation.pk}/reverse", {"reason": " "})
    assert response.status_code == 422 and "reason" in response.json()["extra"]["fields"]
    office = api_client(staff.back_office)
    assert post(office, f"/allocations/{allocation.pk}/reverse", {"reason": "x"}).status_code == 403
    assert money_world() == before
    assert post(finance, f"/allocations/{allocation.pk}/reverse", {"reason": "错账"}).status_code == 200
    assert post(finance, f"/allocations/{allocation.pk}/reverse", {"reason": "错账"}).status_code == 409


def test_a_receipt_in_the_future_or_by_a_salesperson_is_refused(staff, api_client, world):
    sale = world[0]
    before = money_world()
    body = {
        "customer_id": sale.customer.pk,
        "received_on": "2999-01-01",
        "method": "cash",
        "amount": "10.00",
    }
    response = post(api_client(staff.finance), "/receipts", body)
    assert response.status_code == 422 and "received_on" in response.json()["extra"]["fields"]
    assert post(api_client(staff.sales_a), "/receipts", {**body, "received_on": "2020-01-01"}).status_code == 403
    assert money_world() == before
    assert Receipt.objects.count() == 1


def test_asking_more_than_is_open_and_sending_a_draft_are_refused(staff, api_client, world):
    sale, invoice, receipt, payment = world
    sales = api_client(staff.sales_a)
    before = money_world()
    body = {
        "customer_id": sale.customer.pk,
        "pay_by": timezone.localdate().isoformat(),
        "lines": [{"invoice_id": invoice.pk, "amount": "14000.01"}],
    }
    response = post(sales, "/payment-requests", body)
    assert response.status_code == 422 and "lines.0.amount" in response.json()["extra"]["fields"]
    send = {"method": "email", "sent_to": "cw@example.cn"}
    assert post(api_client(staff.sales_b), f"/payment-requests/{payment.pk}/send", send).status_code == 404
    assert post(api_client(staff.finance), f"/payment-requests/{payment.pk}/send", send).status_code == 403
    assert money_world() == before
    assert post(sales, f"/payment-requests/{payment.pk}/send", send).status_code == 200
    assert post(sales, f"/payment-requests/{payment.pk}/send", send).status_code == 409


def test_the_lists_filter_as_the_pages_do(staff, api_client, world):
    sale, invoice, receipt, payment = world
    finance = api_client(staff.finance)
    assert get(finance, "/invoice-requests", {"state": "invoiced"}).json()["count"] == 1
    assert get(finance, "/invoice-requests", {"state": "draft"}).json()["count"] == 0
    assert get(finance, "/receipts", {"method": "transfer"}).json()["count"] == 1
    assert get(finance, "/receipts", {"method": "cash"}).json()["count"] == 0
    assert get(finance, "/payment-requests", {"state": "approved"}).json()["items"][0]["id"] == payment.pk
    assert Invoice.objects.count() == 1


def test_money_collected_names_an_active_salesperson(staff, api_client, world):
    sale = world[0]
    before = money_world()
    today = timezone.localdate().isoformat()
    body = {"customer_id": sale.customer.pk, "received_on": today, "method": "cash", "amount": "10.00"}
    finance = api_client(staff.finance)
    for who in (staff.warehouse.pk, 2**31):
        response = post(finance, "/receipts", {**body, "collected_by_id": who, "collected_on": today})
        assert response.status_code == 422 and "collected_by_id" in response.json()["extra"]["fields"]
    assert money_world() == before
    done = post(finance, "/receipts", {**body, "collected_by_id": staff.sales_a.pk, "collected_on": today})
    assert done.status_code == 201 and done.json()["collected_by_id"] == staff.sales_a.pk
